//! Where a client's credentials come from: a static object, an async provider (cached until
//! shortly before `expiresAt`, one refresh shared by concurrent calls), or, in Node, the
//! TENCENTCLOUD_* environment variables read at call time.

use super::read;
use crate::credentials::Credentials;
use crate::error::{Error, CREDENTIALS};
use js_sys::{Function, Object, Reflect};
use std::cell::RefCell;
use tc3_lighthouse_core::machine::{Failure, Opaque};
use wasm_bindgen::{JsCast, JsValue};

/// The source of a client's credentials.
#[derive(Debug)]
pub enum Source {
    /// Given once.
    Static(Credentials),
    /// `() => Promise<Credentials>`, with its cache. `shared` is a plain JS object of this client's,
    /// on which the driver keeps the provider call in flight, so concurrent calls share one.
    Provider { provider: Function, cached: RefCell<Option<Credentials>>, shared: JsValue },
    /// TENCENTCLOUD_SECRET_ID / _SECRET_KEY / _SESSION_TOKEN (Node).
    Env,
}

fn from_object(v: &JsValue, label: &str, code: &'static str) -> Result<Credentials, Error> {
    let o = read::object(v, label).map_err(|e| Error::new(code, e.message))?;
    let r = |res: Result<Option<String>, Error>| res.map_err(|e| Error::new(code, e.message));
    let creds = Credentials {
        secret_id: r(read::opt_string(&o, "secretId", label))?.unwrap_or_default(),
        secret_key: r(read::opt_string(&o, "secretKey", label))?.unwrap_or_default(),
        token: r(read::opt_string(&o, "token", label))?.filter(|t| !t.is_empty()),
        expires_at: read::opt_number(&o, "expiresAt", label).map_err(|e| Error::new(code, e.message))?,
    };
    creds.check(label).map_err(|e| Error::new(code, e.message))?;
    Ok(creds)
}

impl Source {
    /// Reads `config.credentials`.
    pub fn from_config(v: &JsValue) -> Result<Source, Error> {
        if read::absent(v) {
            Ok(Source::Env)
        } else if let Some(f) = v.dyn_ref::<Function>() {
            Ok(Source::Provider { provider: f.clone(), cached: RefCell::new(None), shared: Object::new().into() })
        } else {
            from_object(v, "config.credentials", crate::error::INVALID_ARGUMENT).map(Source::Static)
        }
    }

    /// The credentials to sign with now, when they are at hand (given, in the environment, or cached
    /// and not about to expire); `None` when the provider must be asked. `refresh`: the cached ones
    /// were refused.
    pub fn now(&self, now_s: f64, refresh: bool) -> Option<Result<Credentials, Failure>> {
        match self {
            Source::Static(c) => Some(Ok(c.clone())),
            Source::Env => Some(env().map_err(Failure::new)),
            Source::Provider { cached, .. } => {
                let c = cached.borrow();
                let fresh = c.as_ref().filter(|c| !refresh && !c.needs_refresh(now_s));
                fresh.map(|c| Ok(c.clone()))
            }
        }
    }

    /// What the provider's call came to: `threw` when it threw rather than returning, else its
    /// Promise's `Ok(value)` or `Err(reason)`. Good credentials are cached.
    pub fn provided(&self, threw: bool, result: Result<JsValue, JsValue>) -> Result<Credentials, Failure> {
        let value = result.map_err(|e| {
            let what = if threw { "The credentials provider threw." } else { "The credentials provider failed." };
            Failure::new(Error::new(CREDENTIALS, what)).with_cause(Opaque::new(e))
        })?;
        let c = from_object(&value, "credentials provider result", CREDENTIALS).map_err(Failure::new)?;
        if let Source::Provider { cached, .. } = self {
            *cached.borrow_mut() = Some(c.clone());
        }
        Ok(c)
    }
}

fn env_var(env: &JsValue, name: &str) -> Option<String> {
    Reflect::get(env, &JsValue::from_str(name)).ok().and_then(|v| v.as_string()).filter(|s| !s.is_empty())
}

fn env() -> Result<Credentials, Error> {
    let process = Reflect::get(&js_sys::global(), &"process".into()).unwrap_or(JsValue::UNDEFINED);
    let env = if process.is_object() {
        Reflect::get(&process, &"env".into()).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    };
    let missing = || {
        Error::new(
            CREDENTIALS,
            "No credentials: pass `config.credentials`, or set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (Node).",
        )
    };
    if !env.is_object() {
        return Err(missing());
    }
    let (Some(secret_id), Some(secret_key)) =
        (env_var(&env, "TENCENTCLOUD_SECRET_ID"), env_var(&env, "TENCENTCLOUD_SECRET_KEY"))
    else {
        return Err(missing());
    };
    let c = Credentials { secret_id, secret_key, token: env_var(&env, "TENCENTCLOUD_SESSION_TOKEN"), expires_at: None };
    c.check("TENCENTCLOUD_*").map(|()| c)
}

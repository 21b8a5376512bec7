//! A fleet with a journal: the earlier run's entries are loaded and checked before anything is
//! sent, and each item resumes from what they say (`Prior::from_journal`, the one rule).

use super::drive::{drive, promise, Env};
use super::output::{failure_to_js, output_to_js};
use super::read;
use crate::error::{Error, JOURNAL};
use js_sys::Promise;
use std::rc::Rc;
use tc3_lighthouse_core::machine::{
    Client, Failure, Fleet, FleetItem, FleetOptions, JournalEntry, JournalState, Opaque, Prior,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/js/report.js")]
extern "C" {
    #[wasm_bindgen(js_name = loadEntries)]
    fn load_entries(journal: &JsValue) -> Promise;
}

/// The fleet, once the journal is loaded; a journal that cannot be read fails it before any request.
pub fn resume(client: Rc<Client>, mut items: Vec<FleetItem>, opts: FleetOptions, j: JsValue, env: Env) -> Promise {
    promise(Box::pin(async move {
        let entries = load(&j).await.map_err(failure_to_js)?;
        let mut priors = Prior::from_journal(&entries);
        for item in &mut items {
            item.prior = priors.remove(item.instance_id.as_str());
        }
        let mut m = Fleet::new(client, items, opts);
        drive(&mut m, &env).await.map(output_to_js).map_err(failure_to_js)
    }))
}

fn bad(what: &str) -> Failure {
    Failure::new(Error::new(JOURNAL, ["The journal could not be read: ", what].concat()))
}

async fn load(j: &JsValue) -> Result<Vec<JournalEntry>, Failure> {
    let v = JsFuture::from(load_entries(j))
        .await
        .map_err(|e| bad("`journal.load()` failed.").with_cause(Opaque::new(e)))?;
    const L: &str = "journal.load()";
    if !read::is_array(&v, L).unwrap_or(false) {
        return Err(bad("`journal.load()` must resolve to an array of entries."));
    }
    let items = read::array_items(&v, L, 10_000_000).map_err(Failure::new)?;
    items.iter().map(entry).collect()
}

/// One entry: `{ InstanceId, RequestId?, state, at }`.
fn entry(v: &JsValue) -> Result<JournalEntry, Failure> {
    let s = |k: &str| read::property(v, k).as_string();
    let state = match s("state").as_deref() {
        Some("intent") => JournalState::Intent,
        Some("sent") => JournalState::Sent,
        Some("succeeded") => JournalState::Succeeded,
        Some("failed") => JournalState::Failed,
        _ => return Err(bad("an entry's `state` is not \"intent\", \"sent\", \"succeeded\" or \"failed\".")),
    };
    let instance_id = s("InstanceId").ok_or_else(|| bad("an entry has no `InstanceId` string."))?;
    let request_id = s("RequestId");
    let at_ms = read::property(v, "at").as_f64().filter(|n| n.is_finite()).unwrap_or(0.0);
    Ok(JournalEntry { instance_id, request_id, state, at_ms })
}

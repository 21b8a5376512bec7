//! A fleet with a journal: the earlier run's entries are loaded and checked before anything is
//! sent, and each item resumes from what its instance's entries say (`Prior::from_entries`, the one rule).

use super::drive::{run, Env};
use super::output::failure_to_js;
use super::read;
use crate::error::{Error, JOURNAL};
use js_sys::{Map, Promise};
use std::rc::Rc;
use tc3_lighthouse_core::machine::{
    Client, Failure, Fleet, FleetItem, FleetOptions, JournalEntry, JournalState, Opaque, Prior,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/js/journal.js")]
extern "C" {
    #[wasm_bindgen(js_name = loadEntries)]
    fn load_entries(journal: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = groupEntries)]
    fn group_entries(list: &JsValue) -> JsValue;
}

/// The fleet, once the journal is loaded; a journal that cannot be read fails it before any request.
pub fn resume(client: Rc<Client>, mut items: Vec<FleetItem>, opts: FleetOptions, j: JsValue, env: Env) -> Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        let by_instance = load(&j).await.map_err(failure_to_js)?;
        for item in &mut items {
            let mine = by_instance.get(&JsValue::from_str(&item.instance_id));
            if !mine.is_undefined() {
                item.prior = Prior::from_entries(&entries(&mine).map_err(failure_to_js)?);
            }
        }
        JsFuture::from(run(Box::new(Fleet::new(client, items, opts)), env)).await
    })
}

fn bad(what: &str) -> Failure {
    Failure::new(Error::new(JOURNAL, ["The journal could not be read: ", what].concat()))
}

/// The entries by InstanceId (a JS `Map` of arrays).
async fn load(j: &JsValue) -> Result<Map, Failure> {
    let v = JsFuture::from(load_entries(j))
        .await
        .map_err(|e| bad("`journal.load()` failed.").with_cause(Opaque::new(e)))?;
    if !read::is_array(&v, "journal.load()").unwrap_or(false) {
        return Err(bad("`journal.load()` must resolve to an array of entries."));
    }
    group_entries(&v).dyn_into::<Map>().map_err(|_| bad("an entry has no `InstanceId` string."))
}

/// One instance's entries, in the order written.
fn entries(list: &JsValue) -> Result<Vec<JournalEntry>, Failure> {
    read::array_items(list, "journal.load()", u32::MAX).map_err(Failure::new)?.iter().map(entry).collect()
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

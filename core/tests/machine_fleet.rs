//! The fleet: results in input order with one bad item rejecting nothing, `wait: false`, each
//! item's own result and deadline, exactly one reset per instance through faults, batches of at
//! most 100 IDs, the limiter's spacing, concurrency, the journal and resuming from it, abort.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use support::api::{fleet_id, shown};
use support::{client, rc, FakeApi, FaultKind, Sim, T0};
use tc3_lighthouse_core::error::{Error, Kind, INSTANCE_ID_MALFORMED};
use tc3_lighthouse_core::machine::{
    Client, Effect, Failure, Fleet, FleetItem, FleetOptions, FleetResult, JournalEntry, JournalState, Output, Prior,
    WaitOptions,
};
use tc3_lighthouse_core::waiter::Schedule;

fn item(id: &str) -> FleetItem {
    FleetItem { instance_id: id.to_owned(), request: Ok(format!(r#"{{"InstanceId":"{id}"}}"#).into()), prior: None }
}

fn refused(id: &str) -> FleetItem {
    let e = Error::new(INSTANCE_ID_MALFORMED, "The parameter `InstanceId` must be `lhins-` ...");
    FleetItem { instance_id: id.to_owned(), request: Err(Failure::new(e)), prior: None }
}

fn opts(min: f64, max: f64, max_wait: f64) -> FleetOptions {
    let wait =
        WaitOptions { schedule: Schedule::new(min, max, max_wait).unwrap(), progress: true, ..WaitOptions::default() };
    FleetOptions { wait, ..FleetOptions::default() }
}

fn fast() -> FleetOptions {
    opts(0.05, 0.2, 1_200.0)
}

fn run(sim: &mut Sim, items: Vec<FleetItem>, opts: FleetOptions) -> Vec<FleetResult> {
    run_with(sim, client(), items, opts)
}

fn run_with(sim: &mut Sim, c: Client, items: Vec<FleetItem>, opts: FleetOptions) -> Vec<FleetResult> {
    let mut fleet = Fleet::new(rc(c), items, opts);
    sim.run(&mut fleet);
    match sim.result.take() {
        Some(Ok(Output::Fleet(r))) => r,
        other => panic!("a fleet ends with its results: {other:?}"),
    }
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(fleet_id).collect()
}

#[test]
fn every_item_settles_on_its_own_in_input_order() {
    let mut api = FakeApi::fleet(4);
    let [ok1, ok2, busy, pending] = [fleet_id(0), fleet_id(1), fleet_id(2), fleet_id(3)];
    api.set_operation(&busy, "ResetInstance", "OPERATING", "someone-else", T0);
    api.instance(&pending).state = "PENDING".into();
    let mut sim = Sim::new(api);
    let items = vec![item(&ok1), refused("not-an-id"), item(&busy), item("lhins-zzzzzzzz"), item(&pending), item(&ok2)];
    let results = run(&mut sim, items, fast());
    let got: Vec<(&str, bool)> = results.iter().map(|r| (r.instance_id.as_str(), r.ok())).collect();
    assert_eq!(
        got,
        [
            (ok1.as_str(), true),
            ("not-an-id", false),
            (busy.as_str(), false),
            ("lhins-zzzzzzzz", false),
            (pending.as_str(), false),
            (ok2.as_str(), true)
        ]
    );
    let codes: Vec<Option<String>> =
        results.iter().map(|r| r.result.as_ref().err().map(|f| f.error.code.clone().into_owned())).collect();
    assert_eq!(codes[1].as_deref(), Some(INSTANCE_ID_MALFORMED));
    assert_eq!(codes[2].as_deref(), Some("UnsupportedOperation.LatestOperationUnfinished"));
    assert_eq!(codes[3].as_deref(), Some("ResourceNotFound.InstanceIdNotFound"));
    assert_eq!(codes[4].as_deref(), Some("OperationDenied.InstanceCreating"));
    for r in [&results[0], &results[5]] {
        let inst = shown(r.result.as_ref().unwrap());
        assert_eq!((inst.id.as_str(), inst.op_state.as_deref()), (r.instance_id.as_str(), Some("SUCCESS")));
        assert_eq!(inst.op_rid, r.request_id);
    }
    assert!(results[1..5].iter().all(|r| r.request_id.is_none()));
    // Only the items that passed the checks were sent; the busy one was not reset.
    assert_eq!(sim.api.entries("ResetInstance").len(), 5);
    assert_eq!(sim.api.effective_resets().len(), 2);
    // An empty fleet is done at once.
    let mut sim = Sim::new(FakeApi::fleet(0));
    assert!(run(&mut sim, Vec::new(), fast()).is_empty());
    assert!(sim.sends().is_empty());
}

#[test]
fn without_wait_request_ids_come_back_and_nothing_is_polled() {
    let mut sim = Sim::new(FakeApi::fleet(6));
    let results = run(&mut sim, ids(6).iter().map(|i| item(i)).collect(), FleetOptions { do_wait: false, ..fast() });
    let effective = sim.api.effective_resets();
    assert_eq!(effective.len(), 6);
    for r in &results {
        assert!(r.ok() && r.result.as_ref().unwrap().is_none());
        let mine = effective.iter().find(|l| l.ids == [r.instance_id.clone()]).unwrap();
        assert_eq!(r.request_id, mine.request_id);
    }
    assert!(sim.api.entries("DescribeInstances").is_empty());
}

#[test]
fn each_item_its_own_result_progress_and_failure() {
    let ids = ids(5);
    let mut sim = Sim::new(FakeApi::fleet(5));
    sim.api.fail_next_reset(&ids[1]);
    sim.api.hide(&ids[2], 50);
    let results = run(&mut sim, ids.iter().map(|i| item(i)).collect(), fast());
    let ok: Vec<bool> = results.iter().map(FleetResult::ok).collect();
    assert_eq!(ok, [true, false, false, true, true]);
    let failed = results[1].result.as_ref().unwrap_err();
    assert_eq!(failed.error.code, "WaiterError.OperationFailed");
    assert_eq!(shown(&failed.waited.as_ref().unwrap().instance).op_state.as_deref(), Some("FAILED"));
    assert_eq!(results[1].request_id, failed.error.request_id);
    let gone = results[2].result.as_ref().unwrap_err();
    assert_eq!((gone.error.code.as_ref(), gone.error.kind), ("ResourceNotFound.InstanceNotFound", Kind::NotFound));
    assert!(results[2].request_id.is_some(), "its reset took effect");
    for i in [0, 3, 4] {
        let mine: Vec<_> = sim.progress().into_iter().filter(|p| p.instance_id == ids[i]).collect();
        assert!(!mine.is_empty());
        assert_eq!(mine.last().unwrap().latest_operation_state.as_deref(), Some("SUCCESS"));
        assert!(mine.windows(2).all(|w| w[1].attempt > w[0].attempt && w[1].elapsed_ms >= w[0].elapsed_ms));
    }
    assert!(sim.progress().iter().all(|p| p.instance_id != ids[2]));
}

#[test]
fn faults_still_give_exactly_one_reset_per_instance() {
    let ids = ids(6);
    let mut sim = Sim::new(FakeApi::fleet(6));
    sim.api.fault(Some("ResetInstance"), Some(&ids[1]), FaultKind::AnswerLost, 1);
    sim.api.fault(Some("ResetInstance"), Some(&ids[3]), FaultKind::ConnectionReset, 1);
    sim.api.fault(Some("ResetInstance"), Some(&ids[4]), FaultKind::Throttle, 1);
    let results = run(&mut sim, ids.iter().map(|i| item(i)).collect(), fast());
    let effective = sim.api.effective_resets();
    let mut reset_ids: Vec<String> = effective.iter().map(|l| l.ids[0].clone()).collect();
    reset_ids.sort();
    assert_eq!(reset_ids, ids, "one effective reset per instance");
    for r in &results {
        assert!(r.ok(), "{}: {:?}", r.instance_id, r.result);
        let mine = effective.iter().find(|l| l.ids == [r.instance_id.clone()]).unwrap();
        assert_eq!(r.request_id, mine.request_id);
        assert_eq!(shown(r.result.as_ref().unwrap()).op_rid, r.request_id);
    }
    let lost: Vec<_> = sim.api.entries("ResetInstance").into_iter().filter(|l| l.ids == [ids[1].clone()]).collect();
    assert_eq!(lost.len(), 1, "a lost answer is not resent");
}

#[test]
fn each_item_has_its_own_deadline_from_its_acceptance() {
    let ids = ids(3);
    let mut api = FakeApi::fleet(3);
    api.operating_polls = u32::MAX - 1;
    let mut sim = Sim::new(api);
    let mut o = opts(0.05, 0.1, 0.5);
    o.concurrency = 1; // accepted one after the other
                       // No limiter, so that a poll leaves the moment its sleep ends.
    let mut c = client();
    c.rate_limit = false;
    let results = run_with(&mut sim, c, ids.iter().map(|i| item(i)).collect(), o);
    let accepted: Vec<f64> = sim.api.effective_resets().iter().map(|l| l.at).collect();
    assert!(accepted.windows(2).all(|w| w[1] > w[0]));
    for r in &results {
        let f = r.result.as_ref().unwrap_err();
        assert_eq!(f.error.code, "WaiterError.Timeout");
        assert!(r.request_id.is_some());
        let w = f.waited.as_ref().unwrap();
        assert_eq!(shown(&w.instance).op_state.as_deref(), Some("OPERATING"));
        assert!(w.elapsed_ms >= 500.0 && w.elapsed_ms <= 520.0, "{}: {}", r.instance_id, w.elapsed_ms);
    }
}

#[test]
fn a_hundred_instances_at_ten_resets_a_second_with_few_polls() {
    let ids = ids(100);
    let mut sim = Sim::new(FakeApi::fleet(100));
    let results = run(&mut sim, ids.iter().map(|i| item(i)).collect(), opts(0.5, 1.5, 1_200.0));
    assert_eq!(results.len(), 100);
    for (r, id) in results.iter().zip(&ids) {
        assert_eq!(&r.instance_id, id);
        assert!(r.ok(), "{id}: {:?}", r.result);
        assert_eq!(shown(r.result.as_ref().unwrap()).op_rid, r.request_id);
    }
    assert_eq!(sim.api.effective_resets().len(), 100);
    assert_eq!(sim.api.entries("ResetInstance").len(), 100);
    let polls = sim.api.entries("DescribeInstances").len();
    assert!(polls < 40, "{polls} DescribeInstances");
    // The limiter's margin: resets reach the API 102 ms apart, never 11 in one second, and 100
    // of them take 10.1 s.
    let at: Vec<f64> = sim.api.entries("ResetInstance").iter().map(|l| l.at).collect();
    assert!(at.windows(2).all(|w| w[1] - w[0] >= 102.0 - 1e-9));
    assert!(at.windows(11).all(|w| w[10] - w[0] >= 1_000.0));
    assert_eq!(at[99] - at[0], 99.0 * 102.0);
    let total = (sim.now - T0) / 1000.0;
    assert!(total < 10.0 * 1.1 + 1.5, "{total} s in all");
}

#[test]
fn waits_are_polled_in_batches_of_at_most_a_hundred_ids() {
    let ids = ids(250);
    let mut api = FakeApi::fleet(250);
    api.operating_polls = 30; // so that they all wait at once
    let mut sim = Sim::new(api);
    let mut items: Vec<FleetItem> = ids.iter().map(|i| item(i)).collect();
    items.insert(8, item(&ids[7])); // the same instance twice: the second refused as busy
    let mut o = opts(0.5, 1.5, 1_200.0);
    o.concurrency = 50;
    let results = run(&mut sim, items, o);
    assert_eq!(results[8].result.as_ref().unwrap_err().error.kind, Kind::Busy);
    assert!(results.iter().enumerate().all(|(i, r)| i == 8 || r.ok()));
    let polls = sim.api.entries("DescribeInstances");
    assert!(polls.iter().all(|l| !l.ids.is_empty() && l.ids.len() <= 100));
    let full = polls.iter().filter(|l| l.ids.len() == 100).count();
    assert!(full >= 2, "two full batches while all 250 wait: {full}");
    for l in &polls {
        let mut d = l.ids.clone();
        d.sort();
        d.dedup();
        assert_eq!(d.len(), l.ids.len(), "no ID twice in one call");
    }
    // A round's batches (102 ms apart: the limiter) ask for different instances.
    for (a, b) in polls.iter().zip(polls.iter().skip(1)) {
        if a.ids.len() == 100 && b.at - a.at < 150.0 {
            assert!(a.ids.iter().all(|i| !b.ids.contains(i)), "one instance in two batches of a round");
        }
    }
}

#[test]
fn concurrency_bounds_the_resets_in_flight() {
    let ids = ids(6);
    let mut sim = Sim::new(FakeApi::fleet(6));
    sim.api.fault(Some("ResetInstance"), None, FaultKind::Slow(1_000.0), 6);
    let mut o = fast();
    o.concurrency = 2;
    let results = run(&mut sim, ids.iter().map(|i| item(i)).collect(), o);
    assert!(results.iter().all(FleetResult::ok));
    let early = sim
        .steps
        .iter()
        .filter(|s| s.now < T0 + 1_000.0)
        .flat_map(|s| s.effects.iter())
        .filter(|e| matches!(e, Effect::Send { request, .. } if request.header("X-TC-Action") == Some("ResetInstance")))
        .count();
    assert_eq!(early, 2);
}

#[test]
fn the_journal_records_every_item_in_order() {
    let ids = ids(3);
    let mut sim = Sim::new(FakeApi::fleet(3));
    sim.api.fail_next_reset(&ids[2]);
    let o = FleetOptions { journal: true, ..fast() };
    let results = run(&mut sim, ids.iter().map(|i| item(i)).chain([refused("bad")]).collect(), o);
    for (i, id) in ids.iter().enumerate() {
        let mine: Vec<_> = sim.journal.iter().filter(|e| &e.instance_id == id).collect();
        let states: Vec<JournalState> = mine.iter().map(|e| e.state).collect();
        let last = if i == 2 { JournalState::Failed } else { JournalState::Succeeded };
        assert_eq!(states, [JournalState::Intent, JournalState::Sent, last], "{id}");
        assert_eq!(mine[0].request_id, None);
        assert!(mine[1..].iter().all(|e| e.request_id == results[i].request_id));
        assert!(mine.windows(2).all(|w| w[1].at_ms >= w[0].at_ms));
        // The intent is on disk before the reset reaches the API.
        let arrived = sim.api.entries("ResetInstance").iter().find(|l| &l.ids[0] == id).unwrap().at;
        assert!(mine[0].at_ms < arrived);
    }
    assert!(sim.journal.iter().all(|e| e.instance_id != "bad"), "refused items are not journaled");
    // With wait: false, no final entry.
    let mut sim = Sim::new(FakeApi::fleet(3));
    run(&mut sim, ids.iter().map(|i| item(i)).collect(), FleetOptions { journal: true, do_wait: false, ..fast() });
    assert!(sim.journal.iter().all(|e| matches!(e.state, JournalState::Intent | JournalState::Sent)));
    assert_eq!(sim.journal.len(), 6);
}

#[test]
fn a_journal_that_cannot_be_written_fails_the_items_without_sending() {
    let mut sim = Sim::new(FakeApi::fleet(2));
    sim.journal_fails = true;
    let results = run(&mut sim, ids(2).iter().map(|i| item(i)).collect(), FleetOptions { journal: true, ..fast() });
    for r in &results {
        assert_eq!(r.result.as_ref().unwrap_err().error.code, "ClientError.Journal");
    }
    assert!(sim.sends().is_empty(), "no intent on disk, no reset");
}

#[test]
fn a_run_again_never_resets_what_the_journal_says_was_sent() {
    let ids = ids(3);
    let mut api = FakeApi::fleet(3);
    // Item 0: sent by the last run. Item 1: intent only, and it took effect. Item 2: intent only, it did not.
    api.set_operation(&ids[0], "ResetInstance", "OPERATING", "last-run-0", T0 - 60_000.0);
    api.finish_after(&ids[0], 1);
    api.set_operation(&ids[1], "ResetInstance", "OPERATING", "last-run-1", T0 - 9_000.0);
    api.finish_after(&ids[1], 1);
    let mut sim = Sim::new(api);
    let mut items: Vec<FleetItem> = ids.iter().map(|i| item(i)).collect();
    items[0].prior = Some(Prior::Sent { request_id: "last-run-0".into() });
    items[1].prior = Some(Prior::Intent { at_ms: T0 - 10_000.0 });
    items[2].prior = Some(Prior::Intent { at_ms: T0 - 10_000.0 });
    let results = run(&mut sim, items, fast());
    assert!(results.iter().all(FleetResult::ok), "{results:?}");
    assert_eq!(results[0].request_id.as_deref(), Some("last-run-0"));
    assert_eq!(results[1].request_id.as_deref(), Some("last-run-1"));
    let sent: Vec<_> = sim.api.entries("ResetInstance").iter().map(|l| l.ids[0].clone()).collect();
    assert_eq!(sent, [ids[2].clone()], "only the one that never took effect is sent");
}

#[test]
fn a_run_on_a_journal_of_successes_sends_nothing_and_succeeds() {
    let ids = ids(3);
    let mut sim = Sim::new(FakeApi::fleet(3));
    let mut items: Vec<FleetItem> = ids.iter().map(|i| item(i)).collect();
    for (n, it) in items.iter_mut().enumerate() {
        it.prior = Some(Prior::Succeeded { request_id: format!("last-run-{n}") });
    }
    let results = run(&mut sim, items, FleetOptions { journal: true, ..fast() });
    assert!(results.iter().all(FleetResult::ok), "{results:?}");
    assert_eq!(results[2].request_id.as_deref(), Some("last-run-2"));
    assert!(sim.api.log.is_empty(), "no request at all: {:?}", sim.api.log.len());
    assert!(sim.journal.is_empty(), "nothing new to journal");
}

fn entry(id: &str, state: JournalState, request_id: Option<&str>, at_ms: f64) -> JournalEntry {
    JournalEntry { instance_id: id.to_owned(), request_id: request_id.map(str::to_owned), state, at_ms }
}

#[test]
fn what_a_journal_says_of_each_instance() {
    use JournalState::{Failed, Intent, Sent, Succeeded};
    let j = [
        entry("a", Intent, None, 1.0),
        entry("b", Intent, None, 2.0),
        entry("b", Sent, Some("rb"), 3.0),
        entry("c", Intent, None, 4.0),
        entry("c", Sent, Some("rc"), 5.0),
        entry("c", Succeeded, Some("rc"), 6.0),
        entry("d", Intent, None, 7.0),
        entry("d", Failed, None, 8.0),
        entry("e", Intent, None, 9.0),
        entry("e", Sent, Some("re"), 10.0),
        entry("e", Failed, Some("re"), 11.0),
        entry("a", Intent, None, 12.0),
    ];
    let p = Prior::from_journal(&j);
    assert_eq!(p.get("a"), Some(&Prior::Intent { at_ms: 12.0 }), "the last intent's time");
    assert_eq!(p.get("b"), Some(&Prior::Sent { request_id: "rb".into() }));
    assert_eq!(p.get("c"), Some(&Prior::Succeeded { request_id: "rc".into() }));
    assert_eq!(p.get("d"), None, "refused before it took effect: reset as new");
    assert_eq!(p.get("e"), Some(&Prior::Sent { request_id: "re".into() }), "a failed wait: waited again");
    assert_eq!(p.get("zz"), None);
    assert_eq!(p.len(), 4);
}

#[test]
fn abort_mid_fleet_settles_every_item_and_sends_nothing_more() {
    for (min, max) in [(2.0, 2.0), (0.05, 0.3)] {
        let ids = ids(30);
        let mut api = FakeApi::fleet(30);
        api.operating_polls = 1_000_000;
        let mut sim = Sim::new(api);
        sim.abort_at(T0 + 600.0);
        let results = run(&mut sim, ids.iter().map(|i| item(i)).collect(), opts(min, max, 1_200.0));
        assert_eq!(sim.now, T0 + 600.0, "settled at once");
        assert_eq!(results.len(), 30);
        let effective = sim.api.effective_resets().len();
        assert!(effective > 3 && effective < 30, "{effective}");
        for r in &results {
            let f = r.result.as_ref().unwrap_err();
            assert_eq!((f.error.code.as_ref(), f.error.kind), ("ClientError.Aborted", Kind::Aborted));
        }
        let with_id = results.iter().filter(|r| r.request_id.is_some()).count();
        assert!(with_id + 1 >= effective, "{with_id} RequestIds for {effective} resets");
        let sent = sim.api.log.len();
        sim.settle();
        assert!(sim.api.log.len() <= sent + 1, "at most the request in flight lands");
    }
}

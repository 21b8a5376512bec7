//! Whatever a driver feeds them (answers in any order, for unknown ids, twice, odd times, NaN
//! clocks, random instance listings, a second Start, an Abort at any point), the machines never
//! panic, end at most once, and say nothing after they ended.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::rc::Rc;
use tc3_lighthouse_core::credentials::Credentials;
use tc3_lighthouse_core::endpoint::Endpoint;
use tc3_lighthouse_core::error::{Error, BAD_RESPONSE, NETWORK};
use tc3_lighthouse_core::machine::{
    Answer, Call, CallOptions, Client, Cx, Effect, Event, Failure, Fault, Fleet, FleetItem, FleetOptions, Id, Instance,
    Machine, Opaque, Realm, Reply, Reset, Wait, WaitOptions,
};
use tc3_lighthouse_core::waiter::Schedule;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const IDS: [&str; 3] = ["lhins-aaaaaaaa", "lhins-bbbbbbbb", "lhins-cccccccc"];

fn instance(rng: &mut Rng) -> Instance {
    let opt = |rng: &mut Rng, xs: &[&str]| (rng.below(4) > 0).then(|| rng.pick(xs).to_owned());
    Instance {
        instance_id: rng.pick(&IDS).to_owned(),
        instance_state: rng.pick(&["RUNNING", "STOPPED", "PENDING", "", "garbage"]).to_owned(),
        latest_operation: opt(rng, &["ResetInstance", "StartInstances", ""]),
        latest_operation_state: opt(rng, &["SUCCESS", "FAILED", "OPERATING", "x"]),
        latest_operation_request_id: opt(rng, &["req-1", "req-2", ""]),
        latest_operation_started_time: opt(rng, &["2023-11-14T22:13:20Z", "2023-11-14T22:10:00+08:00", "bad", ""]),
        raw: Opaque::new(7u8),
    }
}

fn reply(rng: &mut Rng) -> Reply {
    if rng.below(2) == 0 {
        let n = rng.below(4);
        let instances = (0..n).map(|_| instance(rng)).collect();
        let request_id = (rng.below(3) > 0).then(|| rng.pick(&["req-1", "req-2", ""]).to_owned());
        return Reply::Answer(Answer { request_id, response: Opaque::none(), instances });
    }
    let code = rng.pick(&[
        NETWORK,
        BAD_RESPONSE,
        "RequestLimitExceeded",
        "AuthFailure.SignatureExpire",
        "AuthFailure.TokenFailure",
        "InternalError",
        "UnsupportedOperation.LatestOperationUnfinished",
        "ResourceNotFound.InstanceNotFound",
        "ClientError.Timeout",
        "",
    ]);
    let mut f = Fault::new(Error::new(code.to_owned(), "fuzz"));
    f.sent = rng.below(2) == 0;
    f.date = (rng.below(2) == 0).then(|| rng.pick(&["Tue, 14 Nov 2023 23:13:20 GMT", "nonsense", ""]).to_owned());
    Reply::Fault(f)
}

fn machines(seed: u64) -> Vec<Box<dyn Machine>> {
    let mut c = Client::new(Endpoint::parse("https://lighthouse.tencentcloudapi.com").unwrap());
    c.log = seed % 2 == 0;
    c.timeout_ms = [None, Some(100.0), Some(f64::NAN)][(seed % 3) as usize];
    c.rate_limit = seed % 5 != 0;
    let c = Rc::new(c);
    let body = r#"{"InstanceId":"lhins-aaaaaaaa"}"#;
    let opts = WaitOptions {
        schedule: Schedule::new(0.0, 0.1, 2.0).unwrap(),
        wait_for_idle: seed % 2 == 1,
        progress: true,
        ..WaitOptions::default()
    };
    let items = IDS
        .iter()
        .map(|i| FleetItem { instance_id: (*i).to_owned(), request: Ok(Rc::from(body)), prior: None })
        .chain([FleetItem {
            instance_id: String::new(),
            request: Err(Failure::new(Error::new("X", "y"))),
            prior: None,
        }])
        .collect();
    let fleet = FleetOptions { wait: opts.clone(), concurrency: 2, journal: seed % 3 == 0, ..FleetOptions::default() };
    vec![
        Box::new(Call::new(c.clone(), "DescribeInstances", "{}", CallOptions::default())),
        Box::new(Call::new(c.clone(), "ResetInstance", body, CallOptions::default())),
        Box::new(Reset::new(c.clone(), IDS[0], body, CallOptions::default()).with_journal()),
        Box::new(Reset::new(c.clone(), IDS[0], body, CallOptions::default()).resuming(1.7e12)),
        Box::new(Wait::reset_and_wait(c.clone(), IDS[0], body, opts.clone())),
        Box::new(Wait::until_reset(c.clone(), IDS[0], Some("req-1".into()), opts)),
        Box::new(Fleet::new(c, items, fleet)),
    ]
}

#[test]
fn random_events_never_panic_and_end_once() {
    for seed in 1..=400u64 {
        for (k, mut m) in machines(seed).into_iter().enumerate() {
            let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ k as u64 | 1);
            let mut realm = Realm::default();
            let mut now = 1.7e12;
            let mut open: Vec<Id> = Vec::new();
            let mut ended = false;
            for n in 0..400 {
                let event = if n == 0 {
                    Event::Start
                } else {
                    match rng.below(20) {
                        0 => Event::Abort { reason: Opaque::none() },
                        1 => Event::Start,
                        2 => Event::Fired { id: rng.below(1000) as Id },
                        _ if open.is_empty() => Event::Fired { id: rng.below(50) as Id },
                        _ => {
                            let id = open[rng.below(open.len() as u64) as usize];
                            match rng.below(4) {
                                0 => Event::Fired { id },
                                1 => Event::Credentials {
                                    id,
                                    result: if rng.below(5) == 0 {
                                        Err(Failure::new(Error::new("ClientError.Credentials", "no")))
                                    } else {
                                        Ok(Credentials {
                                            secret_id: "AKID".into(),
                                            secret_key: "k".into(),
                                            token: (rng.below(2) == 0).then(|| "t".into()),
                                            expires_at: (rng.below(2) == 0).then_some(1.7e9 + rng.below(1000) as f64),
                                        })
                                    },
                                },
                                2 => Event::Journaled { id, result: Ok(()) },
                                _ => Event::Replied { id, reply: reply(&mut rng) },
                            }
                        }
                    }
                };
                now = match rng.below(30) {
                    0 => f64::NAN,
                    1 => now - 5_000.0,
                    _ => now + rng.below(3_000) as f64,
                };
                let mut out = Vec::new();
                m.handle(event, &mut Cx::new(now, rng.below(1000) as f64 / 1000.0, &mut realm, &mut out));
                for e in out {
                    assert!(!ended, "seed {seed} machine {k}: {e:?} after the end");
                    match e {
                        Effect::Send { id, .. }
                        | Effect::Sleep { id, .. }
                        | Effect::GetCredentials { id, .. }
                        | Effect::Journal { id, .. } => open.push(id),
                        Effect::Cancel { id } => open.retain(|o| *o != id),
                        Effect::Done(_) | Effect::Failed(_) => ended = true,
                        Effect::Log(_) | Effect::Progress(_) => {}
                    }
                }
                if ended && rng.below(10) == 0 {
                    break;
                }
            }
        }
    }
}

//! A fake Lighthouse API for the machines' tests: instances whose resets stay OPERATING for
//! `operating_polls` DescribeInstances, a server clock that may be off ours, token checks, and
//! faults modelled on `local-api/` (throttle, answerLost, connectionReset, refused, slow, html500,
//! hideInstance, serviceError).

use tc3_lighthouse_core::error::{Error, BAD_RESPONSE, NETWORK};
use tc3_lighthouse_core::machine::{Answer, Fault, Instance, Opaque, Reply, Request};

#[derive(Clone, Debug, PartialEq)]
pub struct FakeInstance {
    pub id: String,
    pub state: String,
    pub op: Option<String>,
    pub op_state: Option<String>,
    pub op_rid: Option<String>,
    pub op_started: Option<String>,
    polls_left: u32,
    fail_next: bool,
}

/// What a listing showed: the instance as it was then.
pub type Shown = FakeInstance;

pub fn shown(o: &Opaque) -> Shown {
    o.get::<Shown>().cloned().expect("an instance of the fake API")
}

#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    Throttle,
    /// Processed; the answer never comes back.
    AnswerLost,
    /// Not processed; the connection breaks.
    ConnectionReset,
    /// Not sent at all (connection refused): `sent: false`.
    Refused,
    /// Reaches the API after this many ms, processed then.
    Slow(f64),
    ServiceError(&'static str),
    /// A gateway's HTML 500; `true`: the action was processed before it.
    Html500(bool),
    /// The connection breaks at once, and the request reaches the API this many ms later anyway.
    LandsLater(f64),
    /// That late arrival (processed normally; not a request of the client's).
    Landing,
}

#[derive(Clone, Debug)]
struct FaultSpec {
    action: Option<&'static str>,
    instance: Option<String>,
    kind: FaultKind,
    times: u32,
}

/// One request as the API saw it.
#[derive(Clone, Debug)]
pub struct LogLine {
    pub action: String,
    pub ids: Vec<String>,
    pub at: f64,
    pub request_id: Option<String>,
    pub code: Option<String>,
    pub fault: Option<FaultKind>,
    pub token: Option<String>,
    pub secret_id: Option<String>,
    /// Whether a ResetInstance took effect.
    pub effective: bool,
}

#[derive(Debug, Default)]
pub struct FakeApi {
    pub instances: Vec<FakeInstance>,
    pub operating_polls: u32,
    /// How far the server's clock is ahead of the simulation's.
    pub clock_offset_ms: f64,
    /// Tokens the API refuses with AuthFailure.TokenFailure (expired ones).
    pub bad_tokens: Vec<String>,
    /// Answers without a `Date` header (a browser that cannot read it).
    pub no_date: bool,
    pub log: Vec<LogLine>,
    faults: Vec<FaultSpec>,
    hidden: Vec<(String, String)>,
    next_rid: u32,
}

fn ids_of(body: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    if let Some(id) = v.get("InstanceId").and_then(|i| i.as_str()) {
        return vec![id.to_owned()];
    }
    v.get("InstanceIds")
        .and_then(|a| a.as_array())
        .map(|a| a.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// The civil date and time of Unix ms, from the calendar the code under test uses for the opposite way.
fn civil(ms: f64) -> (i64, u32, u32, u32, u32, u32, i64) {
    let secs = (ms / 1000.0).floor() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = tc3_lighthouse_core::calendar::civil_from_days(days);
    (y, m, d, (rem / 3600) as u32, (rem % 3600 / 60) as u32, (rem % 60) as u32, days)
}

pub fn tencent_time(ms: f64) -> String {
    let (y, m, d, h, mi, s, _) = civil(ms);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

pub fn http_date(ms: f64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (y, m, d, h, mi, s, days) = civil(ms);
    let wd = DAYS[days.rem_euclid(7) as usize];
    format!("{wd}, {d:02} {} {y:04} {h:02}:{mi:02}:{s:02} GMT", MONTHS[m as usize - 1])
}

impl FakeApi {
    /// Instances in `(id, state)`, idle; resets stay OPERATING for 2 polls.
    pub fn with(instances: &[(&str, &str)]) -> FakeApi {
        let instances = instances
            .iter()
            .map(|(id, state)| FakeInstance {
                id: (*id).to_owned(),
                state: (*state).to_owned(),
                op: None,
                op_state: None,
                op_rid: None,
                op_started: None,
                polls_left: 0,
                fail_next: false,
            })
            .collect();
        FakeApi { instances, operating_polls: 2, ..FakeApi::default() }
    }

    /// `n` RUNNING instances lhins-f0000000, lhins-f0000001, ...
    pub fn fleet(n: usize) -> FakeApi {
        let ids: Vec<String> = (0..n).map(fleet_id).collect();
        let pairs: Vec<(&str, &str)> = ids.iter().map(|i| (i.as_str(), "RUNNING")).collect();
        FakeApi::with(&pairs)
    }

    pub fn instance(&mut self, id: &str) -> &mut FakeInstance {
        self.instances.iter_mut().find(|i| i.id == id).expect("a known instance")
    }

    /// Someone else's operation (or an earlier one) on `id`.
    pub fn set_operation(&mut self, id: &str, op: &str, state: &str, rid: &str, started_ms: f64) {
        let i = self.instance(id);
        i.op = Some(op.to_owned());
        i.op_state = Some(state.to_owned());
        i.op_rid = Some(rid.to_owned());
        i.op_started = Some(tencent_time(started_ms));
        i.polls_left = u32::MAX;
    }

    pub fn fail_next_reset(&mut self, id: &str) {
        self.instance(id).fail_next = true;
    }

    /// `kind` for the next `times` requests of `action` (any when `None`), on `instance` if given.
    pub fn fault(&mut self, action: Option<&'static str>, instance: Option<&str>, kind: FaultKind, times: u32) {
        self.faults.push(FaultSpec { action, instance: instance.map(str::to_owned), kind, times });
    }

    /// `id` left out of the next `polls` DescribeInstances that ask for it.
    pub fn hide(&mut self, id: &str, polls: u32) {
        self.hide_pattern(id, &"H".repeat(polls as usize));
    }

    /// The next DescribeInstances that ask for `id`, one letter each: `H` hidden, `V` visible.
    pub fn hide_pattern(&mut self, id: &str, pattern: &str) {
        self.hidden.push((id.to_owned(), pattern.chars().rev().collect()));
    }

    /// The operation in progress on `id` ends (SUCCESS) after `polls` more listings.
    pub fn finish_after(&mut self, id: &str, polls: u32) {
        self.instance(id).polls_left = polls;
    }

    /// The fault that applies to `request`, consumed.
    pub fn take_fault(&mut self, request: &Request) -> Option<FaultKind> {
        let action = request.header("X-TC-Action").unwrap_or_default();
        let ids = ids_of(request.body());
        let i = self.faults.iter().position(|f| {
            f.times > 0 && f.action.is_none_or(|a| a == action) && f.instance.as_ref().is_none_or(|id| ids.contains(id))
        })?;
        let f = &mut self.faults[i];
        f.times -= 1;
        Some(f.kind.clone())
    }

    pub fn entries(&self, action: &str) -> Vec<&LogLine> {
        self.log.iter().filter(|l| l.action == action).collect()
    }

    pub fn effective_resets(&self) -> Vec<&LogLine> {
        self.log.iter().filter(|l| l.effective).collect()
    }

    fn rid(&mut self) -> String {
        self.next_rid += 1;
        format!("req-{:04}", self.next_rid)
    }

    /// The API's answer to `request` reaching it at `now` (simulation clock).
    pub fn process(&mut self, request: &Request, fault: Option<FaultKind>, now: f64) -> Reply {
        let server_now = now + self.clock_offset_ms;
        let action = request.header("X-TC-Action").unwrap_or_default().to_owned();
        let ids = ids_of(request.body());
        let token = request.header("X-TC-Token").map(str::to_owned);
        let secret_id = request
            .header("Authorization")
            .and_then(|a| a.split("Credential=").nth(1))
            .and_then(|c| c.split('/').next())
            .map(str::to_owned);
        let rid = self.rid();
        let mut line = LogLine {
            action: action.clone(),
            ids: ids.clone(),
            at: now,
            request_id: Some(rid.clone()),
            code: None,
            fault: fault.clone(),
            token: token.clone(),
            secret_id,
            effective: false,
        };
        let date = (!self.no_date).then(|| http_date(server_now));
        let api_error = |code: &str, line: &mut LogLine| {
            line.code = Some(code.to_owned());
            let error = Error::new(code.to_owned(), "the fake API says no").with_request_id(Some(rid.clone()));
            Reply::Fault(Fault {
                error: error.with_http_status(200),
                cause: Opaque::none(),
                sent: true,
                date: date.clone(),
            })
        };
        let ts = request.header("X-TC-Timestamp").and_then(|t| t.parse::<f64>().ok());
        let reply = if ts.is_some_and(|t| (t * 1000.0 - server_now).abs() > 300_000.0) {
            api_error("AuthFailure.SignatureExpire", &mut line)
        } else if token.as_ref().is_some_and(|t| self.bad_tokens.contains(t)) {
            api_error("AuthFailure.TokenFailure", &mut line)
        } else {
            match &fault {
                Some(FaultKind::Throttle) => api_error("RequestLimitExceeded", &mut line),
                Some(FaultKind::ServiceError(code)) => api_error(code, &mut line),
                Some(FaultKind::ConnectionReset | FaultKind::LandsLater(_)) => {
                    Reply::Fault(Fault::new(Error::new(NETWORK, "connection reset")))
                }
                Some(FaultKind::Html500(false)) => Reply::Fault(bad_gateway()),
                _ => {
                    let answer = self.act(&action, &ids, &rid, server_now, &mut line);
                    match (&fault, answer) {
                        (Some(FaultKind::AnswerLost), _) => {
                            Reply::Fault(Fault::new(Error::new(NETWORK, "answer lost")))
                        }
                        (Some(FaultKind::Html500(true)), _) => Reply::Fault(bad_gateway()),
                        (_, Ok(instances)) => Reply::Answer(Answer {
                            request_id: Some(rid.clone()),
                            response: Opaque::new(rid.clone()),
                            instances,
                        }),
                        (_, Err(code)) => api_error(code, &mut line),
                    }
                }
            }
        };
        if let Some(FaultKind::ConnectionReset | FaultKind::LandsLater(_)) = fault {
            line.request_id = None;
        }
        self.log.push(line);
        reply
    }

    fn act(
        &mut self,
        action: &str,
        ids: &[String],
        rid: &str,
        server_now: f64,
        line: &mut LogLine,
    ) -> Result<Vec<Instance>, &'static str> {
        match action {
            "ResetInstance" => {
                let polls = self.operating_polls;
                let id = ids.first().cloned().unwrap_or_default();
                let Some(i) = self.instances.iter_mut().find(|i| i.id == id) else {
                    return Err("ResourceNotFound.InstanceIdNotFound");
                };
                if i.state == "PENDING" {
                    return Err("OperationDenied.InstanceCreating");
                }
                if i.op_state.as_deref() == Some("OPERATING") {
                    return Err("UnsupportedOperation.LatestOperationUnfinished");
                }
                i.op = Some("ResetInstance".into());
                i.op_state = Some("OPERATING".into());
                i.op_rid = Some(rid.to_owned());
                i.op_started = Some(tencent_time(server_now));
                i.polls_left = polls;
                line.effective = true;
                Ok(Vec::new())
            }
            "DescribeInstances" => {
                let mut out = Vec::new();
                for id in ids {
                    if let Some(h) = self.hidden.iter_mut().find(|(h, p)| h == id && !p.is_empty()) {
                        if h.1.pop() == Some('H') {
                            continue;
                        }
                    }
                    let Some(i) = self.instances.iter_mut().find(|i| &i.id == id) else { continue };
                    if i.op_state.as_deref() == Some("OPERATING") && i.polls_left != u32::MAX {
                        if i.polls_left == 0 {
                            i.op_state =
                                Some(if std::mem::take(&mut i.fail_next) { "FAILED" } else { "SUCCESS" }.into());
                            i.state = "RUNNING".into();
                        } else {
                            i.polls_left -= 1;
                        }
                    }
                    out.push(Instance {
                        instance_id: i.id.clone(),
                        instance_state: i.state.clone(),
                        latest_operation: i.op.clone(),
                        latest_operation_state: i.op_state.clone(),
                        latest_operation_request_id: i.op_rid.clone(),
                        latest_operation_started_time: i.op_started.clone(),
                        raw: Opaque::new(i.clone()),
                    });
                }
                Ok(out)
            }
            _ => Ok(Vec::new()),
        }
    }
}

fn bad_gateway() -> Fault {
    Fault::new(Error::new(BAD_RESPONSE, "not the API's JSON").with_http_status(500))
}

pub fn fleet_id(i: usize) -> String {
    format!("lhins-f{i:07}")
}

//! Business logic and a VEN, both through openleadr-client, against the VTN under test. Each step
//! prints one JSON line; a failure prints the step and the error and exits 1. The steps follow
//! the interop scenario of FlexBridge's issue 22: program, VEN enrolment with a target, an event
//! for that target, the VEN reading it and reporting, business logic reading the report, an update
//! seen by the VEN, a delete.

use openleadr_client::{BusinessLogic, Client, ClientCredentials, Filter, VirtualEndNode};
use openleadr_wire::{event::EventRequest, program::ProgramRequest, report::ReportRequest, ven::VenVenRequest};
use serde_json::{json, Value};
use std::process::ExitCode;
use url::Url;

struct Args {
    base: Url,
    ca: Option<String>,
    bl: (String, String),
    ven: (String, String),
    target: String,
    start: String,
    /// Between a change and the next, so that VENs that poll see every version.
    pause: std::time::Duration,
}

fn args() -> Result<Args, String> {
    let v: Vec<String> = std::env::args().skip(1).collect();
    if v.len() != 9 {
        return Err("usage: driver BASE_URL CA_PEM|- BL_ID BL_SECRET VEN_ID VEN_SECRET TARGET START_ISO PAUSE_MS".into());
    }
    let mut base = v[0].clone();
    if !base.ends_with('/') {
        base.push('/');
    }
    Ok(Args {
        base: Url::parse(&base).map_err(|e| e.to_string())?,
        ca: if v[1] == "-" { None } else { Some(v[1].clone()) },
        bl: (v[2].clone(), v[3].clone()),
        ven: (v[4].clone(), v[5].clone()),
        target: v[6].clone(),
        start: v[7].clone(),
        pause: std::time::Duration::from_millis(v[8].parse().map_err(|_| "PAUSE_MS must be a number of milliseconds".to_string())?),
    })
}

fn say(step: &str, data: Value) {
    println!("{}", json!({ "step": step, "data": data }));
}

fn first_value(event: &EventRequest) -> Value {
    let v = serde_json::to_value(event).unwrap_or(Value::Null);
    v["intervals"][0]["payloads"][0]["values"][0].clone()
}

async fn run(a: Args) -> Result<(), (String, String)> {
    let fail = |step: &str| {
        let step = step.to_string();
        move |e: openleadr_client::Error| (step.clone(), format!("{e:?}"))
    };
    let mut http = reqwest::Client::builder();
    if let Some(path) = &a.ca {
        let pem = std::fs::read(path).map_err(|e| ("ca".to_string(), e.to_string()))?;
        let cert = reqwest::Certificate::from_pem(&pem).map_err(|e| ("ca".to_string(), e.to_string()))?;
        http = http.add_root_certificate(cert);
    }
    let http = http.build().map_err(|e| ("http".to_string(), e.to_string()))?;
    let token_url = a.base.join("auth/token").map_err(|e| ("url".to_string(), e.to_string()))?;
    let bl = Client::<BusinessLogic>::with_details(a.base.clone(), token_url.clone(), http.clone(), Some(ClientCredentials::new(a.bl.0.clone(), a.bl.1.clone())));
    let ven = Client::<VirtualEndNode>::with_details(a.base.clone(), token_url, http, Some(ClientCredentials::new(a.ven.0.clone(), a.ven.1.clone())));

    let program = bl.create_program(ProgramRequest::new(format!("rs-client-{}", a.target))).await.map_err(fail("create program"))?;
    say("program", json!({ "id": program.id().as_str() }));

    // The VEN makes its own VEN object; business logic grants it the target.
    let request: VenVenRequest = serde_json::from_value(json!({ "venName": format!("rs-ven-{}", a.target) })).map_err(|e| ("ven request".to_string(), e.to_string()))?;
    let mine = ven.create_ven(request).await.map_err(fail("create ven"))?;
    let ven_id = mine.id().clone();
    let mut granted = bl.get_ven_by_id(&ven_id).await.map_err(fail("read ven as bl"))?;
    granted.content_mut().targets = serde_json::from_value(json!([a.target])).map_err(|e| ("targets".to_string(), e.to_string()))?;
    granted.update().await.map_err(fail("grant target"))?;
    say("ven", json!({ "id": ven_id.as_str(), "targets": serde_json::to_value(&granted.content().targets).unwrap_or(Value::Null) }));

    let content: EventRequest = serde_json::from_value(json!({
        "programID": program.id().as_str(), "eventName": "rs-client peak", "targets": [a.target],
        "intervalPeriod": { "start": a.start, "duration": "PT30M" },
        "intervals": [{ "id": 0, "payloads": [{ "type": "DISPATCH_SETPOINT", "values": [700.0] }] }],
    })).map_err(|e| ("event request".to_string(), e.to_string()))?;
    let mut event = program.create_event(content).await.map_err(fail("create event"))?;
    say("event", json!({ "id": event.id().as_str() }));
    tokio::time::sleep(a.pause).await;

    // The VEN names its target when it reads (read_targets).
    let targets = [a.target.as_str()];
    let seen = ven.get_event_list(None, Filter::By(&targets)).await.map_err(fail("read events as ven"))?;
    let found = seen.iter().find(|e| e.id() == event.id()).ok_or(("read events as ven".to_string(), "the event is not among the VEN's events".to_string()))?;
    say("ven-read", json!({ "count": seen.len(), "value": first_value(found.content()) }));

    let report: ReportRequest = serde_json::from_value(json!({
        "eventID": event.id().as_str(), "clientName": format!("rs-ven-{}", a.target), "reportName": "rs-client demand",
        "payloadDescriptors": [{ "payloadType": "DEMAND", "readingType": "DIRECT_READ", "units": "KW" }],
        "resources": [{ "resourceName": "rs-meter", "intervalPeriod": { "start": a.start, "duration": "PT15M" }, "intervals": [{ "id": 0, "payloads": [{ "type": "DEMAND", "values": [0.65] }] }] }],
    })).map_err(|e| ("report request".to_string(), e.to_string()))?;
    let ven_event = ven.get_event_by_id(event.id()).await.map_err(fail("read event by id as ven"))?;
    let created = ven_event.create_report(report).await.map_err(fail("create report"))?;
    say("report", json!({ "id": created.id().as_str() }));

    let reports = event.get_report_list(None).await.map_err(fail("read reports as bl"))?;
    let values: Vec<Value> = reports.iter().map(|r| serde_json::to_value(r.content()).unwrap_or(Value::Null)["resources"][0]["intervals"][0]["payloads"][0]["values"][0].clone()).collect();
    say("bl-reports", json!({ "count": reports.len(), "values": values }));

    let mut changed = serde_json::to_value(event.content()).map_err(|e| ("update".to_string(), e.to_string()))?;
    changed["intervals"][0]["payloads"][0]["values"] = json!([500.0]);
    *event.content_mut() = serde_json::from_value(changed).map_err(|e| ("update".to_string(), e.to_string()))?;
    event.update().await.map_err(fail("update event"))?;
    let again = ven.get_event_by_id(event.id()).await.map_err(fail("read updated event as ven"))?;
    say("ven-read-updated", json!({ "value": first_value(again.content()) }));
    tokio::time::sleep(a.pause).await;

    let id = event.id().clone();
    event.delete().await.map_err(fail("delete event"))?;
    let after = ven.get_event_list(None, Filter::By(&targets)).await.map_err(fail("read events after delete"))?;
    say("deleted", json!({ "stillListed": after.iter().any(|e| e.id() == &id) }));
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(a).await {
        Ok(()) => ExitCode::SUCCESS,
        Err((step, error)) => {
            println!("{}", json!({ "step": "failed", "data": { "at": step, "error": error } }));
            ExitCode::from(1)
        }
    }
}

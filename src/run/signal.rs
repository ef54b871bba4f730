//! The run's signal to the operator's monitor: a dead man's switch for the
//! nightly job (docs/operations.md, "A signal out").
//!
//! `[signaal] url` follows healthchecks.io's conventions, which many
//! self-hosted monitors share: `<url>/start` when the run starts, `<url>`
//! when it succeeds, `<url>/fail` when it fails or finds stale data, each a
//! POST with the run's JSON summary as the body. `[signaal] command` runs a
//! program with the same JSON on its standard input and the event in
//! `VERZUIM_EVENT`. The summary holds counts, afnemer codes, dates and file
//! names, never a person.
//!
//! A signal must never fail the run it reports on: whatever goes wrong
//! (no network, a 500, a command that hangs or is missing) is returned as a
//! warning for the log, and every attempt is bounded by the timeout.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::config::SignaalConfig;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Start,
    Success,
    Fail,
    /// The run did its work, but some afnemer's data passed a threshold.
    Stale,
}

impl Event {
    pub fn name(self) -> &'static str {
        match self {
            Event::Start => "start",
            Event::Success => "success",
            Event::Fail => "fail",
            Event::Stale => "stale",
        }
    }

    /// healthchecks.io's endpoint for the event: stale data is a failure to
    /// the monitor (the job ran; the data it exists for did not come).
    fn url_suffix(self) -> &'static str {
        match self {
            Event::Start => "/start",
            Event::Success => "",
            Event::Fail | Event::Stale => "/fail",
        }
    }
}

/// Sends `event` with `summary` to every configured target; returns what
/// went wrong, as warnings.
pub fn send(config: &SignaalConfig, event: Event, summary: &serde_json::Value) -> Vec<String> {
    let mut body = summary.clone();
    if let Some(map) = body.as_object_mut() {
        map.insert("event".into(), event.name().into());
    }
    let body = body.to_string();
    let mut warnings = Vec::new();
    if let Some(url) = &config.url
        && let Err(e) = post(&format!("{}{}", url.trim_end_matches('/'), event.url_suffix()), &body, config.timeout)
    {
        // the URL may hold the check's secret (a healthchecks uuid): name the event, not the address
        warnings.push(format!("signal {} to the [signaal] url failed: {}", event.name(), e.replace(url.as_str(), "<url>")));
    }
    if let Some(command) = &config.command
        && let Err(e) = run_command(command, event, &body, config.timeout)
    {
        warnings.push(format!("signal {} to the [signaal] command {} failed: {e}", event.name(), command[0]));
    }
    for w in &warnings {
        tracing::warn!("{w}");
    }
    warnings
}

fn post(url: &str, body: &str, timeout: Duration) -> Result<(), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(timeout)).http_status_as_error(true).build().into();
    agent.post(url).header("Content-Type", "application/json").send(body).map(drop).map_err(|e| e.to_string())
}

fn run_command(command: &[String], event: Event, body: &str, timeout: Duration) -> Result<(), String> {
    let mut child = Command::new(&command[0])
        .args(&command[1..])
        .env("VERZUIM_EVENT", event.name())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    // Written from a thread: a command that does not read its input must
    // not block the run once the pipe's buffer is full.
    let mut stdin = child.stdin.take();
    let body = body.to_string();
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(body.as_bytes());
        }
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => break status,
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("no answer within {} s; stopped", timeout.as_secs()));
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    // the child has exited, so its end of the pipe is closed and the writer returns
    let _ = writer.join();
    if status.success() { Ok(()) } else { Err(format!("exit status {}", status.code().map_or("(signal)".into(), |c| c.to_string()))) }
}

//! `caro-hotfix status [--json]`: the hotfix (or rollback) in progress, step by step. Reads only.

use anyhow::Result;

use crate::cli::GlobalOpts;
use crate::config::Config;
use crate::io::Io;
use crate::ops::git::Git;
use crate::record::lock::{self, Holder};
use crate::record::{store, GitHub, Hotfix, Rollback, StepRecord, StepStatus, Tracked};
use crate::runner::Runner;
use crate::ui::Ui;

pub fn run(g: &GlobalOpts, io: Io, json: bool) -> Result<()> {
    let env = io.environment();
    let mut runner = super::runner_for(&io, &env, false);
    let (top, layout) = super::locate(g, &io, &mut runner)?;
    // A running wizard's save on its way lands within a millisecond or two: wait for it, so the
    // step shown is the one running.
    store::settle(&layout.hotfix(), std::time::Duration::from_secs(2));
    let running = lock::holder(&layout);
    if let Some(hotfix) = store::load::<Hotfix>(&layout.hotfix())? {
        let github = repository(&mut runner, &top, hotfix.github.as_ref(), &hotfix.request);
        let cve = cve(&mut runner, &top, &env, &hotfix);
        return show_hotfix(&io.ui, &hotfix, &github, running.as_ref(), json, &cve);
    }
    if let Some(rollback) = store::load::<Rollback>(&layout.rollback())? {
        let github = repository(
            &mut runner,
            &top,
            rollback.github.as_ref(),
            &rollback.request,
        );
        return show_rollback(&io.ui, &rollback, &github, running.as_ref(), json);
    }
    if json {
        io.ui.data(r#"{"in_progress":false}"#);
    } else {
        io.ui
            .data("No hotfix in progress. Start one with `caro-hotfix \"<description>\"`.");
    }
    Ok(())
}

/// Where the CVE stands: none asked for, requested and pending, or assigned — read from GitHub's
/// advisory while the record has not seen the id yet (a read; `status` changes nothing).
enum Cve {
    None,
    Pending(Option<String>),
    Assigned(String),
}

fn cve(runner: &mut Runner, top: &std::path::Path, env: &crate::env::Env, h: &Hotfix) -> Cve {
    if let Some(id) = &h.cve_id {
        return Cve::Assigned(id.clone());
    }
    if !h.cve_requested {
        return Cve::None;
    }
    let (Some(ghsa), Ok(clock)) = (h.ghsa_id.as_deref(), env.clock()) else {
        return Cve::Pending(None);
    };
    match crate::ops::gh::Gh::new(runner, top, clock)
        .on(h.github.as_ref())
        .advisory(ghsa, "{}")
    {
        Ok(a) => match a["cve_id"].as_str().filter(|c| c.starts_with("CVE-")) {
            Some(id) => Cve::Assigned(id.to_string()),
            None => Cve::Pending(None),
        },
        Err(e) => Cve::Pending(Some(format!("{e:#}"))),
    }
}

/// Which GitHub repository the flow acts on, and whether the record holds it yet.
enum Repository {
    /// Recorded (step 9 of a hotfix, step 4 of a rollback): every gh call names it.
    Recorded(GitHub),
    /// Not recorded yet: what the recorded remote's URL (or the `repository` setting) names now.
    Derived(GitHub, String),
    Unknown,
}

impl Repository {
    fn github(&self) -> Option<&GitHub> {
        match self {
            Repository::Recorded(g) | Repository::Derived(g, _) => Some(g),
            Repository::Unknown => None,
        }
    }

    fn line(&self) -> String {
        match self {
            Repository::Recorded(g) => format!("  repository: {} ({})", g.repo, g.url),
            Repository::Derived(g, remote) => format!(
                "  repository: {} ({}), from the remote `{remote}`",
                g.repo, g.url
            ),
            Repository::Unknown => "  repository: not known yet (read at step 4)".into(),
        }
    }

    /// `repository`, `repository_url` and `repository_recorded` for `--json`.
    fn json(&self) -> [(&'static str, serde_json::Value); 3] {
        let g = self.github();
        [
            (
                "repository",
                g.map(|g| g.repo.clone().into()).unwrap_or_default(),
            ),
            (
                "repository_url",
                g.map(|g| g.url.clone().into()).unwrap_or_default(),
            ),
            (
                "repository_recorded",
                matches!(self, Repository::Recorded(_)).into(),
            ),
        ]
    }
}

/// The recorded repository, else the one the recorded remote names — read only: the remote's
/// configured URL and the `repository` setting of the configuration the flow started with.
fn repository(
    runner: &mut Runner,
    top: &std::path::Path,
    recorded: Option<&GitHub>,
    request: &crate::record::Request,
) -> Repository {
    if let Some(g) = recorded {
        return Repository::Recorded(g.clone());
    }
    let manifest = match request.config_commit.as_deref() {
        Some(commit) => Git::new(runner, top)
            .show_file(commit, "Cargo.toml")
            .ok()
            .flatten(),
        None => std::fs::read_to_string(top.join("Cargo.toml")).ok(),
    };
    let setting = manifest
        .and_then(|m| Config::from_manifest(&m).ok())
        .and_then(|c| c.repository);
    match crate::ops::gh::derive(runner, top, &request.remote, setting.as_deref()) {
        Ok(Some(g)) => Repository::Derived(g, request.remote.clone()),
        _ => Repository::Unknown,
    }
}

/// The record as JSON for machines, without its journal, with `in_progress`, `current_step` and
/// the plan's main values at the top (`version`, `base_tag`, `tag`, `branch`).
fn json_of<R: Tracked>(
    rec: &R,
    running: Option<&Holder>,
    github: &Repository,
    top: &[(&str, Option<String>)],
) -> Result<String> {
    let mut value = serde_json::to_value(rec)?;
    if let Some(map) = value.as_object_mut() {
        map.remove("journal");
        map.insert("in_progress".into(), serde_json::Value::Bool(true));
        map.insert(
            "running".into(),
            match running {
                Some(h) => {
                    serde_json::json!({"pid": h.pid, "command": h.command, "since": h.since})
                }
                None => serde_json::Value::Null,
            },
        );
        map.insert(
            "current_step".into(),
            rec.first_unfinished()
                .map(serde_json::Value::from)
                .unwrap_or_default(),
        );
        for (key, v) in github.json() {
            map.insert(key.into(), v);
        }
        for (key, v) in top {
            if let Some(v) = v {
                map.insert(key.to_string(), serde_json::Value::from(v.clone()));
            }
        }
    }
    Ok(serde_json::to_string_pretty(&value)?)
}

fn show_hotfix(
    ui: &Ui,
    h: &Hotfix,
    github: &Repository,
    running: Option<&Holder>,
    json: bool,
    cve: &Cve,
) -> Result<()> {
    if json {
        let plan = h.plan.as_ref();
        let cve_state = match cve {
            Cve::None => None,
            Cve::Pending(_) => Some("requested".to_string()),
            Cve::Assigned(_) => Some("assigned".to_string()),
        };
        let cve_id = match cve {
            Cve::Assigned(id) => Some(id.clone()),
            _ => None,
        };
        ui.data(json_of(
            h,
            running,
            github,
            &[
                ("version", plan.map(|p| p.version.clone())),
                ("base_tag", plan.map(|p| p.base_tag.clone())),
                ("tag", plan.map(|p| p.tag.clone())),
                ("branch", plan.map(|p| p.branch.clone())),
                ("cve", cve_state),
                ("cve_id", cve_id),
            ],
        )?);
        return Ok(());
    }
    ui.data(format!("Hotfix {}: {}", h.label(), h.incident.description));
    ui.data(github.line());
    if let Some(plan) = &h.plan {
        ui.data(format!("  base release: {}", plan.base_tag));
        for t in &plan.together {
            ui.data(format!(
                "  released together: {} {} → {} ({}, {})",
                t.crate_name, t.base_version, t.version, t.tag, t.why
            ));
        }
        ui.data(format!("  branch: {} → {}", plan.branch, plan.base_branch));
        let name = match plan.strategy {
            crate::config::Strategy::Maintenance => {
                "maintenance (release from the maintenance branch, forward-port to the trunk)"
            }
            _ => "main (PR into the trunk, tag the squash merge)",
        };
        ui.data(format!("  strategy: {name}"));
    }
    if let Some(pr) = &h.pr {
        ui.data(format!("  PR: #{} {}", pr.number, pr.url));
    }
    if let (true, Some(plan)) = (h.release.tagged, &h.plan) {
        ui.data(format!("  tag: {}", plan.tag));
    }
    if !h.lines.is_empty() {
        ui.data(format!(
            "  release lines of this incident: {}",
            crate::hotfix::lines::names(h)
        ));
        for line in crate::hotfix::lines::progress(h) {
            ui.data(format!("    {line}"));
        }
    }
    for line in crate::hotfix::embargo_status(h) {
        ui.data(format!("  {line}"));
    }
    if let Some(url) = &h.advisory_url {
        let state = if h.advisory_published {
            "published"
        } else {
            "private draft"
        };
        match &h.ghsa_id {
            Some(ghsa) => ui.data(format!("  advisory: {ghsa} ({state}) {url}")),
            None => ui.data(format!("  advisory: {url}")),
        }
    }
    match cve {
        Cve::None => {}
        Cve::Assigned(id) => ui.data(format!("  CVE: {id} (assigned by GitHub)")),
        Cve::Pending(None) => ui.data(
            "  CVE: requested from GitHub, pending (GitHub reviews requests, usually within 72 hours)",
        ),
        Cve::Pending(Some(why)) => ui.data(format!(
            "  CVE: requested from GitHub; whether it is assigned could not be read ({why})"
        )),
    }
    if let Some(url) = h.rustsec_pr.as_ref().and_then(|p| p.url.as_deref()) {
        ui.data(format!("  RustSec PR: {url}"));
    }
    if let Some(a) = &h.affected {
        for l in &a.lines {
            match &l.patched {
                Some(p) => ui.data(format!("  line {}: {}, fixed in {p}", l.line, l.range())),
                None => ui.data(format!(
                    "  line {}: {}, stays vulnerable (not patched by this hotfix)",
                    l.line,
                    l.range()
                )),
            }
        }
    }
    steps(ui, &h.steps, h.first_unfinished(), running);
    Ok(())
}

fn show_rollback(
    ui: &Ui,
    r: &Rollback,
    github: &Repository,
    running: Option<&Holder>,
    json: bool,
) -> Result<()> {
    if json {
        ui.data(json_of(
            r,
            running,
            github,
            &[("version", Some(r.version.clone()))],
        )?);
        return Ok(());
    }
    ui.data(format!(
        "Rollback of {}: {}",
        r.label(),
        r.incident.description
    ));
    ui.data(
        github
            .line()
            .replace("(read at step 9)", "(read at step 4)"),
    );
    steps(ui, &r.steps, r.first_unfinished(), running);
    Ok(())
}

/// The steps; a step in progress is "running" while a run holds the lock, else "interrupted".
fn steps(ui: &Ui, steps: &[StepRecord], first_unfinished: Option<u8>, running: Option<&Holder>) {
    ui.data("");
    for step in steps {
        let (mark, word, when) = match step.status {
            StepStatus::Done => ("✓", "done", step.finished_at.as_deref()),
            StepStatus::InProgress if running.is_some() => {
                ("▶", "running", step.started_at.as_deref())
            }
            StepStatus::InProgress => ("!", "interrupted", step.started_at.as_deref()),
            StepStatus::Pending => ("·", "pending", None),
            StepStatus::Skipped => ("-", "skipped", step.finished_at.as_deref()),
        };
        let when = when.map(|w| format!(" ({w})")).unwrap_or_default();
        let note = step
            .note
            .as_deref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default();
        ui.data(format!(
            "  {mark} {:>2}. {:<32} {word}{when}{note}",
            step.number, step.title
        ));
    }
    match (first_unfinished, running) {
        (_, Some(h)) => {
            ui.data("");
            ui.data(format!(
                "A run is working on it now: `caro-hotfix {}` (process {}, since {}). Follow it in its terminal.",
                h.command, h.pid, h.since
            ));
        }
        (Some(n), None) => {
            ui.data("");
            ui.data(format!("No run is working on it. Continue with `caro-hotfix resume` (at step {n}), or forget it with `caro-hotfix abort`."));
        }
        (None, None) => {}
    }
}

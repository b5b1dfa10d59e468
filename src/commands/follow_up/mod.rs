//! `caro-hotfix follow-up [--version X.Y.Z] [--json]`: after disclosure, one screen of what is
//! still to happen, every row checked live from the finished hotfix's record in `history/` — the
//! GitHub advisory published; the CVE GitHub assigned and where it has reached; the advisory
//! reviewed into GitHub's Advisory Database (what Dependabot reads); the RustSec advisory; the
//! patched and vulnerable versions on the registry; the fix on every branch. A row that cannot be
//! checked says so. A CVE or RUSTSEC id that has appeared is added, after a typed `yes`, where it
//! can still be (the advisory's references, the release notes, the RustSec PR, the announcement).
//! The incident report is refreshed.

mod add;
mod github;
mod rows;

use std::path::PathBuf;

use anyhow::Result;
use serde_json::json;

use crate::cli::GlobalOpts;
use crate::config::Config;
use crate::error::Usage;
use crate::flow::Ctx;
use crate::hotfix::report::{self, Row, State};
use crate::io::Io;
use crate::record::{store, Hotfix, Layout, Tracked};

pub fn run(g: &GlobalOpts, io: Io, version: Option<String>, json: bool) -> Result<()> {
    let env = io.environment();
    let clock = env.clock().map_err(|e| Usage(format!("{e:#}")))?;
    let mut runner = super::runner_for(&io, &env, false);
    let (top, layout) = super::locate(g, &io, &mut runner)?;
    let (rec, file) = archived(&layout, version.as_deref())?;
    let ui = io.ui.clone();
    // Machines are never asked; without a terminal the screen is shown and nothing is added.
    let asking = !json && (io.backend.is_some() || crate::prompt::can_ask());
    let prompter = if asking {
        super::prompter(io.backend, g, &ui)?
    } else {
        crate::prompt::Prompter::new(Box::new(crate::prompt::Defaults::new(ui.clone())))
    };
    let project = std::fs::read_to_string(top.join("Cargo.toml"))
        .ok()
        .and_then(|m| Config::from_manifest(&m).ok())
        .unwrap_or_default();
    let request = rec.request.clone();
    let session = super::Session {
        lock: None,
        ui,
        runner,
        prompter,
        repo: top,
        layout: layout.clone(),
        project,
        env,
        clock,
    };
    let mut ctx = super::context(session, g, rec, &request, None)?;
    ctx.layout = Some(layout.clone());

    let mut found = rows::check(&mut ctx)?;
    if json {
        let value = json!({
            "hotfix": ctx.rec.label(),
            "record": ctx.shown(&file),
            "rows": found.rows,
        });
        ctx.ui.data(serde_json::to_string_pretty(&value)?);
    } else {
        show(&ctx, &found.rows);
        if asking && !found.missing.is_empty() && add::add(&mut ctx, &found)? {
            found = rows::check(&mut ctx)?;
            ctx.ui.blank();
            show(&ctx, &found.rows);
        }
    }
    // What was learnt (the CVE, the RUSTSEC id) stays with the archived record.
    ctx.runner.take_journal();
    crate::fsx::write_atomic(&file, store::to_toml(&ctx.rec)?.as_bytes())?;
    let live = report::Live {
        rows: Some(found.rows),
        approved_by: crate::hotfix::approvals(&mut ctx),
        written_at: ctx.clock.now(),
    };
    let path = layout.history().join(report::file_name(&ctx.rec));
    crate::fsx::write_atomic(&path, report::render(&ctx.rec, &live).as_bytes())?;
    if !json {
        ctx.ui.blank();
        ctx.ui.line(format!(
            "The incident report is refreshed: {}",
            ctx.shown(&path)
        ));
    }
    Ok(())
}

/// The finished hotfix to follow: `--version`, else the newest in `history/`.
fn archived(layout: &Layout, version: Option<&str>) -> Result<(Hotfix, PathBuf)> {
    let history = layout.history();
    if let Some(v) = version {
        let v = v.trim_start_matches('v');
        let path = history.join(format!("{v}.toml"));
        let rec = store::load::<Hotfix>(&path)?.ok_or_else(|| {
            Usage(format!(
                "--version {v}: no finished hotfix of that version in .git/caro-hotfix/history/ \
                 (give the version a hotfix released, e.g. 1.0.11)"
            ))
        })?;
        return Ok((rec, path));
    }
    let newest = store::completed(&history)?
        .into_iter()
        .next()
        .ok_or_else(|| {
            Usage(
            "no finished hotfix in .git/caro-hotfix/history/: follow-up follows a hotfix once it \
             is complete (`caro-hotfix status` shows the one in progress)"
                .into(),
        )
        })?;
    let path = history.join(format!("{}.toml", newest.history_name()));
    Ok((newest, path))
}

/// The one screen.
fn show(ctx: &Ctx<Hotfix>, rows: &[Row]) {
    ctx.ui.data(format!(
        "Follow-up of {} {}: {}",
        ctx.rec
            .plan
            .as_ref()
            .map(|p| p.crate_name.as_str())
            .unwrap_or(""),
        ctx.rec.label(),
        ctx.rec.incident.description.lines().next().unwrap_or("")
    ));
    for r in rows {
        ctx.ui.data(format!("{} {}", r.state.mark(), r.title));
        for d in &r.detail {
            ctx.ui.data(format!("    {d}"));
        }
        for t in &r.todo {
            ctx.ui.data(format!("    → {t}"));
        }
    }
    let open = rows.iter().filter(|r| r.state != State::Done).count();
    ctx.ui.data(if open == 0 {
        "Every follow-up is done.".to_string()
    } else {
        format!(
            "{} of {} not done yet (✓ done, · not yet, ? could not be checked).",
            open,
            rows.len()
        )
    });
}

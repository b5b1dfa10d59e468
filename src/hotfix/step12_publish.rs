//! Step 12: watch the publish workflow run for the tag, then the registry's sparse index until the
//! new version's line is there.
//!
//! The run is found by id first (`gh run watch` without an id is interactive). The index is polled for
//! the exact version — not crates.io's `newest_version`, which never shows a hotfix on an older line —
//! with a User-Agent; 404 means "not yet". The CDN can lag: after 30 polls (10 minutes at the default
//! 20 s) the step stops with a message to resume later.

use anyhow::{bail, Result};

use crate::flow::Ctx;
use crate::logic::registry;
use crate::ops::index::{self, IndexFile};
use crate::record::Hotfix;

const DEFAULT_POLL_SECS: f64 = 20.0;
const INDEX_POLLS: u32 = 30;
/// How many times to look for the workflow run before going on to the index alone.
const RUN_POLLS: u32 = 8;
/// A reminder while the publish run waits for an environment's approval.
const REMINDER_EVERY: std::time::Duration = std::time::Duration::from_secs(5 * 60);

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let tag = ctx.plan()?.tag.clone();
    let version = ctx.version()?.to_string();
    let crate_name = ctx.plan()?.crate_name.clone();
    let interval = ctx.poll_interval(DEFAULT_POLL_SECS);
    let url = ctx.index_url(&crate_name)?;
    // Polls send the last ETag, so an unchanged index file costs one small 304.
    let mut cache = index::IndexCache::default();

    // Already visible (a resumed run, or a publish by hand)? Then there is nothing to watch.
    if let Ok(IndexFile::Found(file)) = index::fetch_cached(&mut ctx.runner, &url, &mut cache) {
        if registry::version_line(&file, &version).is_some() {
            ctx.ui
                .ok(format!("{crate_name} {version} is on the registry"));
            keep_latest_where_it_is(ctx, &tag)?;
            return Ok(());
        }
    }

    watch_workflow(ctx, &tag, interval)?;
    keep_latest_where_it_is(ctx, &tag)?;

    if ctx.settings.dry_run {
        ctx.ui.ok(format!(
            "Rehearsal: {crate_name} {version} is not published, as expected; the real run polls {url} here until it appears"
        ));
        return Ok(());
    }
    // The limit is said before the wait, not only when it is reached.
    ctx.ui.info(format!(
        "Watching {url} every {} for up to {}; if {version} has not appeared by then, this step \
         stops and can be resumed to look again.",
        crate::ui::duration(interval),
        crate::ui::duration(interval * INDEX_POLLS)
    ));
    let spinner = ctx.ui.spinner(format!(
        "Waiting for {crate_name} {version} in the registry index"
    ));
    // A failed request (a CDN hiccup, the network gone for a moment) is one more "not yet".
    let mut last_error = None;
    for _ in 0..INDEX_POLLS {
        match index::fetch_cached(&mut ctx.runner, &url, &mut cache) {
            Ok(IndexFile::Found(file)) if registry::version_line(&file, &version).is_some() => {
                spinner.finish_and_clear();
                ctx.ui.ok(format!(
                    "Published: {crate_name} {version} is in the registry index"
                ));
                return Ok(());
            }
            Ok(_) => {}
            Err(e) => last_error = Some(format!("{e:#}")),
        }
        ctx.clock.pause(interval);
    }
    spinner.finish_and_clear();
    let waited = interval * INDEX_POLLS;
    let last_error = last_error
        .map(|e| format!("\nThe last failed request: {e}"))
        .unwrap_or_default();
    bail!(
        "{crate_name} {version} is not visible yet in the registry index ({url}) after {} polls ({:.0} s).{last_error}\n\
         The CDN can lag, or the publish may not have run: check the workflow, or publish by hand \
         (`git checkout {tag} && cargo publish`).",
        INDEX_POLLS,
        waited.as_secs_f64()
    )
}

/// Finds the publish run for the tag and waits for it; a failed run stops the step.
///
/// With several runs for the tag, the one that publishes is watched: the `publish-workflow`'s, else
/// the one whose workflow file (at the tag) runs `cargo publish`; the others are listed. A run
/// waiting for an environment's approval is named with its URL and the environment, with a
/// reminder while it waits. `gh run watch --exit-status` exits 0 when an API error interrupts it
/// (gh 2.23), so the conclusion is read afterwards with `gh run view`.
fn watch_workflow(ctx: &mut Ctx<Hotfix>, tag: &str, interval: std::time::Duration) -> Result<()> {
    let workflow = ctx.settings.publish_workflow.clone();
    let simulated = r#"[{"databaseId":0,"status":"completed","conclusion":"success","workflowName":"publish"}]"#;
    let mut runs = Vec::new();
    for attempt in 0..RUN_POLLS {
        runs = ctx.gh().runs_for(tag, None, simulated)?;
        if !runs.is_empty() {
            break;
        }
        if attempt + 1 < RUN_POLLS {
            ctx.clock.pause(interval);
        }
    }
    let run = match pick_run(ctx, tag, workflow.as_deref(), &runs)? {
        Some(r) => r,
        None => {
            ctx.ui.warn(format!(
                "no {} run was found for {tag}; if the crate is published by hand, run `cargo publish` from {tag} now — \
                 the registry is watched next",
                workflow.as_deref().unwrap_or("workflow")
            ));
            ctx.note(12, "no publish workflow run found");
            return Ok(());
        }
    };
    let others: Vec<String> = runs
        .iter()
        .filter(|r| r.database_id != run.database_id)
        .map(|r| format!("`{}` (run {}, {})", r.workflow_name, r.database_id, r.url))
        .collect();
    if !others.is_empty() {
        ctx.ui.info(format!(
            "Watching `{}` (run {}); the tag also started: {}",
            run.workflow_name,
            run.database_id,
            others.join(", ")
        ));
    }
    let id = run.database_id;
    let simulated_status = r#"{"status":"completed","conclusion":"success"}"#;
    let mut waiting_since: Option<std::time::Instant> = None;
    let mut last_reminder = std::time::Instant::now();
    let mut watches = 0;
    let (status, conclusion) = loop {
        let (status, conclusion) = ctx.gh().run_status(id, simulated_status)?;
        match status.as_str() {
            "waiting" => {
                if waiting_since.is_none() {
                    let envs = ctx.gh().pending_environments(id).unwrap_or_default();
                    let envs = if envs.is_empty() {
                        "an environment".to_string()
                    } else {
                        format!("the environment `{}`", envs.join("`, `"))
                    };
                    ctx.ui.warn(format!(
                        "The publish workflow `{}` waits for approval of {envs}: approve the deployment at {}",
                        run.workflow_name, run.url
                    ));
                    waiting_since = Some(std::time::Instant::now());
                    last_reminder = std::time::Instant::now();
                } else if last_reminder.elapsed() >= REMINDER_EVERY {
                    let minutes = waiting_since
                        .map(|t| t.elapsed().as_secs() / 60)
                        .unwrap_or(0);
                    ctx.ui.warn(format!(
                        "⏰ The publish workflow `{}` has waited {minutes} min for its environment's approval: {}",
                        run.workflow_name, run.url
                    ));
                    last_reminder = std::time::Instant::now();
                }
                ctx.clock.pause(interval);
                continue;
            }
            _ => {
                if waiting_since.take().is_some() {
                    ctx.ui.ok("The deployment was approved");
                }
            }
        }
        // Watched (once at least, which shows the run's jobs), then confirmed with `gh run view`:
        // the watch's own exit status is not trusted (see above).
        if watches == 0 || (status != "completed" && watches < 3) {
            watches += 1;
            ctx.gh().watch_run(id)?;
            continue;
        }
        if status == "completed" {
            break (status, conclusion);
        }
        ctx.clock.pause(interval);
    };
    if status == "completed" && conclusion != "success" && conclusion != "skipped" {
        bail!(
            "the publish workflow `{}` (run {id}) failed for {tag} (conclusion `{conclusion}`): see `gh run view {id} --log-failed` ({}).\n\
             Fix the cause, re-run it (`gh run rerun {id}`) or publish by hand.",
            run.workflow_name,
            run.url
        );
    }
    ctx.remote_ok(format!(
        "The publish workflow `{}` succeeded",
        run.workflow_name
    ));
    Ok(())
}

/// The run that publishes: the configured workflow's (by file or name), else the only one, else the
/// one whose workflow file at the tag runs `cargo publish`, else the first.
fn pick_run(
    ctx: &mut Ctx<Hotfix>,
    tag: &str,
    workflow: Option<&str>,
    runs: &[crate::ops::gh::Run],
) -> Result<Option<crate::ops::gh::Run>> {
    if runs.len() <= 1 && workflow.is_none() {
        return Ok(runs.first().cloned());
    }
    let mut paths = Vec::new();
    for r in runs {
        let path = if r.workflow_database_id == 0 {
            String::new()
        } else {
            ctx.gh()
                .workflow_path(r.workflow_database_id)
                .unwrap_or_default()
        };
        paths.push(path);
    }
    if let Some(w) = workflow {
        let file = w.rsplit('/').next().unwrap_or(w);
        let found = runs.iter().zip(&paths).find(|(r, p)| {
            p.rsplit('/').next() == Some(file) || r.workflow_name.eq_ignore_ascii_case(w)
        });
        return Ok(found.map(|(r, _)| r.clone()));
    }
    for (r, path) in runs.iter().zip(&paths) {
        if path.is_empty() {
            continue;
        }
        let text = ctx
            .git()
            .show_file(tag, path)
            .ok()
            .flatten()
            .unwrap_or_default();
        if text.contains("cargo publish") {
            return Ok(Some(r.clone()));
        }
    }
    Ok(runs.first().cloned())
}

/// A hotfix of an older line (a newer release exists) must not make its GitHub release "Latest".
fn keep_latest_where_it_is(ctx: &mut Ctx<Hotfix>, tag: &str) -> Result<()> {
    let version = ctx.version()?;
    let prefix = ctx.plan()?.tag_prefix.clone();
    let tags = ctx.git().tags()?;
    let newest = crate::logic::version::latest_release(tags.iter().map(String::as_str), &prefix);
    if newest.is_none_or(|n| n.version <= version) {
        return Ok(());
    }
    let out = ctx.gh().release_not_latest(tag)?;
    if out.success() {
        ctx.ui.ok(format!(
            "The GitHub release {tag} is not marked Latest (a newer line exists)"
        ));
    } else {
        ctx.ui.warn(format!(
            "could not keep the GitHub release {tag} from being Latest ({}); check it on GitHub",
            out.message()
        ));
    }
    Ok(())
}

//! Step 12: watch the publish workflow run for the tag (or, when step 2 decided that caro-hotfix
//! publishes, run `cargo publish` from the tag: `step12_ourselves.rs`), wait until the registry
//! shows the new version, then check that the published crate is the tagged source.
//!
//! The run is found by id first (`gh run watch` without an id is interactive). Visible means the
//! registry's API reports the exact version and the sparse index file has its line (not crates.io's
//! `newest_version`, which never shows a hotfix on an older line); both are polled with back-off,
//! honouring 429, for up to `publish-timeout` (`flow::registry_watch`). Then the `.crate` is
//! downloaded and compared with the tag (`step12_verify.rs`); a mismatch stops before the advisory.

use anyhow::{bail, Context, Result};

use crate::flow::registry_watch::{self, Want};
use crate::flow::Ctx;
use crate::logic::registry;
use crate::ops::index::{self, IndexFile};
use crate::record::Hotfix;

const DEFAULT_POLL_SECS: f64 = 20.0;
/// How long the registry is watched by default (`publish-timeout`).
const DEFAULT_TIMEOUT_SECS: f64 = 15.0 * 60.0;
/// How many times to look for the workflow run before going on to the index alone.
const RUN_POLLS: u32 = 8;
/// A reminder while the publish run waits for an environment's approval.
const REMINDER_EVERY: std::time::Duration = std::time::Duration::from_secs(5 * 60);

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let tag = ctx.plan()?.tag.clone();
    let version = ctx.version()?.to_string();
    let crate_name = ctx.plan()?.crate_name.clone();
    let interval = ctx.poll_interval(DEFAULT_POLL_SECS);
    let ourselves = ctx.plan()?.publisher == crate::config::Publisher::CaroHotfix;
    if ctx.settings.dry_run && ourselves {
        super::step12_ourselves::publish(ctx)?;
        keep_latest_where_it_is(ctx, &tag)?;
        ctx.ui.ok(format!(
            "Rehearsal: the real run then polls the registry's API and {} until {crate_name} \
             {version} appears, and checks the published crate against {tag}",
            ctx.index_url(&crate_name)?
        ));
        return Ok(());
    }
    if ctx.settings.dry_run {
        return rehearse(ctx, &crate_name, &version, &tag, interval);
    }
    if ourselves {
        // Every crate of the release the registry does not have yet (each one asked first).
        super::step12_ourselves::publish(ctx)?;
    }
    let reg = registry_watch::registry(ctx, &crate_name)
        .context("the registry's config.json is needed to watch the publish and check the crate")?;

    // Already visible (a resumed run, or a publish by hand)? Then there is nothing to watch.
    let file = match registry_watch::seen_now(ctx, &reg, &crate_name, &version, Want::Published)? {
        Some(file) => {
            ctx.ui
                .ok(format!("{crate_name} {version} is on the registry"));
            keep_latest_where_it_is(ctx, &tag)?;
            file
        }
        None => {
            if !ourselves {
                watch_workflow(ctx, &tag, interval)?;
            }
            keep_latest_where_it_is(ctx, &tag)?;
            let timeout = std::time::Duration::from_secs_f64(
                ctx.settings.publish_timeout.unwrap_or(DEFAULT_TIMEOUT_SECS),
            );
            let file = registry_watch::wait(
                ctx,
                &reg,
                &crate_name,
                &version,
                Want::Published,
                interval,
                timeout,
            )
            .map_err(|e| {
                anyhow::anyhow!(
                    "{e:#}\nOr the publish did not run: check the workflow, or publish by hand \
                     (`git checkout {tag} && cargo publish`)."
                )
            })?;
            ctx.ui.ok(format!(
                "Published: {crate_name} {version} is in the registry's API and index"
            ));
            file
        }
    };
    super::step12_verify::check(ctx, &reg, &file, &crate_name, &version, &tag)
}

/// A rehearsal: the workflow is simulated and the registry only looked at (nothing was published).
fn rehearse(
    ctx: &mut Ctx<Hotfix>,
    crate_name: &str,
    version: &str,
    tag: &str,
    interval: std::time::Duration,
) -> Result<()> {
    let url = ctx.index_url(crate_name)?;
    if let Ok(IndexFile::Found(file)) = index::fetch(&mut ctx.runner, &url) {
        if registry::version_line(&file, version).is_some() {
            ctx.ui
                .ok(format!("{crate_name} {version} is on the registry"));
            return keep_latest_where_it_is(ctx, tag);
        }
    }
    watch_workflow(ctx, tag, interval)?;
    keep_latest_where_it_is(ctx, tag)?;
    ctx.ui.ok(format!(
        "Rehearsal: {crate_name} {version} is not published, as expected; the real run polls the \
         registry's API and {url} here until it appears, then checks the published crate against {tag}"
    ));
    Ok(())
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
            let every = ctx.watch_interval();
            ctx.gh().watch_run(id, every)?;
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
    if newest.as_ref().is_none_or(|n| n.version <= version) {
        return Ok(());
    }
    let Some(newest) = newest else {
        return Ok(());
    };
    let out = ctx.gh().release_not_latest(tag)?;
    if !out.success() {
        ctx.ui.warn(format!(
            "could not keep the GitHub release {tag} from being Latest ({})",
            out.message()
        ));
    }
    // GitHub documents no rule for where Latest goes once a release gives it up (`make_latest`
    // false): it is read back, and put on the newest line's release when it is elsewhere.
    let shown = match ctx.gh().latest_release_tag(&newest.tag) {
        Ok(shown) => shown,
        Err(e) => {
            ctx.ui.warn(format!(
                "could not read back which release GitHub shows as Latest ({e:#}); check that it is \
                 {}, or mark it: `gh release edit {} --latest`",
                newest.tag, newest.tag
            ));
            return Ok(());
        }
    };
    if shown.as_deref() == Some(newest.tag.as_str()) {
        ctx.ui.ok(format!(
            "The GitHub release {tag} is not marked Latest: GitHub shows {} as Latest (read back)",
            newest.tag
        ));
        return Ok(());
    }
    let what = match &shown {
        Some(other) => format!("GitHub shows {other} as Latest"),
        None => "GitHub shows no release as Latest".to_string(),
    };
    let fixed = ctx.gh().release_latest(&newest.tag)?;
    let now = if fixed.success() {
        ctx.gh().latest_release_tag(&newest.tag).unwrap_or(None)
    } else {
        shown.clone()
    };
    if now.as_deref() == Some(newest.tag.as_str()) {
        ctx.ui.ok(format!(
            "{what}, not the newest line's {}: marked {} Latest again (read back)",
            newest.tag, newest.tag
        ));
    } else {
        ctx.ui.warn(format!(
            "{what}, not the newest line's {} ({}); mark it by hand: `gh release edit {} --latest`",
            newest.tag,
            if fixed.success() {
                "GitHub did not take the mark".to_string()
            } else {
                fixed.message().to_string()
            },
            newest.tag
        ));
    }
    Ok(())
}

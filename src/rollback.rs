//! `caro-hotfix rollback`: the reference's "Emergency Rollback", as six recorded, resumable steps.
//!
//! Yank the version (cargo finds the registry and the token; `--index` is never passed, because then
//! cargo demands `--token` on the command line), check that the registry's API and its sparse index both show it yanked,
//! delete the GitHub release but keep the tag for the audit trail, write the rollback advisory, and
//! offer to start the next hotfix from the yanked tag at once.

use anyhow::{bail, Context, Result};

use crate::error::Declined;
use crate::flow::registry_watch::{self, Want};
use crate::flow::{Ctx, Step};
use crate::logic::registry;
use crate::ops::cargo;
use crate::ops::index::{self, IndexFile};
use crate::record::{Hotfix, Layout, NextHotfix, Rollback};

/// The rollback's steps, in order.
pub const STEPS: [Step<Rollback>; 6] = [
    Step {
        number: 1,
        title: "Confirm the rollback",
        run: confirm,
    },
    Step {
        number: 2,
        title: "Yank the version",
        run: yank,
    },
    Step {
        number: 3,
        title: "Check the registry",
        run: verify,
    },
    Step {
        number: 4,
        title: "Delete the GitHub release",
        run: release,
    },
    Step {
        number: 5,
        title: "Rollback advisory",
        run: advisory,
    },
    Step {
        number: 6,
        title: "Next hotfix",
        run: next,
    },
];

const DEFAULT_POLL_SECS: f64 = 20.0;
/// How long the yank is watched by default (`publish-timeout`).
const DEFAULT_TIMEOUT_SECS: f64 = 15.0 * 60.0;

/// Runs every unfinished step of the rollback. Nothing is forgotten on failure: from the typed
/// `yes` on, the record is kept for `resume`.
pub fn drive(ctx: &mut Ctx<Rollback>) -> Result<()> {
    crate::flow::drive(ctx, &STEPS, 0)
}

/// What a new rollback of `version` records; `original` is the hotfix's own record, when
/// caro-hotfix made it.
pub fn fill(
    rollback: &mut Rollback,
    version: &semver::Version,
    tag: &str,
    crate_name: &str,
    original: Option<&Hotfix>,
) {
    let mut incident = original.map(|o| o.incident.clone()).unwrap_or_default();
    if incident.description.is_empty() {
        incident.description =
            "the issue it fixed (that hotfix was not made by caro-hotfix)".into();
    }
    rollback.incident = incident;
    rollback.version = version.to_string();
    rollback.tag = tag.to_string();
    rollback.crate_name = crate_name.to_string();
    // The line of this version, when the hotfix patched several.
    rollback.base_version = original.and_then(|o| {
        o.plans()
            .into_iter()
            .find(|p| p.version == rollback.version)
            .map(|p| p.base_version.clone())
    });
    rollback.advisory_url = original.and_then(|o| o.advisory_url.clone());
    rollback.github = original.and_then(|o| o.github.clone());
}

fn names(ctx: &Ctx<Rollback>) -> Result<(String, String, String)> {
    let r = &ctx.rec;
    if r.version.is_empty() || r.tag.is_empty() || r.crate_name.is_empty() {
        bail!("the rollback record names no crate, version or tag");
    }
    Ok((r.crate_name.clone(), r.version.clone(), r.tag.clone()))
}

fn confirm(ctx: &mut Ctx<Rollback>) -> Result<()> {
    let (name, version, tag) = names(ctx)?;
    let registry = ctx
        .settings
        .registry
        .clone()
        .unwrap_or_else(|| "crates.io".into());
    ctx.ui.blank();
    ctx.ui.line(format!(
        "⚠️  EMERGENCY ROLLBACK of {name} {version} ⚠️\n\n\
         Use this ONLY when the hotfix causes worse problems than the original issue.\n\n\
         This will:\n  \
         1. yank {name} {version} from {registry} (existing lock files keep working; new ones avoid it)\n  \
         2. delete the GitHub release {tag} — the tag itself stays, for the audit trail\n  \
         3. write the rollback advisory (and offer to update the GitHub advisory)\n  \
         4. offer to start the next hotfix from {tag}"
    ));
    ctx.ui.blank();
    if !ctx
        .prompter
        .typed("Roll back? (yes/no - must type 'yes')", "yes")?
    {
        return Err(Declined(format!(
            "Rollback cancelled; nothing was changed. {name} {version} stays published."
        ))
        .into());
    }
    // A rehearsal keeps its record and texts in a scratch directory that is removed at the end.
    let common = if ctx.settings.dry_run {
        let scratch = tempfile::Builder::new()
            .prefix("caro-hotfix-rollback-rehearsal-")
            .tempdir()
            .context("could not create a scratch directory for the rehearsal")?;
        let dir = scratch.path().to_path_buf();
        ctx.scratch = Some(scratch);
        dir
    } else {
        ctx.git().common_dir()?
    };
    let layout = Layout::in_git_dir(&common);
    ctx.record_file = Some(layout.rollback());
    ctx.layout = Some(layout);
    ctx.save()
}

/// The crate's index file, for the yank's before and after.
fn index_file(
    ctx: &mut Ctx<Rollback>,
    name: &str,
    cache: &mut index::IndexCache,
) -> Result<(String, Option<String>)> {
    let url = ctx.index_url(name)?;
    let file = match index::fetch_cached(&mut ctx.runner, &url, cache)? {
        IndexFile::Found(f) => Some(f),
        IndexFile::Missing => None,
        IndexFile::RateLimited(_) => bail!(
            "the registry index ({url}) answered 429 Too Many Requests; try again in a minute"
        ),
    };
    Ok((url, file))
}

fn yank(ctx: &mut Ctx<Rollback>) -> Result<()> {
    let (name, version, _) = names(ctx)?;
    let (url, file) = index_file(ctx, &name, &mut index::IndexCache::default())?;
    match file.as_deref().and_then(|f| registry::version_line(f, &version)) {
        None if !ctx.settings.dry_run => bail!(
            "{name} {version} was never published: the registry index ({url}) has no line for it, so there is \
             nothing to yank. Check the version (`caro-hotfix rollback --version X.Y.Z`) and the registry \
             (`--registry NAME`)."
        ),
        Some(true) => {
            ctx.ui.ok(format!("{name} {version} is already yanked"));
            return Ok(());
        }
        _ => {}
    }
    let repo = ctx.repo.clone();
    let registry = ctx.settings.registry.clone();
    let out = cargo::yank(&mut ctx.runner, &repo, &name, &version, registry.as_deref())?;
    if !out.success() {
        bail!(
            "cargo could not yank {name} {version}: {}\n\
             A token with the yank scope is needed: `cargo login{}` (or set the registry's token in the \
             environment).",
            crate::runner::redact(out.stderr.trim()),
            registry.map(|r| format!(" --registry {r}")).unwrap_or_default()
        );
    }
    ctx.remote_ok(format!("Yanked {name} {version}"));
    Ok(())
}

fn verify(ctx: &mut Ctx<Rollback>) -> Result<()> {
    let (name, version, _) = names(ctx)?;
    if ctx.settings.dry_run {
        ctx.ui.ok(format!(
            "Rehearsal: the real run polls the registry's API and index here until both show {name} {version} yanked"
        ));
        return Ok(());
    }
    let interval = ctx.poll_interval(DEFAULT_POLL_SECS);
    let timeout = std::time::Duration::from_secs_f64(
        ctx.settings.publish_timeout.unwrap_or(DEFAULT_TIMEOUT_SECS),
    );
    let reg = registry_watch::registry(ctx, &name)
        .context("the registry's config.json is needed to check the yank")?;
    registry_watch::wait(ctx, &reg, &name, &version, Want::Yanked, interval, timeout)?;
    ctx.ui.ok(format!(
        "The registry's API and index show {name} {version} yanked"
    ));
    Ok(())
}

/// The GitHub repository gh acts on: the hotfix's recorded one, else derived from the remote's
/// URL or the `repository` setting (never left to gh's choice of remote).
fn name_github(ctx: &mut Ctx<Rollback>) -> Result<()> {
    if ctx.rec.github.is_none() {
        let remote = ctx.settings.remote.clone();
        let setting = ctx.settings.repository.clone();
        let repo = ctx.repo.clone();
        ctx.rec.github =
            crate::ops::gh::derive(&mut ctx.runner, &repo, &remote, setting.as_deref())?;
    }
    Ok(())
}

fn release(ctx: &mut Ctx<Rollback>) -> Result<()> {
    let (_, _, tag) = names(ctx)?;
    name_github(ctx)?;
    let out = ctx.gh().delete_release(&tag)?;
    if out.success() {
        ctx.remote_ok(format!(
            "Deleted the GitHub release {tag}; the tag {tag} stays"
        ));
    } else if out.stderr.to_ascii_lowercase().contains("not found") {
        // None, or gone already: an attempt whose answer was lost deleted it.
        ctx.ui.ok(format!(
            "There is no GitHub release for {tag} (any more): nothing to delete; the tag {tag} stays"
        ));
    } else {
        bail!(
            "could not delete the GitHub release {tag}: {}\nDelete it on GitHub (keep the tag).",
            out.message()
        );
    }
    Ok(())
}

fn advisory(ctx: &mut Ctx<Rollback>) -> Result<()> {
    let (name, version, tag) = names(ctx)?;
    // The question on a line of its own, the prompt short: an answer of a sentence or two then
    // fits the terminal's row.
    ctx.ui.line(format!(
        "What regression does {version} cause? One or two sentences: they open the rollback advisory."
    ));
    let regression = loop {
        let answer = ctx.prompter.text("Regression", None)?;
        if !answer.is_empty() {
            break answer;
        }
        if ctx.settings.non_interactive {
            break "(to be described)".to_string();
        }
        ctx.ui
            .warn("The advisory needs a description of the regression.");
    };
    let timeline = ctx.prompter.text(
        "When will the fixed hotfix be out?",
        Some("within 24 hours"),
    )?;
    ctx.rec.regression = Some(regression.clone());
    let previous = match ctx.rec.base_version.clone() {
        Some(v) => v,
        None => previous_release(ctx, &version)?,
    };
    let next = semver::Version::parse(&version)
        .map(|v| crate::logic::version::next_patch(&v).to_string())
        .unwrap_or_else(|_| "the next hotfix".into());
    let text = crate::texts::rollback_advisory(&crate::texts::Rollback {
        next: &next,
        crate_name: &name,
        version: &version,
        previous: &previous,
        regression: &regression,
        timeline: &timeline,
        original: &ctx.rec.incident.description,
    });
    let file = ctx.keep_file(&format!("rollback-advisory-{version}.md"), &text)?;
    ctx.ui.blank();
    ctx.ui.line(&text);
    ctx.ui.ok(format!(
        "The rollback advisory is saved in {}",
        ctx.shown(&file)
    ));
    ctx.note(5, format!("regression: {regression}"));

    if let Some(url) = ctx.rec.advisory_url.clone() {
        let ghsa = url.rsplit('/').next().unwrap_or("").to_string();
        if ghsa.starts_with("GHSA-")
            && ctx.prompter.yes_no(&format!(
                "Update the GitHub advisory {ghsa} with this notice? (y/n)"
            ))?
        {
            name_github(ctx)?;
            // The notice goes on top of the advisory's description: its details stay, and the
            // advisory is updated, never deleted or withdrawn (a published one stays published).
            let current = ctx
                .gh()
                .advisories()?
                .into_iter()
                .find(|a| a["ghsa_id"].as_str() == Some(ghsa.as_str()))
                .and_then(|a| a["description"].as_str().map(str::to_string))
                .unwrap_or_default();
            let description = if current.trim().is_empty() || current.contains(text.trim()) {
                text.clone()
            } else {
                format!("{}\n\n---\n\n{current}", text.trim_end())
            };
            let body = serde_json::json!({ "description": description });
            let input = ctx.keep_file(
                &format!("rollback-advisory-{version}.json"),
                &body.to_string(),
            )?;
            let out = ctx.gh().api(
                "update the security advisory",
                "PATCH",
                &format!("repos/{{owner}}/{{repo}}/security-advisories/{ghsa}"),
                &input,
                "{}",
            )?;
            if out.success() {
                ctx.remote_ok(format!("Updated {url}"));
            } else {
                ctx.ui.warn(format!(
                    "GitHub did not update the advisory ({}); paste the notice by hand: {url}",
                    out.message()
                ));
            }
        }
    }
    let _ = tag;
    Ok(())
}

/// The highest release below `version`, from the tags: what users should go back to.
fn previous_release(ctx: &mut Ctx<Rollback>, version: &str) -> Result<String> {
    let current = semver::Version::parse(version)?;
    let prefix = tag_prefix(ctx);
    let tags = ctx.git().tags()?;
    let below: Vec<&str> = tags
        .iter()
        .map(String::as_str)
        .filter(|t| {
            t.strip_prefix(prefix.as_str())
                .and_then(|v| semver::Version::parse(v).ok())
                .is_some_and(|v| v < current)
        })
        .collect();
    Ok(crate::logic::version::latest_release(below, &prefix)
        .map(|r| r.version.to_string())
        .unwrap_or_else(|| "the previous release".into()))
}

/// The scheme of the rolled-back release's tag (`tokio-1.53.2` → `tokio-`).
fn tag_prefix(ctx: &Ctx<Rollback>) -> String {
    crate::logic::tag_scheme::prefix_of(&ctx.rec.tag)
        .map(str::to_string)
        .or_else(|| ctx.settings.tag_prefix.clone())
        .unwrap_or_else(|| "v".into())
}

fn next(ctx: &mut Ctx<Rollback>) -> Result<()> {
    let (_, version, tag) = names(ctx)?;
    let next = semver::Version::parse(&version)
        .map(|v| crate::logic::version::next_patch(&v))
        .context("the record's version is not semver")?;
    ctx.ui.line(format!(
        "The way out for users is the next hotfix, {}{next} from {tag}: the original fix plus the regression's.",
        tag_prefix(ctx)
    ));
    let question = "Start the next hotfix now? (y/n)";
    if ctx.prompter.yes_no(question)? {
        let original = ctx.rec.incident.description.clone();
        let suggested = format!("Fixes {original} and the regression in {version}");
        let description = ctx
            .prompter
            .text("Description of the next hotfix", Some(&suggested))?;
        ctx.rec.next = Some(NextHotfix {
            description,
            base_tag: tag,
        });
    } else {
        ctx.ui.line(format!(
            "When ready: fix both the original issue and the regression on a branch from {tag}, then run caro-hotfix again."
        ));
    }
    ctx.rec.run.completed_at = Some(ctx.clock.now());
    Ok(())
}

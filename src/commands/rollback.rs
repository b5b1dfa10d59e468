//! `caro-hotfix rollback [--version X.Y.Z]`: the emergency rollback of a published hotfix, and the
//! next hotfix it may chain into.

use anyhow::{bail, Context, Result};

use crate::cli::GlobalOpts;
use crate::error::Usage;
use crate::flow::Ctx;
use crate::io::Io;
use crate::ops::git::Git;
use crate::record::{store, Hotfix, Request, Rollback, Tracked};
use crate::settings::Settings;

pub fn run(g: &GlobalOpts, io: Io, version: Option<String>) -> Result<()> {
    let requested = version
        .as_deref()
        .map(crate::logic::version::parse_version_arg)
        .transpose()
        .map_err(|e| Usage(format!("--version: {e:#}")))?;
    let mut session = super::open(g, io, &[], false)?;
    session.lock("rollback", g.dry_run)?;
    if let Some(existing) = store::load::<Rollback>(&session.layout.rollback())? {
        bail!(
            "a rollback of {} is already in progress (at step {}): continue it with `caro-hotfix resume`",
            existing.label(),
            existing.first_unfinished().unwrap_or(1)
        );
    }
    let history = store::completed(&session.layout.history())?;
    let repo = session.repo.clone();
    let remote = Settings::remote_for_start(g, &session.project);
    // The scheme of the release tags: configured, else the last completed hotfix's, else `v`.
    let prefix = session
        .project
        .tag_prefix
        .clone()
        .or_else(|| {
            history
                .first()
                .and_then(|h| h.plan.as_ref())
                .map(|p| p.tag_prefix.clone())
        })
        .unwrap_or_else(|| "v".into());
    // A rehearsal reads the tags it has: fetching would change the repository's refs.
    if !g.dry_run {
        Git::new(&mut session.runner, &repo).fetch_tags(&remote)?;
    }
    let asked = requested.is_some();
    let (version, how) = match requested {
        Some(v) => (v, "as asked"),
        None => match history.first().and_then(|h| h.plan.as_ref()) {
            Some(plan) => (
                semver::Version::parse(&plan.version)?,
                "the last hotfix caro-hotfix completed",
            ),
            None => {
                let tags = Git::new(&mut session.runner, &repo).tags()?;
                let latest = crate::logic::version::latest_release(tags.iter().map(String::as_str), &prefix)
                    .context("no --version given, no completed hotfix recorded, and no release tags: pass --version X.Y.Z")?;
                (latest.version, "the highest release tag")
            }
        },
    };
    // A hotfix of several lines released a version on each: the one of this version is its original.
    let original = history
        .iter()
        .find(|h| h.plans().iter().any(|p| p.version == version.to_string()));
    if !asked {
        if let Some(last) = history.first().filter(|h| !h.lines.is_empty()) {
            session.ui.line(format!(
                "The last hotfix patched several lines: {}. This rolls back {version} only; \
                 roll back another line with `caro-hotfix rollback --version X.Y.Z`.",
                crate::hotfix::lines::names(last)
            ));
        }
    }
    let meta = crate::ops::cargo::metadata(&mut session.runner, &repo)?;
    let package = meta.select(None, &repo.join("Cargo.toml"))?;
    let tag = format!("{prefix}{version}");
    session
        .ui
        .line(format!("Rolling back {} {version} ({how}).", package.name));
    let request = Request {
        remote,
        registry: g.registry.clone(),
        registry_index: g.registry_index.clone(),
        poll_interval: g.poll_interval,
        ..Request::default()
    };
    let mut rollback = Rollback::new(
        session.clock.now(),
        request.clone(),
        g.dry_run,
        &crate::flow::titles(&crate::rollback::STEPS),
    );
    crate::rollback::fill(&mut rollback, &version, &tag, &package.name, original);
    let ctx = super::context(session, g, rollback, &request, None)?;
    drive_then_chain(ctx)
}

/// Runs the rollback; when the maintainer chose to start the next hotfix at once (the rollback's
/// result), it starts now, from the yanked release, in the same session.
pub fn drive_then_chain(mut ctx: Ctx<Rollback>) -> Result<()> {
    let result = crate::rollback::drive(&mut ctx);
    let next = match (&result, ctx.rec.next.clone()) {
        (Ok(()), Some(next)) => next,
        _ => return super::finish(ctx, result),
    };
    let Ctx {
        ui,
        runner,
        prompter,
        settings,
        clock,
        env,
        origin_repo,
        repo,
        rec,
        sandbox,
        scratch,
        saver,
        lock,
        ..
    } = ctx;
    let request = Request {
        base_tag: Some(next.base_tag),
        ..rec.request.clone()
    };
    let incident = crate::logic::Incident {
        description: next.description,
        ..rec.incident.clone()
    };
    let hotfix = Hotfix::new(
        clock.now(),
        request.clone(),
        incident,
        settings.dry_run,
        &crate::flow::titles(&crate::hotfix::STEPS),
    );
    let settings = Settings {
        strategy: request.strategy.unwrap_or(settings.strategy),
        ..settings
    };
    let mut next = Ctx {
        ui,
        runner,
        prompter,
        settings,
        clock,
        env,
        origin_repo,
        repo,
        rec: hotfix,
        record_file: None,
        layout: None,
        sandbox,
        scratch,
        saver,
        lock,
    };
    next.ui.blank();
    next.ui.line("The next hotfix starts now.");
    let result = crate::hotfix::drive(&mut next);
    super::finish(next, result)
}

//! `caro-hotfix [OPTIONS] <DESCRIPTION>`: starts a hotfix — the request is recorded whole, then the
//! sixteen steps run.

use anyhow::{bail, Result};

use crate::cli::{GlobalOpts, StartOpts, StrategyArg};
use crate::config::Strategy;
use crate::error::Usage;
use crate::io::Io;
use crate::logic::{advisory_id, disclosure, Incident};
use crate::record::{store, Hotfix, Request};
use crate::settings::{SampleFix, Settings};

/// What the command line asked, as the record keeps it. Answers given as flags are part of the
/// record from the start, so a hotfix resumed before step 4 does not ask them again.
pub fn request(
    description: String,
    start: StartOpts,
    remote: String,
) -> Result<(Request, Incident, Vec<&'static str>)> {
    if description.trim().is_empty() {
        return Err(Usage("give a description of what the hotfix fixes, e.g. caro-hotfix \"RUSTSEC-2025-0001 memory safety issue in the parser\"".into()).into());
    }
    let mut advisories = Vec::new();
    for id in &start.advisories {
        advisories
            .push(advisory_id::validate(id).map_err(|e| Usage(format!("--advisory: {e:#}")))?);
    }
    let cvss = start
        .cvss
        .as_deref()
        .map(disclosure::cvss)
        .transpose()
        .map_err(|e| Usage(format!("{e:#}")))?;
    let mut cwe_ids = Vec::new();
    for id in &start.cwes {
        let id = disclosure::cwe(id).map_err(|e| Usage(format!("{e:#}")))?;
        if !cwe_ids.contains(&id) {
            cwe_ids.push(id);
        }
    }
    let mut categories = Vec::new();
    for name in &start.categories {
        let name = disclosure::category(name).map_err(|e| Usage(format!("{e:#}")))?;
        if !categories.contains(&name) {
            categories.push(name);
        }
    }
    let introduced = start
        .introduced
        .as_deref()
        .map(|v| {
            crate::logic::version::parse_version_arg(v)
                .map(|v| v.to_string())
                .map_err(|e| Usage(format!("--introduced: {e:#}")))
        })
        .transpose()?;
    for line in &start.lines {
        crate::logic::version::parse_line(line)
            .map_err(|e| Usage(format!("--line {line}: {e:#}")))?;
    }
    let disclose_at = start
        .disclose_at
        .as_deref()
        .map(|t| {
            crate::logic::disclosure::disclosure_time(t)
                .map(|_| t.trim().to_string())
                .map_err(|e| Usage(format!("--disclose-at: {e:#}")))
        })
        .transpose()?;
    let mut answered = Vec::new();
    if start.impact.is_some() {
        answered.push("impact");
    }
    if !advisories.is_empty() {
        answered.push("advisories");
    }
    if start.credit.is_some() {
        answered.push("credit");
    }
    let incident = Incident {
        description,
        severity: start.severity.map(Into::into),
        impact: start.impact.unwrap_or_default(),
        advisory_ids: advisories,
        credit: start.credit.unwrap_or_default(),
        cvss,
        cwe_ids,
        categories,
    };
    let request = Request {
        remote,
        package: start.package,
        base_tag: start.base_tag,
        base_branch: start.base,
        strategy: start.strategy.map(|s| match s {
            StrategyArg::Main => Strategy::Main,
            StrategyArg::Maintenance => Strategy::Maintenance,
        }),
        fix_from: start.fix_from,
        registry: None,
        registry_index: None,
        poll_interval: None,
        config_commit: None,
        introduced,
        request_cve: start.request_cve,
        embargo: start.embargo || start.disclose_at.is_some(),
        disclose_at,
        lines: start.lines,
    };
    Ok((request, incident, answered))
}

/// `caro-hotfix [OPTIONS] <DESCRIPTION>`; the demo starts its rehearsal here too, with its sample fix.
pub fn run(
    description: String,
    start: StartOpts,
    g: &GlobalOpts,
    io: Io,
    sample_fix: Option<SampleFix>,
) -> Result<()> {
    // What is wrong with the command line is said before anything is looked at; the remote is
    // filled in once the project's configuration is read.
    let (mut request, incident, answered) = request(description, start, String::new())?;
    let started_in = super::directory(g, &io);
    let mut session = super::open(g, io, &[], sample_fix.is_some())?;
    if let Some(existing) = store::load::<Hotfix>(&session.layout.hotfix())? {
        bail!(
            "a hotfix is already in progress ({}, at step {}): continue it with `caro-hotfix resume`, \
             see it with `caro-hotfix status`, or forget it with `caro-hotfix abort`",
            existing.label(),
            crate::record::Tracked::first_unfinished(&existing).unwrap_or(16)
        );
    }
    request.remote = Settings::remote_for_start(g, &session.project);
    // A private repository gets no GitHub advisory: said before anything starts, with what works.
    let dir = session.repo.clone();
    let setting = session.project.repository.clone();
    if let Some(note) = crate::preflight::private_repository(
        &mut session.runner,
        &dir,
        &request.remote,
        setting.as_deref(),
    ) {
        session.ui.warn(note);
    }
    // The global options that shape the run are part of the request too: `resume` needs them not.
    request.registry = g.registry.clone();
    request.registry_index = g.registry_index.clone();
    request.poll_interval = g.poll_interval;
    // Where the configuration was read (the tree is clean: HEAD's manifests are the work tree's).
    request.config_commit = crate::ops::git::Git::new(&mut session.runner, &session.repo.clone())
        .head()
        .ok();
    // The crate to hotfix must be known before the typed `yes` (a virtual workspace needs --package).
    let repo = session.repo.clone();
    let meta = crate::ops::cargo::metadata(&mut session.runner, &repo)?;
    // Started inside a member's directory: that member, as cargo takes it.
    if request.package.is_none() {
        if let Some(member) = meta.member_at(&started_in) {
            session.ui.info(format!(
                "Package: {} (caro-hotfix runs in its directory; pass --package to choose another)",
                member.name
            ));
            request.package = Some(member.name.clone());
        }
    }
    meta.select(request.package.as_deref(), &repo.join("Cargo.toml"))
        .map_err(|e| Usage(format!("{e:#}")))?;
    // A base tag that cannot name a release (no X.Y.Z at its end) is a mistake of the command line:
    // said now, with the releases there are. One that looks right is looked up at step 2, after the
    // tags are fetched.
    if let Some(tag) = request.base_tag.as_deref() {
        let mut git = crate::ops::git::Git::new(&mut session.runner, &repo);
        // A branch's name (`0.14.x`) is answered at step 2 with the newest release on it.
        let branch = git
            .resolve_commit(&format!("refs/remotes/{}/{tag}", request.remote))?
            .is_some();
        if crate::logic::tag_scheme::prefix_of(tag).is_none() && !branch {
            let tags = git.tags()?;
            return Err(Usage(crate::logic::tag_scheme::not_a_release(tag, &tags)).into());
        }
    }
    let mut hotfix = Hotfix::new(
        session.clock.now(),
        request.clone(),
        incident,
        g.dry_run,
        &crate::flow::titles(&crate::hotfix::STEPS),
    );
    for what in answered {
        hotfix.mark_answered(what);
    }
    let mut ctx = super::context(session, g, hotfix, &request, None)?;
    ctx.settings.sample_fix = sample_fix;
    let result = crate::hotfix::drive(&mut ctx);
    super::finish(ctx, result)
}

//! The embargo's private phase (steps 9–10): the hotfix branch of every line pushed to the
//! advisory's temporary private fork (`POST /repos/{owner}/{repo}/security-advisories/{ghsa_id}/forks`,
//! 202, made asynchronously) and a PR opened there carrying the local gates, each with the commit it
//! ran on (Actions do not run in a private fork); or a local review recorded with a typed `yes`
//! naming who reviewed. Nothing here pushes to the public repository.

use anyhow::{bail, Context, Result};

use crate::flow::Ctx;
use crate::logic::disclosure;
use crate::record::{Gate, GitHub, Hotfix, Pr, PrivateReview};
use crate::texts;

use super::embargo::check_not_leaked;

/// How long the private fork may take to be ready: GitHub creates it asynchronously (202), "up to
/// 5 minutes" by its documentation; polled this many times.
const FORK_READY_POLLS: u32 = 120;
const DEFAULT_FORK_POLL_SECS: f64 = 5.0;

/// Step 9 in the private phase, for one line: the local gates recorded with their commit; then the
/// branch pushed to the advisory's private fork and a PR opened there, or nothing remote when the
/// review is local.
pub fn private_pr(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    check_not_leaked(ctx)?;
    ctx.github()?;
    package_gate(ctx)?;
    remember_base(ctx)?;
    if review_in(ctx)? == "local" {
        ctx.ui.ok(format!(
            "{}: reviewed locally; nothing is pushed before release day",
            ctx.plan()?.branch
        ));
        return Ok(());
    }
    let fork = ensure_fork(ctx)?;
    let branch = ctx.plan()?.branch.clone();
    let base_branch = ctx.plan()?.base_branch.clone();
    let url = clone_url(&fork);
    if !ctx.settings.dry_run {
        // The fork is a copy of the repository; a maintenance branch made at release day is not
        // in it yet: its base tag is.
        if ctx
            .git()
            .remote_sha(&url, &format!("refs/heads/{base_branch}"))?
            .is_none()
        {
            let base_tag = ctx.plan()?.base_tag.clone();
            ctx.git().push(
                "create the PR's base branch in the private fork",
                &url,
                &format!("{base_tag}^{{commit}}:refs/heads/{base_branch}"),
                false,
            )?;
        }
    }
    ctx.git().push(
        "push the hotfix branch to the advisory's private fork",
        &url,
        &format!("{branch}:refs/heads/{branch}"),
        false,
    )?;
    if let Some(pr) = &ctx.rec.private_pr {
        ctx.ui.ok(format!(
            "The private PR #{} is already open: {}",
            pr.number, pr.url
        ));
        return Ok(());
    }
    let facts = ctx.facts()?;
    let body = texts::private_pr_body(&facts, &ctx.rec.gates);
    let file = ctx.keep_file(
        &format!("private-pr-{}.md", facts.tag.replace('/', "-")),
        &body,
    )?;
    let title = texts::pr_title(&facts);
    let simulated = format!("{}/pull/0", fork.url);
    let on = Some(fork.clone());
    let (number, url) = on_fork(ctx, on, |ctx| {
        if let Some(pr) = ctx.gh().open_pr_for(&branch)? {
            return Ok((pr.number, pr.url));
        }
        super::step09_pr::create_or_find(ctx, &title, &file, &base_branch, &branch, &[], &simulated)
    })?;
    ctx.remote_ok(format!(
        "Opened the private PR #{number} in the advisory's fork: {url}"
    ));
    ctx.rec.private_pr = Some(Pr { number, url });
    Ok(())
}

/// The head of the line's PR base on the remote now: release day compares (a base the remote lacks
/// is made from the base tag on release day, and cannot have moved).
fn remember_base(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let base = ctx.plan()?.base_branch.clone();
    if ctx.settings.dry_run || ctx.rec.embargo.bases.iter().any(|(b, _)| *b == base) {
        return Ok(());
    }
    let remote = ctx.settings.remote.clone();
    if let Some(head) = ctx
        .git()
        .remote_sha(&remote, &format!("refs/heads/{base}"))?
    {
        ctx.rec.embargo.bases.push((base, head));
    }
    Ok(())
}

/// Runs `f` with gh aimed at `on` (the private fork) instead of the repository.
fn on_fork<T>(
    ctx: &mut Ctx<Hotfix>,
    on: Option<GitHub>,
    f: impl FnOnce(&mut Ctx<Hotfix>) -> Result<T>,
) -> Result<T> {
    let public = std::mem::replace(&mut ctx.rec.github, on);
    let result = f(ctx);
    ctx.rec.github = public;
    result
}

/// The fork's git URL: its page's, `.git`.
fn clone_url(fork: &GitHub) -> String {
    format!("{}.git", fork.url.trim_end_matches('/'))
}

/// Review in the private fork or locally: asked once, for every line. Without a GHSA id (the draft
/// could not be created) there is no fork.
fn review_in(ctx: &mut Ctx<Hotfix>) -> Result<String> {
    if let Some(choice) = &ctx.rec.embargo.review_in {
        return Ok(choice.clone());
    }
    let choice = if ctx.rec.ghsa_id.is_none() || ctx.settings.non_interactive {
        "local"
    } else {
        ctx.ui.line(
            "Private review: in the advisory's temporary private fork (a PR there for the advisory's \
             collaborators; Actions do not run there), or locally (someone reviews the branch here, and \
             who is recorded).",
        );
        let items = ["in the advisory's private fork", "locally"];
        match ctx
            .prompter
            .select("Where is the fix reviewed in private?", &items, 0)?
        {
            0 => "fork",
            _ => "local",
        }
    };
    ctx.rec.embargo.review_in = Some(choice.to_string());
    ctx.save()?;
    Ok(choice.to_string())
}

/// The advisory's temporary private fork: asked for once (202), then waited for until GitHub has
/// made it.
fn ensure_fork(ctx: &mut Ctx<Hotfix>) -> Result<GitHub> {
    if let Some(fork) = &ctx.rec.embargo.fork {
        return Ok(fork.clone());
    }
    let ghsa = ctx
        .rec
        .ghsa_id
        .clone()
        .context("the advisory has no GHSA id: no private fork can be made")?;
    let github = ctx.github()?;
    let file = ctx.keep_file("advisory-fork.json", "{}")?;
    let name = github.repo.rsplit('/').next().unwrap_or("repo").to_string();
    let owner = github.repo.split('/').next().unwrap_or("owner").to_string();
    let simulated_name = format!("{owner}/{name}-{}", ghsa.to_lowercase());
    let simulated = serde_json::json!({
        "full_name": simulated_name,
        "html_url": format!("https://github.com/{simulated_name}"),
        "private": true,
    })
    .to_string();
    let out = ctx.gh().api(
        "create the advisory's temporary private fork",
        "POST",
        &format!("repos/{{owner}}/{{repo}}/security-advisories/{ghsa}/forks"),
        &file,
        &simulated,
    )?;
    if !out.success() {
        bail!(
            "GitHub did not create the advisory's private fork: {}\n\
             Nothing was pushed; `caro-hotfix resume` asks again.",
            out.message()
        );
    }
    let answer: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
    let full_name = answer["full_name"]
        .as_str()
        .with_context(|| format!("GitHub's answer names no fork: {}", out.stdout.trim()))?
        .to_string();
    let url = answer["html_url"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| {
            format!(
                "{}/{full_name}",
                github
                    .url
                    .trim_end_matches(&github.repo)
                    .trim_end_matches('/')
            )
        });
    let fork = GitHub {
        repo: full_name,
        url,
    };
    // 202: the fork may take a while; its git side answers once it is ready.
    let interval = ctx.poll_interval(DEFAULT_FORK_POLL_SECS);
    if !ctx.settings.dry_run {
        let spinner = ctx.ui.spinner(format!(
            "Waiting for GitHub to make the private fork {}",
            fork.repo
        ));
        let mut polls = 0;
        loop {
            let url = clone_url(&fork);
            if ctx.git().remote_refs(&url, &[]).is_ok() {
                break;
            }
            polls += 1;
            if polls >= FORK_READY_POLLS {
                spinner.finish_and_clear();
                bail!(
                    "the private fork {} is not ready after {polls} tries; `caro-hotfix resume` waits again",
                    fork.repo
                );
            }
            ctx.clock.pause(interval);
        }
        spinner.finish_and_clear();
    }
    ctx.remote_ok(format!(
        "The advisory's private fork is ready: {} (private; no Actions run there; GitHub removes it when \
         the advisory is published)",
        fork.url
    ));
    ctx.rec.embargo.fork = Some(fork.clone());
    ctx.save()?;
    Ok(fork)
}

/// `cargo package --locked` on the line's branch: a gate, recorded with its commit (tests and audit
/// recorded theirs at steps 7 and 8).
fn package_gate(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let branch = ctx.plan()?.branch.clone();
    let head = ctx
        .git()
        .resolve_commit(&branch)?
        .with_context(|| format!("the branch {branch} no longer exists locally"))?;
    if ctx
        .rec
        .gates
        .iter()
        .any(|g| g.what == "cargo package" && g.commit == head)
    {
        return Ok(());
    }
    if let Some(audit) = ctx.rec.audit.clone() {
        if !ctx.rec.gates.iter().any(|g| g.what == "audit") {
            ctx.rec.gates.push(Gate {
                what: "audit".into(),
                commit: head.clone(),
                outcome: audit.outcome().to_string(),
            });
        }
    }
    if ctx.git().current_branch()?.as_deref() != Some(branch.as_str()) {
        ctx.git().checkout(&branch)?;
    }
    let repo = ctx.repo.clone();
    let argv: Vec<String> = ["cargo", "package", "--locked", "--allow-dirty"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let out = crate::ops::cargo::run_argv(
        &mut ctx.runner,
        &repo,
        &argv,
        "package the crate (a local gate of the private phase)",
    )?;
    let outcome = if out.success() {
        "passed".to_string()
    } else {
        format!("FAILED: {}", out.stderr.lines().last().unwrap_or("").trim())
    };
    if !out.success() {
        bail!(
            "`cargo package --locked` fails on {branch} ({}): fix it there before the review. {outcome}",
            &head[..12.min(head.len())]
        );
    }
    ctx.ui.ok(format!(
        "Local gate: cargo package passed on {}",
        &head[..12.min(head.len())]
    ));
    ctx.rec.gates.push(Gate {
        what: "cargo package".into(),
        commit: head,
        outcome,
    });
    ctx.save()
}

/// Step 10 in the private phase, for one line: the private PR's approval (or the local review,
/// asked once for every line); after the last line, the pre-notification kit.
pub fn private_review(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    check_not_leaked(ctx)?;
    if ctx.rec.embargo.review_in.as_deref() == Some("fork") {
        let pr = ctx
            .rec
            .private_pr
            .clone()
            .context("the private PR is not recorded (step 9)")?;
        let fork = ctx.rec.embargo.fork.clone();
        ctx.ui.blank();
        let at = ctx
            .rec
            .embargo
            .disclose_at
            .as_deref()
            .and_then(|t| disclosure::disclosure_time(t).ok())
            .map(disclosure::shown)
            .unwrap_or_else(|| "to be decided".into());
        ctx.ui.line(texts::private_review_banner(&pr.url, &at));
        let by = on_fork(ctx, fork, |ctx| {
            super::step10_review::wait_for_review(ctx, pr.number, &pr.url)
        })?;
        let mut all = match ctx.rec.embargo.review.take() {
            Some(PrivateReview::Fork { by }) => by,
            _ => Vec::new(),
        };
        for login in by {
            if !all.contains(&login) {
                all.push(login);
            }
        }
        ctx.rec.embargo.review = Some(PrivateReview::Fork { by: all });
    } else if ctx.rec.embargo.review.is_none() {
        local_review(ctx)?;
    }
    let last = match ctx.rec.focus {
        None => ctx.rec.lines.is_empty(),
        Some(i) => i + 1 == ctx.rec.lines.len(),
    };
    if last {
        super::embargo_kit::write(ctx)?;
    }
    ctx.save()
}

/// The local review: who reviewed, and a typed `yes` that they did, recorded.
fn local_review(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let branches: Vec<String> = ctx.rec.plans().iter().map(|p| p.branch.clone()).collect();
    ctx.ui.line(format!(
        "Private review, locally: have someone review the fix on {} (e.g. `git log -p {}..{}`).",
        branches.join(", "),
        ctx.plan()?.base_tag,
        ctx.plan()?.branch
    ));
    let reviewer = loop {
        if ctx.settings.non_interactive {
            break "(fire drill)".to_string();
        }
        let name = ctx
            .prompter
            .text("Who reviewed the fix? (their name or login)", None)?;
        if !name.is_empty() {
            break name;
        }
        ctx.ui.warn("A review needs a reviewer: give their name.");
    };
    let question = format!(
        "Record that {reviewer} reviewed the fix of {}? (type 'yes')",
        super::lines::names(&ctx.rec)
    );
    if !ctx.settings.non_interactive && !ctx.prompter.typed(&question, "yes")? {
        bail!(
            "the private review is not recorded; nothing was pushed. Review the fix, then `caro-hotfix resume`."
        );
    }
    let at = ctx.clock.now();
    ctx.rec.embargo.review = Some(PrivateReview::Local {
        reviewer: reviewer.clone(),
        at,
    });
    ctx.note(10, format!("reviewed privately by {reviewer}"));
    ctx.ui.ok(format!("Private review recorded: {reviewer}"));
    Ok(())
}

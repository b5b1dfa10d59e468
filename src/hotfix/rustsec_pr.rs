//! Step 13, once the advisory is public: the PR to rustsec/advisory-db, after a typed `yes`. The
//! maintainer's fork (created with `gh repo fork` when missing), a branch with the RustSec draft at
//! `crates/<crate>/RUSTSEC-0000-0000.md`, a PR whose body follows advisory-db's template. Never
//! before the advisory is published (RustSec takes no embargoed vulnerability).
//!
//! Opened once: the `yes` is recorded first, then the fork and branch, then the PR's URL; a resumed
//! step looks for the PR by its branch, and for the branch on the fork, before doing either again.
//! Declined or failed: the commands to do it by hand.

use std::path::Path;

use anyhow::{Context, Result};

use crate::flow::Ctx;
use crate::logic::rustsec_draft;
use crate::ops::gh::Gh;
use crate::record::{GitHub, Hotfix, RustsecPr};

/// The database's repository on GitHub.
pub const UPSTREAM: &str = "rustsec/advisory-db";
const BASE: &str = "main";

/// The advisory-db repository on the project's GitHub host (github.com in real use).
pub fn upstream(project: &GitHub) -> GitHub {
    GitHub {
        repo: UPSTREAM.to_string(),
        url: format!("{}/{UPSTREAM}", web_root(&project.url)),
    }
}

/// `https://github.com` from `https://github.com/owner/name`.
pub fn web_root(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let host = rest.split('/').next().unwrap_or("github.com");
    format!("{scheme}://{host}")
}

/// Writes the RustSec draft from the record: `advisory-db/crates/<crate>/RUSTSEC-0000-0000.md`
/// beside the record (to submit) and a copy with a local id in `advisory-db-check/` (cargo-audit
/// never reports the placeholder). Returns `[(db root, file)]` for both, the submission first;
/// `None` before the affected versions are known or without a record directory.
pub fn write_draft(
    ctx: &mut Ctx<Hotfix>,
) -> Result<Option<Vec<(std::path::PathBuf, std::path::PathBuf)>>> {
    let Some(affected) = ctx.rec.affected.clone() else {
        return Ok(None);
    };
    let Some(layout) = ctx.layout.clone() else {
        return Ok(None);
    };
    let crate_name = ctx.plan()?.crate_name.clone();
    let mut aliases: Vec<String> = ctx.rec.ghsa_id.iter().cloned().collect();
    aliases.extend(
        ctx.rec
            .incident
            .advisory_ids
            .iter()
            .filter(|id| id.starts_with("CVE-") || id.starts_with("GHSA-"))
            .filter(|id| Some(*id) != ctx.rec.ghsa_id.as_ref())
            .cloned(),
    );
    // The disclosure date stays what the first draft said (a later rewrite adds an id, not a day).
    let date = ctx
        .rec
        .rustsec_draft
        .as_ref()
        .and_then(|path| std::fs::read_to_string(path).ok())
        .and_then(|text| {
            text.lines().find_map(|l| {
                l.strip_prefix("date = \"")?
                    .strip_suffix('"')
                    .map(str::to_string)
            })
        })
        .unwrap_or_else(|| ctx.clock.today());
    let draft = rustsec_draft::Draft {
        crate_name: &crate_name,
        incident: &ctx.rec.incident,
        affected: &affected,
        date: &date,
        url: ctx.rec.advisory_url.as_deref(),
        aliases,
    };
    let check_id = rustsec_draft::check_id(&date);
    let mut written = Vec::new();
    for (db, id) in [
        ("advisory-db", rustsec_draft::PLACEHOLDER_ID),
        ("advisory-db-check", check_id.as_str()),
    ] {
        let root = layout.kept(db);
        let dir = root.join("crates").join(&crate_name);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("could not create {}", dir.display()))?;
        let path = dir.join(format!("{id}.md"));
        crate::fsx::write_atomic(&path, rustsec_draft::render(&draft, id).as_bytes())?;
        written.push((root, path));
    }
    ctx.rec.rustsec_draft = Some(written[0].1.display().to_string());
    Ok(Some(written))
}

/// Offers the PR (or shows the one opened); `draft` is the file to submit.
pub fn offer(ctx: &mut Ctx<Hotfix>, draft: &Path, crate_name: &str) -> Result<()> {
    // Published is also the end of an embargo: RustSec takes no embargoed vulnerability.
    if !ctx.rec.advisory_published {
        return Ok(());
    }
    let Some(project) = ctx.rec.github.clone() else {
        return Ok(());
    };
    if ctx.settings.dry_run {
        ctx.ui.ok(format!(
            "(simulated) The real run offers here to open the PR to {UPSTREAM} from your fork, \
             adding crates/{crate_name}/{}.md",
            rustsec_draft::PLACEHOLDER_ID
        ));
        return Ok(());
    }
    if let Some(url) = ctx.rec.rustsec_pr.as_ref().and_then(|p| p.url.clone()) {
        ctx.ui.ok(format!("The RustSec PR is open: {url}"));
        return Ok(());
    }
    let branch = format!(
        "caro-hotfix/{crate_name}-{}",
        ctx.plan()?.version.replace('+', "-")
    );
    if ctx.rec.rustsec_pr.is_none() {
        ctx.ui.info(format!(
            "The advisory is public: RustSec's advisory database can have it, so that `cargo audit` \
             and `cargo deny` report it. This opens a PR to {UPSTREAM} from your fork, adding \
             crates/{crate_name}/{} (its maintainers review it and assign the id).",
            rustsec_draft::PLACEHOLDER_ID
        ));
        if !ctx.prompter.typed(
            "Open the PR to rustsec/advisory-db now? (type 'yes')",
            "yes",
        )? {
            ctx.ui.info(by_hand(draft, crate_name, &branch));
            ctx.note(13, "RustSec PR not opened, by choice");
            return Ok(());
        }
        ctx.rec.rustsec_pr = Some(RustsecPr {
            branch: branch.clone(),
            ..RustsecPr::default()
        });
        ctx.save()?;
    }
    match open(ctx, &project, draft, crate_name, &branch)? {
        Ok(url) => {
            ctx.remote_ok(format!("Opened the RustSec PR: {url}"));
            if let Some(pr) = ctx.rec.rustsec_pr.as_mut() {
                pr.url = Some(url);
            }
            ctx.save()?;
        }
        Err(why) => {
            ctx.ui.warn(format!("could not open the RustSec PR: {why}"));
            ctx.ui.info(by_hand(draft, crate_name, &branch));
            ctx.note(
                13,
                "RustSec PR not opened: it failed; the commands were shown",
            );
        }
    }
    Ok(())
}

/// The fork, the branch pushed to it, the PR: each looked for before it is made. `Ok(Err(why))`:
/// refused (the commands by hand follow); an error: GitHub did not answer (the step stops, and
/// `resume` goes on from what was done).
fn open(
    ctx: &mut Ctx<Hotfix>,
    project: &GitHub,
    draft: &Path,
    crate_name: &str,
    branch: &str,
) -> Result<std::result::Result<String, String>> {
    let upstream = upstream(project);
    let login = gh_on(ctx, &upstream).login()?;
    let fork = format!("{login}/advisory-db");
    if let Some(found) = existing_pr(ctx, &upstream, branch)? {
        ctx.ui.ok(format!("The RustSec PR exists already: {found}"));
        return Ok(Ok(found));
    }
    if let Err(e) = ensure_fork(ctx, &upstream, &fork) {
        return Ok(Err(format!("{e:#}")));
    }
    if let Some(pr) = ctx.rec.rustsec_pr.as_mut() {
        pr.fork = fork.clone();
    }
    let fork_url = format!("{}/{fork}.git", web_root(&project.url));
    let refname = format!("refs/heads/{branch}");
    if ctx.git().remote_sha(&fork_url, &refname)?.is_none() {
        let from = (format!("{}.git", upstream.url), BASE.to_string());
        let message = format!("Add advisory for {crate_name}");
        if let Err(e) = push_branch(ctx, &from, &fork_url, draft, crate_name, branch, &message) {
            return Ok(Err(format!("{e:#}")));
        }
    } else {
        ctx.ui
            .ok(format!("The branch {branch} is on {fork} already"));
    }
    ctx.save()?;
    let body = body(ctx, crate_name)?;
    let file = ctx.keep_file("rustsec-pr-body.md", &body.1)?;
    let head = format!("{login}:{branch}");
    let simulated = format!("{}/pull/1", upstream.url);
    let out = gh_on(ctx, &upstream).create_pr(&body.0, &file, BASE, &head, &[], &simulated)?;
    if out.success() {
        if let Some(url) = out.stdout.lines().rev().find(|l| l.contains("/pull/")) {
            return Ok(Ok(url.trim().to_string()));
        }
    }
    // A lost answer may have opened it.
    if let Some(found) = existing_pr(ctx, &upstream, branch)? {
        return Ok(Ok(found));
    }
    let said = crate::hotfix::advisory::github_said(&out);
    if crate::ops::gh::transient(&out) {
        anyhow::bail!(
            "GitHub did not open the RustSec PR ({said}); the branch {branch} is on {fork}, and \
             the PR is opened from it when the step runs again"
        );
    }
    Ok(Err(format!("GitHub did not open the PR: {said}")))
}

pub fn gh_on<'a>(ctx: &'a mut Ctx<Hotfix>, repo: &GitHub) -> Gh<'a> {
    Gh::new(&mut ctx.runner, &ctx.repo, ctx.clock.clone()).on(Some(repo))
}

/// The PR of `branch` on advisory-db, open or not (a closed one was seen by its reviewers).
fn existing_pr(ctx: &mut Ctx<Hotfix>, upstream: &GitHub, branch: &str) -> Result<Option<String>> {
    Ok(gh_on(ctx, upstream)
        .prs_for(branch, "all")
        .context("could not look for the RustSec PR")?
        .into_iter()
        .next()
        .map(|p| p.url))
}

/// The maintainer's fork of advisory-db, forked when missing (GitHub makes it in the background:
/// it is looked for again, briefly).
fn ensure_fork(ctx: &mut Ctx<Hotfix>, upstream: &GitHub, fork: &str) -> Result<()> {
    let path = format!("repos/{fork}");
    let simulated = format!("{{\"full_name\":\"{fork}\"}}");
    let found = gh_on(ctx, upstream).get("look for your fork of advisory-db", &path, &simulated)?;
    if found.success() {
        ctx.ui.ok(format!("Your fork {fork} exists"));
        return Ok(());
    }
    let out = gh_on(ctx, upstream).fork(UPSTREAM)?;
    if !out.success() {
        anyhow::bail!(
            "could not fork {UPSTREAM}: {}",
            crate::hotfix::advisory::github_said(&out)
        );
    }
    for attempt in 0..10 {
        let seen =
            gh_on(ctx, upstream).get("look for your fork of advisory-db", &path, &simulated)?;
        if seen.success() {
            ctx.remote_ok(format!("Forked {UPSTREAM} to {fork}"));
            return Ok(());
        }
        ctx.clock
            .pause(std::time::Duration::from_millis(500 * (attempt + 1)));
    }
    anyhow::bail!("the fork {fork} did not appear on GitHub")
}

/// The newest commit of `from` (URL, branch) in a scratch repository beside the record, the draft
/// put in place, one commit, pushed to `branch` of the fork (a fast-forward when `from` is that
/// branch: an update of the PR).
pub fn push_branch(
    ctx: &mut Ctx<Hotfix>,
    from: &(String, String),
    fork_url: &str,
    draft: &Path,
    crate_name: &str,
    branch: &str,
    message: &str,
) -> Result<()> {
    let layout = ctx
        .layout
        .clone()
        .context("there is no record yet (the first step has not run)")?;
    let scratch = layout.kept("rustsec-pr");
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch)
            .with_context(|| format!("could not remove {}", scratch.display()))?;
    }
    std::fs::create_dir_all(&scratch)
        .with_context(|| format!("could not create {}", scratch.display()))?;
    let name = ctx
        .rec
        .maintainer
        .clone()
        .or(ctx.git().config("user.name")?)
        .unwrap_or_else(|| "caro-hotfix".to_string());
    let email = ctx
        .git()
        .config("user.email")?
        .unwrap_or_else(|| "caro-hotfix@users.noreply.github.com".to_string());
    let origin_repo = ctx.repo.clone();
    let mut git = crate::ops::git::Git::new(&mut ctx.runner, &origin_repo);
    git.init_scratch(&scratch)?;
    let mut git = crate::ops::git::Git::new(&mut ctx.runner, &scratch);
    git.fetch_tip("fetch the newest commit of advisory-db", &from.0, &from.1)?;
    git.checkout_reset(branch, "FETCH_HEAD")?;
    let target = scratch
        .join("crates")
        .join(crate_name)
        .join(format!("{}.md", rustsec_draft::PLACEHOLDER_ID));
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("could not create {}", dir.display()))?;
    }
    std::fs::copy(draft, &target)
        .with_context(|| format!("could not copy the draft to {}", target.display()))?;
    git.add(&[target])?;
    git.commit_as("commit the RustSec advisory", message, &name, &email)?;
    git.push(
        "push the advisory to your fork",
        fork_url,
        &format!("HEAD:refs/heads/{branch}"),
        false,
    )?;
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

/// The PR's title and body.
fn body(ctx: &mut Ctx<Hotfix>, crate_name: &str) -> Result<(String, String)> {
    let date = ctx.clock.today();
    // Offered only once the advisory is published, so the view is the whole incident; through it
    // all the same, as every public text (texts::embargoed_view).
    let public = crate::texts::public_incident(&ctx.rec, &ctx.settings);
    let title = public
        .description
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    let patched: Vec<String> = ctx
        .rec
        .affected
        .as_ref()
        .map(|a| {
            a.patched()
                .filter_map(|l| l.patched.as_ref().map(|p| p.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let fix_pr = ctx.rec.pr.as_ref().map(|p| p.url.clone());
    let s = rustsec_draft::Submission {
        crate_name,
        title: &title,
        impact: &public.impact,
        advisory_url: ctx.rec.advisory_url.as_deref(),
        fix_pr: fix_pr.as_deref(),
        patched,
        date: &date,
    };
    Ok((rustsec_draft::pr_title(&s), rustsec_draft::pr_body(&s)))
}

/// The commands that open the PR by hand.
pub fn by_hand(draft: &Path, crate_name: &str, branch: &str) -> String {
    let id = rustsec_draft::PLACEHOLDER_ID;
    format!(
        "Open it by hand:\n  \
         gh repo fork {UPSTREAM} --clone\n  \
         cd advisory-db && git checkout -b {branch}\n  \
         mkdir -p crates/{crate_name} && cp {} crates/{crate_name}/{id}.md\n  \
         git add crates/{crate_name} && git commit -m \"Add advisory for {crate_name}\"\n  \
         git push -u origin {branch}\n  \
         gh pr create --repo {UPSTREAM} --base {BASE} --fill",
        draft.display()
    )
}

//! Step 5: the minimal fix — typed `done` after the maintainer commits it, or `--fix-from` commits
//! cherry-picked — then the check that there is at least one commit on top of the base tag and
//! nothing uncommitted.

use anyhow::{bail, Result};

use crate::flow::Ctx;
use crate::record::Hotfix;
use crate::texts;

/// The subject of the empty commit a rehearsal uses when no trial fix was committed.
pub const PLACEHOLDER_SUBJECT: &str = "[caro-hotfix rehearsal] placeholder: the real fix goes here";

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let base_tag = ctx.plan()?.base_tag.clone();
    let branch = ctx.plan()?.branch.clone();
    if ctx.rec.request.fix_from.is_empty() {
        wait_for_fix(ctx, &base_tag, &branch)?;
    } else {
        cherry_pick_fixes(ctx, &base_tag)?;
    }
    record_fix(ctx, &base_tag)?;
    let range = format!("{base_tag}..HEAD");
    let log = ctx.git().log_oneline(&range)?;
    ctx.ui.ok(format!(
        "The fix: {} on top of {base_tag}",
        crate::ui::count(ctx.rec.fix.commits.len(), "commit")
    ));
    for line in log.lines() {
        ctx.ui.info(line);
    }
    Ok(())
}

/// Records the commits on top of `base_tag` as the fix (of the line in focus), with their subjects.
pub fn record_fix(ctx: &mut Ctx<Hotfix>, base_tag: &str) -> Result<()> {
    let commits = ctx.git().commits(&format!("{base_tag}..HEAD"))?;
    let mut subjects = Vec::new();
    for c in &commits {
        let message = ctx.git().message(c)?;
        subjects.push(message.lines().next().unwrap_or("").to_string());
    }
    ctx.rec.fix.commits = commits;
    ctx.rec.fix.subjects = subjects;
    Ok(())
}

fn wait_for_fix(ctx: &mut Ctx<Hotfix>, base_tag: &str, branch: &str) -> Result<()> {
    ctx.ui.line(texts::fix_guidelines(branch, base_tag));
    if let Some(sample) = ctx.settings.sample_fix.clone() {
        ctx.ui.blank();
        ctx.ui.line(format!(
            "Demo: the sample fix is ready: \"{}\".",
            sample.message
        ));
        if ctx.prompter.yes_no("Apply the sample fix for you? (y/n)")? {
            let file = ctx.repo.join(sample.path);
            crate::fsx::write_atomic(&file, sample.contents.as_bytes())?;
            ctx.git().add(&[file])?;
            ctx.git()
                .commit("commit the sample fix", sample.message, false)?;
            ctx.ui.ok("Committed the sample fix; type done to go on");
        }
    }
    if ctx.settings.dry_run {
        ctx.ui.blank();
        ctx.ui.line(format!(
            "Rehearsal: this is a throwaway clone at {}\n\
             You may commit a trial fix there; typing done without a new commit continues with an \
             empty placeholder commit labelled \"{PLACEHOLDER_SUBJECT}\".",
            ctx.repo.display()
        ));
    }
    let security_md = super::security_md_path(&ctx.repo);
    let security_md = ctx.shown(&security_md);
    loop {
        ctx.ui.blank();
        if !ctx.prompter.typed(texts::DONE_PROMPT, "done")? {
            ctx.ui.warn("Type exactly `done` once the fix is committed (Ctrl-C stops; `caro-hotfix resume` continues here).");
            continue;
        }
        match check_fix(ctx, base_tag, branch, &security_md)? {
            FixCheck::Ready => return Ok(()),
            FixCheck::NoCommit if ctx.settings.dry_run => {
                ctx.git().commit("make the rehearsal's placeholder commit", PLACEHOLDER_SUBJECT, true)?;
                ctx.ui.ok("Rehearsal: continuing with an empty placeholder commit");
                return Ok(());
            }
            FixCheck::NoCommit => ctx.ui.warn(format!(
                "There is no commit on {branch} since {base_tag} yet. Commit the fix \
                 (git add <files>; git commit -m \"hotfix: …\"), then type done."
            )),
            FixCheck::Uncommitted(paths) => {
                ctx.ui.warn("These changes are not committed; commit them (or stash what is not part of the fix), then type done:");
                for p in paths {
                    ctx.ui.info(p);
                }
            }
            FixCheck::WrongBranch(current) => ctx.ui.warn(format!(
                "You are on {}, not on {branch}. Switch back (`git checkout {branch}`), make sure the fix is committed there, then type done.",
                current.as_deref().unwrap_or("a detached HEAD")
            )),
        }
    }
}

enum FixCheck {
    Ready,
    NoCommit,
    Uncommitted(Vec<String>),
    WrongBranch(Option<String>),
}

fn check_fix(
    ctx: &mut Ctx<Hotfix>,
    base_tag: &str,
    branch: &str,
    security_md: &str,
) -> Result<FixCheck> {
    let current = ctx.git().current_branch()?;
    if current.as_deref() != Some(branch) {
        return Ok(FixCheck::WrongBranch(current));
    }
    let dirty: Vec<String> = ctx
        .git()
        .changed_paths()?
        .into_iter()
        .filter(|p| p != security_md)
        .collect();
    if !dirty.is_empty() {
        return Ok(FixCheck::Uncommitted(dirty));
    }
    if ctx.git().commits(&format!("{base_tag}..HEAD"))?.is_empty() {
        return Ok(FixCheck::NoCommit);
    }
    Ok(FixCheck::Ready)
}

fn cherry_pick_fixes(ctx: &mut Ctx<Hotfix>, base_tag: &str) -> Result<()> {
    let revs = ctx.rec.request.fix_from.clone();
    let already = ctx.git().commits(&format!("{base_tag}..HEAD"))?;
    let mut messages = Vec::new();
    for c in &already {
        messages.push(ctx.git().message(c)?);
    }
    for rev in revs {
        // Revisions are named in the maintainer's repository; a rehearsal's clone has the same objects.
        let origin_repo = ctx.origin_repo.clone();
        let sha = crate::ops::git::Git::new(&mut ctx.runner, &origin_repo).resolve_commit(&rev)?;
        let Some(sha) = sha else {
            bail!("--fix-from {rev}: no such commit in this repository (check the branch name or SHA)");
        };
        let marker = format!("(cherry picked from commit {sha})");
        if messages.iter().any(|m| m.contains(&marker)) {
            ctx.ui.ok(format!(
                "{rev} ({}) is already on the branch",
                &sha[..12.min(sha.len())]
            ));
            continue;
        }
        let out = ctx
            .git()
            .cherry_pick("cherry-pick the prepared fix", &sha)?;
        if !out.success() {
            let conflicts = ctx.git().conflicted()?;
            bail!(
                "the cherry-pick of {rev} ({sha}) did not apply cleanly{}:\n{}\n\
                 Resolve the conflicts, `git add` the files and run `git cherry-pick --continue` \
                 (or `git cherry-pick --abort` to give up on it).",
                if conflicts.is_empty() {
                    String::new()
                } else {
                    format!(" (conflicts in {})", conflicts.join(", "))
                },
                out.stderr.trim()
            );
        }
        ctx.ui.ok(format!("Cherry-picked {rev}"));
    }
    Ok(())
}

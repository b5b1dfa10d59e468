//! `caro-hotfix abort`: forgets the hotfix in progress — the local record only. It is kept in
//! `.git/caro-hotfix/history/` for the audit trail, and what the hotfix left behind is listed with
//! the command to clean up each; nothing is deleted.

use anyhow::{Context, Result};

use crate::cli::GlobalOpts;
use crate::error::Declined;
use crate::io::Io;
use crate::ops::git::Git;
use crate::record::{store, Hotfix};

pub fn run(g: &GlobalOpts, io: Io) -> Result<()> {
    let env = io.environment();
    let clock = env.clock()?;
    let mut runner = super::runner_for(&io, &env, false);
    let (repo, layout) = super::locate(g, &io, &mut runner)?;
    // One run at a time: a hotfix another run is working on is not forgotten under its feet.
    let _lock = crate::record::lock::RunLock::acquire(
        &layout,
        "abort",
        &clock.now(),
        crate::record::lock::doing(&layout),
    )?;
    let record = layout.hotfix();
    let Some(hotfix) = store::load::<Hotfix>(&record)? else {
        io.ui.line("No hotfix in progress: nothing to abort.");
        return Ok(());
    };
    let ui = io.ui.clone();
    let mut prompter = super::prompter(io.backend, g, &ui)?;
    let label = hotfix.label();
    ui.line(format!(
        "This forgets the hotfix {label} in progress: {}",
        hotfix.incident.description
    ));
    ui.line("Nothing is deleted: branches, the PR and tags stay where they are.");
    if !prompter.typed("Forget this hotfix? (yes/no - must type 'yes')", "yes")? {
        return Err(
            Declined("Nothing was forgotten; continue with `caro-hotfix resume`.".into()).into(),
        );
    }
    let remote = hotfix.request.remote.clone();
    let mut left = Vec::new();
    let mut git = Git::new(&mut runner, &repo);
    let prs: Vec<&crate::record::Pr> = hotfix
        .pr
        .iter()
        .chain(hotfix.lines.iter().filter_map(|l| l.pr.as_ref()))
        .collect();
    for plan in hotfix.plans() {
        let branch = &plan.branch;
        if git.branch_exists(branch)? {
            let back = hotfix
                .original_branch
                .as_deref()
                .unwrap_or(plan.base_branch.as_str());
            left.push(format!(
                "local branch {branch}: `git checkout {back} && git branch -D {branch}`"
            ));
        }
        if git
            .remote_sha(&remote, &format!("refs/heads/{branch}"))?
            .is_some()
        {
            left.push(format!(
                "remote branch {remote}/{branch}: `git push {remote} --delete {branch}`"
            ));
        }
    }
    for pr in prs {
        left.push(format!(
            "PR #{} ({}): `gh pr close {}` if it is not merged",
            pr.number, pr.url, pr.number
        ));
    }
    for plan in hotfix.plans() {
        let tag = &plan.tag;
        if git.resolve_commit(&format!("refs/tags/{tag}"))?.is_some() {
            left.push(format!(
                "local tag {tag}: `git tag -d {tag}` (only if it was never pushed)"
            ));
        }
        if git.remote_tag_commit(&remote, tag)?.is_some() {
            left.push(format!(
                "tag {tag} on {remote}: published tags are best kept; if it must go: `git push {remote} --delete refs/tags/{tag}`"
            ));
        }
    }
    // Step 4 edits SECURITY.md and step 6 commits it: a hotfix forgotten in between leaves the edit
    // uncommitted, and the next start refuses a dirty tree. Offered back, never dropped silently.
    for path in ["SECURITY.md", ".github/SECURITY.md"] {
        if !git.changed_paths()?.iter().any(|p| p == path) {
            continue;
        }
        ui.line(format!(
            "{path} has step 4's uncommitted entry for this hotfix; restoring puts it back as the last commit has it."
        ));
        if prompter.yes_no(&format!("Restore {path}? (y/n)"))? {
            if git.is_tracked(std::path::Path::new(path))? {
                git.restore_file(path)?;
            } else {
                // Step 4 created it: as the last commit has it is without it.
                let file = repo.join(path);
                std::fs::remove_file(&file).with_context(|| format!("could not remove {path}"))?;
            }
            ui.ok(format!("Restored {path}"));
        } else {
            left.push(format!(
                "uncommitted edit of {path} (step 4): `git checkout HEAD -- {path}` undoes it, or commit it"
            ));
        }
    }
    if let Some(url) = &hotfix.advisory_url {
        left.push(format!(
            "security advisory (draft) {url}: close it on GitHub if it is not wanted"
        ));
    }
    // Kept as `history/aborted-<version>-<when>.toml`, never mistaken for a completed hotfix.
    let stamp = clock.now().replace([':', '+'], "-");
    let version = hotfix
        .plan
        .as_ref()
        .map(|p| p.version.clone())
        .unwrap_or_else(|| "unknown".into());
    let name = format!("aborted-{version}-{stamp}");
    let kept = store::archive(&record, &layout.history(), &hotfix, &name)?;
    ui.ok(format!(
        "Forgot the hotfix {label}; its record is kept in {}",
        kept.display()
    ));
    if left.is_empty() {
        ui.line("It left nothing behind.");
    } else {
        ui.line("Left in place (clean up what you no longer want):");
        for l in left {
            ui.info(format!("• {l}"));
        }
    }
    Ok(())
}

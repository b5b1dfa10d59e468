//! Before `resume` continues: does reality still match the record?
//!
//! A hotfix may be resumed hours later, after branch switches, a rebase, a deleted branch. Every
//! difference that makes continuing unsafe is listed with how to fix it, and nothing is changed. A
//! merely different checkout (the maintainer switched to main meanwhile) is put right: the tree is clean
//! (preflight), so switching back loses nothing.

use anyhow::{bail, Result};

use crate::flow::Ctx;
use crate::logic::manifest::{self, PackageVersion};
use crate::record::Hotfix;
use crate::record::Tracked;

pub fn check(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let done = |ctx: &Ctx<Hotfix>, n: u8| ctx.rec.is_done(n);
    let mut merged = done(ctx, 11) || ctx.rec.release.merge_commit.is_some();
    // Killed between the squash merge and recording it: gh deleted the branch, the PR says MERGED.
    if !merged {
        if let Some(number) = ctx.rec.pr.as_ref().map(|p| p.number) {
            let simulated = r#"{"state":"OPEN"}"#;
            if let Ok(pr) = ctx.gh().view_pr(number, "state", simulated) {
                merged = pr.state == "MERGED";
            }
        }
    }
    let Some(branch) = ctx.rec.plan.as_ref().map(|p| p.branch.clone()) else {
        return Ok(());
    };
    if !done(ctx, 3) || merged {
        return Ok(());
    }
    let remote = ctx.settings.remote.clone();
    let mut differences = Vec::new();

    if !ctx.git().branch_exists(&branch)? {
        let pushed = ctx
            .git()
            .remote_sha(&remote, &format!("refs/heads/{branch}"))?
            .is_some();
        let fix = if pushed {
            format!(
                "it is still on {remote}: recreate it with `git branch {branch} {remote}/{branch}`"
            )
        } else {
            "if it is gone for good, forget this hotfix with `caro-hotfix abort` and start again"
                .to_string()
        };
        differences.push(format!(
            "the branch {branch} named in the record does not exist any more (deleted by hand?); {fix}"
        ));
    } else {
        for commit in ctx.rec.fix.commits.clone() {
            if !ctx.git().has_commit(&commit)? || !ctx.git().is_ancestor(&commit, &branch)? {
                differences.push(format!(
                    "the fix commit {} recorded at step 5 is no longer on {branch} (rebased, reset or amended?); \
                     restore it (`git reflog` shows where {branch} was), or `caro-hotfix abort` and start again",
                    short(&commit)
                ));
            }
        }
        if let Some(bump) = ctx.rec.fix.bump_commit.clone() {
            if !ctx.git().has_commit(&bump)? || !ctx.git().is_ancestor(&bump, &branch)? {
                differences.push(format!(
                    "the version-bump commit {} recorded at step 6 is no longer on {branch}; \
                     restore it (`git reflog`), or `caro-hotfix abort` and start again",
                    short(&bump)
                ));
            }
        }
        if done(ctx, 6) {
            if let Some(want) = ctx.rec.plan.as_ref().map(|p| p.version.clone()) {
                let manifest_text = ctx.git().show_file(&branch, "Cargo.toml")?;
                let have = manifest_text
                    .as_deref()
                    .and_then(|t| manifest::package_info(t).ok())
                    .map(|i| i.version);
                if let Some(PackageVersion::Literal(have)) = have {
                    if have.to_string() != want {
                        differences.push(format!(
                            "Cargo.toml on {branch} says version {have}, the record says {want}; \
                             set it back to {want} and commit, or `caro-hotfix abort` and start again"
                        ));
                    }
                }
            }
        }
    }

    if !differences.is_empty() {
        let list: Vec<String> = differences.iter().map(|d| format!("  ✗ {d}")).collect();
        bail!(
            "the repository no longer matches the hotfix record ({}); nothing was changed:\n{}",
            ctx.shown(
                ctx.record_file
                    .as_deref()
                    .unwrap_or(std::path::Path::new("."))
            ),
            list.join("\n")
        );
    }

    // The checkout may have moved; the hotfix continues on its branch — or, with several lines, on
    // whichever line's branch it was working on (a step killed there may have left its edits, and
    // the step checks out each line's branch itself).
    let current = ctx.git().current_branch()?;
    let on_a_line = ctx
        .rec
        .plans()
        .iter()
        .any(|p| current.as_deref() == Some(p.branch.as_str()));
    if !on_a_line {
        ctx.git().checkout(&branch)?;
        ctx.ui.ok(format!("Switched back to {branch}"));
    }
    Ok(())
}

fn short(sha: &str) -> &str {
    &sha[..12.min(sha.len())]
}

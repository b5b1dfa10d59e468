//! Step 15: the fix reaches every active line. The squash merge already put it on the base branch;
//! each configured release branch gets the merge commit cherry-picked onto
//! `backport/vX.Y.Z-<branch>` and a PR — never a direct push to a protected branch.

use anyhow::{bail, Context, Result};

use super::Ctx;
use crate::texts;

pub fn run(ctx: &mut Ctx) -> Result<()> {
    let base_branch = ctx
        .state
        .base_branch
        .clone()
        .context("the base branch is not recorded")?;
    let merge_commit = ctx
        .state
        .merge_commit
        .clone()
        .context("the merge commit is not recorded (step 11)")?;
    let remote = ctx.opts.remote.clone();
    let tag = ctx.tag()?;
    ctx.ui.ok(format!(
        "{base_branch} already has the fix: the PR was squash-merged into it"
    ));

    let branches: Vec<String> = ctx
        .config
        .release_branches
        .iter()
        .filter(|b| **b != base_branch)
        .cloned()
        .collect();
    if branches.is_empty() {
        ctx.ui.info("No active release branches are configured (release-branches in [package.metadata.hotfix]).");
        return Ok(());
    }
    let facts = ctx.facts()?;
    for target in branches {
        let backport = format!("backport/{tag}-{}", target.replace('/', "-"));
        if ctx.state.backport_prs.iter().any(|p| p.contains(&backport)) {
            ctx.ui.ok(format!("{target}: backport already opened"));
            continue;
        }
        if ctx
            .git()
            .remote_sha(&remote, &format!("refs/heads/{backport}"))?
            .is_none()
        {
            ctx.git()
                .fetch("fetch the release branch", &remote, &target)?;
            if !ctx.git().branch_exists(&backport)? {
                ctx.git()
                    .checkout_new_tracking(&backport, &format!("{remote}/{target}"))?;
                let out = ctx.git().cherry_pick(&merge_commit)?;
                if !out.success() {
                    bail!(
                        "the fix does not apply cleanly to {target}: {}\n\
                         You are on {backport}. Resolve the conflicts, `git add` the files, `git cherry-pick --continue`, \
                         push it (`git push -u {remote} {backport}`), then run `caro-hotfix resume` to open the PR.",
                        out.stderr.trim()
                    );
                }
            }
            ctx.git()
                .push("push the backport branch", &remote, &backport, true)?;
        }
        let body = format!(
            "Backport of the security hotfix {tag} ({}) to `{target}`.\n\n{}\n\nCherry-picked from {merge_commit}.\n\n{}\n",
            facts.incident.description,
            ctx.state.pr_url.clone().unwrap_or_default(),
            texts::footer()
        );
        let file = ctx.keep_file(&format!("backport-{}.md", target.replace('/', "-")), &body)?;
        let title = format!("🚨 Backport SECURITY HOTFIX {tag} to {target}");
        let simulated = format!("{}/pull/0", facts.repo_url);
        let url = match ctx.gh().open_pr_for(&backport)? {
            Some(pr) => pr.url,
            None => {
                let out = ctx
                    .gh()
                    .create_pr(&title, &file, &target, &backport, &[], &simulated)?;
                out.stdout.lines().last().unwrap_or("").trim().to_string()
            }
        };
        ctx.ui.ok(format!("{target}: backport PR {url}"));
        ctx.state.backport_prs.push(format!("{backport} {url}"));
        ctx.save()?;
    }
    ctx.git().checkout(&base_branch)?;
    Ok(())
}

//! Step 15: the fix reaches every active line.
//!
//! With the `main` strategy the squash merge already put it on the base branch. With `maintenance`
//! the fix commits (not the version bump) are cherry-picked onto `forward-port/vX.Y.Z` from the trunk,
//! and a PR opened into it. Each configured release branch gets the same fix commits cherry-picked onto
//! `backport/vX.Y.Z-<branch>` and a PR — never a direct push to a protected branch. The squash-merge
//! commit is not what travels: it carries this line's version bump and changelog, which conflict on
//! every other line (each line releases its own patch). A table shows each line's result at the end.

use anyhow::{bail, Context, Result};

use crate::config::Strategy;
use crate::flow::Ctx;
use crate::record::{Backport, Hotfix};
use crate::texts;

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let base_branch = ctx.plan()?.base_branch.clone();
    let merge_commit = ctx
        .rec
        .release
        .merge_commit
        .clone()
        .context("the merge commit is not recorded (step 11)")?;
    let trunk = ctx.plan()?.trunk.clone();
    let tag = ctx.plan()?.tag.clone();
    let mut table: Vec<(String, String)> = vec![(
        base_branch.clone(),
        format!("has the fix: the PR was squash-merged into it ({tag})"),
    )];

    // The other lines of this incident were released with the fix: no backport for them.
    for line in &ctx.rec.lines {
        table.push((
            line.plan.base_branch.clone(),
            format!("has the fix: released in this incident ({})", line.plan.tag),
        ));
    }
    let released: Vec<String> = ctx
        .rec
        .plans()
        .iter()
        .map(|p| p.base_branch.clone())
        .collect();

    if ctx.plan()?.strategy == Strategy::Maintenance && trunk != base_branch {
        let url = forward_port(ctx, &trunk, &tag)?;
        table.push((trunk.clone(), format!("forward-port PR {url}")));
    }

    let branches: Vec<String> = ctx
        .settings
        .release_branches
        .iter()
        .filter(|b| !released.contains(b) && **b != trunk)
        .cloned()
        .collect();
    for target in branches {
        let url = backport(ctx, &target, &tag, &merge_commit)?;
        table.push((target, format!("backport PR {url}")));
    }

    // Back where the maintainer expects to be: the trunk.
    if ctx.git().branch_exists(&trunk)? {
        ctx.git().checkout(&trunk)?;
    }
    ctx.ui.blank();
    ctx.ui.line("Where the fix is:");
    let width = table.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    for (line, result) in &table {
        ctx.ui.info(format!("{line:<width$}  {result}"));
    }
    if table.len() == 1 && ctx.settings.release_branches.is_empty() {
        ctx.ui.info("(No other active release branches are configured: release-branches in [package.metadata.hotfix].)");
    }
    Ok(())
}

/// Cherry-picks `commits` onto a new branch from `remote/target`, pushes it and opens a PR into
/// `target`; returns the PR's URL. Already done (recorded, pushed or open): reused.
fn cherry_pick_pr(
    ctx: &mut Ctx<Hotfix>,
    branch: &str,
    target: &str,
    commits: &[String],
    title: &str,
    body: &str,
) -> Result<String> {
    if let Some(done) = ctx.rec.backports.iter().find(|b| b.branch == branch) {
        return Ok(done.url.clone());
    }
    let remote = ctx.settings.remote.clone();
    if ctx
        .git()
        .remote_sha(&remote, &format!("refs/heads/{branch}"))?
        .is_none()
    {
        ctx.git()
            .fetch("fetch the target branch", &remote, target)?;
        if !ctx.git().branch_exists(branch)? {
            ctx.git()
                .checkout_new_tracking(branch, &format!("{remote}/{target}"))?;
            for commit in commits {
                let out = ctx
                    .git()
                    .cherry_pick("cherry-pick the fix onto the branch", commit)?;
                if !out.success() {
                    bail!(
                        "the fix does not apply cleanly to {target}: {}\n\
                         The hotfix itself is released; only this line is left. You are on {branch}: resolve the \
                         conflicts, `git add` the files, `git cherry-pick --continue` (repeat for the remaining fix \
                         commits), push it (`git push -u {remote} {branch}`).",
                        out.stderr.trim()
                    );
                }
            }
        }
        ctx.push_public("push the backport branch", branch, true)?;
    }
    let file = ctx.keep_file(&format!("{}.md", branch.replace('/', "-")), body)?;
    let simulated = format!("{}/pull/0", ctx.github()?.url);
    let url = match ctx.gh().open_pr_for(branch)? {
        Some(pr) => pr.url,
        None => {
            super::step09_pr::create_or_find(ctx, title, &file, target, branch, &[], &simulated)?.1
        }
    };
    ctx.rec.backports.push(Backport {
        branch: branch.to_string(),
        url: url.clone(),
    });
    ctx.save()?;
    Ok(url)
}

/// The maintenance strategy's forward-port: the fix commits — not the version bump — into the trunk.
fn forward_port(ctx: &mut Ctx<Hotfix>, trunk: &str, tag: &str) -> Result<String> {
    let branch = format!("forward-port/{tag}");
    let commits = ctx.rec.fix.commits.clone();
    let pr_url = ctx.pr()?.url.clone();
    let (title, body) = texts::forward_port_pr(&ctx.facts()?, trunk, &pr_url);
    let url = cherry_pick_pr(ctx, &branch, trunk, &commits, &title, &body)?;
    ctx.rec.forward_port = Some(url.clone());
    ctx.remote_ok(format!("{trunk}: forward-port PR {url}"));
    Ok(url)
}

fn backport(ctx: &mut Ctx<Hotfix>, target: &str, tag: &str, merge_commit: &str) -> Result<String> {
    let branch = format!("backport/{tag}-{}", target.replace('/', "-"));
    let commits = ctx.rec.fix.commits.clone();
    let pr_url = ctx.pr()?.url.clone();
    let (title, body) = texts::backport_pr(&ctx.facts()?, target, &pr_url, merge_commit);
    let url = cherry_pick_pr(ctx, &branch, target, &commits, &title, &body)?;
    ctx.remote_ok(format!("{target}: backport PR {url}"));
    Ok(url)
}

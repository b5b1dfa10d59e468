//! Step 3: `hotfix/vX.Y.Z` from the base tag, or the existing branch when the maintainer says so.

use anyhow::Result;

use crate::error::Declined;
use crate::flow::Ctx;
use crate::record::Hotfix;

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let branch = ctx.plan()?.branch.clone();
    let base_tag = ctx.plan()?.base_tag.clone();
    let current = ctx.git().current_branch()?;
    if ctx.rec.original_branch.is_none() {
        ctx.rec.original_branch = current.clone();
        ctx.save()?;
    }
    if current.as_deref() == Some(branch.as_str()) {
        ctx.ui.ok(format!("On {branch}"));
        return Ok(());
    }
    if ctx.git().branch_exists(&branch)? {
        let tip = ctx.git().resolve_commit(&branch)?;
        let base = ctx.git().resolve_commit(&base_tag)?;
        // A branch still at the base tag holds nothing to lose or to confuse: just use it.
        if tip != base {
            let log = ctx.git().log_oneline(&format!("{base_tag}..{branch}"))?;
            ctx.ui.warn(format!(
                "{branch} already exists locally, with these commits on top of {base_tag}:"
            ));
            for line in log.lines() {
                ctx.ui.info(line);
            }
            let question = "Hotfix branch already exists. Continue on existing branch? (y/n)";
            if !ctx.prompter.yes_no(question)? {
                return Err(Declined(format!(
                    "Stopped at step 3: {branch} was left as it is.\n\
                     To start over, rename or delete it (after saving anything on it): \
                     `git branch -m {branch} {branch}-old`."
                ))
                .into());
            }
        }
        ctx.git().checkout(&branch)?;
        ctx.ui
            .ok(format!("Continuing on the existing branch {branch}"));
    } else {
        ctx.git().create_branch(&branch, &base_tag)?;
        ctx.ui
            .ok(format!("Created hotfix branch: {branch} (from {base_tag})"));
    }
    Ok(())
}

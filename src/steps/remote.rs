//! Steps 9–16 (push, PR, review, merge and tag, publish, advisory, announcement, backport, summary)
//! are not implemented yet: the run stops before anything leaves the machine, saying how to go on.

use anyhow::{bail, Result};

use super::Ctx;

pub fn not_yet(ctx: &mut Ctx) -> Result<()> {
    let branch = ctx.branch()?;
    let remote = ctx.opts.remote.clone();
    bail!(
        "steps 9–16 (push, PR, review, merge, tag, publish, advisory, announcement, backport) are not \
         available in caro-hotfix {} yet.\n\
         The hotfix is ready on {branch}: push it with `git push -u {remote} {branch}` and open the PR by hand.",
        env!("CARGO_PKG_VERSION")
    )
}

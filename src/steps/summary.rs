//! Step 16: the summary with the real URLs and the next steps; the hotfix is marked complete and its
//! record moved to `.git/caro-hotfix/history/`, so a new hotfix can start.

use anyhow::Result;

use super::Ctx;
use crate::texts;

pub fn run(ctx: &mut Ctx) -> Result<()> {
    let facts = ctx.facts()?;
    let advisory = ctx.state.advisory_url.clone().unwrap_or_else(|| {
        format!(
            "create manually: {}/security/advisories/new",
            facts.repo_url
        )
    });
    let backports: Vec<String> = ctx
        .state
        .backport_prs
        .iter()
        .filter_map(|p| p.split_whitespace().nth(1).map(str::to_string))
        .collect();
    let base_branch = ctx.state.base_branch.clone().unwrap_or_default();
    ctx.ui.blank();
    if ctx.opts.dry_run {
        ctx.ui.line(
            "Rehearsal: nothing below happened on the remote or GitHub; it is what the real run reports.",
        );
    }
    ctx.ui
        .line(texts::summary(&facts, &base_branch, &advisory, &backports));
    ctx.state.completed_at = Some(crate::state::now());
    Ok(())
}

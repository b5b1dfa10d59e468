//! Step 16: the summary with the real URLs and the next steps; the hotfix is marked complete and its
//! record moved to `.git/caro-hotfix/history/`, so a new hotfix can start.

use anyhow::Result;

use crate::flow::Ctx;
use crate::record::Hotfix;
use crate::texts;

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    // The summary says the hotfix is published: the tag it names is checked once more.
    super::lines::every(ctx, |ctx| ctx.check_tag_is_public())?;
    let facts = ctx.facts()?;
    let advisory = ctx.rec.advisory_url.clone().unwrap_or_else(|| {
        format!(
            "create manually: {}/security/advisories/new",
            facts.repo_url
        )
    });
    let backports: Vec<String> = ctx.rec.backports.iter().map(|b| b.url.clone()).collect();
    let base_branch = ctx.plan()?.base_branch.clone();
    ctx.ui.blank();
    ctx.ui.line(texts::summary(
        &facts,
        &base_branch,
        &advisory,
        &backports,
        ctx.settings.dry_run,
    ));
    // The exposure window (issue 28): from the first public ref holding the fix to the advisory.
    if let Some(window) = super::embargo::window(&ctx.rec.embargo) {
        ctx.ui.line(format!("Exposure window: {window}"));
    }
    ctx.rec.run.completed_at = Some(ctx.clock.now());
    Ok(())
}

//! Step 14: the announcement, filled with real values, saved beside the record and printed, with the
//! checklist of channels.

use anyhow::Result;

use crate::flow::Ctx;
use crate::record::Hotfix;
use crate::texts;

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    // Announce only what users can get.
    super::lines::every(ctx, |ctx| ctx.check_tag_is_public())?;
    let facts = ctx.facts()?;
    let text = texts::announcement(&facts, ctx.rec.advisory_url.as_deref());
    let file = ctx.keep_file("announcement.md", &text)?;
    ctx.ui.blank();
    ctx.ui.line(&text);
    ctx.ui.line(texts::CHANNELS);
    ctx.ui.blank();
    ctx.ui
        .ok(format!("The announcement is saved in {}", ctx.shown(&file)));
    Ok(())
}

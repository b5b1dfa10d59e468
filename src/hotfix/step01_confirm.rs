//! Step 1: the emergency warning and the typed `yes`. Nothing is written before it is given.

use anyhow::Result;

use crate::error::Declined;
use crate::flow::Ctx;
use crate::record::Hotfix;
use crate::texts;

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    ctx.ui.blank();
    ctx.ui.line(texts::warning());
    ctx.ui.blank();
    ctx.ui
        .line(format!("Hotfix: {}", ctx.rec.incident.description));
    if ctx.settings.lines.len() > 1 {
        ctx.ui.line(format!(
            "Release lines: {} — one fix, one release per line, one advisory",
            ctx.settings.lines.join(", ")
        ));
    }
    ctx.ui.blank();
    if !ctx.prompter.typed(texts::CONFIRM_PROMPT, "yes")? {
        let normal = ctx.settings.normal_release_command.clone();
        return Err(Declined(texts::declined(normal.as_deref())).into());
    }
    super::begin(ctx)
}

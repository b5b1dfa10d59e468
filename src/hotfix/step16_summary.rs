//! Step 16: the summary with the real URLs and the next steps; the hotfix is marked complete and its
//! record moved to `.git/caro-hotfix/history/`, so a new hotfix can start; the incident report
//! written beside it (`history/<version>.md`, see `report.rs`).

use anyhow::{Context, Result};

use crate::flow::Ctx;
use crate::record::Hotfix;
use crate::texts;

use super::report;

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
    // A rehearsal's record goes with its clone: no report, nothing to follow up.
    if ctx.settings.dry_run {
        return Ok(());
    }
    write_report(ctx)?;
    if super::advisory::wanted(&ctx.rec) {
        ctx.ui.info(
            "After disclosure: `caro-hotfix follow-up` checks, now or any day later, the advisory, \
             the CVE, GitHub's Advisory Database (what Dependabot reads), the RustSec PR, the \
             registry and the branches — each with what to do if it is not done — and refreshes the \
             incident report.",
        );
    }
    Ok(())
}

/// The incident report beside the record's place in `history/`, with who approved the PR as GitHub
/// reports it (unread: said so in the report).
fn write_report(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let Some(layout) = ctx.layout.clone() else {
        return Ok(());
    };
    let approved_by = approvals(ctx);
    let live = report::Live {
        rows: None,
        approved_by,
        written_at: ctx.clock.now(),
    };
    let dir = layout.history();
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    let path = dir.join(report::file_name(&ctx.rec));
    crate::fsx::write_atomic(&path, report::render(&ctx.rec, &live).as_bytes())?;
    ctx.ui
        .ok(format!("Wrote the incident report: {}", ctx.shown(&path)));
    Ok(())
}

/// Who approved the PR (`gh pr view --json reviews`); `None` when GitHub could not be asked.
pub fn approvals(ctx: &mut Ctx<Hotfix>) -> Option<Vec<String>> {
    let pr = ctx.rec.pr.clone()?;
    let simulated = format!(
        "{{\"number\":{},\"url\":\"{}\",\"reviews\":[]}}",
        pr.number, pr.url
    );
    let read = ctx
        .gh()
        .view_pr(pr.number, "number,url,author,reviews", &simulated)
        .ok()?;
    let author = read
        .author
        .as_ref()
        .map(|a| a.login.clone())
        .unwrap_or_default();
    let mut by: Vec<String> = Vec::new();
    for r in &read.reviews {
        let who = r
            .author
            .as_ref()
            .map(|a| a.login.clone())
            .unwrap_or_default();
        if r.state == "APPROVED" && !who.is_empty() && who != author && !by.contains(&who) {
            by.push(who);
        }
    }
    Some(by)
}

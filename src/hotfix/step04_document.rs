//! Step 4: severity, impact, advisory ids and credit; the SECURITY.md entry.
//!
//! Answers given as flags are not asked again. SECURITY.md is edited here and committed with the
//! version bump at step 6, as the reference does; step 5 knows to leave it alone.

use anyhow::Result;

use crate::flow::Ctx;
use crate::fsx;
use crate::logic::{advisory_id, security_md, Severity};
use crate::record::Hotfix;

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    ask_answers(ctx)?;
    ctx.save()?;

    let version = ctx.version()?;
    let crate_name = ctx.plan()?.crate_name.clone();
    let path = super::security_md_path(&ctx.repo);
    let shown = ctx.shown(&path);
    let existing = fsx::read_optional(&path)?;
    if existing
        .as_deref()
        .is_some_and(|text| security_md::has_entry(text, &crate_name, &version))
    {
        ctx.ui
            .ok(format!("{shown} already documents {crate_name} {version}"));
    } else {
        let date = ctx.clock.today();
        let text = security_md::add_entry(
            existing.as_deref(),
            &security_md::Entry {
                crate_name: &crate_name,
                version: &version,
                date: &date,
                incident: &ctx.rec.incident,
            },
        )?;
        fsx::write_atomic(&path, text.as_bytes())?;
        let verb = if existing.is_some() {
            "added an entry to"
        } else {
            "created"
        };
        ctx.ui
            .ok(format!("{verb} {shown} for {crate_name} {version}"));
    }

    let incident = &ctx.rec.incident;
    ctx.ui.blank();
    ctx.ui.line(format!("Hotfix {}", ctx.plan()?.tag.clone()));
    ctx.ui.blank();
    ctx.ui.line(format!("Issue: {}", incident.description));
    if let Some(severity) = incident.severity {
        ctx.ui.line(format!("Severity: {severity}"));
    }
    if !incident.impact.is_empty() {
        ctx.ui.line(format!("Impact: {}", incident.impact));
    }
    if !incident.advisory_ids.is_empty() {
        ctx.ui
            .line(format!("Advisory: {}", incident.advisory_ids.join(", ")));
    }
    if !incident.credit.is_empty() {
        ctx.ui.line(format!("Credit: {}", incident.credit));
    }
    Ok(())
}

/// Fills in whatever the flags did not answer.
fn ask_answers(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    // Answers given as flags are in the record from the start (and marked answered).
    if ctx.rec.incident.severity.is_none() {
        let items: Vec<&str> = Severity::ALL.iter().map(|s| s.title()).collect();
        ctx.rec.incident.severity =
            Some(Severity::ALL[ctx.prompter.select("Severity", &items, 0)?]);
    }
    if ctx.rec.incident.impact.is_empty() && !ctx.rec.has_answered("impact") {
        ctx.rec.incident.impact = ctx.prompter.text(
            "Impact (who is affected, and how; empty to fill in later)",
            None,
        )?;
    }
    ctx.rec.mark_answered("impact");
    if ctx.rec.incident.advisory_ids.is_empty() && !ctx.rec.has_answered("advisories") {
        let found = advisory_id::find_in(&ctx.rec.incident.description).join(", ");
        ctx.rec.incident.advisory_ids = loop {
            ctx.ui.info(
                "Advisory ids look like RUSTSEC-YYYY-NNNN, CVE-YYYY-NNNN or GHSA-xxxx-xxxx-xxxx.",
            );
            let answer = ctx.prompter.text(
                "Advisory ids (comma-separated; empty for none)",
                Some(&found),
            )?;
            match parse_ids(&answer) {
                Ok(ids) => break ids,
                Err(e) => ctx.ui.warn(format!("{e:#}")),
            }
        };
    }
    ctx.rec.mark_answered("advisories");
    if ctx.rec.incident.credit.is_empty() && !ctx.rec.has_answered("credit") {
        ctx.rec.incident.credit = ctx
            .prompter
            .text("Credit (who reported it; empty for none)", None)?;
    }
    ctx.rec.mark_answered("credit");
    Ok(())
}

fn parse_ids(answer: &str) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for part in answer.split([',', ' ']).filter(|p| !p.trim().is_empty()) {
        let id = advisory_id::validate(part)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

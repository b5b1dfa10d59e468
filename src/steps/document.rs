//! Step 4: severity, impact, advisory ids and credit; the SECURITY.md entry.
//!
//! Answers given as flags are not asked again. SECURITY.md is edited here and committed with the
//! version bump at step 6, as the reference does; step 5 knows to leave it alone.

use anyhow::Result;

use super::Ctx;
use crate::fsx;
use crate::logic::{advisory_id, security_md, Severity};
use crate::state;

pub fn run(ctx: &mut Ctx) -> Result<()> {
    ask_answers(ctx)?;
    ctx.save()?;

    let version = ctx.version()?;
    let crate_name = ctx.package()?.name;
    ctx.state.crate_name = Some(crate_name.clone());
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
        let date = state::today();
        let text = security_md::add_entry(
            existing.as_deref(),
            &security_md::Entry {
                crate_name: &crate_name,
                version: &version,
                date: &date,
                incident: &ctx.state.incident,
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

    let incident = &ctx.state.incident;
    ctx.ui.blank();
    ctx.ui.line(format!("Hotfix {}", ctx.tag()?));
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
fn ask_answers(ctx: &mut Ctx) -> Result<()> {
    let flags = ctx.opts.start.clone();
    if ctx.state.incident.severity.is_none() {
        ctx.state.incident.severity = Some(match flags.severity {
            Some(s) => s.into(),
            None => {
                let items: Vec<&str> = Severity::ALL.iter().map(|s| s.title()).collect();
                Severity::ALL[ctx.prompter.select("Severity", &items, 0)?]
            }
        });
    }
    if ctx.state.incident.impact.is_empty() && !ctx.state.has_answered("impact") {
        ctx.state.incident.impact = match flags.impact {
            Some(i) => i,
            None => ctx.prompter.text(
                "Impact (who is affected, and how; empty to fill in later)",
                None,
            )?,
        };
    }
    ctx.state.mark_answered("impact");
    if ctx.state.incident.advisory_ids.is_empty() && !ctx.state.has_answered("advisories") {
        ctx.state.incident.advisory_ids = if flags.advisories.is_empty() {
            let found = advisory_id::find_in(&ctx.state.incident.description).join(", ");
            loop {
                let answer = ctx.prompter.text(
                    "Advisory ids (RUSTSEC-YYYY-NNNN, CVE-YYYY-NNNN, GHSA-xxxx-xxxx-xxxx; comma-separated; empty for none)",
                    Some(&found),
                )?;
                match parse_ids(&answer) {
                    Ok(ids) => break ids,
                    Err(e) => ctx.ui.warn(format!("{e:#}")),
                }
            }
        } else {
            // Validated when the command line was read.
            flags.advisories.clone()
        };
    }
    ctx.state.mark_answered("advisories");
    if ctx.state.incident.credit.is_empty() && !ctx.state.has_answered("credit") {
        ctx.state.incident.credit = match flags.credit {
            Some(c) => c,
            None => ctx
                .prompter
                .text("Credit (who reported it; empty for none)", None)?,
        };
    }
    ctx.state.mark_answered("credit");
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

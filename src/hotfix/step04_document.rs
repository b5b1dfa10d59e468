//! Step 4: severity, impact, advisory ids and credit; the affected and patched versions of every
//! line (what stays vulnerable said plainly); the private GitHub advisory draft (`advisory.rs`); the
//! SECURITY.md entry.
//!
//! Answers given as flags are not asked again. SECURITY.md is edited here and committed with the
//! version bump at step 6, as the reference does; step 5 knows to leave it alone.

use anyhow::{Context, Result};

use crate::flow::Ctx;
use crate::fsx;
use crate::logic::version::latest_release;
use crate::logic::{advisory_id, affected, security_md, Severity};
use crate::record::Hotfix;
use crate::texts;

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    ask_answers(ctx)?;
    super::embargo::decide_disclosure_time(ctx)?;
    ctx.save()?;

    // The versions every text names, computed once; what stays vulnerable is said before the
    // advisory is created.
    decide_affected(ctx)?;
    ctx.save()?;
    let wanted = super::advisory::wanted(&ctx.rec);
    if wanted {
        ctx.github()?;
        super::advisory::create_draft(ctx)?;
        ctx.save()?;
    }

    if ctx.rec.lines.is_empty() {
        security_md(ctx)?;
    } else {
        let shown = ctx.shown(&super::security_md_path(&ctx.repo));
        ctx.ui.info(format!(
            "{shown} gets its entry on each line's branch, with the line's version (step 6)"
        ));
    }

    let incident = &ctx.rec.incident;
    ctx.ui.blank();
    let tags: Vec<String> = ctx.rec.plans().iter().map(|p| p.tag.clone()).collect();
    ctx.ui.line(format!("Hotfix {}", tags.join(", ")));
    ctx.ui.blank();
    ctx.ui.line(format!("Issue: {}", incident.description));
    if let Some(severity) = incident.severity {
        ctx.ui.line(format!("Severity: {severity}"));
    }
    if let Some(cvss) = &incident.cvss {
        ctx.ui.line(format!("CVSS: {cvss}"));
    }
    if !incident.cwe_ids.is_empty() {
        ctx.ui.line(format!("CWE: {}", incident.cwe_ids.join(", ")));
    }
    if !incident.impact.is_empty() {
        ctx.ui.line(format!("Impact: {}", incident.impact));
    }
    if !incident.advisory_ids.is_empty() {
        ctx.ui
            .line(format!("Advisory: {}", incident.advisory_ids.join(", ")));
    }
    if let Some(ghsa) = &ctx.rec.ghsa_id {
        ctx.ui
            .line(format!("GitHub advisory (private draft): {ghsa}"));
    }
    if !incident.credit.is_empty() {
        ctx.ui.line(format!("Credit: {}", incident.credit));
    }
    if ctx.settings.embargo {
        ctx.ui.blank();
        ctx.ui.info(format!(
            "Embargo: the fix stays private until the disclosure time — reviewed in the advisory's \
             private fork or locally, never pushed to a public ref before release day. Until the \
             advisory is published, the PR, the commits this tool writes, the tag, CHANGELOG.md and \
             SECURITY.md say only \"security fix\" and name {}; the details stay in the private \
             advisory.",
            texts::embargo_name(ctx.rec.ghsa_id.as_deref(), &ctx.rec.incident.advisory_ids)
        ));
    }
    Ok(())
}

/// The affected and patched versions of every line, from the release tags and `--introduced`:
/// computed once and recorded. An `--introduced` that is no release is said, and the first affected
/// release asked for instead (nothing is lost).
fn decide_affected(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    if ctx.rec.affected.is_none() {
        let prefix = ctx.plan()?.tag_prefix.clone();
        let releases: Vec<semver::Version> = ctx
            .git()
            .tags()?
            .iter()
            .filter_map(|t| latest_release([t.as_str()], &prefix).map(|r| r.version))
            .collect();
        let mut patches = Vec::new();
        for plan in ctx.rec.plans() {
            let base = semver::Version::parse(&plan.base_version)
                .with_context(|| format!("the record's base version `{}`", plan.base_version))?;
            let hotfix = semver::Version::parse(&plan.version)
                .with_context(|| format!("the record's version `{}`", plan.version))?;
            patches.push((base, hotfix));
        }
        let oldest_base = patches
            .iter()
            .map(|(b, _)| b.clone())
            .min()
            .context("no release line to patch")?;
        let mut introduced = match &ctx.rec.request.introduced {
            Some(v) => {
                Some(semver::Version::parse(v).with_context(|| format!("--introduced {v}"))?)
            }
            None => None,
        };
        let affected = loop {
            match affected::compute_lines(&releases, introduced.as_ref(), &patches) {
                Ok(a) => break a,
                Err(e) if introduced.is_some() => {
                    ctx.ui.warn(format!("{e:#}"));
                    let mut choices: Vec<&semver::Version> =
                        releases.iter().filter(|r| **r <= oldest_base).collect();
                    choices.sort();
                    choices.dedup();
                    let items: Vec<String> = choices.iter().map(|v| v.to_string()).collect();
                    let refs: Vec<&str> = items.iter().map(String::as_str).collect();
                    let i = ctx.prompter.select(
                        "The first release with the vulnerable code",
                        &refs,
                        0,
                    )?;
                    introduced = choices.get(i).map(|v| (*v).clone());
                }
                Err(e) => return Err(e),
            }
        };
        ctx.rec.affected = Some(affected);
    }
    let Some(a) = ctx.rec.affected.clone() else {
        return Ok(());
    };
    for l in &a.lines {
        match &l.patched {
            Some(p) => ctx.ui.ok(format!(
                "Line {}: {} affected ({}), fixed in {p}",
                l.line,
                l.released(),
                l.range()
            )),
            None => ctx.ui.warn(format!(
                "Line {}: {} affected ({}) and NOT patched by this hotfix: those releases stay vulnerable",
                l.line,
                l.released(),
                l.range()
            )),
        }
    }
    if let Some(text) = texts::stays_vulnerable(&a) {
        ctx.ui.warn(format!(
            "{text}. The advisory lists them as vulnerable with no patched version; release fixes for \
             those lines too, or tell their users to move to a fixed one."
        ));
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

/// The SECURITY.md entry of the hotfix (of the line in focus): added to the work tree, committed by
/// step 6 with the version bump. Already there: said, nothing written.
pub fn security_md(ctx: &mut Ctx<Hotfix>) -> Result<()> {
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
        let public = texts::public_incident(&ctx.rec, &ctx.settings);
        let text = security_md::add_entry(
            existing.as_deref(),
            &security_md::Entry {
                crate_name: &crate_name,
                version: &version,
                date: &date,
                incident: &public,
                affected: ctx.rec.affected.as_ref(),
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
    Ok(())
}

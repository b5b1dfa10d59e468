//! Step 8: `cargo audit --json`, read carefully.
//!
//! cargo-audit exits 1 both for findings and for a database it could not fetch, so stdout is checked
//! before it is parsed. Findings are listed and the maintainer decides; proceeding records them in the
//! CHANGELOG section. No cargo-audit, or no database: say which, offer to go on, record "audit skipped".

use anyhow::Result;

use crate::config::Audit as AuditSetting;
use crate::error::Declined;
use crate::flow::Ctx;
use crate::fsx;
use crate::logic::{audit, changelog};
use crate::ops::cargo;
use crate::record::Audit;
use crate::record::Hotfix;

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    if let Some(done) = &ctx.rec.audit {
        ctx.ui
            .ok(format!("Audit already recorded: {}", done.outcome()));
        return Ok(());
    }
    if ctx.settings.audit == AuditSetting::Off {
        let reason = "audit = \"off\" in the project's [package.metadata.hotfix]".to_string();
        ctx.ui.warn(format!("audit skipped: {reason}"));
        ctx.note(8, format!("audit skipped: {reason}"));
        ctx.rec.audit = Some(Audit::Skipped { reason });
        return Ok(());
    }
    // Not installed: said as skipped, without showing a `$ cargo audit` that never runs.
    if ctx.runner.which("cargo-audit").is_none() {
        return skip(
            ctx,
            "cargo-audit is not installed (install it with `cargo install cargo-audit --locked`)"
                .to_string(),
        );
    }
    let repo = ctx.repo.clone();
    let out = cargo::audit(&mut ctx.runner, &repo)?;
    let report = if out.stdout.trim().is_empty() {
        let reason = if out.stderr.contains("no such command")
            || out.stderr.contains("no such subcommand")
        {
            "cargo-audit is not installed (install it with `cargo install cargo-audit --locked`)"
                .to_string()
        } else {
            let first = out
                .stderr
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no output")
                .trim()
                .to_string();
            format!("cargo audit did not run: {first}")
        };
        return skip(ctx, reason);
    } else {
        match audit::parse(&out.stdout) {
            Ok(report) => report,
            Err(e) => {
                return skip(
                    ctx,
                    format!("the output of cargo audit could not be read: {e:#}"),
                )
            }
        }
    };

    if report.is_clean() {
        ctx.ui
            .ok("cargo audit: no known vulnerabilities or warnings");
        ctx.rec.audit = Some(Audit::Clean);
        return Ok(());
    }

    let findings: Vec<String> = report.all().map(|f| f.summary()).collect();
    ctx.ui.warn(format!(
        "cargo audit found {} vulnerabilit{} and {} warning{}:",
        report.vulnerabilities.len(),
        if report.vulnerabilities.len() == 1 {
            "y"
        } else {
            "ies"
        },
        report.warnings.len(),
        if report.warnings.len() == 1 { "" } else { "s" }
    ));
    for f in &findings {
        ctx.ui.info(format!("• {f}"));
    }
    // Vulnerabilities always need an answer; warnings (unmaintained, unsound…) only with
    // audit = "deny-warnings".
    let needs_answer = !report.vulnerabilities.is_empty()
        || (ctx.settings.audit == AuditSetting::DenyWarnings && !report.warnings.is_empty());
    let question =
        "New vulnerabilities found. These should be fixed if possible. Continue anyway? (y/n)";
    if needs_answer && !ctx.prompter.yes_no(question)? {
        let branch = ctx.plan()?.branch.clone();
        return Err(Declined(format!(
            "Stopped at step 8 to fix the audit findings. Update the affected dependencies on {branch} \
             (e.g. `cargo update -p <crate>`), commit."
        ))
        .into());
    }

    // Proceeding: the CHANGELOG section says what is still known to be wrong.
    let version = ctx.version()?;
    let path = ctx.changelog_path()?;
    let text = fsx::read_optional(&path)?.unwrap_or_default();
    let new = changelog::add_audit_findings(&text, &version, &findings)?;
    // Recorded already (an interrupted run got as far as its commit): nothing to add.
    let subject = format!("docs: Record cargo audit findings for {version}");
    let committed = ctx.git().message("HEAD")?.starts_with(&subject);
    if !(committed && new == text) {
        fsx::write_atomic(&path, new.as_bytes())?;
        ctx.git().add(std::slice::from_ref(&path))?;
        ctx.git().commit(
            "record the audit findings in the changelog",
            &subject,
            false,
        )?;
    }
    ctx.ui
        .ok(format!("Recorded the findings in {}", ctx.shown(&path)));
    ctx.rec.audit = Some(Audit::Findings { findings });
    Ok(())
}

fn skip(ctx: &mut Ctx<Hotfix>, reason: String) -> Result<()> {
    ctx.ui.warn(&reason);
    // Another line of this incident was answered for the same reason: not asked twice.
    let answered = ctx
        .rec
        .lines
        .iter()
        .any(|l| matches!(&l.audit, Some(Audit::Skipped { reason: r }) if *r == reason));
    if answered {
        ctx.ui
            .warn("audit skipped on this line too, as you chose for the line before");
        ctx.note(8, format!("audit skipped: {reason}"));
        ctx.rec.audit = Some(Audit::Skipped { reason });
        return Ok(());
    }
    if !ctx.prompter.yes_no("Continue without the audit? (y/n)")? {
        return Err(Declined(
            "Stopped at step 8: the audit did not run. Install or repair cargo-audit \
             (`cargo install cargo-audit --locked`; it needs network access to fetch the advisory database)."
                .into(),
        )
        .into());
    }
    ctx.ui.warn("audit skipped");
    ctx.note(8, format!("audit skipped: {reason}"));
    ctx.rec.audit = Some(Audit::Skipped { reason });
    Ok(())
}

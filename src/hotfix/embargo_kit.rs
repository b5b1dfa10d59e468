//! The embargo's pre-notification kit, for whoever must know before the public (distributions,
//! large downstream users): per line, `git format-patch` of the fix commits, and one embargo notice
//! with the affected and patched versions, the severity, the ids and the disclosure time. Written
//! under `.git/caro-hotfix/kit/` and named in the output; caro-hotfix never sends mail.
//!
//! The notice is private (it goes to the pre-notified under embargo): it describes the
//! vulnerability, as the advisory draft does.

use anyhow::{Context, Result};

use crate::flow::Ctx;
use crate::logic::disclosure;
use crate::record::Hotfix;
use crate::texts;

/// Writes the kit (again: it is rebuilt from the record and the branches each time).
pub fn write(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let dir = ctx
        .layout
        .as_ref()
        .context("there is no record yet (the first step has not run)")?
        .kit();
    let mut patches = Vec::new();
    for plan in ctx.rec.plans().into_iter().cloned().collect::<Vec<_>>() {
        let commits = commits_of(&ctx.rec, &plan.tag);
        let Some(last) = commits.last().cloned() else {
            continue;
        };
        let line_dir = dir.join(plan.line());
        if line_dir.exists() {
            std::fs::remove_dir_all(&line_dir)
                .with_context(|| format!("could not clear {}", line_dir.display()))?;
        }
        std::fs::create_dir_all(&line_dir)
            .with_context(|| format!("could not create {}", line_dir.display()))?;
        let files = ctx
            .git()
            .format_patch(&format!("{}..{last}", plan.base_tag), &line_dir)?;
        patches.push((plan.line(), plan.base_tag.clone(), plan.tag.clone(), files));
    }
    let facts = ctx.facts()?;
    let disclose_at = ctx
        .rec
        .embargo
        .disclose_at
        .as_deref()
        .and_then(|t| disclosure::disclosure_time(t).ok())
        .map(disclosure::shown)
        .unwrap_or_else(|| "to be announced".into());
    let mut lines = String::new();
    for (line, base_tag, tag, files) in &patches {
        lines += &format!(
            "- {line}: apply on {base_tag} (`git am {line}/*.patch`), released as {tag}: {}\n",
            files
                .iter()
                .map(|f| {
                    std::path::Path::new(f)
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let notice = texts::embargo_notice(&facts, &disclose_at, &lines);
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    crate::fsx::write_atomic(&dir.join("EMBARGO-NOTICE.md"), notice.as_bytes())?;
    let shown = dir
        .strip_prefix(&ctx.repo)
        .unwrap_or(&dir)
        .display()
        .to_string();
    ctx.ui.ok(format!(
        "Pre-notification kit written to {shown}/: EMBARGO-NOTICE.md and the patches of {} \
         (send them yourself, encrypted, to whoever must know before {disclose_at}; caro-hotfix sends no mail)",
        patches
            .iter()
            .map(|(l, ..)| l.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    ctx.rec.embargo.kit = Some(format!("{shown}/"));
    Ok(())
}

/// The fix commits of the line released as `tag` (the record unswapped or swapped alike).
fn commits_of(rec: &Hotfix, tag: &str) -> Vec<String> {
    if rec.plan.as_ref().is_some_and(|p| p.tag == tag) {
        return rec.fix.commits.clone();
    }
    rec.lines
        .iter()
        .find(|l| l.plan.tag == tag)
        .map(|l| l.fix.commits.clone())
        .unwrap_or_default()
}

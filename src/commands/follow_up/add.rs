//! What `follow-up` adds after a typed `yes`: a newly known id where it is missing.

use std::path::Path;

use anyhow::{Context, Result};

use crate::flow::Ctx;
use crate::hotfix::{advisory, rustsec_pr};
use crate::record::Hotfix;

use super::rows::{Found, Place};

/// Adds the new ids where they are missing, after a typed `yes`. Returns whether anything changed.
pub(super) fn add(ctx: &mut Ctx<Hotfix>, found: &Found) -> Result<bool> {
    let ids: Vec<String> = {
        let ids: Vec<String> = found
            .missing
            .iter()
            .map(|p| match p {
                Place::AdvisoryReferences(id)
                | Place::ReleaseNotes(_, id)
                | Place::RustsecDraft(id)
                | Place::RustsecPr(id)
                | Place::Announcement(id) => id.clone(),
            })
            .collect();
        let mut unique = Vec::new();
        for id in ids {
            if !unique.contains(&id) {
                unique.push(id);
            }
        }
        unique
    };
    ctx.ui.blank();
    if !ctx.prompter.typed(
        &format!(
            "Add {} where it is missing? (type 'yes')",
            ids.join(" and ")
        ),
        "yes",
    )? {
        ctx.ui.info("Nothing was added.");
        return Ok(false);
    }
    let mut draft_written = false;
    for place in &found.missing {
        let done = match place {
            Place::AdvisoryReferences(id) => {
                let ghsa = ctx.rec.ghsa_id.clone().unwrap_or_default();
                advisory::update(ctx, &ghsa)?;
                // Sent only when the description is still as this tool wrote it: read it back.
                let now = ctx.gh().advisory(&ghsa, "{}")?;
                if now["description"]
                    .as_str()
                    .unwrap_or("")
                    .contains(id.as_str())
                {
                    Some(format!(
                        "Added {id} to the references of the advisory {ghsa}"
                    ))
                } else {
                    ctx.ui.warn(format!(
                        "the advisory's description was edited on GitHub, so it is kept: add {id} \
                         to its references on its page: {}",
                        ctx.rec.advisory_url.clone().unwrap_or_default()
                    ));
                    None
                }
            }
            Place::ReleaseNotes(tag, cve) => release_notes(ctx, tag, cve)?,
            Place::RustsecDraft(cve) => {
                rustsec_pr::write_draft(ctx)?;
                draft_written = true;
                Some(format!("Added {cve} to the RustSec draft's aliases"))
            }
            Place::RustsecPr(cve) => {
                if !draft_written {
                    rustsec_pr::write_draft(ctx)?;
                    draft_written = true;
                }
                update_rustsec_pr(ctx, cve)?
            }
            Place::Announcement(cve) => {
                let facts = ctx.facts()?;
                let text = crate::texts::announcement(&facts, ctx.rec.advisory_url.as_deref());
                ctx.keep_file("announcement.md", &text)?;
                Some(format!(
                    "Added {cve} to the announcement (.git/caro-hotfix/announcement.md)"
                ))
            }
        };
        if let Some(done) = done {
            ctx.remote_ok(done);
        }
    }
    Ok(true)
}

/// The release's notes with a line naming the CVE.
pub(super) fn release_notes(ctx: &mut Ctx<Hotfix>, tag: &str, cve: &str) -> Result<Option<String>> {
    let Some(body) = ctx.gh().release_notes(tag)? else {
        return Ok(None);
    };
    let advisory = ctx.rec.advisory_url.clone().unwrap_or_default();
    let text = format!("{}\n\n**{cve}**: {advisory}\n", body.trim_end());
    let file = ctx.keep_file(&format!("release-notes-{tag}.md"), &text)?;
    let out = ctx.gh().edit_release_notes(tag, &file)?;
    if !out.success() {
        ctx.ui.warn(format!(
            "GitHub did not update the release notes of {tag}: {}",
            advisory::github_said(&out)
        ));
        return Ok(None);
    }
    Ok(Some(format!("Added {cve} to the release notes of {tag}")))
}

/// The RustSec PR's file with the CVE among its aliases: a commit on top of its branch.
pub(super) fn update_rustsec_pr(ctx: &mut Ctx<Hotfix>, cve: &str) -> Result<Option<String>> {
    let (Some(pr), Some(github), Some(draft)) = (
        ctx.rec.rustsec_pr.clone(),
        ctx.rec.github.clone(),
        ctx.rec.rustsec_draft.clone(),
    ) else {
        return Ok(None);
    };
    let fork_url = format!("{}/{}.git", rustsec_pr::web_root(&github.url), pr.fork);
    let crate_name = ctx.plan()?.crate_name.clone();
    let from = (fork_url.clone(), pr.branch.clone());
    rustsec_pr::push_branch(
        ctx,
        &from,
        &fork_url,
        Path::new(&draft),
        &crate_name,
        &pr.branch,
        &format!("Add {cve} to the aliases"),
    )
    .context("could not update the RustSec PR's branch")?;
    Ok(Some(format!(
        "Added {cve} to the RustSec PR: {}",
        pr.url.unwrap_or_default()
    )))
}

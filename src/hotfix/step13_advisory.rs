//! Step 13: the GitHub security advisory goes public, in the right order: the draft of step 4 is
//! brought up to date with the final data, and published (`PATCH state=published`) only once the
//! patched version is visible in the registry and after a typed `yes`. A failure, or a `no`, keeps
//! the draft and says how to publish it by hand. Then the RustSec draft is written for a PR to
//! rustsec/advisory-db.
//!
//! A draft step 4 could not create (no permission, advisories off) is tried once more here; refused
//! again, the manual link is printed and the JSON kept; the hotfix goes on.

use anyhow::Result;

use crate::flow::Ctx;
use crate::logic::{registry, rustsec_draft};
use crate::ops::index::{self, IndexFile};
use crate::record::Hotfix;

use super::advisory;

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    if !advisory::wanted(&ctx.rec) {
        ctx.ui
            .ok("Not a security hotfix (no severity or advisory id): no advisory to publish");
        ctx.note(13, "no advisory: not a security hotfix");
        return Ok(());
    }
    if ctx.rec.advisory_published {
        ctx.ui.ok(format!(
            "The advisory is published: {}",
            ctx.rec.advisory_url.clone().unwrap_or_default()
        ));
        return write_rustsec_draft(ctx);
    }
    if ctx.rec.ghsa_id.is_none() {
        if let Some(url) = ctx.rec.advisory_url.clone() {
            // A record from before 0.3 created its advisory here, without recording its id.
            ctx.ui.ok(format!("The advisory exists already: {url}"));
            return Ok(());
        }
        advisory::create(ctx, 13)?;
        ctx.save()?;
    }
    let (Some(ghsa), Some(url)) = (ctx.rec.ghsa_id.clone(), ctx.rec.advisory_url.clone()) else {
        // Refused: the manual link and the kept JSON were said.
        return write_rustsec_draft(ctx);
    };
    let repo = ctx.facts()?.repo;
    if !advisory::update(ctx, &ghsa)? {
        ctx.ui.info(advisory::by_hand(&url, &repo, &ghsa));
        ctx.note(
            13,
            format!("advisory {ghsa} left as a draft: the update failed"),
        );
        return write_rustsec_draft(ctx);
    }
    ctx.remote_ok(format!("The advisory draft {ghsa} carries the final data"));

    if !patched_is_visible(ctx)? {
        ctx.ui.info(advisory::by_hand(&url, &repo, &ghsa));
        ctx.note(
            13,
            format!("advisory {ghsa} left as a draft: the release is not visible"),
        );
        return write_rustsec_draft(ctx);
    }
    ctx.ui.info(format!(
        "Publishing makes {ghsa} public: its description, impact, credit and affected versions, \
         and GitHub alerts the users of every affected version. Review it first: {url}"
    ));
    if !ctx
        .prompter
        .typed("Publish the advisory now? (type 'yes')", "yes")?
    {
        ctx.ui.warn(format!("{ghsa} is not published."));
        ctx.ui.info(advisory::by_hand(&url, &repo, &ghsa));
        ctx.note(13, format!("advisory {ghsa} left as a draft, by choice"));
        return write_rustsec_draft(ctx);
    }
    if advisory::publish(ctx, &ghsa)? {
        ctx.remote_ok(format!("Published the security advisory {ghsa}: {url}"));
        ctx.save()?;
    } else {
        ctx.ui.info(advisory::by_hand(&url, &repo, &ghsa));
        ctx.note(
            13,
            format!("advisory {ghsa} left as a draft: publishing failed"),
        );
    }
    write_rustsec_draft(ctx)
}

/// Every line's patched version is in the registry's index (step 12 waited for it; a resumed run looks
/// again). A rehearsal published nothing and says what the real run checks.
fn patched_is_visible(ctx: &mut Ctx<Hotfix>) -> Result<bool> {
    let plans: Vec<crate::record::Plan> = ctx.rec.plans().into_iter().cloned().collect();
    let mut all = true;
    for plan in plans {
        all &= line_is_visible(ctx, &plan)?;
    }
    Ok(all)
}

/// One line's patched version is in the registry's index.
fn line_is_visible(ctx: &mut Ctx<Hotfix>, plan: &crate::record::Plan) -> Result<bool> {
    if ctx.settings.dry_run {
        ctx.ui.ok(format!(
            "(simulated) The real run checks here that {} {} is in the registry",
            plan.crate_name, plan.version
        ));
        return Ok(true);
    }
    let url = ctx.index_url(&plan.crate_name)?;
    match index::fetch(&mut ctx.runner, &url) {
        Ok(IndexFile::Found(file)) if registry::version_line(&file, &plan.version).is_some() => {
            ctx.ui.ok(format!(
                "{} {} is visible in the registry",
                plan.crate_name, plan.version
            ));
            Ok(true)
        }
        Ok(_) => {
            ctx.ui.warn(format!(
                "{} {} is not visible in the registry ({url}): the advisory stays a draft until it is",
                plan.crate_name, plan.version
            ));
            Ok(false)
        }
        Err(e) => {
            ctx.ui.warn(format!(
                "could not check the registry for {} {} ({e:#}): the advisory stays a draft",
                plan.crate_name, plan.version
            ));
            Ok(false)
        }
    }
}

/// `advisory-db/crates/<crate>/RUSTSEC-0000-0000.md` beside the record, to submit; a copy with a
/// local id in `advisory-db-check/`, which cargo-audit reports (it skips the placeholder); and how to
/// check and submit it.
fn write_rustsec_draft(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let Some(written) = super::rustsec_pr::write_draft(ctx)? else {
        return Ok(());
    };
    let crate_name = ctx.plan()?.crate_name.clone();
    let check_id = rustsec_draft::check_id(&ctx.clock.today());
    let (db, path) = written[0].clone();
    let check = written[1].0.clone();
    ctx.rec.rustsec_draft = Some(path.display().to_string());
    let shown = ctx.shown(&path);
    ctx.ui.ok(format!("Wrote the RustSec draft: {shown}"));
    ctx.ui.info(format!(
        "Check it with cargo-audit in a project that uses {crate_name}: \
         `cargo audit --db {} --no-fetch --no-yanked` (a copy with the local id {check_id}: \
         cargo-audit never reports the {} placeholder).",
        ctx.shown(&check),
        rustsec_draft::PLACEHOLDER_ID
    ));
    if let Some(id) = ctx
        .rec
        .incident
        .advisory_ids
        .iter()
        .find(|id| id.starts_with("RUSTSEC-"))
    {
        ctx.ui.info(format!(
            "{id} exists already: compare the draft with it instead of submitting a new one."
        ));
    } else if ctx.rec.advisory_published && ctx.rec.github.is_some() {
        super::rustsec_pr::offer(ctx, &path, &crate_name)?;
    } else {
        ctx.ui.info(format!(
            "Submit it to the RustSec advisory database once the advisory is public: fork \
             https://github.com/rustsec/advisory-db, add crates/{crate_name}/{}.md from {} and open a \
             PR (its maintainers assign the id); `caro-hotfix follow-up` says when.",
            rustsec_draft::PLACEHOLDER_ID,
            ctx.shown(&db)
        ));
    }
    Ok(())
}

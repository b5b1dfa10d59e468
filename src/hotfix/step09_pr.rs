//! Step 9: push the hotfix branch and open the PR — the reference's title and body filled with real
//! values, the body passed as a file. Labels the repository lacks are created, or dropped with a
//! warning; an open PR for the branch is reused.

use anyhow::{bail, Context, Result};

use crate::flow::Ctx;
use crate::record::{Hotfix, Pr};
use crate::texts;

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    // Under embargo the fix goes to the advisory's private fork (or nowhere), never public yet.
    if ctx.in_private_phase() {
        return super::embargo_private::private_pr(ctx);
    }
    public_pr(ctx)
}

/// The branch pushed to the public repository and the public PR opened: step 9, or release day.
pub(super) fn public_pr(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    // Nothing placeholder goes public.
    ctx.ensure_impact()?;
    // The repository on GitHub, read once: every text from here on names it.
    ctx.github()?;
    let branch = ctx.plan()?.branch.clone();
    let remote = ctx.settings.remote.clone();
    let base_branch = ctx.plan()?.base_branch.clone();

    // Push unless the remote already has exactly this branch tip. Never a force-push.
    let head = ctx
        .git()
        .resolve_commit(&branch)?
        .with_context(|| format!("the branch {branch} no longer exists locally"))?;
    let remote_sha = ctx
        .git()
        .remote_sha(&remote, &format!("refs/heads/{branch}"))?;
    if remote_sha.as_deref() == Some(head.as_str()) {
        ctx.ui.ok(format!("{branch} is already on {remote}"));
    } else {
        super::embargo::warn_if_fix_messages_tell(ctx)?;
        ctx.push_public("push the hotfix branch", &branch, true)?;
    }

    // The maintenance strategy's branch, made from the base tag when the remote lacks it: a new
    // branch, never a force-push.
    if ctx.plan()?.strategy == crate::config::Strategy::Maintenance
        && ctx
            .git()
            .remote_sha(&remote, &format!("refs/heads/{base_branch}"))?
            .is_none()
    {
        let base_tag = ctx.plan()?.base_tag.clone();
        ctx.push_public(
            "create the maintenance branch",
            &format!("{base_tag}^{{commit}}:refs/heads/{base_branch}"),
            false,
        )?;
        ctx.remote_ok(format!("Created {base_branch} on {remote} from {base_tag}"));
    }

    if let Some(pr) = &ctx.rec.pr {
        ctx.ui
            .ok(format!("PR #{} is already open: {}", pr.number, pr.url));
        return Ok(());
    }
    let facts = ctx.facts()?;
    ctx.save()?;
    if !ctx.settings.dry_run {
        if let Some(pr) = ctx.gh().open_pr_for(&branch)? {
            ctx.ui
                .ok(format!("Reusing the open PR #{}: {}", pr.number, pr.url));
            ctx.rec.pr = Some(Pr {
                number: pr.number,
                url: pr.url,
            });
            return Ok(());
        }
    }

    let labels = usable_labels(ctx)?;
    let body = texts::pr_body(&facts);
    let body_file = ctx.keep_file("pr-body.md", &body)?;
    let simulated_url = format!("{}/pull/0", facts.repo_url);
    let title = texts::pr_title(&facts);
    let (number, url) = create_or_find(
        ctx,
        &title,
        &body_file,
        &base_branch,
        &branch,
        &labels,
        &simulated_url,
    )?;
    ctx.remote_ok(format!("Opened PR #{number}: {url}"));
    ctx.rec.pr = Some(Pr { number, url });
    Ok(())
}

/// Opens a PR from `head`, or finds the one a failed attempt opened anyway: gh 2.23 never
/// retries, and after a lost answer the PR exists while gh says it failed (a retry is then refused
/// with "already exists"). So a failure is followed by a lookup by head; a transient failure with
/// no PR behind it is retried (the lookup first, each time), anything else stops the step.
pub(super) fn create_or_find(
    ctx: &mut Ctx<Hotfix>,
    title: &str,
    body_file: &std::path::Path,
    base: &str,
    head: &str,
    labels: &[String],
    simulated_url: &str,
) -> Result<(u64, String)> {
    const ATTEMPTS: usize = 3;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let out = ctx
            .gh()
            .create_pr(title, body_file, base, head, labels, simulated_url)?;
        if out.success() {
            let url = out
                .stdout
                .lines()
                .rev()
                .find(|l| l.contains("/pull/"))
                .map(str::trim)
                .with_context(|| {
                    format!(
                        "`gh pr create` did not print the PR's URL: {}",
                        out.stdout.trim()
                    )
                })?
                .to_string();
            let number: u64 = url
                .rsplit('/')
                .next()
                .and_then(|n| n.parse().ok())
                .with_context(|| format!("could not read the PR number from {url}"))?;
            return Ok((number, url));
        }
        // Did it open the PR anyway?
        if let Some(pr) = ctx.gh().open_pr_for(head)? {
            ctx.ui.warn(format!(
                "`gh pr create` failed ({}), but the PR exists: #{} {}",
                out.message(),
                pr.number,
                pr.url
            ));
            return Ok((pr.number, pr.url));
        }
        if attempt < ATTEMPTS && out.transient() {
            let pause = out.pause(attempt - 1, &ctx.clock).with_context(|| {
                format!("could not open the PR from {head} into {base}; none is open")
            })?;
            ctx.ui.warn(format!(
                "`gh pr create` failed ({}); no PR was opened: trying again",
                out.message()
            ));
            ctx.clock.back_off(pause);
            continue;
        }
        bail!(
            "could not open the PR from {head} into {base}: {}\n\
             No PR from {head} is open on GitHub. Fix the cause, then `caro-hotfix resume`.",
            out.message()
        );
    }
}

/// The configured labels that exist or could be created; the rest dropped with a warning.
fn usable_labels(ctx: &mut Ctx<Hotfix>) -> Result<Vec<String>> {
    let wanted = ctx.settings.labels.clone();
    if wanted.is_empty() {
        return Ok(wanted);
    }
    // A failed listing is not "no labels": creating them all would fail or duplicate.
    let existing = ctx.gh().labels().context(
        "could not list the repository's labels; nothing was opened — `caro-hotfix resume` tries again",
    )?;
    let mut usable = Vec::new();
    for label in wanted {
        if existing.iter().any(|l| l.eq_ignore_ascii_case(&label)) {
            usable.push(label);
            continue;
        }
        if create_label(ctx, &label)? {
            usable.push(label);
        }
    }
    Ok(usable)
}

/// Creates a missing label; false when the repository refuses it (the PR then goes without it).
/// A transient failure is looked up — this call may have created it before its answer was lost —
/// then tried again; still failing, the step stops (nothing is opened yet, `resume` tries again).
fn create_label(ctx: &mut Ctx<Hotfix>, label: &str) -> Result<bool> {
    let mut attempt = 0;
    loop {
        let out = ctx.gh().create_label(label)?;
        if out.simulated {
            return Ok(true);
        }
        if out.success() {
            ctx.ui.ok(format!("Created the missing label `{label}`"));
            return Ok(true);
        }
        // Created by someone else meanwhile, or by this call before its answer was lost.
        if out.stderr.contains("already exists")
            || ctx
                .gh()
                .labels()
                .is_ok_and(|now| now.iter().any(|l| l.eq_ignore_ascii_case(label)))
        {
            return Ok(true);
        }
        if !out.transient() {
            ctx.ui.warn(format!(
                "the repository has no label `{label}` and it could not be created ({}); the PR goes without it",
                out.message()
            ));
            return Ok(false);
        }
        if attempt >= crate::ops::retry::RETRIES {
            bail!(
                "could not create the label `{label}`: {}\nNo PR was opened yet.",
                out.message()
            );
        }
        let pause = out.pause(attempt, &ctx.clock).with_context(|| {
            format!("could not create the label `{label}`; no PR was opened yet")
        })?;
        ctx.ui.warn(format!(
            "`gh label create {label}` failed ({}): trying again",
            out.message()
        ));
        ctx.clock.back_off(pause);
        attempt += 1;
    }
}

//! Step 11: squash-merge the PR (only if its head is still what was tested), update the base branch,
//! and put an annotated tag on the **merge commit** — not on whatever the base branch points at —
//! then push the tag.

use anyhow::{bail, Context, Result};

use crate::flow::Ctx;
use crate::record::Hotfix;
use crate::texts;

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let number = ctx.pr()?.number;
    let branch = ctx.plan()?.branch.clone();
    let remote = ctx.settings.remote.clone();
    let base_branch = ctx.plan()?.base_branch.clone();

    // Merge, unless that already happened.
    let merge_commit = match ctx.rec.release.merge_commit.clone() {
        Some(c) => c,
        None => {
            // After a merge gh deletes the local branch too: only an unmerged PR needs it.
            let local = ctx.git().resolve_commit(&branch)?;
            let simulated = format!(
                r#"{{"state":"OPEN","headRefOid":"{}"}}"#,
                local.as_deref().unwrap_or("")
            );
            let pr = ctx.gh().view_pr(number, "state,headRefOid", &simulated)?;
            let head = match (&local, pr.state.as_str()) {
                (Some(h), _) => h.clone(),
                (None, "MERGED") => pr.head_ref_oid.clone().unwrap_or_default(),
                (None, _) => bail!(
                    "the branch {branch} no longer exists locally and PR #{number} is not merged: \
                     recreate it (`git branch {branch} {remote}/{branch}`)"
                ),
            };
            if pr.state != "MERGED" {
                if pr.head_ref_oid.as_deref().is_some_and(|h| h != head) {
                    bail!(
                        "PR #{number}'s head moved: it is {} on GitHub but {head} here, which is what was tested.\n\
                         Bring {branch} up to date (`git pull {remote} {branch}`); the tests will not run again: \
                         check the new commits yourself.",
                        pr.head_ref_oid.as_deref().unwrap_or("?")
                    );
                }
                merge(ctx, number, &head, &branch, &remote)?;
            }
            let simulated = format!(r#"{{"state":"MERGED","mergeCommit":{{"oid":"{head}"}}}}"#);
            let pr = ctx.gh().view_pr(number, "state,mergeCommit", &simulated)?;
            let oid = pr
                .merge_commit
                .map(|m| m.oid)
                .filter(|o| !o.is_empty())
                .with_context(|| {
                    format!(
                        "GitHub reports no merge commit for PR #{number} (state {})",
                        pr.state
                    )
                })?;
            ctx.rec.release.merge_commit = Some(oid.clone());
            ctx.save()?;
            oid
        }
    };

    // The base branch, up to date (it now holds the squash merge).
    if ctx.git().branch_exists(&base_branch)? {
        ctx.git().checkout(&base_branch)?;
        ctx.git().pull_ff_only(&remote, &base_branch)?;
    } else if ctx
        .git()
        .remote_sha(&remote, &format!("refs/heads/{base_branch}"))?
        .is_some()
    {
        ctx.git()
            .fetch("fetch the base branch", &remote, &base_branch)?;
        ctx.git()
            .checkout_new_tracking(&base_branch, &format!("{remote}/{base_branch}"))?;
    } else if ctx.settings.dry_run {
        // The rehearsal only printed the push that creates the maintenance branch: make it here.
        let base_tag = ctx.plan()?.base_tag.clone();
        ctx.git()
            .checkout_new_tracking(&base_branch, &format!("{base_tag}^{{commit}}"))?;
    } else {
        bail!(
            "{base_branch} does not exist on {remote}: it should hold the merged PR #{number}; \
             check the PR's base"
        );
    }
    if !ctx.git().has_commit(&merge_commit)? {
        bail!(
            "the merge commit {merge_commit} of PR #{number} is not in {base_branch} after `git pull`: \
             check {remote}/{base_branch}"
        );
    }

    // The tags, on the merge commit: the crate's, then those of the crates released with it.
    let mut checked = false;
    for tag in ctx.plan()?.tags() {
        put_tag(
            ctx,
            &tag,
            &merge_commit,
            &base_branch,
            &remote,
            &mut checked,
        )?;
    }
    ctx.rec.release.tagged = true;
    ctx.remote_ok(format!(
        "Tagged {} as {} and pushed {}",
        &merge_commit[..12.min(merge_commit.len())],
        ctx.plan()?.tags().join(", "),
        if ctx.plan()?.tags().len() == 1 {
            "it"
        } else {
            "them"
        }
    ));
    Ok(())
}

/// One tag on the merge commit, pushed; the pre-tag checks run before the first tag is made.
fn put_tag(
    ctx: &mut Ctx<Hotfix>,
    tag: &str,
    merge_commit: &str,
    base_branch: &str,
    remote: &str,
    checked: &mut bool,
) -> Result<()> {
    let on_remote = ctx.git().remote_tag_commit(remote, tag)?;
    match on_remote {
        Some(target) if target == merge_commit => {
            ctx.ui.ok(format!("{tag} is already on {remote}, on the merge commit"));
        }
        Some(target) => bail!(
            "{tag} already exists on {remote} but points at {target}, not at the merge commit {merge_commit}.\n\
             caro-hotfix never moves or deletes a tag: find out who created it before going on."
        ),
        None => {
            let local = ctx.git().resolve_commit(&format!("refs/tags/{tag}"))?;
            match local {
                Some(target) if target != merge_commit => bail!(
                    "a local tag {tag} exists and points at {target}, not at the merge commit {merge_commit}.\n\
                     If it is a leftover, rename it (`git tag {tag}-old {tag} && git tag -d {tag}`)."
                ),
                Some(_) => ctx.ui.ok(format!("{tag} already exists locally on the merge commit")),
                None => {
                    if !*checked {
                        pre_tag_checks(ctx, merge_commit, base_branch)?;
                        *checked = true;
                    }
                    let facts = ctx.facts()?;
                    let sign = ctx.settings.sign_tag;
                    ctx.git().tag(tag, &texts::tag_message(&facts), sign, merge_commit)?;
                }
            }
            ctx.push_public("push the release tag", tag, false)?;
        }
    }
    Ok(())
}

/// Squash-merges, surviving gh 2.23's single attempt: after a failure the PR's state is read
/// first — a lost answer leaves it merged (gh then skips deleting the branch) — and only a
/// transient failure of a merge that did not happen is tried again.
fn merge(ctx: &mut Ctx<Hotfix>, number: u64, head: &str, branch: &str, remote: &str) -> Result<()> {
    const ATTEMPTS: u64 = 3;
    let mut attempt = 0;
    loop {
        attempt += 1;
        // Under embargo the squash message is the tool's own, never the commits' messages.
        let message = texts::merge_message(&ctx.facts()?, number);
        let out = ctx.gh().merge_pr(
            number,
            head,
            message.as_ref().map(|(s, b)| (s.as_str(), b.as_str())),
        )?;
        if out.success() || out.simulated {
            ctx.remote_ok(format!("Squash-merged PR #{number}"));
            return Ok(());
        }
        let detail = out.message().to_string();
        let pr = ctx.gh().view_pr(number, "state", "{}")?;
        if pr.state == "MERGED" {
            ctx.ui.warn(format!(
                "`gh pr merge` failed ({detail}) but PR #{number} is merged; its branch may be left on \
                 {remote} (`git push {remote} --delete {branch}` removes it)"
            ));
            return Ok(());
        }
        if attempt < ATTEMPTS && out.transient() {
            let pause = out
                .pause(attempt as usize - 1, &ctx.clock)
                .with_context(|| format!("could not merge PR #{number}; it is not merged"))?;
            ctx.ui.warn(format!(
                "`gh pr merge` failed ({detail}); PR #{number} is not merged: trying again"
            ));
            ctx.clock.back_off(pause);
            continue;
        }
        bail!(
            "could not merge PR #{number}: {detail}\n\
             It is not merged. Fix the cause, then `caro-hotfix resume`."
        );
    }
}

/// What the publish workflow will run, run first on the merge commit: a pushed tag is immutable, so
/// it must never point at a commit that fails to publish. Default `cargo package --locked`: the
/// packaging and the build from the packaged sources that `cargo publish --dry-run` does, without its
/// request to the registry (which fails offline and adds nothing step 2 has not checked: whether the
/// version is taken). `pre-tag-commands` in the configuration replaces it (`[]`: none).
fn pre_tag_checks(ctx: &mut Ctx<Hotfix>, merge_commit: &str, base_branch: &str) -> Result<()> {
    let commands = match ctx.settings.pre_tag_commands.clone() {
        Some(c) => c,
        None => {
            // Every crate released here, packaged together (cargo resolves the new versions of
            // the others from the workspace, not from the registry).
            let mut argv: Vec<String> = ["cargo", "package", "--locked"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            for (name, _, _) in ctx.plan()?.releases() {
                argv.push("--package".into());
                argv.push(name);
            }
            vec![argv]
        }
    };
    if commands.is_empty() {
        return Ok(());
    }
    let at_merge = ctx.git().head()? == merge_commit;
    if !at_merge {
        ctx.git().checkout(merge_commit)?;
    }
    let repo = ctx.repo.clone();
    let mut failure = None;
    for argv in &commands {
        let out =
            crate::ops::cargo::run_argv(&mut ctx.runner, &repo, argv, "run the pre-tag check")?;
        if !out.success() {
            failure = Some((argv.join(" "), out));
            break;
        }
    }
    if !at_merge {
        ctx.git().checkout(base_branch)?;
    }
    if let Some((command, out)) = failure {
        let both = format!("{}{}", out.stdout, out.stderr);
        let lines: Vec<&str> = both.lines().collect();
        for line in &lines[lines.len().saturating_sub(60)..] {
            ctx.ui.line(*line);
        }
        bail!(
            "the pre-tag check `{command}` failed on the merge commit {}: the tag was not created, because a \
             pushed tag cannot be taken back. Fix the cause with a follow-up PR into {base_branch} \
             (or set pre-tag-commands in [package.metadata.hotfix] if this check does not match your publish \
             workflow).",
            &merge_commit[..12.min(merge_commit.len())]
        );
    }
    ctx.ui.ok("Pre-tag checks passed on the merge commit");
    Ok(())
}

//! Every release line of one incident (`--line 1.4 --line 1.3 --line 0.9`).
//!
//! The record keeps the first (newest) line's plan and progress where a one-line hotfix keeps them
//! (`plan`, `fix`, `pr`, `release`…), and every other line's in [`Line`]. A step that works line by
//! line runs once per line through [`each`]: for another line, that line's values are swapped into
//! the record's own places while the step runs (the record is still written unswapped), so the step's
//! code is the one-line code. What a line finished is recorded per line (`done`), so a resumed step
//! continues each line where it stopped and never does a line's work twice.
//!
//! The waits of steps 10–12 are line by line too, but every line's PR is opened (step 9) and every
//! tag pushed (step 11) before the next wait begins, so GitHub and the registry work on all lines at
//! once: while one line is waited for, the others go on, and the wait for them finds them done.
//!
//! The fix is made once, on the first line (step 5), and carried to the other lines as the same
//! commits (`git cherry-pick -x`, [`carry`]).

use anyhow::{bail, Result};

use crate::flow::Ctx;
use crate::record::{Hotfix, Line};

/// Runs `step` (numbered `number`) for every line not finished with it, the first line first.
/// With one line, it is just `step`.
pub fn each(
    ctx: &mut Ctx<Hotfix>,
    number: u8,
    step: fn(&mut Ctx<Hotfix>) -> Result<()>,
) -> Result<()> {
    if ctx.rec.lines.is_empty() {
        return step(ctx);
    }
    for i in 0..=ctx.rec.lines.len() {
        let index = i.checked_sub(1);
        on_line(ctx, index, number, step)?;
    }
    Ok(())
}

/// Step 3: every line's hotfix branch, from its base tag; the work goes on on the first line's,
/// where the fix is made.
pub fn branches(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    each(ctx, 3, super::step03_branch::run)?;
    if !ctx.rec.lines.is_empty() {
        on_branch(ctx)?;
    }
    Ok(())
}

/// Runs `step` for the first line (`None`) or `lines[i]`, unless that line finished it already.
fn on_line(
    ctx: &mut Ctx<Hotfix>,
    index: Option<usize>,
    number: u8,
    step: fn(&mut Ctx<Hotfix>) -> Result<()>,
) -> Result<()> {
    let (name, tag) = match index {
        None => {
            let plan = ctx.plan()?;
            (plan.line(), plan.tag.clone())
        }
        Some(i) => match ctx.rec.lines.get(i) {
            Some(line) => (line.name(), line.plan.tag.clone()),
            None => bail!("the record has no line {i}"),
        },
    };
    let done = match index {
        None => ctx.rec.first_line_done.contains(&number),
        Some(i) => ctx.rec.lines[i].done.contains(&number),
    };
    if done {
        ctx.ui.ok(format!("Line {name} ({tag}): done earlier"));
        return Ok(());
    }
    ctx.ui.blank();
    ctx.ui.line(format!("  ── Line {name}: {tag} ──"));
    let result = focused(ctx, index, |ctx| {
        if (5..=8).contains(&number) {
            on_branch(ctx)?;
        }
        step(ctx)
    });
    result.map_err(|e| e.context(format!("line {name} ({tag})")))?;
    match index {
        None => ctx.rec.first_line_done.push(number),
        Some(i) => ctx.rec.lines[i].done.push(number),
    }
    ctx.save()
}

/// Runs `f` with `lines[i]`'s values in the record's own places (`None`: the first line's, as they
/// are); they are swapped back however `f` ends.
pub fn focused<T>(
    ctx: &mut Ctx<Hotfix>,
    index: Option<usize>,
    f: impl FnOnce(&mut Ctx<Hotfix>) -> Result<T>,
) -> Result<T> {
    let Some(i) = index else {
        return f(ctx);
    };
    ctx.rec.swap_line(i);
    ctx.rec.focus = Some(i);
    let result = f(ctx);
    ctx.rec.swap_line(i);
    ctx.rec.focus = None;
    result
}

/// Runs `f` once for every line, the first line first (no progress recorded: for checks).
pub fn every(ctx: &mut Ctx<Hotfix>, f: fn(&mut Ctx<Hotfix>) -> Result<()>) -> Result<()> {
    f(ctx)?;
    for i in 0..ctx.rec.lines.len() {
        focused(ctx, Some(i), f)?;
    }
    Ok(())
}

/// Checks out the line's hotfix branch (steps 5–8 work in the tree).
fn on_branch(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let branch = ctx.plan()?.branch.clone();
    if ctx.git().current_branch()?.as_deref() != Some(branch.as_str()) {
        ctx.git().checkout(&branch)?;
    }
    Ok(())
}

/// Step 5 of another line: the first line's fix commits, cherry-picked (`-x`) onto this line's
/// branch in order, each once (a resumed run finds those already there by their
/// `(cherry picked from commit …)` line). A conflict stops with the files and what to do.
pub fn carry(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let Some(i) = ctx.rec.focus else {
        return Ok(());
    };
    // The first line's values are swapped into lines[i] while this line is in focus.
    let commits = ctx.rec.lines[i].fix.commits.clone();
    let subjects = ctx.rec.lines[i].fix.subjects.clone();
    let base_tag = ctx.plan()?.base_tag.clone();
    let branch = ctx.plan()?.branch.clone();
    let range = format!("{base_tag}..HEAD");
    let mut messages = Vec::new();
    for c in ctx.git().commits(&range)? {
        messages.push(ctx.git().message(&c)?);
    }
    for (sha, subject) in commits.iter().zip(subjects.iter()) {
        let marker = format!("(cherry picked from commit {sha})");
        if messages.iter().any(|m| m.contains(&marker)) {
            ctx.ui.ok(format!("Already on {branch}: {subject}"));
            continue;
        }
        let out = ctx
            .git()
            .cherry_pick("carry the fix to another release line", sha)?;
        if !out.success() {
            let conflicts = ctx.git().conflicted()?;
            let short = &sha[..12.min(sha.len())];
            let files = if conflicts.is_empty() {
                String::new()
            } else {
                format!(" in {}", conflicts.join(", "))
            };
            let what = if conflicts.is_empty() {
                "the conflicting files".to_string()
            } else {
                conflicts.join(", ")
            };
            let them = if conflicts.len() == 1 { "it" } else { "them" };
            if ctx.settings.dry_run {
                // A rehearsal's clone goes with it: there is nothing to resolve or continue there.
                bail!(
                    "the fix does not apply to {branch} as it is: `git cherry-pick -x {short}` ({subject}) \
                     stops with conflicts{files}. The real run stops here too; you will then resolve \
                     {what} on {branch}, `git add` {them} and `git cherry-pick --continue`, and the hotfix \
                     goes on. Prepare the change for this line now, or leave the line out (--line).\n{}",
                    out.stderr.trim()
                );
            }
            bail!(
                "the fix does not apply to {branch} as it is: `git cherry-pick -x {short}` ({subject}) \
                 stopped with conflicts{files}.\n\
                 Resolve them on {branch}: edit {what}, `git add` {them}, then `git cherry-pick --continue`; \
                 then run `caro-hotfix resume` (it carries the rest of the fix and goes on).\n{}",
                out.stderr.trim()
            );
        }
        ctx.ui.ok(format!(
            "Cherry-picked onto {branch}: {subject} (from {})",
            &sha[..12.min(sha.len())]
        ));
    }
    super::step05_fix::record_fix(ctx, &base_tag)
}

/// The lines as people name them: `1.0 (v1.0.11), 0.9 (v0.9.10)`.
pub fn names(rec: &Hotfix) -> String {
    rec.plans()
        .iter()
        .map(|p| format!("{} ({})", p.line(), p.tag))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What `status` shows of each line: its release, branches, PR, tag, and the steps it finished.
pub fn progress(rec: &Hotfix) -> Vec<String> {
    let describe =
        |plan: &crate::record::Plan, pr: Option<&crate::record::Pr>, tagged: bool, done: &[u8]| {
            let mut done: Vec<u8> = done.to_vec();
            done.sort_unstable();
            let mut parts = vec![
                format!("{} → {}", plan.base_tag, plan.tag),
                format!("{} → {}", plan.branch, plan.base_branch),
            ];
            if let Some(pr) = pr {
                parts.push(format!("PR #{} {}", pr.number, pr.url));
            }
            if tagged {
                parts.push(format!("{} pushed", plan.tag));
            }
            parts.push(match done.last() {
                None => "no step of its own finished yet".to_string(),
                Some(n) => format!(
                    "finished steps {} (up to {n})",
                    done.iter()
                        .map(u8::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
            format!("line {}: {}", plan.line(), parts.join("; "))
        };
    let mut out = Vec::new();
    if let Some(plan) = &rec.plan {
        out.push(describe(
            plan,
            rec.pr.as_ref(),
            rec.release.tagged,
            &rec.first_line_done,
        ));
    }
    for Line {
        plan,
        pr,
        release,
        done,
        ..
    } in &rec.lines
    {
        out.push(describe(plan, pr.as_ref(), release.tagged, done));
    }
    out
}

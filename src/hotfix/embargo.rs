//! The embargo (`--embargo`): a private phase, then release day.
//!
//! - **The leak guard.** Every push of the hotfix goes through [`Ctx::push_public`]: while embargoed
//!   and before release day, a ref that holds a fix commit is refused. [`check_not_leaked`] looks
//!   for a fix commit already on a public branch or tag, says plainly that the embargo is broken,
//!   and offers to go to release day now.
//! - **The private phase** (steps 9–10, `embargo_private.rs`): the hotfix branch of every line is pushed to the advisory's
//!   temporary private fork (`POST /repos/{owner}/{repo}/security-advisories/{ghsa_id}/forks`), where
//!   a PR carrying the local gates is opened for the advisory's collaborators; or the review is done
//!   locally and recorded with a typed `yes` naming who reviewed. Then the pre-notification kit.
//! - **The disclosure time** ([`gate`]): `resume` before it stops ([`crate::error::Waiting`]) and
//!   says when and what is ready; `resume --now` discloses early after a typed `yes`.
//! - **Release day** (step 11, before the merges): every line's branch pushed to the public
//!   repository and its PR opened, citing the private review; then the checks, the merges, the tags.
//! - **The exposure window**: from the first public push of a ref holding the fix
//!   ([`Embargo::first_public`], also without an embargo) to the advisory's publication.

use anyhow::{bail, Context, Result};

use crate::flow::Ctx;
use crate::logic::disclosure;
use crate::record::{Embargo, Gate, Hotfix};

impl Ctx<Hotfix> {
    /// Embargoed, and the advisory not published yet.
    pub fn embargoed(&self) -> bool {
        self.settings.embargo && !self.rec.advisory_published
    }

    /// Embargoed, and release day not begun: nothing holding the fix may reach a public ref.
    pub fn in_private_phase(&self) -> bool {
        self.embargoed() && self.rec.embargo.release_day.is_none()
    }

    /// The one way the hotfix pushes to its public remote. A ref holding a fix commit is refused in
    /// the private phase (the leak guard); the first one pushed opens the exposure window.
    pub fn push_public(&mut self, purpose: &str, refspec: &str, set_upstream: bool) -> Result<()> {
        let remote = self.settings.remote.clone();
        let source = refspec.split(':').next().unwrap_or(refspec).to_string();
        // Asked only where it matters: to refuse in the private phase, or to open the window.
        let opens_window = self.rec.embargo.first_public.is_none() && !self.settings.dry_run;
        let holds = (self.in_private_phase() || opens_window) && self.holds_fix(&source)?;
        if holds && self.in_private_phase() {
            bail!(
                "refused to push {source} to {remote}: it holds the fix, and the embargo keeps the fix \
                 private until the disclosure time{}. Release day pushes it (`caro-hotfix resume` at that \
                 time, or `caro-hotfix resume --now`).",
                self.rec
                    .embargo
                    .disclose_at
                    .as_deref()
                    .and_then(|t| disclosure::disclosure_time(t).ok())
                    .map(|t| format!(" ({})", disclosure::shown(t)))
                    .unwrap_or_default()
            );
        }
        if holds && self.rec.embargo.first_public.is_none() && !self.settings.dry_run {
            // Said before the push: a kill right after it must not lose the window's start.
            self.rec.embargo.first_public = Some(self.clock.now());
            self.save()?;
        }
        self.git().push(purpose, &remote, refspec, set_upstream)
    }

    /// Whether `rev` holds one of the fix commits of any line.
    fn holds_fix(&mut self, rev: &str) -> Result<bool> {
        let Some(at) = self.git().resolve_commit(rev)? else {
            return Ok(false);
        };
        for fix in fix_commits(&self.rec) {
            if self.git().is_ancestor(&fix, &at)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The fix commits of every line (each line's are its own cherry-picks).
fn fix_commits(rec: &Hotfix) -> Vec<String> {
    let mut all = rec.fix.commits.clone();
    for line in &rec.lines {
        all.extend(line.fix.commits.iter().cloned());
    }
    all.retain(|c| !c.is_empty());
    all
}

/// In the private phase: a fix commit already on a public branch or tag is said plainly, and the
/// maintainer is offered release day now (typed `yes`); anything else stops, nothing pushed.
pub fn check_not_leaked(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    if !ctx.in_private_phase() || ctx.settings.dry_run {
        return Ok(());
    }
    let remote = ctx.settings.remote.clone();
    ctx.git().fetch(
        "read the public branches (the embargo's leak check)",
        &remote,
        &format!("+refs/heads/*:refs/remotes/{remote}/*"),
    )?;
    let mut found = Vec::new();
    for fix in fix_commits(&ctx.rec) {
        let refs = ctx
            .git()
            .refs_containing(&fix, &format!("refs/remotes/{remote}/"))?;
        for r in refs {
            found.push(format!("{} on {r}", &fix[..12.min(fix.len())]));
        }
    }
    if found.is_empty() {
        ctx.ui.ok(format!(
            "Embargo holds: no fix commit is on a public branch of {remote}"
        ));
        return Ok(());
    }
    let said = format!(
        "the fix is public: the embargo is broken — {}. Anyone can read the fix now; the advisory \
         and the patched releases should follow as fast as possible.",
        found.join(", ")
    );
    ctx.ui.warn(&said);
    ctx.note(11, format!("embargo broken: {}", found.join(", ")));
    if ctx.prompter.typed(
        "Go to release day now: push, merge, tag, publish and disclose? (type 'yes')",
        "yes",
    )? {
        begin_release_day(ctx, "the fix was found public")?;
        return Ok(());
    }
    bail!(
        "{said}\nNothing was pushed. Go to release day with `caro-hotfix resume --now` (or at the \
         disclosure time with `caro-hotfix resume`)."
    )
}

/// Release day begins: the record says so, and from now on the fix may be pushed in public.
fn begin_release_day(ctx: &mut Ctx<Hotfix>, why: &str) -> Result<()> {
    let now = ctx.clock.now();
    ctx.rec.embargo.release_day = Some(now.clone());
    ctx.ui.ok(format!("Release day begins ({why}), {now}"));
    ctx.save()
}

/// Step 4 under embargo: the disclosure time — `--disclose-at`, else asked — not in the past; a
/// Friday or weekend is warned about. A fire drill discloses at once.
pub fn decide_disclosure_time(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    if !ctx.settings.embargo || ctx.rec.embargo.disclose_at.is_some() {
        return Ok(());
    }
    let now: jiff::Timestamp = ctx
        .clock
        .now()
        .parse()
        .context("the clock's time is not RFC 3339")?;
    let mut given = ctx.rec.request.disclose_at.clone();
    loop {
        let text = match given.take() {
            Some(t) => t,
            None if ctx.settings.non_interactive => ctx.clock.now(),
            None => ctx.prompter.text(
                "Disclosure time: nothing goes public before it (RFC 3339, e.g. 2026-12-09T16:00Z)",
                None,
            )?,
        };
        let at = match disclosure::disclosure_time(&text) {
            Ok(at) => at,
            Err(e) => {
                ctx.ui.warn(format!("{e:#}"));
                continue;
            }
        };
        if at < now && !ctx.settings.non_interactive {
            ctx.ui.warn(format!(
                "{} is in the past (now: {}): give a time still to come",
                disclosure::shown(at),
                disclosure::shown(now)
            ));
            continue;
        }
        if let Some(day) = disclosure::risky_day(&text) {
            ctx.ui.warn(format!(
                "The disclosure falls on {day}: users who must upgrade, and maintainers who must answer, \
                 are fewer then. A Tuesday to Thursday morning is the usual choice."
            ));
        }
        ctx.ui.ok(format!(
            "Disclosure at {}, in {}",
            disclosure::shown(at),
            disclosure::until(now, at)
        ));
        ctx.rec.embargo.disclose_at = Some(text.trim().to_string());
        return ctx.save();
    }
}

/// Step 11 under embargo, before anything else: the disclosure time. Before it, stops and says when
/// and what is ready ([`crate::error::Waiting`]); `resume --now` goes on after a typed `yes`. Then
/// release day: every line's branch pushed to the public repository and its PR opened (citing the
/// private review), then every line's checks and public approval where required.
pub fn release_day(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    if !ctx.embargoed() {
        return Ok(());
    }
    if ctx.rec.embargo.release_day.is_none() {
        check_not_leaked(ctx)?;
    }
    if ctx.rec.embargo.release_day.is_none() {
        gate(ctx)?;
    }
    super::lines::every(ctx, |ctx| {
        if ctx.rec.release.merge_commit.is_some() {
            return Ok(());
        }
        retest_if_the_base_moved(ctx)?;
        super::step09_pr::public_pr(ctx)
    })?;
    super::lines::every(ctx, |ctx| {
        if ctx.rec.release.merge_commit.is_some() {
            return Ok(());
        }
        super::step10_review::on_release_day(ctx)
    })?;
    ctx.save()
}

/// Release day, for one line, before its push: when the PR's base branch moved on the remote since
/// the private phase, the release will merge the fix onto commits nobody tested with it. So the fix
/// is merged onto the new head locally (a detached trial merge) and the tests run again there,
/// recorded as a gate with that commit; a conflict stops with nothing pushed.
fn retest_if_the_base_moved(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let base = ctx.plan()?.base_branch.clone();
    let Some(then) = ctx
        .rec
        .embargo
        .bases
        .iter()
        .find(|(b, _)| *b == base)
        .map(|(_, c)| c.clone())
    else {
        return Ok(());
    };
    let remote = ctx.settings.remote.clone();
    let Some(now) = ctx
        .git()
        .remote_sha(&remote, &format!("refs/heads/{base}"))?
    else {
        return Ok(());
    };
    let what = format!("tests after {base} moved");
    if now == then
        || ctx
            .rec
            .gates
            .iter()
            .any(|g| g.what == what && g.outcome.contains(&now))
    {
        return Ok(());
    }
    let short = |c: &str| c[..12.min(c.len())].to_string();
    ctx.ui.warn(format!(
        "{base} moved on {remote} since the private review ({} → {}): the release merges the fix onto it, \
         so the tests run again on that merge before anything goes public",
        short(&then),
        short(&now)
    ));
    let branch = ctx.plan()?.branch.clone();
    ctx.git()
        .fetch("fetch the moved base branch", &remote, &base)?;
    let head = ctx
        .git()
        .resolve_commit(&branch)?
        .with_context(|| format!("the branch {branch} no longer exists locally"))?;
    ctx.git().checkout(&head)?;
    let merged = ctx.git().merge(
        "merge the fix onto the moved base (a trial)",
        &format!("{remote}/{base}"),
    )?;
    if !merged.success() {
        let conflicts = ctx.git().conflicted()?;
        ctx.git().merge_abort()?;
        ctx.git().checkout(&branch)?;
        bail!(
            "the fix does not merge onto {base} as it is now ({}): {}. Nothing was pushed. Bring {branch} \
             up to date with {remote}/{base} (merge and resolve), then `caro-hotfix resume`.",
            short(&now),
            if conflicts.is_empty() {
                merged.stderr.trim().to_string()
            } else {
                format!("conflicts in {}", conflicts.join(", "))
            }
        );
    }
    let at = ctx.git().head()?;
    let tested = super::step07_test::run(ctx);
    ctx.git().checkout(&branch)?;
    tested.map_err(|e| {
        e.context(format!(
            "the tests fail once the fix is merged onto {base} as it is now: nothing was pushed"
        ))
    })?;
    ctx.rec.gates.push(Gate {
        what,
        commit: at,
        outcome: format!("passed on the merge with {base} at {now}"),
    });
    ctx.save()
}

/// The disclosure time has come, or `--now` and a typed `yes`: release day begins. Else the run
/// stops, saying when and what is ready.
fn gate(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let now: jiff::Timestamp = ctx
        .clock
        .now()
        .parse()
        .context("the clock's time is not RFC 3339")?;
    let at = match ctx.rec.embargo.disclose_at.as_deref() {
        Some(t) => disclosure::disclosure_time(t)?,
        None => now,
    };
    if at <= now {
        return begin_release_day(
            ctx,
            &format!("the disclosure time {} has come", disclosure::shown(at)),
        );
    }
    let ready = ready(ctx);
    if ctx.settings.dry_run {
        // A rehearsal leaves no record to resume: it says where the real run waits, and goes on.
        ctx.ui.ok(format!(
            "(simulated) The real run stops here until the disclosure time, {} (in {}); the rehearsal goes on as if it had come",
            disclosure::shown(at),
            disclosure::until(now, at)
        ));
        return begin_release_day(ctx, "rehearsed");
    }
    if ctx.settings.disclose_now {
        ctx.ui.warn(format!(
            "Disclosing early: the disclosure time is {}, in {}; whoever was pre-notified expects it then.",
            disclosure::shown(at),
            disclosure::until(now, at)
        ));
        if ctx.prompter.typed(
            "Go to release day now: push, merge, tag, publish and disclose? (type 'yes')",
            "yes",
        )? {
            return begin_release_day(ctx, "disclosed early, as confirmed");
        }
        return Err(crate::error::Declined(format!(
            "Release day not begun; nothing was pushed. The embargo holds until {}.",
            disclosure::shown(at)
        ))
        .into());
    }
    Err(crate::error::Waiting(format!(
        "The embargo holds: disclosure at {}, in {}.\n{ready}\n\
         Run `caro-hotfix resume` at that time (or `caro-hotfix resume --now` to disclose early).",
        disclosure::shown(at),
        disclosure::until(now, at)
    ))
    .into())
}

/// What the private phase has made ready, as `status` and the waiting stop say it.
pub fn ready(ctx: &Ctx<Hotfix>) -> String {
    let e = &ctx.rec.embargo;
    let mut out = vec!["Ready:".to_string()];
    for line in super::lines::names(&ctx.rec).split(", ") {
        out.push(format!(
            "  • {line}: fix, version bump and tests on its hotfix branch"
        ));
    }
    if let Some(review) = &e.review {
        out.push(format!("  • {}", review.describe()));
    }
    for pr in std::iter::once(ctx.rec.private_pr.as_ref())
        .chain(ctx.rec.lines.iter().map(|l| l.private_pr.as_ref()))
        .flatten()
    {
        out.push(format!("  • private PR {}", pr.url));
    }
    if let Some(kit) = &e.kit {
        out.push(format!("  • pre-notification kit: {kit}"));
    }
    out.join("\n")
}

/// The exposure window (first public ref holding the fix → advisory published), once closed:
/// `4 min 12 s (from 2026-12-09T16:00:03+00:00 to …)`.
pub fn window(e: &Embargo) -> Option<String> {
    let from: jiff::Timestamp = e.first_public.as_deref()?.parse().ok()?;
    let to: jiff::Timestamp = e.disclosed.as_deref()?.parse().ok()?;
    let secs = (to.as_second() - from.as_second()).max(0);
    let span = match (secs / 3600, secs % 3600 / 60, secs % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, m, _) => format!("{h} h {m} min"),
    };
    Some(format!(
        "{span} (first public ref holding the fix {}, advisory published {})",
        e.first_public.as_deref().unwrap_or(""),
        e.disclosed.as_deref().unwrap_or("")
    ))
}

/// `status`'s lines for the embargo.
pub fn status_lines(rec: &Hotfix) -> Vec<String> {
    let e = &rec.embargo;
    if !rec.request.embargo && e.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(at) = e
        .disclose_at
        .as_deref()
        .and_then(|t| disclosure::disclosure_time(t).ok())
    {
        out.push(format!("embargo: disclosure at {}", disclosure::shown(at)));
    }
    match (&e.release_day, rec.advisory_published) {
        (_, true) => out.push("embargo: lifted (the advisory is published)".into()),
        (Some(at), false) => out.push(format!("embargo: release day since {at}")),
        (None, false) if rec.request.embargo => out.push("embargo: private phase".into()),
        _ => {}
    }
    if let Some(review) = &e.review {
        out.push(format!("private review: {}", review.describe()));
    }
    if let Some(fork) = &e.fork {
        out.push(format!("private fork: {}", fork.url));
    }
    let plans = rec.plans();
    let gates = std::iter::once(&rec.gates).chain(rec.lines.iter().map(|l| &l.gates));
    for (plan, gates) in plans.iter().zip(gates) {
        for g in gates {
            out.push(format!(
                "gate {} {}: {} on {}",
                plan.line(),
                g.what,
                g.outcome,
                &g.commit[..12.min(g.commit.len())]
            ));
        }
    }
    if let Some(kit) = &e.kit {
        out.push(format!("pre-notification kit: {kit}"));
    }
    if let Some(w) = window(e) {
        out.push(format!("exposure window: {w}"));
    }
    out
}

/// Under embargo, a fix commit whose own message names the vulnerability tells the public what the
/// advisory keeps private once the branch is pushed: said before the push, with the words.
pub fn warn_if_fix_messages_tell(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    if !ctx.settings.embargo || ctx.rec.advisory_published {
        return Ok(());
    }
    let secret = format!(
        "{}\n{}",
        ctx.rec.incident.description, ctx.rec.incident.impact
    );
    for commit in ctx.rec.fix.commits.clone() {
        let message = ctx.git().message(&commit)?;
        let words = crate::logic::disclosure::named_words(&message, &secret);
        if !words.is_empty() {
            let short = &commit[..12.min(commit.len())];
            ctx.ui.warn(format!(
                "Embargo: the fix commit {short} names the vulnerability in its message ({}): once the \
                 branch is pushed, anyone reading it learns what the private advisory holds.",
                words.join(", ")
            ));
            if !ctx
                .prompter
                .yes_no("Push it with this message anyway? (y/n)")?
            {
                bail!(
                    "nothing was pushed: the fix commit {short}'s message names the vulnerability. Push it \
                     as it is with `caro-hotfix resume` (answer y), or reword it: `caro-hotfix abort`, \
                     reword the commit, and start again with `--fix-from` the reworded commit"
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The leak guard holds only if every push of the hotfix goes through it: a step calling git's
    /// push itself would push the fix in the private phase unchecked.
    #[test]
    fn every_push_of_the_hotfix_goes_through_the_leak_guard() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/hotfix");
        let mut bypasses = Vec::new();
        for entry in std::fs::read_dir(&root).expect("src/hotfix") {
            let path = entry.expect("entry").path();
            // The guard itself, and the private phase, whose pushes go to the private fork's URL.
            if path
                .file_name()
                .is_some_and(|n| n == "embargo.rs" || n == "embargo_private.rs")
            {
                continue;
            }
            let text: String = std::fs::read_to_string(&path)
                .expect("source")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if text.contains(".git().push(") {
                bypasses.push(path.display().to_string());
            }
        }
        assert!(
            bypasses.is_empty(),
            "these files push without Ctx::push_public: {bypasses:?}"
        );
    }

    #[test]
    fn the_window_runs_from_the_first_public_ref_to_the_advisory() {
        let e = Embargo {
            first_public: Some("2026-12-09T16:00:03+00:00".into()),
            disclosed: Some("2026-12-09T16:04:15+00:00".into()),
            ..Embargo::default()
        };
        assert_eq!(
            window(&e).as_deref(),
            Some(
                "4 min 12 s (first public ref holding the fix 2026-12-09T16:00:03+00:00, advisory \
                 published 2026-12-09T16:04:15+00:00)"
            )
        );
        assert!(window(&Embargo::default()).is_none());
    }
}

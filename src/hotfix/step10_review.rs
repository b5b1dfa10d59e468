//! Step 10: the "PR created" banner, the checks, then the review, polled until approved.
//!
//! Checks: right after a push GitHub reports none yet (`gh pr checks` exits 1 with "no checks
//! reported", and so does `--watch`, at once), exactly as for a repository without CI. So the step
//! first polls until checks are reported — for `checks-grace` seconds (default 120) — then watches
//! them. None at all after the grace is said, and going on without CI takes a typed `yes`. A
//! pending check (exit 1 on gh 2.23, 8 from 2.34) is watched again; a failed one stops the step, and
//! so does a cancelled one: newer gh puts a cancelled check in its own `cancel` bucket (cli/cli
//! `pkg/cmd/pr/checks/aggregate.go`) and exits 0 when the others passed, so the output is read
//! whatever the exit code.
//!
//! Review: approved is GitHub's `reviewDecision` APPROVED, or — where the repository requires no
//! review and the decision is empty — an approving review by someone other than the PR's author.
//! Without one the step says so and asks for a typed `yes` to merge without review; any other
//! answer goes back to polling (default every 15 s), with the question again at each reminder
//! (every 5 minutes). CHANGES_REQUESTED is said and waited out; CLOSED stops.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use crate::flow::Ctx;
use crate::ops::gh::transient;
use crate::record::Hotfix;
use crate::runner::Output;
use crate::texts;

const DEFAULT_POLL_SECS: f64 = 15.0;
const DEFAULT_CHECKS_POLL_SECS: f64 = 5.0;
const DEFAULT_CHECKS_GRACE_SECS: f64 = 120.0;
const REMINDER_EVERY: Duration = Duration::from_secs(5 * 60);
/// Failed readings of the checks in a row (a 502, a lost answer) before the step stops.
const CHECK_ERRORS: u32 = 5;

/// What `gh pr checks` said.
enum Checks {
    Passed,
    /// Failed checks, then cancelled ones (gh's `cancel` bucket).
    Failed(Vec<String>, Vec<String>),
    Pending,
    NoneReported,
    Error(String),
}

fn read_checks(out: &Output) -> Checks {
    if out.simulated {
        return Checks::Passed;
    }
    // `NAME\tBUCKET\tELAPSED\tURL` per check when stdout is not a terminal.
    let state = |l: &str| {
        l.split('\t')
            .nth(1)
            .map(str::trim)
            .unwrap_or("")
            .to_string()
    };
    let named = |bucket: &str| -> Vec<String> {
        out.stdout
            .lines()
            .filter(|l| state(l) == bucket)
            .filter_map(|l| l.split('\t').next().map(str::to_string))
            .collect()
    };
    let (failed, cancelled) = (named("fail"), named("cancel"));
    if !failed.is_empty() || !cancelled.is_empty() {
        return Checks::Failed(failed, cancelled);
    }
    if out.success() {
        return Checks::Passed;
    }
    if out.stderr.contains("no checks reported") {
        return Checks::NoneReported;
    }
    if out.code == 8 || out.stdout.lines().any(|l| state(l) == "pending") {
        return Checks::Pending;
    }
    let detail = if out.stderr.trim().is_empty() {
        out.stdout.trim()
    } else {
        out.stderr.trim()
    };
    Checks::Error(detail.to_string())
}

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    // Under embargo the review is private: in the advisory's fork, or locally.
    if ctx.in_private_phase() {
        return super::embargo_private::private_review(ctx);
    }
    let number = ctx.pr()?.number;
    let url = ctx.pr()?.url.clone();
    ctx.ui.blank();
    ctx.ui.line(texts::review_banner(&url));

    wait_for_checks(ctx, number, &url)?;
    wait_for_review(ctx, number, &url).map(|_| ())
}

/// Release day, for one line: the public PR's required checks; its review was private, so a
/// public approval is asked for (its URL) and waited for only where the repository demands one.
pub(super) fn on_release_day(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let number = ctx.pr()?.number;
    let url = ctx.pr()?.url.clone();
    wait_for_checks(ctx, number, &url)?;
    let simulated = r#"{"state":"OPEN","reviewDecision":"","author":{"login":"you"},"reviews":[]}"#;
    let pr = ctx
        .gh()
        .view_pr(number, "state,reviewDecision,reviews,author", simulated)?;
    match pr.review_decision.as_deref().unwrap_or("") {
        "" | "APPROVED" => {
            let how = ctx
                .rec
                .embargo
                .review
                .as_ref()
                .map(|r| r.describe())
                .unwrap_or_else(|| "reviewed before disclosure".into());
            ctx.remote_ok(format!("PR #{number}: {how}; no public approval required"));
            Ok(())
        }
        _ => {
            ctx.ui.warn(format!(
                "This repository requires an approval on GitHub: ask a maintainer to approve PR #{number}                  now ({url}); the fix was reviewed in private, so it is a formality"
            ));
            wait_for_review(ctx, number, &url).map(|_| ())
        }
    }
}

fn wait_for_checks(ctx: &mut Ctx<Hotfix>, number: u64, url: &str) -> Result<()> {
    let branch = ctx.plan()?.branch.clone();
    let interval = ctx.poll_interval(DEFAULT_CHECKS_POLL_SECS);
    // `checks-grace` seconds; by default 24 polls (120 s at the default 5 s; `--poll-interval` scales it).
    let grace = match ctx.settings.checks_grace {
        Some(secs) => Duration::from_secs_f64(secs),
        None => interval.mul_f64(DEFAULT_CHECKS_GRACE_SECS / DEFAULT_CHECKS_POLL_SECS),
    };
    let fail = |what: String| -> anyhow::Error {
        anyhow::anyhow!(
            "{what} on PR #{number} ({url}).\n\
             Fix it on {branch}, push (`git push`), then `caro-hotfix resume`."
        )
    };
    let mut since = Instant::now();
    let mut errors = 0;
    let mut watching = false;
    let spinner = ctx.ui.spinner(format!(
        "Waiting for GitHub to report the checks of PR #{number}"
    ));
    loop {
        let out = if watching {
            spinner.suspend(|| ());
            {
                let every = ctx.watch_interval();
                ctx.gh().watch_checks(number, every)?
            }
        } else {
            ctx.gh().checks(number)?
        };
        match read_checks(&out) {
            Checks::Passed => {
                spinner.finish_and_clear();
                ctx.remote_ok("All checks passed");
                return Ok(());
            }
            Checks::Failed(failed, cancelled) => {
                spinner.finish_and_clear();
                let mut what = Vec::new();
                if !failed.is_empty() {
                    what.push(format!("check `{}` failed", failed.join("`, `")));
                }
                if !cancelled.is_empty() {
                    what.push(format!("check `{}` was cancelled", cancelled.join("`, `")));
                }
                return Err(fail(what.join("; ")));
            }
            Checks::Pending => {
                errors = 0;
                // Reported: now watched (gh polls every 10 s); a watch that ends pending is re-watched.
                if !watching {
                    watching = true;
                    continue;
                }
            }
            Checks::NoneReported => {
                errors = 0;
                watching = false;
                if since.elapsed() >= grace {
                    spinner.finish_and_clear();
                    let question = format!(
                        "GitHub reports no checks for PR #{number} after {:.0} s: the repository may have no CI, \
                         or it has not started. Merge without CI? (type 'yes'; anything else waits {:.0} s more)",
                        grace.as_secs_f64(),
                        grace.as_secs_f64()
                    );
                    ctx.ui.warn(format!(
                        "No checks were reported for PR #{number} ({url}) within {:.0} s",
                        grace.as_secs_f64()
                    ));
                    if ctx.prompter.typed(&question, "yes")? {
                        ctx.ui.warn(format!(
                            "Going on without CI for PR #{number}, as confirmed"
                        ));
                        ctx.note(10, "no checks reported; confirmed to go on without CI");
                        return Ok(());
                    }
                    since = Instant::now();
                }
            }
            Checks::Error(detail) => {
                errors += 1;
                watching = false;
                if errors >= CHECK_ERRORS || !transient(&out) {
                    spinner.finish_and_clear();
                    bail!(
                        "could not read the checks of PR #{number} ({url}): {detail}\n\
                         Nothing was merged; `caro-hotfix resume` reads them again."
                    );
                }
            }
        }
        ctx.clock.pause(interval);
    }
}

/// Polls until PR #`number` is approved (returns who approved), merged, or confirmed without review.
pub(super) fn wait_for_review(
    ctx: &mut Ctx<Hotfix>,
    number: u64,
    url: &str,
) -> Result<Vec<String>> {
    let branch = ctx.plan()?.branch.clone();
    let interval = ctx.poll_interval(DEFAULT_POLL_SECS);
    let started = Instant::now();
    let mut last_reminder: Option<Instant> = None;
    let mut last_decision = String::new();
    let mut asked = false;
    let spinner = ctx
        .ui
        .spinner(format!("Waiting for approval of PR #{number}"));
    let simulated =
        r#"{"state":"OPEN","reviewDecision":"APPROVED","author":{"login":"you"},"reviews":[]}"#;
    loop {
        let pr = ctx
            .gh()
            .view_pr(number, "state,reviewDecision,reviews,author", simulated)?;
        let decision = pr.review_decision.clone().unwrap_or_default();
        match pr.state.as_str() {
            "CLOSED" => {
                spinner.finish_and_clear();
                bail!(
                    "PR #{number} was closed without merging ({url}).\n\
                     If that was a mistake, reopen it (`gh pr reopen {number}`); \
                     to give up on this hotfix, `caro-hotfix abort`."
                );
            }
            "MERGED" => {
                spinner.finish_and_clear();
                ctx.ui.ok(format!("PR #{number} has already been merged"));
                return Ok(Vec::new());
            }
            _ => {}
        }
        if pr.approved() {
            spinner.finish_and_clear();
            let by: Vec<String> = pr
                .reviews
                .iter()
                .filter(|r| r.state == "APPROVED")
                .filter_map(|r| r.author.as_ref().map(|a| a.login.clone()))
                .collect();
            if by.is_empty() {
                ctx.remote_ok(format!("PR #{number} approved"));
            } else {
                ctx.remote_ok(format!("PR #{number} approved by {}", by.join(", ")));
            }
            return Ok(by);
        }
        if decision == "CHANGES_REQUESTED" && last_decision != "CHANGES_REQUESTED" {
            // The Ui writes around the spinner itself (a suspend here would take its lock twice).
            ctx.ui.warn(format!(
                "Changes were requested on PR #{number}: push the changes to {branch}; still waiting for approval"
            ));
        }
        let reminder_due = last_reminder.is_none_or(|t| t.elapsed() >= REMINDER_EVERY);
        if reminder_due {
            let minutes = started.elapsed().as_secs() / 60;
            if last_reminder.is_some() {
                ctx.ui.warn(format!(
                    "⏰ URGENT: PR #{number} has waited {minutes} min for approval — ping the maintainers: {url}"
                ));
            }
            last_reminder = Some(Instant::now());
            // No review required here: a solo maintainer may go on, with a typed yes.
            if decision.is_empty() {
                let author = pr
                    .author
                    .as_ref()
                    .map(|a| a.login.clone())
                    .unwrap_or_default();
                let by_author = pr.reviews.iter().any(|r| {
                    r.state == "APPROVED" && r.author.as_ref().is_some_and(|a| a.login == author)
                });
                let what = if by_author {
                    format!("is approved only by its author ({author}), which does not count")
                } else {
                    "has no approval".to_string()
                };
                let again = if asked { "still " } else { "" };
                asked = true;
                spinner.finish_and_clear();
                ctx.ui.warn(format!(
                    "PR #{number} {again}{what} ({url}); this repository does not require a review"
                ));
                // In the advisory's private fork nothing is merged: the question is whether to go on.
                let private = ctx.in_private_phase();
                let question = if private {
                    format!(
                        "Go on without an approval of the private PR #{number}? (type 'yes'; anything else keeps waiting for an approval)"
                    )
                } else {
                    format!(
                        "Merge PR #{number} without review? (type 'yes'; anything else keeps waiting for an approval)"
                    )
                };
                if ctx.prompter.typed(&question, "yes")? {
                    if private {
                        ctx.ui.warn(format!(
                            "Going on without an approval of the private PR #{number}, as confirmed"
                        ));
                        ctx.note(10, "private PR not approved; confirmed to go on");
                    } else {
                        ctx.ui
                            .warn(format!("Merging PR #{number} without review, as confirmed"));
                        ctx.note(10, "merged without review, as confirmed");
                    }
                    return Ok(Vec::new());
                }
            }
        }
        last_decision = decision;
        ctx.clock.pause(interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(code: i32, stdout: &str) -> Output {
        Output {
            code,
            stdout: stdout.into(),
            ..Output::default()
        }
    }

    /// Newer gh (cli/cli `aggregate.go`) puts a CANCELLED check in a `cancel` bucket and exits 0
    /// when nothing failed or is pending: a cancelled check must not read as passed.
    #[test]
    fn a_cancelled_check_is_a_failure_that_names_it_even_when_gh_exits_0() {
        let text = "lint\tpass\t1m2s\thttps://github.localhost/acme/widget/actions/runs/1\n\
                    test\tcancel\t0\thttps://github.localhost/acme/widget/actions/runs/2\n";
        match read_checks(&out(0, text)) {
            Checks::Failed(failed, cancelled) => {
                assert!(failed.is_empty());
                assert_eq!(cancelled, ["test"]);
            }
            _ => panic!("a cancelled check was not read as a failure"),
        }
        let both =
            format!("{text}build\tfail\t3s\thttps://github.localhost/acme/widget/actions/runs/3\n");
        match read_checks(&out(1, &both)) {
            Checks::Failed(failed, cancelled) => {
                assert_eq!(failed, ["build"]);
                assert_eq!(cancelled, ["test"]);
            }
            _ => panic!("a failed and a cancelled check were not read as failures"),
        }
        assert!(matches!(
            read_checks(&out(
                0,
                "lint\tpass\t1m2s\thttps://x\nfmt\tskipping\t0\thttps://y\n"
            )),
            Checks::Passed
        ));
    }
}

//! Step 10: the "PR created" banner, the checks, then the review decision, polled until approved.
//!
//! `gh pr checks --watch` waits for the checks (a failed check stops with its name; "no checks
//! reported" is fine). Then `gh pr view --json state,reviewDecision` is polled (default every 15 s,
//! a reminder every 5 minutes): APPROVED — or an empty decision when the repository requires no
//! review — continues; CHANGES_REQUESTED is said and waited out; CLOSED stops.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use crate::flow::Ctx;
use crate::record::Hotfix;
use crate::texts;

const DEFAULT_POLL_SECS: f64 = 15.0;
const REMINDER_EVERY: Duration = Duration::from_secs(5 * 60);

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let number = ctx.pr()?.number;
    let url = ctx.pr()?.url.clone();
    let branch = ctx.plan()?.branch.clone();
    ctx.ui.blank();
    ctx.ui.line(texts::review_banner(&url));

    let checks = ctx.gh().watch_checks(number)?;
    if checks.success() || checks.simulated {
        ctx.remote_ok("All checks passed");
    } else if checks.stderr.contains("no checks reported") {
        ctx.ui.ok("No checks are configured for this PR");
    } else {
        let failed: Vec<String> = checks
            .stdout
            .lines()
            .filter(|l| l.split('\t').nth(1).is_some_and(|s| s.trim() == "fail"))
            .filter_map(|l| l.split('\t').next().map(str::to_string))
            .collect();
        let what = if failed.is_empty() {
            format!("the checks did not pass: {}", checks.stderr.trim())
        } else {
            format!("check `{}` failed", failed.join("`, `"))
        };
        bail!(
            "{what} on PR #{number} ({url}).\n\
             Fix it on {branch}, push (`git push`)."
        );
    }

    let interval = ctx.poll_interval(DEFAULT_POLL_SECS);
    let started = Instant::now();
    let mut last_reminder = Instant::now();
    let mut last_decision = String::new();
    let spinner = ctx
        .ui
        .spinner(format!("Waiting for approval of PR #{number}"));
    let simulated = r#"{"state":"OPEN","reviewDecision":"APPROVED"}"#;
    loop {
        let pr = ctx
            .gh()
            .view_pr(number, "state,reviewDecision", simulated)?;
        let decision = pr.review_decision.clone().unwrap_or_default();
        match (pr.state.as_str(), decision.as_str()) {
            ("CLOSED", _) => {
                spinner.finish_and_clear();
                bail!(
                    "PR #{number} was closed without merging ({url}).\n\
                     If that was a mistake, reopen it (`gh pr reopen {number}`); \
                     to give up on this hotfix, `caro-hotfix abort`."
                );
            }
            ("MERGED", _) => {
                spinner.finish_and_clear();
                ctx.ui.ok(format!("PR #{number} has already been merged"));
                return Ok(());
            }
            (_, "APPROVED") => {
                spinner.finish_and_clear();
                ctx.remote_ok(format!("PR #{number} approved"));
                return Ok(());
            }
            (_, "") => {
                spinner.finish_and_clear();
                ctx.ui
                    .ok(format!("PR #{number} needs no review on this repository"));
                return Ok(());
            }
            (_, "CHANGES_REQUESTED") if last_decision != "CHANGES_REQUESTED" => {
                spinner.suspend(|| {
                    ctx.ui.warn(format!(
                        "Changes were requested on PR #{number}: push the changes to {branch}; still waiting for approval"
                    ))
                });
            }
            _ => {}
        }
        last_decision = decision;
        if last_reminder.elapsed() >= REMINDER_EVERY {
            last_reminder = Instant::now();
            let minutes = started.elapsed().as_secs() / 60;
            spinner.suspend(|| {
                ctx.ui.warn(format!(
                    "⏰ URGENT: PR #{number} has waited {minutes} min for approval — ping the maintainers: {url}"
                ))
            });
        }
        std::thread::sleep(interval);
    }
}

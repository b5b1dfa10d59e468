//! Every call that changes something on GitHub or on the remote, failing once, with the REAL gh
//! against the GitHub emulator: (a) the call fails and nothing happened (HTTP 502, or a push the
//! origin refuses), (b) the call took effect but its answer was lost (the emulator's `lost` fault
//! closes the connection after the change; a push loses its answer through a `reference-transaction`
//! hook that kills `git receive-pack` once the ref is updated). Either the step gets over it, or it
//! stops with a message and `caro-hotfix resume` finishes. Then GitHub holds exactly one of each
//! thing — one PR per branch, one merge, one tag, one release, one advisory, the labels once —
//! nothing twice, nothing missing.
//!
//! One row of [`CASES`] per call × fault; docs/github-calls.md has the same table.

use std::path::Path;

use crate::gh_real::{answers, args, origin_git, CANONICAL};
use crate::support::emulator::Emulator;
use crate::support::index_server::IndexServer;
use crate::support::*;
use serde_json::{json, Value};

/// Which hotfix runs: the newest line (main strategy, a backport to `release/0.9`), or the older
/// line 1.0 (maintenance strategy, PR into `release/1.0`, forward-port to main, a newer release whose
/// Latest mark must stay where it is).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Line {
    Newest,
    Older,
}

/// What goes wrong once.
#[derive(Clone, Copy, Debug)]
enum Fault {
    /// The emulator's fault (`faults` knob), as JSON.
    Api(&'static str),
    /// The origin refuses the first push of a ref starting with this.
    PushRefused(&'static str),
    /// The origin takes the first push of a ref starting with this, then drops the connection.
    PushLost(&'static str),
}

/// How the first run ends.
#[derive(Clone, Copy, Debug)]
enum Ends {
    /// The step got over the fault: the hotfix is done.
    Done,
    /// The step stopped with this in its error; `resume` finishes.
    Stops(&'static str),
}

struct Case {
    line: Line,
    fault: Fault,
    ends: Ends,
    /// What the transcript (of either run) says about it.
    says: &'static str,
}

macro_rules! fault_cases {
    ($($name:ident: $line:ident, $fault:expr, $ends:expr, $says:literal;)*) => {
        $(
            #[test]
            fn $name() {
                check(&Case { line: Line::$line, fault: $fault, ends: $ends, says: $says });
            }
        )*
    };
}

use Ends::{Done, Stops};
use Fault::{Api, PushLost, PushRefused};

fault_cases! {
    // Step 9: the hotfix branch.
    branch_push_refused_stops_and_resume_pushes_once:
        Newest, PushRefused("refs/heads/hotfix/"), Stops("push the hotfix branch"), "hotfix/v1.0.11";
    branch_push_lost_stops_and_resume_finds_it_pushed:
        Newest, PushLost("refs/heads/hotfix/"), Stops("push the hotfix branch"), "hotfix/v1.0.11 is already on origin";
    // Step 9: the maintenance branch of an older line, created from the base tag.
    maintenance_branch_push_refused_stops_and_resume_creates_it:
        Older, PushRefused("refs/heads/release/"), Stops("create the maintenance branch"), "Created release/1.0 on origin from v1.0.0";
    maintenance_branch_push_lost_stops_and_resume_finds_it:
        Older, PushLost("refs/heads/release/"), Stops("create the maintenance branch"), "Opened PR #1";
    // Step 9: the missing labels.
    label_create_502_is_retried_and_the_pr_has_every_label:
        Newest, Api(r#"{"method": "POST", "path": "/labels", "kind": "status", "status": 502}"#), Done,
        "Created the missing label `security`";
    label_create_lost_finds_the_label_created:
        Newest, Api(r#"{"method": "POST", "path": "/labels", "kind": "lost"}"#), Done, "Opened PR #1";
    // Step 11: the merge.
    merge_502_is_retried_once_unmerged:
        Newest, Api(r#"{"operation": "PullRequestMerge", "kind": "status", "status": 502}"#), Done,
        "PR #1 is not merged: trying again";
    merge_lost_is_read_back_as_merged:
        Newest, Api(r#"{"operation": "PullRequestMerge", "kind": "lost"}"#), Done,
        "but PR #1 is merged";
    // Step 11: the tag.
    tag_push_refused_stops_and_resume_pushes_the_same_tag:
        Newest, PushRefused("refs/tags/"), Stops("push the release tag"), "Tagged";
    tag_push_lost_stops_and_resume_finds_the_tag_on_the_merge_commit:
        Newest, PushLost("refs/tags/"), Stops("push the release tag"), "v1.0.11 is already on origin, on the merge commit";
    // Step 15: the backport.
    backport_push_refused_stops_and_resume_pushes_once:
        Newest, PushRefused("refs/heads/backport/"), Stops("push the backport branch"), "backport PR";
    backport_push_lost_stops_and_resume_opens_one_pr:
        Newest, PushLost("refs/heads/backport/"), Stops("push the backport branch"), "backport PR";
    backport_pr_create_failing_stops_and_resume_opens_one:
        Newest, Api(r#"{"operation": "PullRequestCreate", "kind": "status", "status": 502, "skip": 1, "times": 3}"#),
        Stops("could not open the PR from backport/v1.0.11-release-0.9"), "backport PR";
    backport_pr_create_lost_finds_the_pr:
        Newest, Api(r#"{"operation": "PullRequestCreate", "kind": "lost", "skip": 1}"#), Done,
        "but the PR exists: #2";
    // Step 12: the older line's release must not stay Latest.
    release_edit_502_is_retried_and_latest_stays_on_the_newer_line:
        Older, Api(r#"{"method": "PATCH", "path": "/releases/", "kind": "status", "status": 502}"#), Done,
        "is not marked Latest";
    release_edit_lost_is_not_reported_as_failed:
        Older, Api(r#"{"method": "PATCH", "path": "/releases/", "kind": "lost"}"#), Done,
        "is not marked Latest";
    // Step 15: the forward-port of the maintenance strategy.
    forward_port_pr_create_failing_stops_and_resume_opens_one:
        Older, Api(r#"{"operation": "PullRequestCreate", "kind": "status", "status": 502, "skip": 1, "times": 3}"#),
        Stops("could not open the PR from forward-port/v1.0.1"), "forward-port PR";
    forward_port_pr_create_lost_finds_the_pr:
        Older, Api(r#"{"operation": "PullRequestCreate", "kind": "lost", "skip": 1}"#), Done,
        "but the PR exists: #2";
}

/// The fixture's `[package.metadata.hotfix]` replaced (committed and pushed); the test registry
/// still plays the publishing workflow.
fn configure(fx: &Fixture, settings: &str) {
    let manifest = read(&fx.work.join("Cargo.toml"));
    let at = manifest
        .find("[package.metadata.hotfix]")
        .expect("hotfix table");
    write(
        &fx.work.join("Cargo.toml"),
        &format!(
            "{}[package.metadata.hotfix]\npublish = \"workflow\"\n{settings}",
            &manifest[..at]
        ),
    );
    git(&fx.work, &["commit", "-q", "-am", "configure caro-hotfix"]);
    git(&fx.work, &["push", "-q", "origin", "main"]);
}

/// What one line's hotfix is called and where it goes.
struct Expect {
    tag: &'static str,
    base: &'static str,
    /// The heads of the PRs GitHub must hold, one PR each.
    heads: [&'static str; 2],
}

fn expect(line: Line) -> Expect {
    match line {
        Line::Newest => Expect {
            tag: "v1.0.11",
            base: "main",
            heads: ["hotfix/v1.0.11", "backport/v1.0.11-release-0.9"],
        },
        Line::Older => Expect {
            tag: "v1.0.1",
            base: "release/1.0",
            heads: ["hotfix/v1.0.1", "forward-port/v1.0.1"],
        },
    }
}

/// Installs a hook in the bare origin that acts once on the first push of a ref starting with
/// `prefix`: `pre-receive` refuses it, `reference-transaction` kills `receive-pack` after the update.
fn push_fault(origin: &Path, prefix: &str, lost: bool) {
    let (hook, body) = if lost {
        (
            "reference-transaction",
            format!(
                "[ \"$1\" = committed ] || exit 0\n\
                 while read old new ref; do\n\
                 case \"$ref\" in {prefix}*)\n\
                 if [ ! -e \"$GIT_DIR/fault-used\" ] && [ \"$new\" != 0000000000000000000000000000000000000000 ]; then\n\
                 touch \"$GIT_DIR/fault-used\"; kill -9 $PPID; fi;;\n\
                 esac\n\
                 done\n"
            ),
        )
    } else {
        (
            "pre-receive",
            format!(
                "while read old new ref; do\n\
                 case \"$ref\" in {prefix}*)\n\
                 if [ ! -e \"$GIT_DIR/fault-used\" ]; then\n\
                 touch \"$GIT_DIR/fault-used\"; echo 'refused once by the test' >&2; exit 1; fi;;\n\
                 esac\n\
                 done\n"
            ),
        )
    };
    let path = origin.join("hooks").join(hook);
    write(&path, &format!("#!/bin/sh\n{body}exit 0\n"));
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod hook");
}

fn check(case: &Case) {
    let fx = Fixture::new();
    let extra: &[&str] = match case.line {
        Line::Newest => {
            git(
                &fx.work,
                &[
                    "push",
                    "-q",
                    "origin",
                    "v0.9.9^{commit}:refs/heads/release/0.9",
                ],
            );
            configure(
                &fx,
                "strategy = \"main\"\nrelease-branches = [\"release/0.9\"]\n",
            );
            &[]
        }
        Line::Older => &["--base-tag", "v1.0.0", "--strategy", "maintenance"],
    };
    let want = expect(case.line);
    let origin = fx.origin.clone();
    let emu = Emulator::start(&fx, &[(CANONICAL, &origin)], &[("origin", CANONICAL)]);
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.0");
    index.add_version("1.0.10");
    index.publish_after(&want.tag[1..], 2);
    if case.line == Line::Older {
        // The newer line's release is Latest on GitHub.
        emu.control(
            "POST",
            "/_control/releases",
            json!({"repo": CANONICAL, "tag": "v1.0.10"}),
        );
    }
    let mut faults = Vec::new();
    match case.fault {
        Fault::Api(fault) => faults.push(serde_json::from_str::<Value>(fault).expect("fault")),
        Fault::PushRefused(prefix) => push_fault(&fx.origin, prefix, false),
        Fault::PushLost(prefix) => push_fault(&fx.origin, prefix, true),
    }
    emu.knobs(json!({
        "reviews": [{"author": "bob", "state": "APPROVED"}],
        "faults": faults,
    }));
    let url = index.url();
    let first = run(
        &fx,
        &emu,
        &args(&url, "0.05", extra),
        answers(&fx, vec![say("yes")]),
    );
    let mut transcript = first.explain();
    match case.ends {
        Ends::Done => assert_eq!(first.code, 0, "{transcript}"),
        Ends::Stops(text) => {
            assert_eq!(first.code, 1, "{transcript}");
            assert!(first.error().contains(text), "{transcript}");
            assert!(first.error().contains("caro-hotfix resume"), "{transcript}");
            let again = run(
                &fx,
                &emu,
                &[
                    "resume",
                    "--poll-interval",
                    "0.05",
                    "--registry-index",
                    &url,
                ],
                // The typed `yes` that publishes the advisory at step 13.
                vec![say("yes")],
            );
            transcript = format!("{transcript}\n=== resume ===\n{}", again.explain());
            assert_eq!(again.code, 0, "{transcript}");
        }
    }
    assert!(transcript.contains(case.says), "{transcript}");
    // The fault did happen.
    match case.fault {
        Fault::Api(_) => {
            let hits = &emu.state()["knobs"]["faults"][0]["hits"];
            assert!(
                hits.as_u64().unwrap_or(0) >= 1,
                "the fault never hit: {hits}\n{transcript}"
            );
        }
        Fault::PushRefused(_) | Fault::PushLost(_) => assert!(
            fx.origin.join("fault-used").exists(),
            "the push fault never hit\n{transcript}"
        ),
    }
    one_of_each(&fx, &emu, &want, case.line, &transcript);
}

fn run(fx: &Fixture, emu: &Emulator, args: &[&str], answers: Vec<Answer>) -> Outcome {
    crate::gh_real::run(fx, emu, args, answers)
}

/// GitHub and the origin hold exactly one of each thing the hotfix makes.
fn one_of_each(fx: &Fixture, emu: &Emulator, want: &Expect, line: Line, transcript: &str) {
    let repo = emu.repo(CANONICAL);
    let pulls = repo["pulls"].as_array().cloned().unwrap_or_default();
    let mut heads: Vec<&str> = pulls.iter().filter_map(|p| p["head"].as_str()).collect();
    heads.sort_unstable();
    let mut expected = want.heads.to_vec();
    expected.sort_unstable();
    assert_eq!(heads, expected, "one PR per branch\n{transcript}");
    let merged = pulls.iter().filter(|p| p["state"] == "MERGED").count();
    assert_eq!(merged, 1, "one merge\n{transcript}");
    // The hotfix PR carries every configured label, and each label exists once.
    let hotfix = pulls
        .iter()
        .find(|p| p["head"] == want.heads[0])
        .expect("the hotfix PR");
    assert_eq!(
        hotfix["label_ids"].as_array().map(Vec::len),
        Some(3),
        "security, urgent, hotfix on the PR: {hotfix:#}\n{transcript}"
    );
    let labels: Vec<&str> = repo["labels"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for label in ["security", "urgent", "hotfix"] {
        assert_eq!(
            labels.iter().filter(|l| **l == label).count(),
            1,
            "{label}: {labels:?}"
        );
    }
    // One squash commit on the base branch, and the tag on it.
    let subjects = origin_git(fx, &["log", "--format=%s", want.base]);
    let squashes = subjects
        .lines()
        .filter(|s| s.contains(&format!("SECURITY HOTFIX: {CRATE} {} (#1)", &want.tag[1..])))
        .count();
    assert_eq!(squashes, 1, "{subjects}\n{transcript}");
    assert_eq!(
        origin_git(fx, &["rev-parse", &format!("{}^{{commit}}", want.tag)]),
        origin_git(fx, &["rev-parse", want.base]),
        "the tag is on the merge commit\n{transcript}"
    );
    // One release for the tag; the older line's is not Latest.
    let releases = repo["releases"].as_array().cloned().unwrap_or_default();
    let ours: Vec<&Value> = releases
        .iter()
        .filter(|r| r["tag_name"] == want.tag)
        .collect();
    assert_eq!(ours.len(), 1, "{releases:#?}\n{transcript}");
    if line == Line::Older {
        let latest: Vec<&str> = releases
            .iter()
            .filter(|r| r["latest"] == true)
            .filter_map(|r| r["tag_name"].as_str())
            .collect();
        assert_eq!(latest, ["v1.0.10"], "{transcript}");
    }
    assert_eq!(
        repo["advisories"].as_array().map(Vec::len),
        Some(1),
        "one advisory\n{transcript}"
    );
}

/// GitHub documents no rule for where Latest goes when the Latest release is edited with
/// `make_latest: "false"`. Whatever it does — keeps the mark on the older line's release, or leaves
/// no release Latest — step 12 reads `GET …/releases/latest` back and puts the mark on the newest
/// line's release (`gh release edit v1.0.10 --latest`), then reads it back again.
#[test]
fn after_an_older_line_release_latest_is_read_back_and_put_on_the_newest_line() {
    for how in ["keep", "none"] {
        let fx = Fixture::new();
        let want = expect(Line::Older);
        let origin = fx.origin.clone();
        let emu = Emulator::start(&fx, &[(CANONICAL, &origin)], &[("origin", CANONICAL)]);
        let index = IndexServer::publishing(CRATE, &fx.origin);
        index.add_version("1.0.0");
        index.add_version("1.0.10");
        index.publish_after(&want.tag[1..], 2);
        emu.control(
            "POST",
            "/_control/releases",
            json!({"repo": CANONICAL, "tag": "v1.0.10"}),
        );
        emu.knobs(json!({
            "reviews": [{"author": "bob", "state": "APPROVED"}],
            "unset_latest": how,
        }));
        let url = index.url();
        let out = run(
            &fx,
            &emu,
            &args(
                &url,
                "0.05",
                &["--base-tag", "v1.0.0", "--strategy", "maintenance"],
            ),
            answers(&fx, vec![say("yes")]),
        );
        let transcript = out.explain();
        assert_eq!(out.code, 0, "{how}: {transcript}");
        let shown = if how == "keep" {
            format!("GitHub shows {} as Latest", want.tag)
        } else {
            "GitHub shows no release as Latest".to_string()
        };
        assert!(
            transcript.contains(&format!(
                "{shown}, not the newest line's v1.0.10: marked v1.0.10 Latest again (read back)"
            )),
            "{how}: {transcript}"
        );
        let reads = emu
            .requests()
            .iter()
            .filter(|r| {
                r["method"] == "GET"
                    && r["path"]
                        .as_str()
                        .is_some_and(|p| p.ends_with("/releases/latest"))
            })
            .count();
        assert_eq!(
            reads, 2,
            "read back before and after the correction: {transcript}"
        );
        one_of_each(&fx, &emu, &want, Line::Older, &transcript);
    }
}

/// The times (emulator clock, seconds) of the requests of GraphQL operation `op`.
fn times_of(emu: &Emulator, op: &str) -> Vec<f64> {
    emu.requests()
        .iter()
        .filter(|r| r["operation"] == op)
        .filter_map(|r| r["t"].as_f64())
        .collect()
}

/// A world stopping at the review question (no approval): steps 9 and 10 with the real gh.
fn until_review(faults: Value) -> (Fixture, Emulator, IndexServer, Outcome) {
    until_review_scaled(faults, crate::support::BACKOFF_SCALE)
}

/// [`until_review`], the pauses between attempts scaled by `scale` (`1`: as a maintainer's run).
fn until_review_scaled(faults: Value, scale: &str) -> (Fixture, Emulator, IndexServer, Outcome) {
    let fx = Fixture::new();
    let origin = fx.origin.clone();
    let emu = Emulator::start(&fx, &[(CANONICAL, &origin)], &[("origin", CANONICAL)]);
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    emu.knobs(json!({ "faults": faults }));
    let url = index.url();
    // No answer at the review question: the run stops there.
    let out = crate::gh_real::run_with(
        &fx,
        &emu,
        &args(&url, "0.05", &[]),
        answers(&fx, vec![]),
        &[("CARO_HOTFIX_BACKOFF_SCALE", scale)],
    );
    (fx, emu, index, out)
}

/// gh never shows response headers; the product reads them from gh's debug log. A 429 with
/// `Retry-After: 3` on the PR lookup is tried again 3 s later, not after the 0.5 s backoff; GraphQL's
/// rate limit (HTTP 200, RATE_LIMITED, `x-ratelimit-reset` 2 s ahead) on the label list is waited
/// out until the reset. The run goes on to the review question with one PR.
#[test]
fn retry_after_and_a_rate_limit_reset_are_waited_for() {
    // The real waits: the emulator's clock sees them.
    let (_fx, emu, _index, out) = until_review_scaled(
        json!([
            {"operation": "PullRequestList", "kind": "retry_after", "retry_after": 3},
            {"operation": "LabelList", "kind": "rate_limit", "reset_in": 2}
        ]),
        "1",
    );
    let text = out.explain();
    assert!(text.contains("Merge PR #1 without review?"), "{text}");
    assert_eq!(emu.pulls(CANONICAL).len(), 1, "{text}");
    let lookups = times_of(&emu, "PullRequestList");
    assert!(lookups.len() >= 2, "{lookups:?}");
    assert!(
        lookups[1] - lookups[0] >= 3.0,
        "the lookup was tried again {:.2} s after a 429 with Retry-After: 3",
        lookups[1] - lookups[0]
    );
    let lists = times_of(&emu, "LabelList");
    assert!(lists.len() >= 2, "{lists:?}");
    assert!(
        lists[1] - lists[0] >= 1.0,
        "the label list was tried again {:.2} s after a spent rate limit resetting in 2 s",
        lists[1] - lists[0]
    );
}

/// GitHub's "Rate limits for the REST API": a secondary rate limit without `Retry-After` asks for at
/// least a minute, then exponentially longer. Once on the label list: the product waits 60 s (asked
/// of its clock, which `CARO_HOTFIX_PAUSE_LOG` makes log the minute instead of sleeping it) and goes
/// on; twice: the next wait (2 min) is more than a step takes, so the step stops at once, resumable,
/// saying when to resume, and no PR is opened.
#[test]
fn a_secondary_rate_limit_without_retry_after_waits_a_minute_then_stops_saying_when_to_resume() {
    for times in [1, 2] {
        let fx = Fixture::new();
        let origin = fx.origin.clone();
        let emu = Emulator::start(&fx, &[(CANONICAL, &origin)], &[("origin", CANONICAL)]);
        let index = IndexServer::publishing(CRATE, &fx.origin);
        index.add_version("1.0.10");
        emu.knobs(json!({ "faults": [
            {"operation": "LabelList", "kind": "secondary", "times": times}
        ]}));
        let pauses = fx.dir.path().join("pauses.log");
        let url = index.url();
        let out = emu
            .env()
            .iter()
            .fold(
                fx.caro(&args(&url, "0.05", &[]))
                    .answers(answers(&fx, vec![]))
                    .env("CARO_HOTFIX_PAUSE_LOG", pauses.to_str().expect("utf-8")),
                |run, (k, v)| run.env(k, v),
            )
            .run();
        let text = out.explain();
        let log = std::fs::read_to_string(&pauses).unwrap_or_default();
        let minutes = log.lines().filter(|l| *l == "60.000").count();
        assert_eq!(
            minutes, 1,
            "one wait of a minute was asked for: {log}\n{text}"
        );
        assert!(
            !log.lines().any(|l| l == "0.500"),
            "the short backoff was used for a secondary rate limit: {log}"
        );
        let lists = times_of(&emu, "LabelList");
        if times == 1 {
            assert!(text.contains("Merge PR #1 without review?"), "{text}");
            assert_eq!(emu.pulls(CANONICAL).len(), 1, "{text}");
            assert!(lists.len() >= 2, "{lists:?}");
        } else {
            assert_eq!(out.code, 1, "{text}");
            assert!(out.error().contains("secondary rate limit again"), "{text}");
            assert!(out.error().contains("now 2 min"), "{text}");
            // 2 min after the fixed clock of the tests (CARO_HOTFIX_NOW).
            assert!(out.error().contains("`caro-hotfix resume` at "), "{text}");
            assert_eq!(lists.len(), 2, "nothing more was sent: {lists:?}");
            assert!(emu.pulls(CANONICAL).is_empty(), "{text}");
        }
    }
}

/// GitHub asks for an hour: the step does not sleep for it. It stops at once with GitHub's word,
/// resumable, having sent the PR's creation once; `resume` opens exactly one PR.
#[test]
fn a_retry_after_beyond_the_cap_stops_the_step_and_resume_opens_one_pr() {
    let (fx, emu, index, out) = until_review(json!([
        {"operation": "PullRequestCreate", "kind": "retry_after", "retry_after": 3600}
    ]));
    let text = out.explain();
    assert_eq!(out.code, 1, "{text}");
    assert!(
        out.error()
            .contains("GitHub asks to wait 1 h before the next request"),
        "{text}"
    );
    assert!(out.error().contains("caro-hotfix resume"), "{text}");
    assert_eq!(times_of(&emu, "PullRequestCreate").len(), 1, "{text}");
    assert!(emu.pulls(CANONICAL).is_empty());
    let url = index.url();
    let again = run(
        &fx,
        &emu,
        &[
            "resume",
            "--poll-interval",
            "0.05",
            "--registry-index",
            &url,
        ],
        vec![],
    );
    assert!(
        again.explain().contains("Merge PR #1 without review?"),
        "{}",
        again.explain()
    );
    assert_eq!(emu.pulls(CANONICAL).len(), 1);
}

/// The publish watch (a defect of the reference: trusting `gh run watch`): gh 2.23's `run watch
/// --exit-status` exits 0 when an API error cuts it short, although the run is still going. Here a
/// 502 on the run's jobs ends the watch early; the run then fails. The step confirms the
/// conclusion with `gh run view` and stops — it never reports a publish that did not happen.
#[test]
fn a_publish_watch_cut_short_by_an_api_error_is_confirmed_and_its_failure_stops_the_step() {
    let fx = Fixture::new();
    let origin = fx.origin.clone();
    let emu = Emulator::start(&fx, &[(CANONICAL, &origin)], &[("origin", CANONICAL)]);
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    emu.knobs(json!({
        "reviews": [{"author": "bob", "state": "APPROVED"}],
        "tag_runs": [{"workflow": "Release", "file": "release.yml", "script": [
            {"at": 0, "status": "in_progress"},
            {"at": 8, "status": "completed", "conclusion": "failure"}
        ]}],
        "faults": [{"method": "GET", "path": "/jobs", "kind": "status", "status": 502}]
    }));
    let url = index.url();
    let out = run(
        &fx,
        &emu,
        &args(&url, "0.2", &[]),
        answers(&fx, vec![say("yes")]),
    );
    let text = out.explain();
    assert_eq!(out.code, 1, "{text}");
    assert_eq!(
        emu.state()["knobs"]["faults"][0]["hits"],
        1,
        "the watch was never cut short\n{text}"
    );
    assert!(
        out.error().contains("the publish workflow `Release` (run"),
        "{text}"
    );
    assert!(out.error().contains("(conclusion `failure`)"), "{text}");
    assert!(!text.contains("succeeded"), "{text}");
    // Two watches: the one cut short, then one to the end.
    let watches = text.matches("$ gh run watch").count();
    assert!(watches >= 2, "{text}");
    // gh's own loop refreshes at the run's --poll-interval (0.05 s: gh's least, 1 s), not gh's 3 s.
    assert_eq!(
        text.matches("--exit-status --interval 1").count(),
        watches,
        "{text}"
    );
    // The advisory stays the private draft of step 4: nothing is published after a failed publish.
    let advisories = emu.advisories(CANONICAL);
    assert!(
        advisories.iter().all(|a| a["state"] == "draft"),
        "{advisories:#?}\n{text}"
    );
}

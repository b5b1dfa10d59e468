//! Steps 9–16 with the REAL gh (Debian's gh 2.23, /usr/bin/gh) against the GitHub emulator
//! (`tests/testsuite/support/github_emulator.py`): the fixture's remotes have GitHub-style URLs mapped to bare
//! repositories, and what GitHub holds afterwards is read from the emulator's state.
//!
//! Without /usr/bin/gh these tests fail (they never pass silently): `.ci/run` installs it.

use std::path::PathBuf;

use crate::support::emulator::Emulator;
use crate::support::index_server::IndexServer;
use crate::support::*;
use serde_json::json;

pub(crate) const CANONICAL: &str = "example/minicrate";
const FORK: &str = "maintainer/minicrate";

pub(crate) fn args<'a>(index: &'a str, poll: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "--poll-interval",
        poll,
        "--registry-index",
        index,
        "--severity",
        "critical",
        "--impact",
        "Remote attackers can read past the buffer",
        "--advisory",
        "RUSTSEC-2026-0042",
        "--credit",
        "@grace",
    ];
    a.extend_from_slice(extra);
    a.push(DESCRIPTION);
    a
}

/// yes, the fix committed while the wizard waits for done, the audit skipped, then `more`.
pub(crate) fn answers(fx: &Fixture, more: Vec<Answer>) -> Vec<Answer> {
    let mut a = vec![say("yes"), fx.commit_fix_then("done"), say("y")];
    a.extend(more);
    a
}

/// A fixture whose `origin` is the canonical repository on the emulator.
fn world() -> (Fixture, Emulator, IndexServer) {
    let fx = Fixture::new();
    let origin = fx.origin.clone();
    let emu = Emulator::start(&fx, &[(CANONICAL, &origin)], &[("origin", CANONICAL)]);
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    (fx, emu, index)
}

pub(crate) fn run(fx: &Fixture, emu: &Emulator, args: &[&str], answers: Vec<Answer>) -> Outcome {
    run_with(fx, emu, args, answers, &[])
}

/// [`run`] with `env` set after the emulator's (e.g. `CARO_HOTFIX_BACKOFF_SCALE=1`).
pub(crate) fn run_with(
    fx: &Fixture,
    emu: &Emulator,
    args: &[&str],
    answers: Vec<Answer>,
    env: &[(&str, &str)],
) -> Outcome {
    let run = emu
        .env()
        .iter()
        .fold(fx.caro(args).answers(answers), |run, (k, v)| run.env(k, v));
    env.iter().fold(run, |run, (k, v)| run.env(k, v)).run()
}

pub(crate) fn origin_git(fx: &Fixture, args: &[&str]) -> String {
    let mut full = vec!["--git-dir", fx.origin.to_str().expect("utf-8 path")];
    full.extend_from_slice(args);
    git(fx.dir.path(), &full)
}

fn merged(emu: &Emulator) -> Vec<serde_json::Value> {
    emu.pulls(CANONICAL)
        .into_iter()
        .filter(|p| p["state"] == "MERGED")
        .collect()
}

/// Defect 3: `origin` is the maintainer's fork, the project is `canonical`: the PR is opened on
/// the canonical repository, derived from the remote's configured URL (gh alone acts on the fork,
/// or on nothing: with `insteadOf` it cannot match any remote).
#[test]
fn the_pr_is_opened_on_the_chosen_remote_not_on_the_fork() {
    let fx = Fixture::new();
    let fork: PathBuf = fx.dir.path().join("fork.git");
    git(
        fx.dir.path(),
        &["clone", "-q", "--bare", "origin.git", "fork.git"],
    );
    let origin = fx.origin.clone();
    let emu = Emulator::start(
        &fx,
        &[(CANONICAL, &origin), (FORK, &fork)],
        &[("origin", FORK), ("canonical", CANONICAL)],
    );
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    let url = index.url();
    // Stops at the review question (the script has no answer for it).
    let out = run(
        &fx,
        &emu,
        &args(&url, "0.05", &["--remote", "canonical"]),
        answers(&fx, vec![]),
    );
    assert_ne!(out.code, 0, "{}", out.explain());
    assert!(
        out.explain().contains("Merge PR #1 without review?"),
        "{}",
        out.explain()
    );
    let prs = emu.pulls(CANONICAL);
    assert_eq!(prs.len(), 1, "{}", out.explain());
    assert_eq!(prs[0]["head"], "hotfix/v1.0.11", "{:#}", prs[0]);
    assert!(emu.pulls(FORK).is_empty());
    assert!(
        out.transcript.contains(
            "GitHub repository: example/minicrate (http://github.localhost/example/minicrate)"
        ),
        "{}",
        out.explain()
    );
    // Every gh request named the canonical repository.
    for r in emu.requests() {
        let path = r["path"].as_str().unwrap_or_default();
        assert!(!path.contains("maintainer/"), "{r:#}");
    }
}

/// Defect 1: right after the push GitHub reports no checks; they appear seconds later and fail.
/// The step waits for them instead of taking "no checks reported" for "no CI", and stops: the PR is
/// not merged.
#[test]
fn late_checks_are_waited_for_and_a_failing_one_stops_before_the_merge() {
    let (fx, emu, index) = world();
    emu.knobs(json!({"checks_delay_seconds": 3, "checks_pending_seconds": 1, "checks": "fail"}));
    let url = index.url();
    let out = run(&fx, &emu, &args(&url, "0.5", &[]), answers(&fx, vec![]));
    assert_ne!(out.code, 0, "{}", out.explain());
    assert!(
        out.explain().contains("failed on PR #1"),
        "{}",
        out.explain()
    );
    assert!(merged(&emu).is_empty());
    assert_eq!(emu.pulls(CANONICAL).len(), 1);
    let merges = emu
        .requests()
        .iter()
        .filter(|r| r["operation"] == "PullRequestMerge")
        .count();
    assert_eq!(merges, 0);
}

/// A repository without CI: after the grace period the step says so and takes a typed `yes`.
#[test]
fn no_checks_at_all_after_the_grace_asks_a_typed_yes() {
    let (fx, emu, index) = world();
    emu.knobs(json!({"checks": "none"}));
    let url = index.url();
    // `yes` to going on without CI, then no answer to the review question: the run stops there.
    let out = run(
        &fx,
        &emu,
        &args(&url, "0.05", &[]),
        answers(&fx, vec![say("yes")]),
    );
    assert_ne!(out.code, 0, "{}", out.explain());
    let text = out.explain();
    assert!(text.contains("No checks were reported for PR #1"), "{text}");
    assert!(text.contains("Merge without CI? (type 'yes'"), "{text}");
    assert!(text.contains("Going on without CI for PR #1"), "{text}");
    assert!(text.contains("Merge PR #1 without review?"), "{text}");
    assert!(merged(&emu).is_empty());
}

/// Defect 2: no branch protection (reviewDecision ""), approved only by the PR's author: that is
/// no approval. The question comes; `no` goes back to polling; an approval by someone else then
/// lets the merge go. The end to end run: delayed checks, two workflow runs for the tag (the one
/// whose file runs `cargo publish` is watched), a publish waiting for the `crates-io` environment,
/// the advisory — one PR merged for real on the bare origin, the tag pushed, one advisory.
#[test]
fn end_to_end_with_the_real_gh_review_by_another_and_a_publish_waiting_for_approval() {
    let (fx, emu, index) = world();
    // The release workflow is on main (the squash merge carries it into the tag).
    write(
        &fx.work.join(".github/workflows/release.yml"),
        "on: {push: {tags: ['v*']}}\njobs:\n  publish:\n    environment: crates-io\n    runs-on: ubuntu-latest\n    steps:\n      - run: cargo publish\n",
    );
    write(
        &fx.work.join(".github/workflows/ci.yml"),
        "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cargo test\n",
    );
    git(&fx.work, &["add", ".github"]);
    git(&fx.work, &["commit", "-q", "-m", "ci: workflows"]);
    git(&fx.work, &["push", "-q", "origin", "main"]);
    emu.knobs(json!({
        "checks_delay_seconds": 2,
        "checks_pending_seconds": 1,
        "reviews": [{"author": "octo", "state": "APPROVED"}],
        "tag_runs": [
            {"workflow": "CI", "file": "ci.yml",
             "script": [{"at": 0, "status": "in_progress"}, {"at": 1, "status": "completed", "conclusion": "success"}]},
            {"workflow": "Release", "file": "release.yml",
             "script": [{"at": 0, "status": "waiting", "environment": "crates-io"},
                        {"at": 0.5, "status": "completed", "conclusion": "success"}]}
        ],
        // The advisory's creation loses its answer after taking effect.
        "faults": [{"method": "POST", "path": "/security-advisories", "kind": "lost"}]
    }));
    index.publish_after("1.0.11", 3);
    let url = index.url();
    // The approver: once the product asked GitHub what the publish run waits for, approve it.
    let port = emu.port;
    let state_dir = emu.state_dir.clone();
    let approver = std::thread::spawn(move || {
        for _ in 0..600 {
            let log = std::fs::read_to_string(state_dir.join("requests.jsonl")).unwrap_or_default();
            if let Some(line) = log.lines().find(|l| l.contains("/pending_deployments")) {
                let v: serde_json::Value = serde_json::from_str(line).expect("log line");
                let path = v["path"].as_str().unwrap_or_default().to_string();
                let id = path
                    .split("/runs/")
                    .nth(1)
                    .and_then(|r| r.split('/').next())
                    .unwrap_or_default()
                    .to_string();
                emulator::control_at(
                    port,
                    "POST",
                    &format!("/_control/runs/{id}"),
                    json!({"approve": true}),
                );
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        false
    });
    let review_port = emu.port;
    let more = vec![do_then_say(
        move || {
            emulator::control_at(
                review_port,
                "POST",
                "/_control/knobs",
                json!({"reviews": [{"author": "octo", "state": "APPROVED"}, {"author": "bob", "state": "APPROVED"}]}),
            );
        },
        "no",
    )];
    let mut more = more;
    // The typed yes that publishes the advisory at step 13.
    more.push(say("yes"));
    let out = run(&fx, &emu, &args(&url, "0.2", &[]), answers(&fx, more));
    assert!(approver.join().expect("approver"), "{}", out.explain());
    assert_eq!(out.code, 0, "{}", out.explain());
    let text = out.explain();
    assert!(
        text.contains("is approved only by its author (octo), which does not count"),
        "{text}"
    );
    assert!(text.contains("PR #1 approved by"), "{text}");
    assert!(
        text.contains("waits for approval of the environment `crates-io`"),
        "{text}"
    );
    assert!(text.contains("the tag also started: `CI`"), "{text}");
    assert!(
        text.contains("The publish workflow `Release` succeeded"),
        "{text}"
    );
    // The summary names the repository the hotfix went to.
    assert!(
        text.contains("Repository: example/minicrate (http://github.localhost/example/minicrate)"),
        "{text}"
    );

    // One PR, merged for real: the squash commit is main's tip on the bare origin, the tag on it.
    let prs = emu.pulls(CANONICAL);
    assert_eq!(prs.len(), 1);
    assert_eq!(merged(&emu).len(), 1);
    let main = origin_git(&fx, &["rev-parse", "main"]);
    assert_eq!(origin_git(&fx, &["rev-parse", "v1.0.11^{commit}"]), main);
    let subject = origin_git(&fx, &["log", "-1", "--format=%s", "main"]);
    assert!(
        subject.contains("SECURITY HOTFIX: minicrate 1.0.11 (#1)"),
        "{subject}"
    );
    // One advisory, although the answer to its creation was lost.
    let advisories = emu.advisories(CANONICAL);
    assert_eq!(advisories.len(), 1, "{advisories:#?}");
    assert!(text.contains("creating the advisory failed"), "{text}");
}

fn prs_opened(emu: &Emulator) -> usize {
    emu.requests()
        .iter()
        .filter(|r| r["operation"] == "PullRequestCreate")
        .count()
}

/// `gh pr create`'s answer is lost after GitHub opened the PR (gh exits 1 with EOF): the step looks
/// the PR up by its head and goes on with it — one PR, no "already exists".
#[test]
fn a_lost_pr_create_answer_leaves_one_pr() {
    let (fx, emu, index) = world();
    emu.knobs(json!({"faults": [
        {"method": "POST", "operation": "PullRequestCreate", "kind": "lost"},
        // A lookup that fails once is read again, not taken for "none".
        {"method": "POST", "operation": "PullRequestList", "kind": "status", "status": 502}
    ]}));
    let url = index.url();
    let out = run(&fx, &emu, &args(&url, "0.05", &[]), answers(&fx, vec![]));
    assert!(
        out.explain().contains("Merge PR #1 without review?"),
        "{}",
        out.explain()
    );
    assert_eq!(emu.pulls(CANONICAL).len(), 1);
    assert_eq!(prs_opened(&emu), 1);
    assert!(
        out.explain().contains("but the PR exists: #1"),
        "{}",
        out.explain()
    );
}

/// `gh pr create` keeps failing (502, three attempts, each after a lookup): the step stops with
/// nothing opened; `caro-hotfix resume` opens exactly one PR.
#[test]
fn a_failing_pr_create_stops_and_resume_opens_one_pr() {
    let (fx, emu, index) = world();
    emu.knobs(json!({"faults": [
        {"method": "POST", "operation": "PullRequestCreate", "kind": "status", "status": 502, "times": 3}
    ]}));
    let url = index.url();
    let out = run(&fx, &emu, &args(&url, "0.05", &[]), answers(&fx, vec![]));
    assert_ne!(out.code, 0);
    assert!(
        out.error().contains("could not open the PR"),
        "{}",
        out.explain()
    );
    assert!(emu.pulls(CANONICAL).is_empty());
    let out = run(
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
        out.explain().contains("Merge PR #1 without review?"),
        "{}",
        out.explain()
    );
    assert_eq!(emu.pulls(CANONICAL).len(), 1);
}

/// Creating the advisory draft at step 4 fails with 502 three times: step 4 stops, resumable, before
/// anything is public (no PR), without the manual fallback; the advisory list failing once is read
/// again. `resume` creates exactly one and goes on.
/// Also defect 1 with passing checks: they appear 2 s after the PR and pass 2 s later; the merge
/// comes after that, never before.
#[test]
fn a_failing_advisory_create_stops_and_resume_creates_one() {
    let (fx, emu, index) = world();
    emu.knobs(json!({
        "checks_delay_seconds": 2,
        "checks_pending_seconds": 2,
        "reviews": [{"author": "bob", "state": "APPROVED"}],
        "faults": [
            {"method": "GET", "path": "/security-advisories", "kind": "status", "status": 502},
            {"method": "POST", "path": "/security-advisories", "kind": "status", "status": 502, "times": 3}
        ]
    }));
    index.publish_after("1.0.11", 2);
    let url = index.url();
    let out = run(&fx, &emu, &args(&url, "0.2", &[]), vec![say("yes")]);
    assert_ne!(out.code, 0, "{}", out.explain());
    assert!(
        out.error()
            .contains("step 4 (document the issue) did not finish")
            && out.error().contains("GitHub did not create the advisory"),
        "{}",
        out.explain()
    );
    assert!(emu.advisories(CANONICAL).is_empty());
    assert!(emu.pulls(CANONICAL).is_empty());
    let out = run(
        &fx,
        &emu,
        // The recorded options (poll 0.2 s, so the checks' grace outlasts their 2 s delay).
        &["resume"],
        vec![fx.commit_fix_then("done"), say("y"), say("yes")],
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    assert_eq!(emu.advisories(CANONICAL).len(), 1);
    assert_eq!(emu.advisories(CANONICAL)[0]["state"], "published");
    assert_eq!(merged(&emu).len(), 1);
    let at = |op: &str| {
        emu.requests()
            .iter()
            .find(|r| r["operation"] == op && r["status"] == 200)
            .and_then(|r| r["t"].as_f64())
            .unwrap_or_else(|| panic!("no {op} request"))
    };
    let (created, merged_at) = (at("PullRequestCreate"), at("PullRequestMerge"));
    assert!(
        merged_at >= created + 4.0,
        "merged {:.1} s after the PR was opened, before its checks passed",
        merged_at - created
    );
}

/// GitHub Enterprise: gh must be logged in to the host the remote names, not to every host it knows.
/// gh here also knows a second host whose token is dead; plain `gh auth status` checks every host and
/// fails, `gh auth status --hostname github.localhost` — the host derived from the remote's URL —
/// passes, so the hotfix starts. When the emulator refuses the token, preflight names that host.
#[test]
fn preflight_checks_the_login_on_the_host_of_the_remote() {
    let (fx, emu, index) = world();
    let hosts = emu.config_dir.join("hosts.yml");
    let mut text = std::fs::read_to_string(&hosts).expect("hosts.yml");
    text.push_str(
        "ghe.invalid:\n    oauth_token: gho_dead\n    user: octo\n    git_protocol: https\n",
    );
    std::fs::write(&hosts, text).expect("hosts.yml");
    let url = index.url();
    // No answer to step 1's question: the run stops there, past preflight.
    let out = run(&fx, &emu, &args(&url, "0.05", &[]), vec![]);
    let text = out.explain();
    assert!(!text.contains("cannot start"), "{text}");
    assert!(text.contains("Continue with hotfix?"), "{text}");

    emu.knobs(json!({"auth": "bad_credentials"}));
    let out = run(&fx, &emu, &args(&url, "0.05", &[]), vec![]);
    let text = out.explain();
    assert_ne!(out.code, 0, "{text}");
    assert!(
        text.contains(
            "gh is not logged in to github.localhost (`gh auth status --hostname github.localhost` failed)"
        ),
        "{text}"
    );
}

/// GitHub creates no repository security advisories in private repositories: a hotfix of one is
/// told so before anything starts (read with the real gh: `gh repo view … --json isPrivate`), with
/// what still works. A public repository hears nothing of it.
#[test]
fn a_private_repository_is_named_before_the_start_with_what_still_works() {
    let (fx, emu, index) = world();
    let url = index.url();
    let public = run(&fx, &emu, &args(&url, "0.05", &[]), vec![]);
    assert!(
        !public.explain().contains("private repository"),
        "{}",
        public.explain()
    );
    emu.control(
        "POST",
        "/_control/repo",
        json!({"repo": CANONICAL, "private": true}),
    );
    // No answer to step 1's question: the run stops there, after the note.
    let out = run(&fx, &emu, &args(&url, "0.05", &[]), vec![]);
    let text = out.transcript.clone();
    let note = format!(
        "{CANONICAL} is a private repository: GitHub creates no repository security advisories in \
         private repositories"
    );
    let at = text
        .find(&note)
        .unwrap_or_else(|| panic!("{}", out.explain()));
    assert!(
        text[at..].contains("the RustSec advisory draft"),
        "what still works is said: {text}"
    );
    let question = text
        .find("[1/16] Confirm the emergency")
        .unwrap_or_else(|| panic!("{}", out.explain()));
    assert!(at < question, "said before step 1's question: {text}");
}

/// A hotfix completed with the real gh (approved by another, published, its advisory drafted), with
/// the registry `local` of the index server configured for cargo's yank. Returns its token.
fn hotfixed_then_rollback_ready() -> (Fixture, Emulator, IndexServer) {
    let (fx, emu, index) = world();
    index.publish_after("1.0.11", 2);
    index.require_token(ROLLBACK_TOKEN);
    write(
        &fx.dir.path().join(".cargo/config.toml"),
        &format!("[registries.local]\nindex = \"sparse+{}\"\n", index.url()),
    );
    emu.knobs(json!({"reviews": [{"author": "bob", "state": "APPROVED"}]}));
    let url = index.url();
    let out = run(
        &fx,
        &emu,
        &args(&url, "0.05", &[]),
        answers(&fx, vec![say("yes")]),
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    assert_eq!(emu.advisories(CANONICAL).len(), 1);
    assert_eq!(releases_of(&emu, "v1.0.11"), 1);
    (fx, emu, index)
}

const ROLLBACK_TOKEN: &str = "local-registry-token-1234";

/// `caro-hotfix rollback` (or `resume`) with the real gh, cargo's token for `local`, cargo online.
fn rollback(fx: &Fixture, emu: &Emulator, args: &[&str], answers: Vec<Answer>) -> Outcome {
    emu.env()
        .iter()
        .fold(fx.caro(args).answers(answers), |run, (k, v)| run.env(k, v))
        .env("CARGO_REGISTRIES_LOCAL_TOKEN", ROLLBACK_TOKEN)
        .env("CARGO_NET_OFFLINE", "false")
        .run()
}

const ROLLBACK: [&str; 5] = ["rollback", "--registry", "local", "--poll-interval", "0.05"];

/// The typed `yes`, the regression, the timeline, `y` to update the GitHub advisory, `n` to the
/// next hotfix (the answers after `yes` when `from_step_5` only).
fn rollback_answers(from_step_5: bool) -> Vec<Answer> {
    let mut a = if from_step_5 {
        vec![]
    } else {
        vec![say("yes")]
    };
    a.extend([say("a regression"), say("by Friday"), say("y"), say("n")]);
    a
}

fn releases_of(emu: &Emulator, tag: &str) -> usize {
    emu.repo(CANONICAL)["releases"]
        .as_array()
        .map(|r| r.iter().filter(|r| r["tag_name"] == tag).count())
        .unwrap_or(0)
}

/// The rollback's GitHub half with the real gh, both answers lost after their effect: the release
/// deleted (gh exits 1; tried again, gh says "release not found": it is gone), the advisory updated
/// (the PATCH sent again sets the same text). The rollback goes through in one run and says so —
/// no failure claimed for what happened. The tag stays; one advisory, now carrying the notice.
#[test]
fn rollback_with_the_real_gh_gets_over_lost_answers_to_the_release_delete_and_the_advisory_update()
{
    let (fx, emu, _index) = hotfixed_then_rollback_ready();
    emu.knobs(json!({"faults": [
        {"method": "DELETE", "path": "/releases/", "kind": "lost"},
        {"method": "PATCH", "path": "/security-advisories/", "kind": "lost"}
    ]}));
    let out = rollback(&fx, &emu, &ROLLBACK, rollback_answers(false));
    let text = out.explain();
    assert_eq!(out.code, 0, "{text}");
    let faults = &emu.state()["knobs"]["faults"];
    assert_eq!(faults[0]["hits"], 1, "{faults}");
    assert_eq!(faults[1]["hits"], 1, "{faults}");
    assert!(
        text.contains("There is no GitHub release for v1.0.11 (any more)"),
        "{text}"
    );
    assert!(
        !text.contains("GitHub did not update the advisory"),
        "{text}"
    );
    assert!(
        text.contains(
            "✓ Updated http://github.localhost/example/minicrate/security/advisories/GHSA-"
        ),
        "{text}"
    );
    assert_eq!(releases_of(&emu, "v1.0.11"), 0);
    assert!(!origin_git(&fx, &["tag", "--list", "v1.0.11"]).is_empty());
    let advisories = emu.advisories(CANONICAL);
    assert_eq!(advisories.len(), 1, "{advisories:#?}");
    let notice = read(&fx.work.join(".git/caro-hotfix/rollback-advisory-1.0.11.md"));
    // The notice goes on top of the advisory's description; its details stay below.
    let description = advisories[0]["description"].as_str().unwrap_or_default();
    assert!(description.starts_with(notice.trim_end()), "{description}");
}

/// Deleting the release keeps failing (502, every attempt): the rollback stops at step 4 with the
/// message, resumable; `resume` deletes it — once — and finishes, the tag kept. The advisory's
/// `PATCH` failing once (502) is sent again: the advisory carries the notice.
#[test]
fn rollback_with_the_real_gh_stops_on_a_failing_release_delete_and_resume_deletes_it_once_and_a_failing_advisory_update_is_retried(
) {
    let (fx, emu, _index) = hotfixed_then_rollback_ready();
    emu.knobs(json!({"faults": [
        {"method": "DELETE", "path": "/releases/", "kind": "status", "status": 502, "times": 4},
        // And the advisory's update fails once: sent again, it sets the notice.
        {"method": "PATCH", "path": "/security-advisories/", "kind": "status", "status": 502}
    ]}));
    let out = rollback(&fx, &emu, &ROLLBACK, vec![say("yes")]);
    let text = out.explain();
    assert_eq!(out.code, 1, "{text}");
    assert!(
        out.error()
            .contains("could not delete the GitHub release v1.0.11: HTTP 502"),
        "{text}"
    );
    assert!(out.error().contains("caro-hotfix resume"), "{text}");
    assert_eq!(releases_of(&emu, "v1.0.11"), 1);
    let out = rollback(&fx, &emu, &["resume"], rollback_answers(true));
    let text = format!("{text}\n=== resume ===\n{}", out.explain());
    assert_eq!(out.code, 0, "{text}");
    assert!(
        text.contains("Deleted the GitHub release v1.0.11; the tag v1.0.11 stays"),
        "{text}"
    );
    let deletes = emu
        .requests()
        .iter()
        .filter(|r| r["method"] == "DELETE" && r["status"] == 204)
        .filter(|r| {
            r["path"]
                .as_str()
                .unwrap_or_default()
                .contains("/releases/")
        })
        .count();
    assert_eq!(deletes, 1, "{text}");
    assert_eq!(releases_of(&emu, "v1.0.11"), 0);
    assert!(!origin_git(&fx, &["tag", "--list", "v1.0.11"]).is_empty());
    assert_eq!(emu.state()["knobs"]["faults"][1]["hits"], 1, "{text}");
    assert!(
        !text.contains("GitHub did not update the advisory"),
        "{text}"
    );
    let advisories = emu.advisories(CANONICAL);
    assert_eq!(advisories.len(), 1);
    let notice = read(&fx.work.join(".git/caro-hotfix/rollback-advisory-1.0.11.md"));
    // The notice goes on top of the advisory's description; its details stay below.
    let description = advisories[0]["description"].as_str().unwrap_or_default();
    assert!(description.starts_with(notice.trim_end()), "{description}");
}

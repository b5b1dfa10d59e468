//! Steps 9–16 end to end: a real git origin on disk, the gh stand-in (real squash merges into the bare
//! origin), and a sparse index served on 127.0.0.1 that the tool's real curl polls.

use crate::support::index_server::IndexServer;
use crate::support::*;

fn args<'a>(index: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "--poll-interval",
        "0.05",
        "--registry-index",
        index,
        "--severity",
        "critical",
        "--impact",
        "Remote attackers can read past the buffer",
        "--advisory",
        "RUSTSEC-2026-0042",
        "--advisory",
        "CVE-2026-12345",
        "--credit",
        "Grace Reporter",
    ];
    a.extend_from_slice(extra);
    a.push(DESCRIPTION);
    a
}

/// yes, the fix committed while the wizard waits for done, the audit skipped, and the typed `yes`
/// that publishes the advisory at step 13.
fn answers(fx: &Fixture) -> Vec<Answer> {
    vec![say("yes"), fx.commit_fix_then("done"), say("y"), say("yes")]
}

fn origin_git(fx: &Fixture, args: &[&str]) -> String {
    let mut full = vec!["--git-dir", fx.origin.to_str().expect("utf-8 path")];
    full.extend_from_slice(args);
    git(fx.dir.path(), &full)
}

fn calls_matching(fx: &Fixture, words: &[&str]) -> usize {
    fx.gh_calls()
        .iter()
        .filter(|argv| words.iter().all(|w| argv.iter().any(|a| a == w)))
        .count()
}

/// The one line step 12 says when the published crate is the tagged source.
fn t_has_verdict(transcript: &str) -> bool {
    transcript.contains("The published minicrate 1.0.11 is the tagged source")
}

#[test]
fn one_run_takes_the_hotfix_from_yes_to_the_summary() {
    real_gates();
    let fx = Fixture::new();
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    index.publish_after("1.0.11", 3);
    let url = index.url();
    let out = fx.caro(&args(&url, &[])).answers(answers(&fx)).run();
    assert_eq!(out.code, 0, "{}", out.explain());
    // Steps 14 and 16 confirm the annotated tag on the origin peels to the merge commit.
    assert!(
        out.transcript.contains("v1.0.11 is on origin, at"),
        "{}",
        out.explain()
    );
    assert!(
        !out.transcript.contains("not at the merge commit"),
        "{}",
        out.explain()
    );

    // On the origin: an annotated tag v1.0.11 on the squash-merge commit at the top of main.
    assert_eq!(origin_git(&fx, &["cat-file", "-t", "v1.0.11"]), "tag");
    let tagged = origin_git(&fx, &["rev-parse", "v1.0.11^{commit}"]);
    let main = origin_git(&fx, &["rev-parse", "main"]);
    assert_eq!(tagged, main);
    let subject = origin_git(&fx, &["log", "-1", "--format=%s", "main"]);
    assert!(
        subject.contains("SECURITY HOTFIX: minicrate 1.0.11 (#1)"),
        "{subject}"
    );
    // The merge contains the unreleased work of main too (the squash went onto main) and the fix.
    for (file, needle) in [
        ("Cargo.toml", "version = \"1.0.11\""),
        ("Cargo.lock", "version = \"1.0.11\""),
        ("CHANGELOG.md", "## [1.0.11]"),
        ("SECURITY.md", "minicrate 1.0.11"),
        ("src/lib.rs", "claimed.min"),
    ] {
        let text = origin_git(&fx, &["show", &format!("v1.0.11:{file}")]);
        assert!(
            text.contains(needle),
            "{file} at v1.0.11 lacks {needle:?}:\n{text}"
        );
    }
    // The hotfix branch was deleted by the merge.
    assert!(!git_ok(
        &fx.origin,
        &["rev-parse", "--verify", "refs/heads/hotfix/v1.0.11"]
    ));

    // Texts carry real values and no placeholders.
    let prs = fx.gh_prs();
    let body = prs[0]["body"].as_str().expect("PR body").to_string();
    let tag_message = origin_git(&fx, &["tag", "-l", "--format=%(contents)", "v1.0.11"]);
    let announcement = read(&fx.work.join(".git/caro-hotfix/announcement.md"));
    for (name, text) in [
        ("PR body", &body),
        ("tag message", &tag_message),
        ("announcement", &announcement),
    ] {
        assert!(!text.contains('$'), "{name} has a $ placeholder:\n{text}");
        assert!(
            text.contains("v1.0.11") || text.contains("1.0.11"),
            "{name}:\n{text}"
        );
        assert!(text.contains(DESCRIPTION), "{name}:\n{text}");
        assert!(text.contains("RUSTSEC-2026-0042"), "{name}:\n{text}");
        assert!(text.contains("Critical"), "{name}:\n{text}");
    }
    assert!(body.contains("Base version: v1.0.10"), "{body}");
    assert!(
        body.contains("Hotfix initiated by: Ada Maintainer"),
        "{body}"
    );
    assert!(
        announcement.contains("Thank you to Grace Reporter"),
        "{announcement}"
    );
    // minicrate is a library: users update their lock files; there is nothing to `cargo install`.
    assert!(
        announcement.contains("cargo update -p minicrate --precise 1.0.11"),
        "{announcement}"
    );
    assert!(!announcement.contains("cargo install"), "{announcement}");

    // The PR: base main, head the hotfix branch, labels (missing ones created), body from a file.
    assert_eq!(prs[0]["base"], "main");
    assert_eq!(prs[0]["head"], "hotfix/v1.0.11");
    assert_eq!(calls_matching(&fx, &["pr", "create", "--body-file"]), 1);
    assert_eq!(calls_matching(&fx, &["label", "create", "urgent"]), 1);
    assert_eq!(calls_matching(&fx, &["label", "create", "hotfix"]), 1);
    assert_eq!(calls_matching(&fx, &["label", "create", "security"]), 0);
    assert_eq!(
        calls_matching(
            &fx,
            &[
                "pr",
                "merge",
                "--squash",
                "--delete-branch",
                "--match-head-commit"
            ]
        ),
        1
    );
    assert_eq!(calls_matching(&fx, &["run", "watch", "--exit-status"]), 1);

    // The advisory JSON has what GitHub needs.
    let advisory: serde_json::Value =
        serde_json::from_str(&read(&fx.work.join(".git/caro-hotfix/advisory.json")))
            .expect("advisory json");
    assert_eq!(advisory["summary"], DESCRIPTION);
    assert_eq!(advisory["severity"], "critical");
    assert_eq!(advisory["cve_id"], "CVE-2026-12345");
    assert_eq!(
        advisory["vulnerabilities"][0]["package"]["ecosystem"],
        "rust"
    );
    assert_eq!(
        advisory["vulnerabilities"][0]["package"]["name"],
        "minicrate"
    );
    // One truth for the versions: the 1.0 line is patched; 0.9.9 (older, default --introduced: the
    // oldest release) stays vulnerable and is listed with no patched version.
    assert_eq!(
        advisory["vulnerabilities"][1]["vulnerable_version_range"],
        ">= 1.0.0, < 1.0.11"
    );
    assert_eq!(advisory["vulnerabilities"][1]["patched_versions"], "1.0.11");
    assert_eq!(
        advisory["vulnerabilities"][0]["vulnerable_version_range"],
        ">= 0.9.9, <= 0.9.9"
    );
    assert!(advisory["vulnerabilities"][0]["patched_versions"].is_null());
    assert!(advisory["description"]
        .as_str()
        .expect("description")
        .contains("Grace Reporter"));
    // A name, not a login: thanked in the description, no GitHub credit.
    assert_eq!(advisory["credits"], serde_json::json!([]));
    assert_eq!(calls_matching(&fx, &["api", "-X", "POST", "--input"]), 1);
    // The draft came first (step 4, before the PR), the publication last: step 13 read the draft
    // (it carries the versions since step 4) and had nothing else to send.
    let calls = fx.gh_calls();
    let at = |words: &[&str]| {
        calls
            .iter()
            .position(|argv| words.iter().all(|w| argv.iter().any(|a| a == w)))
            .unwrap_or_else(|| panic!("no gh call with {words:?}"))
    };
    assert!(at(&["api", "-X", "POST", "--input"]) < at(&["pr", "create"]));
    assert_eq!(calls_matching(&fx, &["api", "-X", "PATCH", "--input"]), 1);
    assert!(at(&["api", "-X", "PATCH", "--input"]) > at(&["pr", "merge"]));
    let stored: serde_json::Value =
        serde_json::from_str(&read(&fx.gh_state().join("advisories.json"))).expect("advisories");
    assert_eq!(stored[0]["response"]["state"], "published", "{stored:#}");
    assert_eq!(
        stored[0]["updates"][0],
        serde_json::json!({"state": "published"})
    );
    assert!(
        out.transcript
            .contains("Still vulnerable, not patched by this hotfix: 0.9.9"),
        "{}",
        out.explain()
    );

    // The registry was asked with curl, naming caro-hotfix in the User-Agent: the index at the
    // sparse path, config.json, the API and the download of the published crate.
    let requests = index.requests();
    assert!(requests.len() >= 3, "{requests:?}");
    assert!(
        requests.iter().all(|r| r.path == "/mi/ni/minicrate"
            || r.path == "/config.json"
            || r.path.starts_with("/api/v1/crates/minicrate")),
        "{requests:?}"
    );
    assert!(requests.iter().all(|r| r
        .header("user-agent")
        .is_some_and(|ua| ua.starts_with("caro-hotfix/"))));
    assert!(t_has_verdict(&out.transcript), "{}", out.explain());

    // The summary, with the real URLs; the record is archived.
    let t = &out.transcript;
    assert!(t.contains("SECURITY HOTFIX v1.0.11 PUBLISHED"), "{t}");
    assert!(
        t.contains("https://crates.io/crates/minicrate/1.0.11"),
        "{t}"
    );
    assert!(
        t.contains("https://github.com/example/minicrate/releases/tag/v1.0.11"),
        "{t}"
    );
    assert!(
        t.contains("https://github.com/example/minicrate/security/advisories/GHSA-"),
        "{t}"
    );
    assert!(!fx.work.join(".git/caro-hotfix/state.toml").exists());
    assert!(fx
        .work
        .join(".git/caro-hotfix/history/1.0.11.toml")
        .exists());
    // The maintainer is left on an up-to-date main.
    assert_eq!(git(&fx.work, &["branch", "--show-current"]), "main");
    assert_eq!(git(&fx.work, &["rev-parse", "HEAD"]), main);

    // Every text the hotfix wrote, whole, where it ended up. The PR's title and body as gh got
    // them (the body from --body-file, the same bytes as the kept pr-body.md); the advisory JSON
    // as gh sent it at step 4; the kept advisory.json is what was sent (step 13 had nothing to add).
    let kept = fx.work.join(".git/caro-hotfix");
    assert_eq!(body, read(&kept.join("pr-body.md")));
    let sent =
        serde_json::from_str::<serde_json::Value>(&read(&fx.gh_state().join("advisories.json")))
            .expect("advisories.json")[0]["request"]
            .clone();
    assert_eq!(sent, advisory);
    let changelog = origin_git(&fx, &["show", "v1.0.11:CHANGELOG.md"]);
    let security = origin_git(&fx, &["show", "v1.0.11:SECURITY.md"]);
    snapshot::settings().bind(|| {
        insta::assert_snapshot!("pr_title", prs[0]["title"].as_str().expect("title"));
        insta::assert_snapshot!("pr_body", body);
        insta::assert_snapshot!("tag_message", tag_message);
        insta::assert_snapshot!("announcement", announcement);
        insta::assert_snapshot!("summary", snapshot::summary_in(t));
        insta::assert_snapshot!(
            "advisory_json",
            serde_json::to_string_pretty(&sent).expect("json")
        );
        insta::assert_snapshot!("changelog", changelog);
        insta::assert_snapshot!("security_md", security);
    });
}

#[test]
fn a_label_that_cannot_be_created_is_dropped_with_a_warning() {
    let fx = Fixture::new();
    fx.set_gh_knobs(&serde_json::json!({"fail": [{"match": "label create", "times": 10, "stderr": "HTTP 403: Must have admin rights", "code": 1}]}));
    let index = IndexServer::publishing(CRATE, &fx.origin);
    // Published after the check of step 2 (the version must not exist yet when the hotfix starts).
    index.publish_after("1.0.11", 1);
    let url = index.url();
    let out = fx.caro(&args(&url, &[])).answers(answers(&fx)).run();
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript.contains("has no label `urgent`"),
        "{}",
        out.explain()
    );
    let prs = fx.gh_prs();
    let labels: Vec<&str> = prs[0]["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .filter_map(|l| l.as_str())
        .collect();
    assert_eq!(labels, ["security"]);
}

#[test]
fn a_failing_check_stops_with_its_name() {
    let fx = Fixture::new();
    fx.set_gh_knobs(&serde_json::json!({"checks": "fail"}));
    let index = IndexServer::publishing(CRATE, &fx.origin);
    let url = index.url();
    let out = fx.caro(&args(&url, &[])).answers(answers(&fx)).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains("check `test (ubuntu)` failed"),
        "{}",
        out.explain()
    );
    assert!(out.error().contains("caro-hotfix resume"));
    assert_eq!(calls_matching(&fx, &["pr", "merge"]), 0);
}

#[test]
fn no_checks_reported_is_not_a_failure() {
    let fx = Fixture::new();
    fx.set_gh_knobs(&serde_json::json!({"checks": "none"}));
    let index = IndexServer::publishing(CRATE, &fx.origin);
    // Published after the check of step 2 (the version must not exist yet when the hotfix starts).
    index.publish_after("1.0.11", 1);
    let url = index.url();
    // None after the grace period: said, and going on without CI takes a typed yes (issue 15).
    // (the same typed word answers both questions)
    let mut answers = answers(&fx);
    answers.push(say("yes"));
    let out = fx.caro(&args(&url, &[])).answers(answers).run();
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript.contains("No checks were reported for PR #1"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("Going on without CI for PR #1"),
        "{}",
        out.explain()
    );
}

#[test]
fn changes_requested_then_approved_keeps_waiting_then_merges() {
    let fx = Fixture::new();
    fx.set_gh_knobs(&serde_json::json!({"checks": "pass", "reviews": ["REVIEW_REQUIRED", "CHANGES_REQUESTED", "CHANGES_REQUESTED", "APPROVED"]}));
    let index = IndexServer::publishing(CRATE, &fx.origin);
    // Published after the check of step 2 (the version must not exist yet when the hotfix starts).
    index.publish_after("1.0.11", 1);
    let url = index.url();
    let out = fx.caro(&args(&url, &[])).answers(answers(&fx)).run();
    assert_eq!(out.code, 0, "{}", out.explain());
    assert_eq!(
        out.transcript
            .matches("Changes were requested on PR #1")
            .count(),
        1,
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("PR #1 approved"));
    assert!(calls_matching(&fx, &["pr", "view", "state,reviewDecision,reviews,author"]) >= 4);
}

#[test]
fn a_closed_pr_stops_with_exit_1() {
    let fx = Fixture::new();
    fx.set_gh_knobs(&serde_json::json!({"reviews": ["REVIEW_REQUIRED"], "close_after_polls": 2}));
    let index = IndexServer::publishing(CRATE, &fx.origin);
    let url = index.url();
    let out = fx.caro(&args(&url, &[])).answers(answers(&fx)).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains("PR #1 was closed without merging"),
        "{}",
        out.explain()
    );
    assert_eq!(calls_matching(&fx, &["pr", "merge"]), 0);
    assert!(!git_ok(
        &fx.origin,
        &["rev-parse", "--verify", "refs/tags/v1.0.11"]
    ));
}

#[test]
fn a_failed_publish_workflow_stops_and_names_the_run() {
    let fx = Fixture::new();
    fx.set_gh_knobs(&serde_json::json!({"runs": [{"databaseId": 4242, "workflowName": "release.yml", "headBranch": "v1.0.11", "status": "completed", "conclusion": "failure"}]}));
    let index = IndexServer::publishing(CRATE, &fx.origin);
    let url = index.url();
    let out = fx.caro(&args(&url, &[])).answers(answers(&fx)).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error()
            .contains("publish workflow `release.yml` (run 4242) failed"),
        "{}",
        out.explain()
    );
    assert!(out.error().contains("gh run view 4242 --log-failed"));
    // The tag is out; resuming continues at step 12.
    assert!(git_ok(
        &fx.origin,
        &["rev-parse", "--verify", "refs/tags/v1.0.11"]
    ));
}

#[test]
fn an_index_that_never_shows_the_version_times_out_resumably() {
    let fx = Fixture::new();
    // The registry is watched for 2 s (`publish-timeout`), not the default 15 minutes.
    let manifest = read(&fx.work.join("Cargo.toml")) + "publish-timeout = 2\n";
    write(&fx.work.join("Cargo.toml"), &manifest);
    git(
        &fx.work,
        &["commit", "-q", "-am", "watch the registry for 2 s"],
    );
    git(&fx.work, &["push", "-q", "origin", "main"]);
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    let url = index.url();
    let out = fx.caro(&args(&url, &[])).answers(answers(&fx)).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains(
            "minicrate 1.0.11 is not visible yet as published on the registry after 2 s: neither \
             the registry's API nor its index shows minicrate 1.0.11 published yet"
        ),
        "{}",
        out.explain()
    );
    assert!(out
        .error()
        .contains("`git checkout v1.0.11 && cargo publish`"));
    assert!(out.error().contains("caro-hotfix resume"));
    // The limit was said when the wait began (polls from 50 ms backing off to 300 ms, for 2 s), not
    // only when it was reached.
    let announced = out
        .transcript
        .find("every 50 ms, backing off to 300 ms, for up to 2 s")
        .unwrap_or_else(|| panic!("the limit was not announced\n{}", out.explain()));
    assert!(
        announced < out.transcript.find("not visible yet").unwrap_or(usize::MAX),
        "{}",
        out.explain()
    );
    assert!(index.file_requests() >= 6, "{}", index.file_requests());
    // Once the version appears, resume finishes the hotfix without a second PR, merge or tag —
    // with the options the hotfix started with (--poll-interval, --registry-index), not given again.
    index.add_version("1.0.11");
    let out = fx.caro(&["resume"]).answers(vec![say("yes")]).run();
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(out.transcript.contains("SECURITY HOTFIX v1.0.11 PUBLISHED"));
    assert!(t_has_verdict(&out.transcript), "{}", out.explain());
    assert_eq!(calls_matching(&fx, &["pr", "create"]), 1);
    assert_eq!(calls_matching(&fx, &["pr", "merge"]), 1);
}

#[test]
fn an_advisory_refused_with_403_prints_the_manual_link_and_keeps_the_json() {
    let fx = Fixture::new();
    fx.set_gh_knobs(&serde_json::json!({"advisory_status": 403}));
    let index = IndexServer::publishing(CRATE, &fx.origin);
    // Published after the check of step 2 (the version must not exist yet when the hotfix starts).
    index.publish_after("1.0.11", 1);
    let url = index.url();
    let out = fx.caro(&args(&url, &[])).answers(answers(&fx)).run();
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript
            .contains("https://github.com/example/minicrate/security/advisories/new"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("advisory.json"),
        "{}",
        out.explain()
    );
    assert!(fx.work.join(".git/caro-hotfix/advisory.json").exists());
}

#[test]
fn a_pr_that_already_exists_for_the_branch_is_reused() {
    let fx = Fixture::new();
    fx.set_gh_knobs(&serde_json::json!({"checks": "fail"}));
    let index = IndexServer::publishing(CRATE, &fx.origin);
    // Published after the check of step 2 (the version must not exist yet when the hotfix starts).
    index.publish_after("1.0.11", 1);
    let url = index.url();
    let out = fx.caro(&args(&url, &[])).answers(answers(&fx)).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    // As if killed right after gh created the PR, before the record kept its number.
    let path = fx.work.join(".git/caro-hotfix/state.toml");
    let mut record: toml_edit::DocumentMut = read(&path).parse().expect("the record is TOML");
    assert!(
        record.remove("pr").is_some(),
        "the record had the PR:\n{record}"
    );
    write(&path, &mark_from_step(&record.to_string(), 9));
    fx.set_gh_knobs(&serde_json::json!({"checks": "pass"}));
    let out = fx
        .caro(&[
            "resume",
            "--poll-interval",
            "0.05",
            "--registry-index",
            &url,
        ])
        .answers(vec![say("yes")])
        .run();
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript.contains("Reusing the open PR #1"),
        "{}",
        out.explain()
    );
    assert_eq!(calls_matching(&fx, &["pr", "create"]), 1);
}

/// Marks steps `from`.. of a TOML record as pending again.
fn mark_from_step(record: &str, from: u8) -> String {
    let mut out = Vec::new();
    let mut number = 0u8;
    for line in record.lines() {
        if let Some(n) = line.strip_prefix("number = ") {
            number = n.trim().parse().unwrap_or(0);
        }
        if number >= from && line.starts_with("status = ") {
            out.push("status = \"pending\"".to_string());
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n") + "\n"
}

#[test]
fn a_release_branch_gets_a_backport_pr() {
    let fx = Fixture::new();
    let w = &fx.work;
    git(w, &["branch", "release/1.0", "v1.0.10"]);
    git(w, &["push", "-q", "origin", "release/1.0"]);
    let manifest = read(&w.join("Cargo.toml")) + "release-branches = [\"release/1.0\"]\n";
    write(&w.join("Cargo.toml"), &manifest);
    git(w, &["commit", "-q", "-am", "configure release branches"]);
    git(w, &["push", "-q", "origin", "main"]);
    let index = IndexServer::publishing(CRATE, &fx.origin);
    // Published after the check of step 2 (the version must not exist yet when the hotfix starts).
    index.publish_after("1.0.11", 1);
    let url = index.url();
    let out = fx.caro(&args(&url, &[])).answers(answers(&fx)).run();
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript
            .contains("has the fix: the PR was squash-merged into it"),
        "{}",
        out.explain()
    );
    assert!(git_ok(
        &fx.origin,
        &[
            "rev-parse",
            "--verify",
            "refs/heads/backport/v1.0.11-release-1.0"
        ]
    ));
    let prs = fx.gh_prs();
    let backport = prs
        .as_array()
        .expect("prs")
        .iter()
        .find(|p| p["base"] == "release/1.0")
        .expect("backport PR");
    assert_eq!(backport["head"], "backport/v1.0.11-release-1.0");
    let lib = origin_git(&fx, &["show", "backport/v1.0.11-release-1.0:src/lib.rs"]);
    assert!(lib.contains("claimed.min"), "{lib}");
}

/// An impact left empty at step 4 ("empty to fill in later") is asked for again before the PR is
/// opened: nothing placeholder reaches the PR, the tag message or the advisory.
#[test]
fn an_impact_left_empty_is_asked_for_before_anything_goes_public() {
    let fx = Fixture::new();
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    index.publish_after("1.0.11", 3);
    let url = index.url();
    let mut argv = args(&url, &[]);
    let at = argv
        .iter()
        .position(|a| *a == "--impact")
        .expect("--impact");
    argv[at + 1] = "";
    let impact = "Crafted records read past the end of the buffer";
    let out = fx
        .caro(&argv)
        .answers(vec![
            say("yes"),
            fx.commit_fix_then("done"),
            say("y"),
            // Step 9 asks: Enter alone is no answer, then the impact.
            say(""),
            say(impact),
            say("yes"),
        ])
        .run();
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript.contains("The impact is still empty"),
        "{}",
        out.explain()
    );
    let body = fx.gh_prs()[0]["body"]
        .as_str()
        .expect("PR body")
        .to_string();
    let tag_message = origin_git(&fx, &["tag", "-l", "--format=%(contents)", "v1.0.11"]);
    let advisory = read(&fx.work.join(".git/caro-hotfix/advisory.json"));
    for (name, text) in [
        ("PR body", &body),
        ("tag message", &tag_message),
        ("advisory", &advisory),
    ] {
        assert!(text.contains(impact), "{name}:\n{text}");
        assert!(!text.contains("not described"), "{name}:\n{text}");
    }
}

//! Issue 17, disclosure done right, with the REAL gh against the GitHub emulator: the advisory is a
//! private draft from step 4 on (before the PR), published at step 13 only once the registry shows
//! the patched version and after a typed `yes`; one truth for the affected and patched versions of
//! every line; the embargo; the RustSec draft, parsed and audited by cargo-audit's own engine
//! (the `rustsec` crate).

use std::path::Path;

use crate::support::emulator::{self, Emulator};
use crate::support::index_server::IndexServer;
use crate::support::*;
use serde_json::{json, Value};

const CANONICAL: &str = "example/minicrate";

pub(crate) fn world() -> (Fixture, Emulator, IndexServer) {
    let fx = Fixture::new();
    let origin = fx.origin.clone();
    let emu = Emulator::start(&fx, &[(CANONICAL, &origin)], &[("origin", CANONICAL)]);
    // The registry serves the crate packaged from the tag: step 12 checks it against the tag.
    let index = IndexServer::publishing(CRATE, &origin);
    index.add_version("1.0.10");
    (fx, emu, index)
}

pub(crate) fn run(fx: &Fixture, emu: &Emulator, args: &[&str], answers: Vec<Answer>) -> Outcome {
    emu.env()
        .iter()
        .fold(fx.caro(args).answers(answers), |run, (k, v)| run.env(k, v))
        .run()
}

/// The requests GitHub received for its security advisories: method, path (the GHSA id hidden) and
/// body.
pub(crate) fn advisory_requests(emu: &Emulator) -> Vec<Value> {
    emu.requests()
        .into_iter()
        .filter(|r| {
            r["path"]
                .as_str()
                .is_some_and(|p| p.contains("/security-advisories"))
                && r["method"] != "GET"
        })
        .collect()
}

pub(crate) fn hide_ghsa(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("GHSA-") {
        out.push_str(&rest[..at]);
        let id = &rest[at..(at + 19).min(rest.len())];
        let shaped = id.len() == 19
            && id[5..]
                .split('-')
                .all(|p| p.len() == 4 && p.chars().all(|c| c.is_ascii_alphanumeric()));
        out.push_str(if shaped { "GHSA-[ID]" } else { "GHSA-" });
        rest = &rest[at + if shaped { 19 } else { 5 }..];
    }
    out.push_str(rest);
    out
}

fn origin_git(fx: &Fixture, args: &[&str]) -> String {
    let mut full = vec!["--git-dir", fx.origin.to_str().expect("utf-8 path")];
    full.extend_from_slice(args);
    git(fx.dir.path(), &full)
}

/// A lock file of a project that depends on minicrate `version`.
fn lock_with(version: &str) -> rustsec::Lockfile {
    format!(
        "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"{CRATE}\"]\n\n\
         [[package]]\nname = \"{CRATE}\"\nversion = \"{version}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
    )
    .parse()
    .expect("a lock file")
}

/// What cargo-audit reports for a lock file with minicrate `version`, against the draft's database.
fn audit(db: &Path, version: &str) -> Vec<String> {
    let db =
        rustsec::Database::open(db).expect("the draft's directory opens as an advisory database");
    let report = rustsec::Report::generate(
        &db,
        &lock_with(version),
        &rustsec::report::Settings::default(),
    );
    report
        .vulnerabilities
        .list
        .iter()
        .map(|v| format!("{} {}", v.package.name, v.package.version))
        .collect()
}

/// The whole disclosure of a hotfix of the newest line: the draft is created at step 4 — before the
/// PR — with the CVSS vector (no severity: GitHub takes one or the other), the CWE, the credited
/// login and every line's versions; a CVE is requested from it; step 13 reads it (nothing to send)
/// and publishes it after the registry showed 1.0.11 and the typed `yes`. The RustSec draft parses,
/// and cargo-audit's engine flags 1.0.10 and 0.9.9 (a line left vulnerable) and passes 1.0.11.
#[test]
fn the_draft_comes_before_the_pr_and_is_published_after_the_registry_shows_the_version() {
    let (fx, emu, index) = world();
    emu.knobs(json!({"reviews": [{"author": "bob", "state": "APPROVED"}]}));
    // 1.0.11 appears in the index only after a few polls of step 12.
    index.publish_after("1.0.11", 3);
    let url = index.url();
    let port = emu.port;
    // When the publish question comes, GitHub still holds a draft.
    let at_question = std::sync::Arc::new(std::sync::Mutex::new(Value::Null));
    let seen = at_question.clone();
    let answers = vec![
        say("yes"),
        fx.commit_fix_then("done"),
        say("y"),
        do_then_say(
            move || {
                let state = emulator::control_at(port, "GET", "/_control/state", json!({}));
                *seen.lock().expect("lock") = state;
            },
            "yes",
        ),
    ];
    let out = run(
        &fx,
        &emu,
        &[
            "--poll-interval",
            "0.2",
            "--registry-index",
            &url,
            "--severity",
            "high",
            "--cvss",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
            "--cwe",
            "CWE-125",
            "--category",
            "memory-exposure",
            "--impact",
            "Remote attackers can read past the buffer",
            "--advisory",
            "RUSTSEC-2026-0042",
            "--credit",
            "@grace",
            "--request-cve",
            DESCRIPTION,
        ],
        answers,
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    let t = &out.transcript;

    // The order of events on GitHub: the draft, the CVE request, then the PR, then the merge, then
    // the final data and the publication.
    let requests = emu.requests();
    let time = |pred: &dyn Fn(&Value) -> bool| {
        requests
            .iter()
            .find(|r| pred(r))
            .and_then(|r| r["t"].as_f64())
            .unwrap_or_else(|| panic!("no such request\n{}", out.explain()))
    };
    let created = time(&|r| {
        r["method"] == "POST"
            && r["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("/security-advisories"))
    });
    let cve =
        time(&|r| r["method"] == "POST" && r["path"].as_str().is_some_and(|p| p.ends_with("/cve")));
    let pr = time(&|r| r["operation"] == "PullRequestCreate");
    let merged = time(&|r| r["operation"] == "PullRequestMerge");
    let published = time(&|r| r["method"] == "PATCH" && r["body"]["state"] == "published");
    assert!(created < cve && cve < pr && pr < merged && merged < published);
    // Published only after the registry showed 1.0.11 and the typed yes.
    let visible = t
        .find("minicrate 1.0.11 is visible in the registry")
        .expect("checked");
    let question = t.find("Publish the advisory now?").expect("asked");
    assert!(visible < question, "{t}");
    let before = at_question.lock().expect("lock").clone();
    let draft = &before["repos"][CANONICAL]["advisories"][0];
    assert_eq!(draft["state"], "draft", "{before:#}");
    let advisories = emu.advisories(CANONICAL);
    assert_eq!(advisories.len(), 1);
    assert_eq!(advisories[0]["state"], "published");
    assert_eq!(advisories[0]["cve_requested"], true);

    // The request bodies GitHub received, whole.
    let bodies: Vec<Value> = advisory_requests(&emu)
        .into_iter()
        .map(|r| json!({"method": r["method"], "path": r["path"], "body": r["body"]}))
        .collect();
    // Step 13 read the draft (GET) and had nothing to send: it carries the versions since step 4.
    assert_eq!(bodies.len(), 3, "{bodies:#?}");
    assert!(
        t.contains("carries this hotfix's versions already: nothing to send"),
        "{t}"
    );
    assert!(bodies[0]["body"].get("severity").is_none());
    snapshot::settings().bind(|| {
        insta::assert_snapshot!(
            "advisory_requests",
            hide_ghsa(&serde_json::to_string_pretty(&bodies).expect("json"))
        );
    });

    // The RustSec draft: advisory-db's format, parsed by rustsec, and cargo-audit's engine agrees
    // with the advisory on every version.
    let db = fx.work.join(".git/caro-hotfix/advisory-db");
    let draft_path = db.join("crates/minicrate/RUSTSEC-0000-0000.md");
    let text = read(&draft_path);
    let parsed: rustsec::Advisory = text
        .parse()
        .expect("the draft parses as a RustSec advisory");
    assert_eq!(parsed.metadata.package.as_str(), "minicrate");
    assert_eq!(
        parsed.metadata.aliases.len(),
        1,
        "the GHSA id: {:?}",
        parsed.metadata.aliases
    );
    assert!(parsed.metadata.cvss.is_some());
    // cargo-audit never reports a placeholder (RUSTSEC-0000-0000) advisory: the submission alone
    // would pass every lock file, so the check runs on the copy with a local id.
    assert!(audit(&db, "1.0.10").is_empty());
    let check = fx.work.join(".git/caro-hotfix/advisory-db-check");
    assert_eq!(audit(&check, "1.0.10"), ["minicrate 1.0.10"]);
    assert_eq!(audit(&check, "0.9.9"), ["minicrate 0.9.9"]);
    assert!(audit(&check, "1.0.11").is_empty());
    assert!(t.contains("advisory-db-check --no-fetch"), "{t}");
    assert!(t.contains("rustsec/advisory-db"), "{t}");
    snapshot::settings().bind(|| {
        insta::assert_snapshot!("rustsec_draft", hide_ghsa(&text));
    });
}

/// A hotfix of the older line 0.9 while 1.0.x exists: the advisory lists 0.9 as patched in 0.9.10
/// and 1.0.0–1.0.10 as vulnerable with no patched version; the maintainer is told before the draft
/// is created; SECURITY.md says the same. A resumed step 4 finds the draft and creates no second one.
#[test]
fn an_older_line_hotfix_lists_the_newer_line_as_vulnerable_with_no_patched_version() {
    let (fx, emu, _index) = world();
    let args = [
        "--base-tag",
        "v0.9.9",
        "--strategy",
        "maintenance",
        "--severity",
        "critical",
        "--impact",
        "Remote attackers can read past the buffer",
        "--advisory",
        "RUSTSEC-2026-0042",
        "--credit",
        "Grace Reporter",
        DESCRIPTION,
    ];
    // Stops at step 5 (no answer to `done`): the draft exists by then.
    let out = run(&fx, &emu, &args, vec![say("yes")]);
    assert_ne!(out.code, 0, "{}", out.explain());
    let t = &out.transcript;
    let warned = t
        .find("Line 1.x: 1.0.0 to 1.0.10 affected (>= 1.0.0, <= 1.0.10) and NOT patched by this hotfix")
        .unwrap_or_else(|| panic!("{}", out.explain()));
    let created = t
        .find("Created the security advisory (private draft)")
        .unwrap_or_else(|| panic!("{}", out.explain()));
    assert!(warned < created, "{t}");
    let advisories = emu.advisories(CANONICAL);
    assert_eq!(advisories.len(), 1);
    assert_eq!(advisories[0]["state"], "draft");
    let vulns = crate::support::emulator::vulnerability_ranges(&advisories[0]);
    assert_eq!(
        vulns,
        [
            (">= 0.9.9, < 0.9.10".to_string(), json!("0.9.10")),
            (">= 1.0.0, <= 1.0.10".to_string(), Value::Null),
        ]
    );
    let security = read(&fx.work.join("SECURITY.md"));
    assert!(security.contains("- Affected versions: >= 0.9.9, < 0.9.10\n- Patched version: 0.9.10\n- Still vulnerable, not patched yet: 1.0.0 to 1.0.10 (>= 1.0.0, <= 1.0.10)"), "{security}");
    let status = fx.caro(&["status"]).run();
    assert!(status.transcript.contains("GHSA-"), "{}", status.explain());

    // Killed after GitHub created the draft, before the record kept its id: the resumed step 4 finds
    // it on GitHub and creates no second one.
    let path = fx.work.join(".git/caro-hotfix/state.toml");
    let mut record: toml_edit::DocumentMut = read(&path).parse().expect("the record is TOML");
    assert!(record.remove("ghsa_id").is_some(), "{record}");
    assert!(record.remove("advisory_url").is_some(), "{record}");
    let mut step = 0;
    let text: Vec<String> = record
        .to_string()
        .lines()
        .map(|line| {
            if let Some(n) = line.strip_prefix("number = ") {
                step = n.trim().parse().unwrap_or(0);
            }
            if step == 4 && line.starts_with("status = ") {
                "status = \"in-progress\"".to_string()
            } else {
                line.to_string()
            }
        })
        .collect();
    write(&path, &(text.join("\n") + "\n"));
    let out = run(&fx, &emu, &["resume"], vec![]);
    assert!(
        out.transcript.contains("The advisory exists already"),
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("[5/16]"), "{}", out.explain());
    assert_eq!(emu.advisories(CANONICAL).len(), 1);
}

/// `--embargo`: until the advisory is published nothing public describes the vulnerability. Every
/// public thing the run leaves — the PR's title and body, branch names, every commit message on
/// the origin (the squash merge's too), the tag message, CHANGELOG.md and SECURITY.md at the tag — is
/// scanned for the words of the description, the impact and the credit. After publication the
/// announcement carries the details.
#[test]
fn under_embargo_nothing_public_describes_the_vulnerability_until_the_advisory_is_published() {
    let (fx, emu, index) = world();
    emu.knobs(json!({"reviews": [{"author": "bob", "state": "APPROVED"}]}));
    index.publish_after("1.0.11", 2);
    let url = index.url();
    let work = fx.work.clone();
    let neutral_fix = do_then_say(
        move || {
            write(&work.join("src/lib.rs"), FIXED_LIB_RS);
            git(&work, &["add", "src/lib.rs"]);
            git(&work, &["commit", "-q", "-m", "fix: check a length"]);
        },
        "done",
    );
    let out = run(
        &fx,
        &emu,
        &[
            "--embargo",
            // The disclosure time is now: the private phase (a local review) leads straight to
            // release day (the wait for the time is tested in embargo.rs).
            "--disclose-at",
            NOW,
            "--poll-interval",
            "0.2",
            "--registry-index",
            &url,
            "--severity",
            "critical",
            "--impact",
            "Remote attackers can read past the buffer",
            "--advisory",
            "RUSTSEC-2026-0042",
            "--credit",
            "@grace",
            DESCRIPTION,
        ],
        vec![
            say("yes"),
            neutral_fix,
            say("y"),
            say("locally"),
            say("Ada Reviewer"),
            say("yes"),
            say("yes"),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    let ghsa = emu.advisories(CANONICAL)[0]["ghsa_id"]
        .as_str()
        .expect("ghsa")
        .to_string();

    let pr = &emu.pulls(CANONICAL)[0];
    let mut public: Vec<(String, String)> = vec![
        ("PR title".into(), pr["title"].as_str().unwrap_or("").into()),
        ("PR body".into(), pr["body"].as_str().unwrap_or("").into()),
        (
            "branch names".into(),
            origin_git(&fx, &["for-each-ref", "--format=%(refname)"]),
        ),
        (
            "commit messages".into(),
            origin_git(&fx, &["log", "--all", "--format=%B"]),
        ),
        (
            "tag message".into(),
            origin_git(&fx, &["tag", "-l", "--format=%(contents)", "v1.0.11"]),
        ),
    ];
    for file in ["CHANGELOG.md", "SECURITY.md"] {
        public.push((
            file.into(),
            origin_git(&fx, &["show", &format!("v1.0.11:{file}")]),
        ));
    }
    for (name, text) in &public {
        let lower = text.to_lowercase();
        for word in [
            "out-of-bounds",
            "record_len",
            "attackers",
            "buffer",
            "grace",
        ] {
            assert!(!lower.contains(word), "{name} names `{word}`:\n{text}");
        }
    }
    // They say "security fix" and name the advisory instead.
    for (name, text) in &public[1..] {
        if name != "branch names" {
            assert!(text.contains(&ghsa), "{name} does not name {ghsa}:\n{text}");
        }
    }
    assert!(public[4].1.contains("Security fix"), "{}", public[4].1);
    // The private advisory has every detail; published after the release, the announcement too.
    let advisory = &emu.advisories(CANONICAL)[0];
    assert_eq!(advisory["state"], "published");
    assert!(advisory["description"]
        .as_str()
        .is_some_and(|d| d.contains("Remote attackers can read past the buffer")));
    let announcement = read(&fx.work.join(".git/caro-hotfix/announcement.md"));
    assert!(announcement.contains(DESCRIPTION), "{announcement}");
}

/// Bad input gets a clear message and loses nothing: a malformed CVSS vector, CWE id or category
/// stops before anything starts (exit 2, no record); an `--introduced` that is no release is said
/// and the first affected release asked for; a credited login GitHub does not know (422) is dropped
/// from the credits with a warning, and the draft is created.
#[test]
fn bad_disclosure_input_is_said_clearly_and_nothing_is_lost() {
    let (fx, emu, _index) = world();
    for (flag, value, said) in [
        (
            "--cvss",
            "CVSS:3.1/AV:N",
            "the base metrics AC, PR, UI, S, C, I, A are missing",
        ),
        ("--cwe", "125", "a CWE id is CWE- and a number"),
        (
            "--category",
            "overflow",
            "not one of the RustSec categories",
        ),
        (
            "--introduced",
            "one",
            "--introduced: `one` is not a version",
        ),
    ] {
        let out = run(&fx, &emu, &[flag, value, DESCRIPTION], vec![]);
        assert_eq!(out.code, 2, "{}", out.explain());
        assert!(out.error().contains(said), "{}", out.explain());
        assert!(!fx.work.join(".git/caro-hotfix/state.toml").exists());
    }
    emu.knobs(json!({"users": ["octo", "grace"]}));
    let out = run(
        &fx,
        &emu,
        &[
            "--severity",
            "high",
            "--impact",
            "Remote attackers can read past the buffer",
            "--advisory",
            "RUSTSEC-2026-0042",
            "--credit",
            "@nobody-here",
            "--introduced",
            "0.5.0",
            DESCRIPTION,
        ],
        // yes; 1.0.0 as the first affected release; then no answer to `done`.
        vec![say("yes"), say("1.0.0")],
    );
    let t = out.explain();
    assert!(
        t.contains("--introduced 0.5.0 is not a release of this crate"),
        "{t}"
    );
    assert!(t.contains("one of 0.9.9, 1.0.0, 1.0.10"), "{t}");
    assert!(
        t.contains("GitHub refused the advisory's credit for @nobody-here"),
        "{t}"
    );
    let advisories = emu.advisories(CANONICAL);
    assert_eq!(advisories.len(), 1, "{t}");
    assert_eq!(advisories[0]["credits"], json!([]));
    assert!(advisories[0]["description"]
        .as_str()
        .is_some_and(|d| d.contains("@nobody-here")));
    let ranges: Vec<&str> = advisories[0]["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities")
        .iter()
        .filter_map(|v| v["vulnerable_version_range"].as_str())
        .collect();
    assert_eq!(ranges, [">= 1.0.0, < 1.0.11"]);
}

/// Under embargo, a fix commit whose own message names the vulnerability ("hotfix: bound record_len
/// by the input length") is named before the push of release day, with the words; `n` stops with
/// nothing pushed.
#[test]
fn under_embargo_a_fix_message_naming_the_vulnerability_is_asked_about_before_the_push() {
    let fx = Fixture::new();
    let out = fx
        .caro(&[
            "--embargo",
            "--disclose-at",
            NOW,
            "--severity",
            "high",
            "--impact",
            "Remote attackers can read past the buffer",
            "--advisory",
            "RUSTSEC-2026-0042",
            "--credit",
            "",
            DESCRIPTION,
        ])
        .answers(vec![
            say("yes"),
            fx.commit_fix_then("done"),
            say("y"),
            say("locally"),
            say("Ada Reviewer"),
            say("yes"),
            say("n"),
        ])
        .run();
    assert_eq!(out.code, 1, "{}", out.explain());
    let t = out.explain();
    assert!(
        t.contains("names the vulnerability in its message (record_len)"),
        "{t}"
    );
    assert!(t.contains("Push it with this message anyway? (y/n)"), "{t}");
    assert!(t.contains("nothing was pushed"), "{t}");
    assert!(!git_ok(
        &fx.origin,
        &["rev-parse", "--verify", "refs/heads/hotfix/v1.0.11"]
    ));
    assert!(fx.gh_prs().as_array().is_none_or(|p| p.is_empty()));
}

/// Publishing fails (GitHub answers 403 to `PATCH state=published`): the draft is kept, up to date,
/// and the maintainer is told how to publish it by hand; the hotfix finishes, and its summary asks
/// for the publication instead of claiming it.
#[test]
fn a_failed_publication_keeps_the_draft_and_says_how_to_publish_it_by_hand() {
    let (fx, emu, index) = world();
    emu.knobs(json!({
        "reviews": [{"author": "bob", "state": "APPROVED"}],
        // Step 13 reads the draft and finds nothing to send (step 4 gave it the versions): the one
        // PATCH, the publication, is refused.
        "faults": [{"method": "PATCH", "path": "/security-advisories", "kind": "status", "status": 403}]
    }));
    index.publish_after("1.0.11", 2);
    let url = index.url();
    let out = run(
        &fx,
        &emu,
        &[
            "--poll-interval",
            "0.2",
            "--registry-index",
            &url,
            "--severity",
            "high",
            "--impact",
            "Remote attackers can read past the buffer",
            "--advisory",
            "RUSTSEC-2026-0042",
            "--credit",
            "Grace Reporter",
            DESCRIPTION,
        ],
        vec![say("yes"), fx.commit_fix_then("done"), say("y"), say("yes")],
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    let advisories = emu.advisories(CANONICAL);
    assert_eq!(advisories.len(), 1);
    assert_eq!(advisories[0]["state"], "draft");
    let ghsa = advisories[0]["ghsa_id"].as_str().expect("ghsa").to_string();
    let t = &out.transcript;
    assert!(
        t.contains(&format!("GitHub did not publish the advisory {ghsa}")),
        "{t}"
    );
    assert!(
        t.contains(&format!(
            // The emulator's host is not github.com: the command names it, as for GitHub Enterprise.
            "gh api --hostname github.localhost -X PATCH repos/example/minicrate/security-advisories/{ghsa} -f state=published"
        )),
        "{t}"
    );
    assert!(
        t.contains("1. Publish the GitHub Security Advisory (the draft:"),
        "{t}"
    );
}

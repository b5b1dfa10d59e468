//! After disclosure (issue 29), with the REAL gh against the emulator: a `rustsec/advisory-db`
//! repository beside the project's (a bare repository holding a real advisory of advisory-db), the
//! RustSec PR opened from the maintainer's fork at step 13, the CVE GitHub assigns later followed,
//! `follow-up` before and after each row turns done, and the incident report.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::emulator::{self, Emulator};
use crate::support::index_server::IndexServer;
use crate::support::*;
use serde_json::{json, Value};

const CANONICAL: &str = "example/minicrate";
const ADVISORY_DB: &str = "rustsec/advisory-db";
const TITLE: &str = "Out-of-bounds read in record_len";

/// The project's canonical repository and advisory-db on the emulator; git reaches advisory-db and
/// the fork `octo/advisory-db` (made by `gh repo fork`) through the emulator's HOME gitconfig.
fn world() -> (Fixture, Emulator, IndexServer, PathBuf) {
    let fx = Fixture::new();
    let db = advisory_db(fx.dir.path());
    let origin = fx.origin.clone();
    let emu = Emulator::start(
        &fx,
        &[(CANONICAL, &origin), (ADVISORY_DB, &db)],
        &[("origin", CANONICAL)],
    );
    let fork = emu.state_dir.join("forks/octo/advisory-db.git");
    write(
        &emu.home.join(".gitconfig"),
        &format!(
            "[url \"{}\"]\n\tinsteadOf = http://{host}/{ADVISORY_DB}.git\n\
             [url \"{}\"]\n\tinsteadOf = http://{host}/octo/advisory-db.git\n",
            db.display(),
            fork.display(),
            host = emulator::HOST
        ),
    );
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    emu.knobs(json!({"reviews": [{"author": "bob", "state": "APPROVED"}]}));
    (fx, emu, index, db)
}

/// A bare advisory-db with one real advisory (h2's RUSTSEC-2024-0003, vendored under
/// tests/fixtures/rustsec/) and advisory-db's own CONTRIBUTING.md.
fn advisory_db(root: &Path) -> PathBuf {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let work = root.join("advisory-db-work");
    git(root, &["init", "-q", "-b", "main", "advisory-db-work"]);
    let h2 = std::fs::read_to_string(fixtures.join("rustsec/h2/RUSTSEC-2024-0003.md")).expect("h2");
    write(&work.join("crates/h2/RUSTSEC-2024-0003.md"), &h2);
    let contributing =
        std::fs::read_to_string(fixtures.join("rustsec-advisory-db/CONTRIBUTING.md"))
            .expect("CONTRIBUTING.md");
    write(&work.join("CONTRIBUTING.md"), &contributing);
    git(&work, &["add", "."]);
    git(
        &work,
        &[
            "-c",
            "user.name=RustSec",
            "-c",
            "user.email=rustsec@example.org",
            "commit",
            "-q",
            "-m",
            "advisory-db",
        ],
    );
    git(
        root,
        &[
            "clone",
            "-q",
            "--bare",
            "advisory-db-work",
            "advisory-db.git",
        ],
    );
    root.join("advisory-db.git")
}

fn args(index: &str) -> Vec<&str> {
    vec![
        "--poll-interval",
        "0.05",
        "--registry-index",
        index,
        "--severity",
        "critical",
        "--impact",
        "Remote attackers can read past the buffer",
        "--credit",
        "@grace",
        "--request-cve",
        TITLE,
    ]
}

/// The wizard with the emulator's environment, and git's global configuration the one mapping the
/// advisory-db URLs (the fixture's runs have none).
fn run(fx: &Fixture, emu: &Emulator, args: &[&str], answers: Vec<Answer>) -> Outcome {
    let gitconfig = emu.home.join(".gitconfig").display().to_string();
    emu.env()
        .iter()
        .fold(fx.caro(args).answers(answers), |run, (k, v)| run.env(k, v))
        .env("GIT_CONFIG_GLOBAL", &gitconfig)
        .run()
}

fn rustsec_prs(emu: &Emulator) -> Vec<Value> {
    emu.pulls(ADVISORY_DB)
}

/// `resume` after the RustSec branch reached the fork but no PR was opened: it is not asked again,
/// finds the branch on the fork, and opens exactly one PR (returned).
fn resume_opens_the_one_rustsec_pr(fx: &Fixture, emu: &Emulator) -> Vec<Value> {
    let out = run(fx, emu, &["resume"], vec![]);
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        !out.explain()
            .contains("Open the PR to rustsec/advisory-db now?"),
        "asked again: {}",
        out.explain()
    );
    assert!(
        out.explain()
            .contains("The branch caro-hotfix/minicrate-1.0.11 is on octo/advisory-db already"),
        "{}",
        out.explain()
    );
    let prs = rustsec_prs(emu);
    assert_eq!(prs.len(), 1, "{prs:#?}");
    prs
}

/// The file the PR's branch adds, as the fork holds it.
fn submitted(emu: &Emulator, branch: &str) -> String {
    let fork = emu.state_dir.join("forks/octo/advisory-db.git");
    git(
        emu.state_dir.as_path(),
        &[
            "--git-dir",
            fork.to_str().expect("utf-8"),
            "show",
            &format!("{branch}:crates/{CRATE}/RUSTSEC-0000-0000.md"),
        ],
    )
}

/// Step 13 after the publication: typed `yes`, the fork made with `gh repo fork`, the branch with the
/// draft pushed to it, one PR whose body has the sections of advisory-db's PR template and links the
/// GHSA. The first `gh pr create` fails (502, after the push): step 13 stops, and `resume` opens
/// exactly one PR from the branch already on the fork, without pushing or asking again.
#[test]
fn the_rustsec_pr_is_opened_once_from_the_fork_after_the_advisory_is_published() {
    let (fx, emu, index, _db) = world();
    index.publish_after("1.0.11", 1);
    emu.knobs(json!({"faults": [
        // The project's PR (step 9) is created first; the RustSec PR's first attempt fails.
        {"method": "POST", "operation": "PullRequestCreate", "kind": "status", "status": 502, "skip": 1}
    ]}));
    let url = index.url();
    let out = run(
        &fx,
        &emu,
        &args(&url),
        vec![
            say("yes"),
            say(""),
            fx.commit_fix_then("done"),
            say("y"),
            say("yes"),
            say("yes"),
        ],
    );
    assert_ne!(out.code, 0, "{}", out.explain());
    let text = out.explain();
    assert!(
        text.contains("Open the PR to rustsec/advisory-db now?"),
        "{text}"
    );
    assert!(
        out.error().contains("GitHub did not open the RustSec PR"),
        "{text}"
    );
    assert!(rustsec_prs(&emu).is_empty());
    // The advisory was published before the PR was offered.
    let advisory = &emu.advisories(CANONICAL)[0];
    assert_eq!(advisory["state"], "published");
    let ghsa = advisory["ghsa_id"].as_str().expect("ghsa").to_string();
    let branch = "caro-hotfix/minicrate-1.0.11";
    let draft = submitted(&emu, branch);
    assert!(
        draft.starts_with(
            "```toml\n[advisory]\nid = \"RUSTSEC-0000-0000\"\npackage = \"minicrate\"\n"
        ),
        "{draft}"
    );
    assert!(draft.contains(&ghsa), "{draft}");

    let prs = resume_opens_the_one_rustsec_pr(&fx, &emu);
    let pr = &prs[0];
    assert_eq!(pr["head"], branch);
    assert_eq!(pr["head_owner"], "octo");
    assert_eq!(pr["base"], "main");
    assert_eq!(pr["title"], format!("Add advisory for minicrate: {TITLE}"));
    let body = pr["body"].as_str().expect("body");
    // The headings of advisory-db's PR template, in its order (the vendored template is the oracle).
    let template = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/rustsec-advisory-db/pull_request_template.md"),
    )
    .expect("template");
    let headings = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with("## "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(headings(body), headings(&template), "{body}");
    for item in template.lines().filter(|l| l.starts_with("- [ ] ")) {
        let checked = item.replacen("- [ ] ", "- [x] ", 1);
        assert!(body.contains(&checked), "{checked:?} not in {body}");
    }
    assert!(
        body.contains(&format!(
            "http://github.localhost/example/minicrate/security/advisories/{ghsa}"
        )),
        "{body}"
    );
    let forks = emu
        .requests()
        .iter()
        .filter(|r| r["method"] == "POST" && r["path"] == "/repos/rustsec/advisory-db/forks")
        .count();
    assert_eq!(forks, 1);
}

/// `follow-up --json`: the state of each row by its key.
fn rows(fx: &Fixture, emu: &Emulator) -> Vec<(String, String, String)> {
    let out = run(fx, emu, &["follow-up", "--json"], vec![]);
    assert_eq!(out.code, 0, "{}", out.explain());
    let text = out.transcript.trim();
    let v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap_or("").to_string(),
                r["state"].as_str().unwrap_or("").to_string(),
                r["detail"]
                    .as_array()
                    .map(|d| {
                        d.iter()
                            .filter_map(|x| x.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .unwrap_or_default(),
            )
        })
        .collect()
}

fn state_of(rows: &[(String, String, String)], key: &str) -> String {
    rows.iter()
        .find(|r| r.0 == key)
        .map(|r| r.1.clone())
        .unwrap_or_else(|| panic!("no row {key} in {rows:#?}"))
}

fn detail_of(rows: &[(String, String, String)], key: &str) -> String {
    rows.iter()
        .find(|r| r.0 == key)
        .map(|r| r.2.clone())
        .unwrap_or_default()
}

/// advisory-db's maintainers merge the PR and their workflow renames the file to its id, as in
/// advisory-db's own history (`Assigned RUSTSEC-2026-0258 to h2`).
fn rustsec_merges(fx: &Fixture, emu: &Emulator, db: &Path, branch: &str, id: &str) {
    let root = fx.dir.path();
    let work = root.join("advisory-db-merge");
    git(
        root,
        &[
            "clone",
            "-q",
            db.to_str().expect("utf-8"),
            "advisory-db-merge",
        ],
    );
    let fork = emu.state_dir.join("forks/octo/advisory-db.git");
    git(
        &work,
        &["fetch", "-q", fork.to_str().expect("utf-8"), branch],
    );
    let who = ["-c", "user.name=djc", "-c", "user.email=djc@example.org"];
    let mut merge = who.to_vec();
    merge.extend([
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge the advisory",
        "FETCH_HEAD",
    ]);
    git(&work, &merge);
    let placeholder = format!("crates/{CRATE}/RUSTSEC-0000-0000.md");
    let text = std::fs::read_to_string(work.join(&placeholder)).expect("the submitted file");
    std::fs::remove_file(work.join(&placeholder)).expect("rm");
    write(
        &work.join(format!("crates/{CRATE}/{id}.md")),
        &text.replace("RUSTSEC-0000-0000", id),
    );
    git(&work, &["add", "-A"]);
    let mut commit = who.to_vec();
    let message = format!("Assigned {id} to {CRATE}");
    commit.extend(["commit", "-q", "-m", &message]);
    git(&work, &commit);
    git(&work, &["push", "-q", "origin", "main"]);
    emu.control(
        "POST",
        "/_control/pulls/1",
        json!({"repo": ADVISORY_DB, "state": "MERGED"}),
    );
}

/// After the hotfix: `follow-up` before and after each row turns done. The CVE GitHub assigns a
/// day later reaches the advisory's references, the release notes, the RustSec PR and the
/// announcement after a typed `yes`; GitHub's Advisory Database answers "not there", then "not
/// reviewed", then reviewed; RustSec merges the PR and assigns an id, which the advisory's
/// references then gain. The incident report of this one-line incident, snapshot.
#[test]
fn follow_up_before_and_after_each_row_turns_done_and_the_report() {
    let (fx, emu, index, db) = world();
    index.publish_after("1.0.11", 1);
    let url = index.url();
    let out = run(
        &fx,
        &emu,
        &args(&url),
        vec![
            say("yes"),
            say(""),
            fx.commit_fix_then("done"),
            say("y"),
            say("yes"),
            say("yes"),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.explain().contains("`caro-hotfix follow-up` checks"),
        "{}",
        out.explain()
    );
    let ghsa = emu.advisories(CANONICAL)[0]["ghsa_id"]
        .as_str()
        .expect("ghsa")
        .to_string();
    let history = fx.work.join(".git/caro-hotfix/history");
    let at_step_16 = std::fs::read_to_string(history.join("1.0.11.md")).expect("the report");
    assert!(
        at_step_16.contains("- PR #1 approved by bob\n"),
        "{at_step_16}"
    );
    assert!(
        at_step_16.contains("Not checked yet: `caro-hotfix follow-up`"),
        "{at_step_16}"
    );

    // Before anything more happened.
    let r = rows(&fx, &emu);
    assert_eq!(state_of(&r, "advisory"), "done", "{r:#?}");
    assert_eq!(state_of(&r, "cve"), "open");
    assert!(
        detail_of(&r, "cve").contains("requested; GitHub has not assigned it yet"),
        "{r:#?}"
    );
    assert_eq!(state_of(&r, "database"), "open");
    assert!(detail_of(&r, "database").contains("is not in GitHub's Advisory Database yet"));
    assert_eq!(state_of(&r, "rustsec"), "open");
    assert!(
        detail_of(&r, "rustsec").contains("the PR is open, under review"),
        "{r:#?}"
    );
    assert_eq!(state_of(&r, "registry"), "done", "{r:#?}");
    assert!(detail_of(&r, "registry").contains("minicrate 1.0.11 is on the registry, not yanked"));
    assert_eq!(state_of(&r, "branches"), "done", "{r:#?}");

    // GitHub does not answer about advisories: those rows say they could not be checked, and
    // guess nothing.
    emu.knobs(json!({"faults": [
        {"method": "GET", "path": "/advisories/", "kind": "status", "status": 502, "times": -1},
        {"method": "GET", "path": "/security-advisories/", "kind": "status", "status": 502, "times": -1}
    ]}));
    let r = rows(&fx, &emu);
    for key in ["advisory", "cve", "database"] {
        assert_eq!(state_of(&r, key), "unknown", "{key}: {r:#?}");
        assert!(
            detail_of(&r, key).starts_with("could not be checked: "),
            "{r:#?}"
        );
    }
    assert_eq!(state_of(&r, "registry"), "done", "{r:#?}");
    emu.knobs(json!({"faults": []}));

    // GitHub's Advisory Database has it, not reviewed yet.
    emu.knobs(json!({"global_advisories": {&ghsa: "unreviewed"}}));
    let r = rows(&fx, &emu);
    assert_eq!(state_of(&r, "database"), "open");
    assert!(
        detail_of(&r, "database").contains("in the database, unreviewed"),
        "{r:#?}"
    );

    // `status` of a finished hotfix has nothing in progress; the CVE is assigned a day later.
    emu.control(
        "POST",
        "/_control/advisories",
        json!({"repo": CANONICAL, "advisory": {"ghsa_id": &ghsa, "cve_id": "CVE-2026-31337"}}),
    );
    let r = rows(&fx, &emu);
    assert_eq!(state_of(&r, "cve"), "open");
    assert!(
        detail_of(&r, "cve").contains("CVE-2026-31337 assigned; in the GitHub advisory; not yet in the advisory's references, the release notes of v1.0.11, the RustSec draft, the RustSec PR, the announcement"),
        "{r:#?}"
    );
    // Added where it is missing, after a typed yes.
    let out = run(&fx, &emu, &["follow-up"], vec![say("yes")]);
    assert_eq!(out.code, 0, "{}", out.explain());
    let text = out.explain();
    for added in [
        "Added CVE-2026-31337 to the references of the advisory",
        "Added CVE-2026-31337 to the release notes of v1.0.11",
        "Added CVE-2026-31337 to the RustSec draft's aliases",
        "Added CVE-2026-31337 to the RustSec PR",
        "Added CVE-2026-31337 to the announcement",
    ] {
        assert!(text.contains(added), "{added:?} in {text}");
    }
    let release = emu.repo(CANONICAL)["releases"]
        .as_array()
        .expect("releases")
        .iter()
        .find(|r| r["tag_name"] == "v1.0.11" || r["tag"] == "v1.0.11")
        .cloned()
        .expect("the release of v1.0.11");
    assert!(
        release.to_string().contains("CVE-2026-31337"),
        "{release:#}"
    );
    let submitted = submitted(&emu, "caro-hotfix/minicrate-1.0.11");
    assert!(
        submitted.contains(&format!("aliases = [\"{ghsa}\", \"CVE-2026-31337\"]")),
        "{submitted}"
    );
    let announcement = std::fs::read_to_string(fx.work.join(".git/caro-hotfix/announcement.md"))
        .expect("announcement");
    assert!(announcement.contains("CVE-2026-31337"), "{announcement}");
    let r = rows(&fx, &emu);
    assert_eq!(state_of(&r, "cve"), "done", "{r:#?}");

    // Reviewed into the database: Dependabot alerts on it.
    emu.knobs(json!({"global_advisories": {&ghsa: "reviewed"}}));
    let r = rows(&fx, &emu);
    assert_eq!(state_of(&r, "database"), "done", "{r:#?}");

    // RustSec merges the PR and assigns an id; the GitHub advisory's references gain it.
    rustsec_merges(
        &fx,
        &emu,
        &db,
        "caro-hotfix/minicrate-1.0.11",
        "RUSTSEC-2026-0101",
    );
    let r = rows(&fx, &emu);
    assert_eq!(state_of(&r, "rustsec"), "open", "{r:#?}");
    assert!(
        detail_of(&r, "rustsec").contains("RUSTSEC-2026-0101 (the PR is merged"),
        "{r:#?}"
    );
    assert!(
        detail_of(&r, "rustsec").contains("the GitHub advisory's references do not name it yet")
    );
    let out = run(&fx, &emu, &["follow-up"], vec![say("yes")]);
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.explain()
            .contains("Added RUSTSEC-2026-0101 to the references of the advisory"),
        "{}",
        out.explain()
    );
    assert!(
        out.explain().contains("Every follow-up is done."),
        "{}",
        out.explain()
    );
    let held = emu.advisories(CANONICAL)[0].clone();
    assert!(held["description"]
        .as_str()
        .unwrap_or("")
        .contains("RUSTSEC-2026-0101"));

    let report = std::fs::read_to_string(history.join("1.0.11.md")).expect("the report");
    snapshot::settings().bind(|| {
        let mut s = insta::Settings::clone_current();
        s.add_filter(&regex_escape(&ghsa), "[GHSA]");
        // What the emulator dates with its own clock (the wizard's is fixed).
        s.add_filter(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "[EMULATOR-TIME]");
        // How often and how long the real programs waited varies from run to run.
        s.add_filter(
            r"the registry read [^\n]*",
            "the registry read [N times, T in all]",
        );
        s.add_filter(r"(- `[^`\n]+`): [^\n]+", "$1: [DURATION]");
        s.bind(|| insta::assert_snapshot!("report_one_line", report));
    });
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if "\\.+*?()|[]{}^$#&-~".contains(c) {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect()
}

/// The incident report of a two-line incident (`--line 1.0 --line 0.9`, the lines module's world:
/// the real gh, two PRs, two tags, one advisory), as step 16 writes it.
#[test]
fn the_report_of_a_two_line_incident() {
    let w = crate::lines::World::two();
    let out = w.run(&w.args(&[]), w.answers());
    assert_eq!(out.code, 0, "{}", out.explain());
    let report = std::fs::read_to_string(w.fx.work.join(".git/caro-hotfix/history/1.0.11.md"))
        .expect("the report");
    let ghsa = report
        .split("advisories/")
        .nth(1)
        .and_then(|r| r.get(..19))
        .unwrap_or("GHSA-none")
        .to_string();
    snapshot::settings().bind(|| {
        let mut s = insta::Settings::clone_current();
        s.add_filter(&regex_escape(&ghsa), "[GHSA]");
        s.add_filter(
            r"the registry read [^\n]*",
            "the registry read [N times, T in all]",
        );
        s.add_filter(r"(- `[^`\n]+`): [^\n]+", "$1: [DURATION]");
        s.bind(|| insta::assert_snapshot!("report_two_lines", report));
    });
}

/// Issue 25's last part: after `--request-cve`, `status` shows the request pending, then the id
/// once GitHub's advisory reports one (read live: the record has not seen it yet); the resumed step
/// 13 records it, and it reaches the RustSec draft's aliases and the announcement.
#[test]
fn a_cve_assigned_while_the_hotfix_waits_shows_in_status_and_reaches_the_draft_and_the_announcement(
) {
    let (fx, emu, index, _db) = world();
    index.publish_after("1.0.11", 1);
    let url = index.url();
    // No answer to "Publish the advisory now?": step 13 stops there, resumable.
    let out = run(
        &fx,
        &emu,
        &args(&url),
        vec![say("yes"), say(""), fx.commit_fix_then("done"), say("y")],
    );
    assert_ne!(out.code, 0, "{}", out.explain());
    assert!(
        out.explain().contains("Publish the advisory now?"),
        "{}",
        out.explain()
    );
    let ghsa = emu.advisories(CANONICAL)[0]["ghsa_id"]
        .as_str()
        .expect("ghsa")
        .to_string();
    assert_eq!(emu.advisories(CANONICAL)[0]["cve_requested"], true);

    let status = run(&fx, &emu, &["status"], vec![]);
    assert!(
        status.transcript.contains(
            "  CVE: requested from GitHub, pending (GitHub reviews requests, usually within 72 hours)\n"
        ),
        "{}",
        status.explain()
    );
    let json = run(&fx, &emu, &["status", "--json"], vec![]);
    let v: Value = serde_json::from_str(json.transcript.trim()).expect("json");
    assert_eq!(v["cve"], "requested");
    assert!(v.get("cve_id").is_none(), "{v:#}");

    // GitHub assigns it.
    emu.control(
        "POST",
        "/_control/advisories",
        json!({"repo": CANONICAL, "advisory": {"ghsa_id": &ghsa, "cve_id": "CVE-2026-40404"}}),
    );
    let status = run(&fx, &emu, &["status"], vec![]);
    assert!(
        status
            .transcript
            .contains("  CVE: CVE-2026-40404 (assigned by GitHub)\n"),
        "{}",
        status.explain()
    );
    let json = run(&fx, &emu, &["status", "--json"], vec![]);
    let v: Value = serde_json::from_str(json.transcript.trim()).expect("json");
    assert_eq!(
        (v["cve"].as_str(), v["cve_id"].as_str()),
        (Some("assigned"), Some("CVE-2026-40404"))
    );

    // Published now; the RustSec PR declined: the commands by hand.
    let out = run(&fx, &emu, &["resume"], vec![say("yes"), say("no")]);
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.explain()
            .contains("gh pr create --repo rustsec/advisory-db --base main"),
        "{}",
        out.explain()
    );
    assert!(rustsec_prs(&emu).is_empty());
    let dir = fx.work.join(".git/caro-hotfix");
    let draft =
        std::fs::read_to_string(dir.join("advisory-db/crates/minicrate/RUSTSEC-0000-0000.md"))
            .expect("the draft");
    assert!(
        draft.contains(&format!("aliases = [\"{ghsa}\", \"CVE-2026-40404\"]\n")),
        "{draft}"
    );
    let announcement = std::fs::read_to_string(dir.join("announcement.md")).expect("announcement");
    assert!(
        announcement.contains(&format!("**CVE/RUSTSEC**: CVE-2026-40404 / {ghsa}")),
        "{announcement}"
    );
    let rec = caro_hotfix::record::store::load::<caro_hotfix::record::Hotfix>(
        &dir.join("history/1.0.11.toml"),
    )
    .expect("readable")
    .expect("archived");
    assert_eq!(rec.cve_id.as_deref(), Some("CVE-2026-40404"));
}

/// The machine dies between the push of the RustSec branch to the fork and `gh pr create`: the real
/// binary, in a pseudo-terminal, killed while its `gh pr create` for advisory-db is held. `resume`
/// finds the branch on the fork and opens exactly one PR, without asking again.
#[test]
fn killed_between_the_push_and_the_rustsec_pr_resume_opens_one() {
    use crate::lines::{Hold, HoldAt};
    use rexpect::process::signal::Signal;
    use rexpect::process::wait::WaitStatus;
    use rexpect::session::spawn_command;

    let (fx, emu, index, _db) = world();
    index.publish_after("1.0.11", 1);
    let url = index.url();
    // Up to the RustSec question, scripted: the answers run out there and the run stops in step 13.
    let out = run(
        &fx,
        &emu,
        &args(&url),
        vec![
            say("yes"),
            say(""),
            fx.commit_fix_then("done"),
            say("y"),
            say("yes"),
        ],
    );
    assert_ne!(out.code, 0, "{}", out.explain());
    assert!(
        out.explain()
            .contains("Open the PR to rustsec/advisory-db now?"),
        "{}",
        out.explain()
    );
    assert!(rustsec_prs(&emu).is_empty());

    // `resume` typed at the terminal; `yes` to the PR; killed inside its `gh pr create`.
    let hold = Hold::install(
        &fx,
        HoldAt {
            program: "gh",
            first: "pr",
            // The only `gh pr create` of the resumed run (the project's PR was opened at step 9).
            contains: "pr create",
            nth: 1,
        },
    );
    let mut cmd = fx.binary(&["resume"]);
    for (k, v) in emu.env() {
        cmd.env(k, v);
    }
    cmd.env("GIT_CONFIG_GLOBAL", emu.home.join(".gitconfig"));
    let mut p = spawn_command(cmd, Some(120_000)).expect("spawn caro-hotfix in a pty");
    p.exp_string("Open the PR to rustsec/advisory-db now?")
        .expect("asked at resume");
    p.send_line("yes").expect("type yes");
    let (_, what) = hold
        .wait(Duration::from_secs(120))
        .expect("gh pr create for advisory-db was never started");
    assert!(what.contains("rustsec/advisory-db"), "{what}");
    fx.settle_record();
    let status = p.process.kill(Signal::SIGKILL).expect("kill caro-hotfix");
    assert!(
        matches!(status, WaitStatus::Signaled(_, Signal::SIGKILL, _)),
        "caro-hotfix was not killed but ended with {status:?}"
    );
    drop(p);
    drop(hold);
    assert!(rustsec_prs(&emu).is_empty(), "no PR before the resume");
    let branch = "caro-hotfix/minicrate-1.0.11";
    assert!(
        submitted(&emu, branch).contains("package = \"minicrate\""),
        "the branch reached the fork before the kill"
    );

    let prs = resume_opens_the_one_rustsec_pr(&fx, &emu);
    assert_eq!(prs[0]["head"], branch);
}

//! After disclosure (issue 29), with the REAL gh against the emulator: a `rustsec/advisory-db`
//! repository beside the project's (a bare repository holding a real advisory of advisory-db), the
//! RustSec PR opened from the maintainer's fork at step 13, the CVE GitHub assigns later followed,
//! `follow-up` before and after each row turns done, and the incident report.

use std::path::{Path, PathBuf};

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

    let out = run(&fx, &emu, &["resume"], vec![]);
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
    let prs = rustsec_prs(&emu);
    assert_eq!(prs.len(), 1, "{prs:#?}");
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

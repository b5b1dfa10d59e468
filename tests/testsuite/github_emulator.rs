//! The REAL gh (Debian's gh 2.23.0 at /usr/bin/gh) against the GitHub emulator
//! (`tests/testsuite/support/github_emulator.py`), with the argument shapes caro-hotfix uses.
//!
//! Each test builds a bare "origin" (`acme/widget`) and a clone whose remote has a GitHub-style URL mapped
//! to the bare repository with `url.<path>.insteadOf`, starts the emulator on port 0, and runs gh with
//! `GH_HOST=github.localhost` and `HTTP_PROXY` pointing at the emulator. gh's login is a `hosts.yml` in a
//! private `GH_CONFIG_DIR` (not `GH_TOKEN`: with `GH_TOKEN` set, `gh auth status` also checks
//! github.com and fails). Nothing reaches the network.
//!
//! Self-contained on purpose (no `mod support;`), so the file can move when tests/ is reorganised.

// A test starts git, python3 and gh itself and hands gh its own environment: the house rules for the
// product (programs only through the runner, the environment only through `io::Env`) do not apply.
#![allow(clippy::disallowed_methods)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const GH: &str = "/usr/bin/gh";
const REPO: &str = "github.localhost/acme/widget";
const BRANCH: &str = "hotfix/v1.0.1";

/// What a gh run gave back.
#[derive(Debug)]
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("gh did not print JSON ({e}): {self:?}"))
    }
}

/// A bare origin, a clone, gh's config and a running emulator, all in one temporary directory.
struct World {
    dir: tempfile::TempDir,
    emulator: Child,
    port: u16,
    /// Set by the one test that makes the emulator answer outside the schema on purpose.
    mismatch_expected: std::cell::Cell<bool>,
}

impl Drop for World {
    fn drop(&mut self) {
        // Every request gh sent was understood: no emulator error, no route or field the model lacks,
        // no answer that departs from GitHub's published schema for it (the emulator's own bug).
        let log =
            std::fs::read_to_string(self.root().join("state/requests.jsonl")).unwrap_or_default();
        let _ = self.emulator.kill();
        let _ = self.emulator.wait();
        if std::thread::panicking() {
            return;
        }
        let bad: Vec<&str> = log
            .lines()
            .filter(|l| {
                l.contains("\"unresolved\"")
                    || l.contains("\"unrouted\"")
                    || l.contains("\"error\"")
                    || (l.contains("\"schema_mismatch\"") && !self.mismatch_expected.get())
            })
            .collect();
        assert!(
            bad.is_empty(),
            "the emulator did not answer all of gh's requests: {bad:#?}"
        );
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim_end().to_string()
}

fn gh_version() -> String {
    assert!(
        Path::new(GH).exists(),
        "{GH} is missing: these tests drive the real GitHub CLI. Install Debian's gh \
         (`apt-get update && apt-get install -y gh`, gh 2.23.0 on Debian 12) and run them again."
    );
    let out = Command::new(GH).arg("--version").output().expect("gh runs");
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// gh's (major, minor) version.
fn gh_minor() -> (u32, u32) {
    let v = gh_version();
    let word = v.split_whitespace().nth(2).unwrap_or("0.0.0");
    let mut parts = word.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

impl World {
    fn new() -> World {
        gh_version();
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let origin = root.join("origin.git");
        let work = root.join("work");
        std::fs::create_dir_all(&work).unwrap();
        git(
            root,
            &[
                "init",
                "-q",
                "--bare",
                "-b",
                "main",
                origin.to_str().unwrap(),
            ],
        );
        git(&work, &["init", "-q", "-b", "main"]);
        git(&work, &["config", "user.name", "Maintainer"]);
        git(&work, &["config", "user.email", "maintainer@example.org"]);
        git(
            &work,
            &[
                "remote",
                "add",
                "origin",
                "http://github.localhost/acme/widget.git",
            ],
        );
        git(
            &work,
            &[
                "config",
                &format!("url.{}.insteadOf", origin.display()),
                "http://github.localhost/acme/widget.git",
            ],
        );
        std::fs::write(work.join("lib.rs"), "fn parse() {}\n").unwrap();
        git(&work, &["add", "."]);
        git(&work, &["commit", "-qm", "initial"]);
        git(&work, &["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
        git(&work, &["push", "-q", "origin", "main", "v1.0.0"]);

        let config = root.join("gh-config");
        std::fs::create_dir_all(&config).unwrap();
        std::fs::write(
            config.join("hosts.yml"),
            "github.localhost:\n    oauth_token: gho_emulator\n    user: octo\n    git_protocol: https\n",
        )
        .unwrap();

        let state = root.join("state");
        std::fs::create_dir_all(&state).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/testsuite/support/github_emulator.py");
        let mut emulator = Command::new("python3")
            .arg(&script)
            .args(["--port", "0", "--state"])
            .arg(&state)
            .arg("--origin")
            .arg(format!("acme/widget={}", origin.display()))
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(state.join("stderr.txt")).unwrap())
            .spawn()
            .expect("python3 runs the emulator");
        let mut line = String::new();
        BufReader::new(emulator.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("the emulator prints its port");
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| {
                panic!(
                    "the emulator did not start: {line:?} {}",
                    std::fs::read_to_string(state.join("stderr.txt")).unwrap_or_default()
                )
            });
        World {
            dir,
            emulator,
            port,
            mismatch_expected: std::cell::Cell::new(false),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn work(&self) -> PathBuf {
        self.root().join("work")
    }

    fn origin(&self) -> PathBuf {
        self.root().join("origin.git")
    }

    fn origin_git(&self, args: &[&str]) -> String {
        let origin = self.origin();
        let mut full = vec!["--git-dir", origin.to_str().unwrap()];
        full.extend_from_slice(args);
        git(self.root(), &full)
    }

    /// Commits a fix on `branch` (from main) and pushes it, as steps 3–9 do.
    fn push_branch(&self, branch: &str, file: &str) -> String {
        let work = self.work();
        git(&work, &["checkout", "-q", "-B", branch, "main"]);
        std::fs::write(work.join(file), format!("fix in {branch}\n")).unwrap();
        git(&work, &["add", "."]);
        git(&work, &["commit", "-qm", &format!("Fix {file}")]);
        git(&work, &["push", "-q", "-u", "origin", branch]);
        git(&work, &["checkout", "-q", "main"]);
        self.origin_git(&["rev-parse", branch])
    }

    /// Adds a commit to an existing branch and pushes it (a second fix commit).
    fn push_more(&self, branch: &str, file: &str) -> String {
        let work = self.work();
        git(&work, &["checkout", "-q", branch]);
        std::fs::write(work.join(file), "more\n").unwrap();
        git(&work, &["add", "."]);
        git(&work, &["commit", "-qm", &format!("Also fix {file}")]);
        git(&work, &["push", "-q", "origin", branch]);
        git(&work, &["checkout", "-q", "main"]);
        self.origin_git(&["rev-parse", branch])
    }

    /// Runs the real gh in the clone, as the product does, killed after `timeout`.
    fn gh_timeout(&self, args: &[&str], timeout: Duration) -> Out {
        let root = self.root();
        let mut child = Command::new(GH)
            .args(args)
            .current_dir(self.work())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", root)
            .env("TMPDIR", root)
            .env("LANG", "C.UTF-8")
            .env("GH_HOST", "github.localhost")
            .env("GH_REPO", REPO)
            .env("GH_CONFIG_DIR", root.join("gh-config"))
            .env("HTTP_PROXY", format!("http://127.0.0.1:{}", self.port))
            .env("GH_PROMPT_DISABLED", "1")
            .env("GH_NO_UPDATE_NOTIFIER", "1")
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gh runs");
        let mut stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let out_thread = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stdout.read_to_string(&mut s);
            s
        });
        let err_thread = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            s
        });
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for gh") {
                break status;
            }
            if start.elapsed() > timeout {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "gh {args:?} still ran after {timeout:?}; stdout so far: {}",
                    out_thread.join().unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Out {
            code: status.code().unwrap_or(-1),
            stdout: out_thread.join().unwrap_or_default(),
            stderr: err_thread.join().unwrap_or_default(),
        }
    }

    fn gh(&self, args: &[&str]) -> Out {
        self.gh_timeout(args, Duration::from_secs(30))
    }

    /// gh that must succeed.
    fn gh_ok(&self, args: &[&str]) -> Out {
        let out = self.gh(args);
        assert_eq!(out.code, 0, "gh {args:?} failed: {out:?}");
        out
    }

    /// A request to the emulator's control plane.
    fn control(&self, method: &str, path: &str, body: Value) -> Value {
        control_at(self.port, method, path, body)
    }

    fn knobs(&self, knobs: Value) {
        self.control("POST", "/_control/knobs", knobs);
    }

    fn state(&self) -> Value {
        self.control("GET", "/_control/state", json!({}))
    }

    fn repo_state(&self) -> Value {
        self.state()["repos"]["acme/widget"].clone()
    }

    fn requests(&self) -> Vec<Value> {
        self.control("GET", "/_control/requests", json!({}))
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn operations(&self, name: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r["operation"] == name)
            .count()
    }

    fn body_file(&self) -> PathBuf {
        let file = self.root().join("pr-body.md");
        std::fs::write(&file, "## Security hotfix\n\n`$(not run)` stays literal\n").unwrap();
        file
    }

    /// `gh pr create` as step 9 calls it.
    fn pr_create(&self, head: &str, labels: &[&str]) -> Out {
        let body = self.body_file();
        let mut args = vec![
            "pr",
            "create",
            "--repo",
            REPO,
            "--title",
            "🚨 SECURITY HOTFIX: v1.0.1",
            "--body-file",
            body.to_str().unwrap(),
            "--base",
            "main",
            "--head",
            head,
        ];
        for l in labels {
            args.extend_from_slice(&["--label", l]);
        }
        self.gh(&args)
    }

    fn pr_view(&self, number: &str, fields: &str) -> Value {
        self.gh_ok(&["pr", "view", number, "--repo", REPO, "--json", fields])
            .json()
    }
}

/// A request to the control plane of the emulator on `port` (usable from another thread).
fn control_at(port: u16, method: &str, path: &str, body: Value) -> Value {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let body = body.to_string();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, payload) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(head.starts_with("HTTP/1.1 200"), "control {path}: {answer}");
    serde_json::from_str(payload).expect("control answers JSON")
}

fn pulls(state: &Value) -> Vec<Value> {
    state["pulls"].as_array().cloned().unwrap_or_default()
}

#[test]
fn version_auth_status_and_repo_view() {
    let w = World::new();
    let version = w.gh_ok(&["--version"]);
    assert!(version.stdout.starts_with("gh version 2."), "{version:?}");

    let auth = w.gh(&["auth", "status"]);
    assert_eq!(auth.code, 0, "{auth:?}");
    assert!(
        auth.stderr
            .contains("Logged in to github.localhost as octo"),
        "{auth:?}"
    );
    assert!(
        auth.stderr.contains("Token scopes: repo, read:org"),
        "{auth:?}"
    );

    // `gh repo view` takes the repository as an argument: gh 2.23 has no --repo/-R there.
    let bad = w.gh(&["repo", "view", "-R", REPO, "--json", "nameWithOwner"]);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.contains("unknown shorthand flag: 'R'"),
        "{bad:?}"
    );
    let repo = w
        .gh_ok(&["repo", "view", REPO, "--json", "nameWithOwner,url"])
        .json();
    assert_eq!(repo["nameWithOwner"], "acme/widget");
    assert_eq!(repo["url"], "http://github.localhost/acme/widget");

    // Organization SAML enforcement: a 403 with X-GitHub-SSO, which gh turns into a link.
    w.knobs(json!({"auth": "sso"}));
    let sso = w.gh(&["pr", "view", "1", "--repo", REPO, "--json", "state"]);
    assert_eq!(sso.code, 1, "{sso:?}");
    assert!(
        sso.stderr
            .contains("Authorize in your web browser:  http://github.localhost/orgs/"),
        "{sso:?}"
    );

    w.knobs(json!({"auth": "bad_credentials"}));
    let auth = w.gh(&["auth", "status"]);
    assert_eq!(auth.code, 1, "{auth:?}");
    assert!(auth.stderr.contains("authentication failed"), "{auth:?}");
}

#[test]
fn labels_missing_label_fails_pr_create_until_created() {
    let w = World::new();
    w.push_branch(BRANCH, "fix.rs");
    let labels = w
        .gh_ok(&[
            "label", "list", "--repo", REPO, "--json", "name", "--limit", "1000",
        ])
        .json();
    let names: Vec<&str> = labels
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["name"].as_str())
        .collect();
    assert!(
        names.contains(&"bug") && !names.contains(&"urgent"),
        "{names:?}"
    );

    // A label the repository lacks: gh resolves labels before it creates the PR, and stops.
    let out = w.pr_create(BRANCH, &["urgent"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("could not add label: 'urgent' not found"),
        "{out:?}"
    );
    assert!(pulls(&w.repo_state()).is_empty());

    let create = [
        "label",
        "create",
        "urgent",
        "--repo",
        REPO,
        "--color",
        "B60205",
        "--description",
        "Emergency hotfix (created by caro-hotfix)",
    ];
    w.gh_ok(&create);
    let again = w.gh(&create);
    assert_eq!(again.code, 1, "{again:?}");
    assert!(again.stderr.contains("already exists"), "{again:?}");

    let out = w.pr_create(BRANCH, &["urgent"]);
    assert_eq!(out.code, 0, "{out:?}");
    let pr = w.pr_view("1", "labels");
    assert_eq!(pr["labels"][0]["name"], "urgent");

    // Label pagination: 10 labels, 3 per page; gh follows pageInfo.
    w.knobs(json!({"graphql_page_size": 3}));
    let labels = w
        .gh_ok(&[
            "label", "list", "--repo", REPO, "--json", "name", "--limit", "1000",
        ])
        .json();
    assert_eq!(labels.as_array().unwrap().len(), 10);
    assert!(w.operations("LabelList") >= 5, "pages were fetched");
}

#[test]
fn pr_create_list_view_and_real_squash_merge() {
    let w = World::new();
    let base_before = w.origin_git(&["rev-parse", "main"]);
    let head = w.push_branch(BRANCH, "fix.rs");

    let out = w.pr_create(BRANCH, &[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout.trim(),
        "http://github.localhost/acme/widget/pull/1"
    );
    let again = w.pr_create(BRANCH, &[]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"), "{again:?}");

    let list = w
        .gh_ok(&[
            "pr",
            "list",
            "--repo",
            REPO,
            "--head",
            BRANCH,
            "--state",
            "all",
            "--json",
            "number,url,state",
        ])
        .json();
    assert_eq!(
        list,
        json!([{"number": 1, "url": "http://github.localhost/acme/widget/pull/1", "state": "OPEN"}])
    );
    let pr = w.pr_view(
        "1",
        "state,reviewDecision,mergeStateStatus,url,headRefOid,mergeCommit,number",
    );
    assert_eq!(pr["state"], "OPEN");
    assert_eq!(pr["headRefOid"], head.as_str());
    assert_eq!(pr["reviewDecision"], "", "null on GitHub, \"\" from gh");
    assert_eq!(pr["mergeStateStatus"], "CLEAN");
    assert_eq!(pr["mergeCommit"], Value::Null);

    // A second commit pushed after the PR was opened: the PR's head follows the branch, and the
    // first head is now stale.
    let first = head;
    let head = w.push_more(BRANCH, "more.rs");
    assert_eq!(w.pr_view("1", "headRefOid")["headRefOid"], head.as_str());
    let stale = w.gh(&[
        "pr",
        "merge",
        "1",
        "--repo",
        REPO,
        "--squash",
        "--delete-branch",
        "--match-head-commit",
        &first,
    ]);
    assert_eq!(stale.code, 1, "{stale:?}");
    assert!(
        stale.stderr.contains("Head branch was modified"),
        "{stale:?}"
    );

    let merge = [
        "pr",
        "merge",
        "1",
        "--repo",
        REPO,
        "--squash",
        "--delete-branch",
        "--match-head-commit",
        &head,
    ];
    w.gh_ok(&merge);
    // A real squash commit on the bare origin: one parent (the old main), the head's tree.
    let main = w.origin_git(&["rev-parse", "main"]);
    assert_eq!(w.origin_git(&["rev-parse", "main^"]), base_before);
    assert_eq!(
        w.origin_git(&["rev-list", "--parents", "-n1", "main"])
            .split(' ')
            .count(),
        2
    );
    assert_eq!(
        w.origin_git(&["rev-parse", "main^{tree}"]),
        w.origin_git(&["rev-parse", &format!("{head}^{{tree}}")])
    );
    assert_eq!(
        w.origin_git(&["log", "-1", "--format=%s", "main"]),
        "🚨 SECURITY HOTFIX: v1.0.1 (#1)"
    );
    let message = w.origin_git(&["log", "-1", "--format=%b", "main"]);
    assert!(
        message.contains("* Fix fix.rs") && message.contains("* Also fix more.rs"),
        "{message}"
    );
    assert_eq!(w.origin_git(&["branch", "--list", BRANCH]), "", "deleted");

    let pr = w.pr_view("1", "state,mergeCommit");
    assert_eq!(pr["state"], "MERGED");
    assert_eq!(pr["mergeCommit"]["oid"], main.as_str());
    // Merging again: gh says so and exits 0.
    let twice = w.gh(&merge);
    assert_eq!(twice.code, 0, "{twice:?}");
    assert!(twice.stderr.contains("was already merged"), "{twice:?}");
    assert_eq!(
        w.operations("PullRequestMerge"),
        2,
        "the stale one and the real one"
    );
}

#[test]
fn pr_list_by_head_paginates() {
    let w = World::new();
    w.push_branch(BRANCH, "fix.rs");
    for n in 1..=3 {
        assert_eq!(w.pr_create(BRANCH, &[]).code, 0);
        w.control(
            "POST",
            &format!("/_control/pulls/{n}"),
            json!({"state": "CLOSED"}),
        );
    }
    w.knobs(json!({"graphql_page_size": 2}));
    let list = w
        .gh_ok(&[
            "pr",
            "list",
            "--repo",
            REPO,
            "--head",
            BRANCH,
            "--state",
            "all",
            "--json",
            "number,url,state",
        ])
        .json();
    let numbers: Vec<u64> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["number"].as_u64())
        .collect();
    assert_eq!(numbers, vec![3, 2, 1], "newest first, across pages");
    assert_eq!(w.operations("PullRequestList"), 2);
    let open = w
        .gh_ok(&[
            "pr", "list", "--repo", REPO, "--head", BRANCH, "--state", "open", "--json", "number",
        ])
        .json();
    assert_eq!(open, json!([]));
    assert_eq!(w.pr_view("2", "state")["state"], "CLOSED");
}

#[test]
fn checks_report_nothing_until_they_appear() {
    let w = World::new();
    // Actions takes its time: the checks appear a minute after the push (a load-proof delay)...
    w.knobs(json!({"checks_delay_seconds": 60, "checks": "pass"}));
    w.push_branch(BRANCH, "fix.rs");
    assert_eq!(w.pr_create(BRANCH, &[]).code, 0);

    // Right after the push, GitHub has no checks yet: statusCheckRollup is null, and gh 2.23 says
    // "no checks reported" and exits 1 — with --watch too, at once.
    let none = w.gh(&["pr", "checks", "1", "--repo", REPO]);
    assert_eq!(none.code, 1, "{none:?}");
    assert_eq!(
        none.stderr.trim(),
        format!("no checks reported on the '{BRANCH}' branch")
    );
    let watch = w.gh(&["pr", "checks", "1", "--repo", REPO, "--watch"]);
    assert_eq!(watch.code, 1, "{watch:?}");
    assert!(watch.stderr.contains("no checks reported"), "{watch:?}");
    let rest = w
        .gh_ok(&[
            "api",
            &format!("repos/{{owner}}/{{repo}}/commits/{BRANCH}/check-runs"),
        ])
        .json();
    assert_eq!(rest["total_count"], 0, "REST agrees: {rest}");

    // ... then (the delay cut to 1 s, counted from the push) they are there.
    w.knobs(json!({"checks_delay_seconds": 1}));
    std::thread::sleep(Duration::from_secs(1));
    let pass = w.gh(&["pr", "checks", "1", "--repo", REPO]);
    assert_eq!(pass.code, 0, "{pass:?}");
    assert!(pass.stdout.starts_with("test\tpass\t"), "{pass:?}");
    let rest = w
        .gh_ok(&[
            "api",
            &format!("repos/{{owner}}/{{repo}}/commits/{BRANCH}/check-runs"),
        ])
        .json();
    assert_eq!(rest["check_runs"][0]["conclusion"], "success", "{rest}");

    w.knobs(json!({"checks": "fail"}));
    let fail = w.gh(&["pr", "checks", "1", "--repo", REPO]);
    assert_eq!(fail.code, 1, "{fail:?}");
    assert!(fail.stdout.starts_with("test\tfail\t"), "{fail:?}");
    let watch = w.gh(&["pr", "checks", "1", "--repo", REPO, "--watch"]);
    assert_eq!(
        watch.code, 1,
        "a failed check ends the watch with 1: {watch:?}"
    );

    // Pending: gh >= 2.34 exits 8; gh 2.23 exits 1, like a failure.
    w.knobs(json!({"checks": "pending"}));
    let pending = w.gh(&["pr", "checks", "1", "--repo", REPO]);
    let expected = if gh_minor() >= (2, 34) { 8 } else { 1 };
    assert_eq!(pending.code, expected, "{pending:?}");
    assert!(pending.stdout.starts_with("test\tpending\t"), "{pending:?}");
    let view = w.pr_view("1", "statusCheckRollup");
    assert_eq!(view["statusCheckRollup"][0]["status"], "IN_PROGRESS");

    // No CI at all looks exactly like "not yet": only time tells them apart.
    w.knobs(json!({"checks": "none"}));
    let none = w.gh(&["pr", "checks", "1", "--repo", REPO]);
    assert_eq!(none.code, 1);
    assert!(none.stderr.contains("no checks reported"), "{none:?}");
}

#[test]
fn checks_watch_waits_for_pending_checks() {
    let w = World::new();
    w.knobs(json!({"checks": "pass", "checks_pending_seconds": 600}));
    w.push_branch(BRANCH, "fix.rs");
    assert_eq!(w.pr_create(BRANCH, &[]).code, 0);
    // The checks finish once gh has seen them pending (its first poll), whenever that lands on a
    // loaded machine.
    let port = w.port;
    let finisher = std::thread::spawn(move || {
        let polled = || {
            control_at(port, "GET", "/_control/requests", json!({}))
                .as_array()
                .is_some_and(|r| {
                    r.iter()
                        .any(|r| r["operation"] == "PullRequestStatusChecks")
                })
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while !polled() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        control_at(
            port,
            "POST",
            "/_control/knobs",
            json!({"checks_pending_seconds": 0}),
        );
    });
    let start = Instant::now();
    // The product's argv: no --interval, so gh polls every 10 s.
    let watch = w.gh(&["pr", "checks", "1", "--repo", REPO, "--watch"]);
    finisher.join().unwrap();
    assert_eq!(watch.code, 0, "{watch:?}");
    assert!(watch.stdout.contains("test\tpass"), "{watch:?}");
    assert!(
        start.elapsed() >= Duration::from_secs(10),
        "one 10 s interval"
    );
    assert!(w.operations("PullRequestStatusChecks") >= 2, "it polled");
}

#[test]
fn review_decision_follows_branch_protection() {
    let w = World::new();
    let head = w.push_branch(BRANCH, "fix.rs");
    assert_eq!(w.pr_create(BRANCH, &[]).code, 0);
    let fields = "state,reviewDecision,mergeStateStatus,latestReviews";

    // No protection: reviewDecision is empty whatever the reviews say.
    let pr = w.pr_view("1", fields);
    assert_eq!(pr["reviewDecision"], "");
    assert_eq!(pr["mergeStateStatus"], "CLEAN");
    w.knobs(json!({"reviews": [{"author": "maintainer", "state": "APPROVED"}]}));
    let pr = w.pr_view("1", fields);
    assert_eq!(pr["reviewDecision"], "");
    assert_eq!(pr["latestReviews"][0]["state"], "APPROVED");
    assert_eq!(pr["latestReviews"][0]["author"]["login"], "maintainer");

    let unprotected = w.gh(&["api", "repos/{owner}/{repo}/branches/main/protection"]);
    assert_eq!(unprotected.code, 1);
    assert!(
        unprotected
            .stderr
            .contains("Branch not protected (HTTP 404)"),
        "{unprotected:?}"
    );

    // Protection on (one approving review, checks required): review required, merge blocked.
    w.knobs(json!({"branch_protection": true, "reviews": []}));
    let rules = w
        .gh_ok(&["api", "repos/{owner}/{repo}/branches/main/protection"])
        .json();
    assert_eq!(
        rules["required_pull_request_reviews"]["required_approving_review_count"],
        1
    );
    assert_eq!(rules["required_status_checks"]["contexts"], json!(["test"]));
    let pr = w.pr_view("1", fields);
    assert_eq!(pr["reviewDecision"], "REVIEW_REQUIRED");
    assert_eq!(pr["mergeStateStatus"], "BLOCKED");
    let merge = [
        "pr",
        "merge",
        "1",
        "--repo",
        REPO,
        "--squash",
        "--delete-branch",
        "--match-head-commit",
        &head,
    ];
    let blocked = w.gh(&merge);
    assert_eq!(blocked.code, 1, "{blocked:?}");
    assert!(
        blocked
            .stderr
            .contains("the base branch policy prohibits the merge"),
        "{blocked:?}"
    );
    // The author's own approval does not count.
    w.knobs(json!({"reviews": [{"author": "octo", "state": "APPROVED"}]}));
    assert_eq!(w.pr_view("1", fields)["reviewDecision"], "REVIEW_REQUIRED");
    w.knobs(json!({"reviews": [{"author": "maintainer", "state": "CHANGES_REQUESTED"}]}));
    assert_eq!(
        w.pr_view("1", fields)["reviewDecision"],
        "CHANGES_REQUESTED"
    );
    w.knobs(json!({"reviews": [
        {"author": "maintainer", "state": "CHANGES_REQUESTED"},
        {"author": "maintainer", "state": "APPROVED"}
    ]}));
    let pr = w.pr_view("1", fields);
    assert_eq!(pr["reviewDecision"], "APPROVED");
    assert_eq!(pr["mergeStateStatus"], "CLEAN");
    w.gh_ok(&merge);
    assert_eq!(w.pr_view("1", "state")["state"], "MERGED");
}

#[test]
fn advisories_create_list_paginate_publish_and_cve() {
    let w = World::new();
    let input = w.root().join("advisory.json");
    std::fs::write(
        &input,
        json!({
            "summary": "out-of-bounds read in parser",
            "description": "A crafted input makes parse() read past its buffer.",
            "severity": "critical",
            "cwe_ids": ["CWE-125"],
            "credits": [{"login": "grace", "type": "reporter"}],
            "vulnerabilities": [{
                "package": {"ecosystem": "rust", "name": "widget"},
                "vulnerable_version_range": "< 1.0.1",
                "patched_versions": "1.0.1",
                "vulnerable_functions": []
            }]
        })
        .to_string(),
    )
    .unwrap();
    let path = "repos/{owner}/{repo}/security-advisories";
    let create = [
        "api",
        path,
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "--input",
        input.to_str().unwrap(),
    ];
    let first = w.gh_ok(&create).json();
    let ghsa = first["ghsa_id"].as_str().unwrap().to_string();
    let alphabet = "23456789cfghjmpqrvwx";
    let groups: Vec<&str> = ghsa.trim_start_matches("GHSA-").split('-').collect();
    assert!(ghsa.starts_with("GHSA-") && groups.len() == 3, "{ghsa}");
    assert!(groups
        .iter()
        .all(|g| g.len() == 4 && g.chars().all(|c| alphabet.contains(c))));
    assert_eq!(first["state"], "draft");
    assert_eq!(
        first["html_url"],
        format!("http://github.localhost/acme/widget/security/advisories/{ghsa}")
    );
    assert_eq!(first["vulnerabilities"][0]["patched_versions"], "1.0.1");

    for _ in 0..4 {
        w.gh_ok(&create);
    }
    w.knobs(json!({"rest_page_size": 2}));
    // Without --paginate, gh returns the first page only (a lookup that stops there misses some).
    let page = w.gh_ok(&["api", path]).json();
    assert_eq!(page.as_array().unwrap().len(), 2);
    let all = w
        .gh_ok(&["api", "--paginate", path, "--jq", ".[].ghsa_id"])
        .stdout;
    assert_eq!(all.lines().count(), 5, "{all}");
    assert!(all.lines().any(|l| l == ghsa));

    let cve = w.gh(&["api", &format!("{path}/{ghsa}/cve"), "-X", "POST"]);
    assert_eq!(cve.code, 0, "{cve:?}");
    let publish = w.root().join("publish.json");
    std::fs::write(&publish, r#"{"state": "published"}"#).unwrap();
    let patched = w
        .gh_ok(&[
            "api",
            &format!("{path}/{ghsa}"),
            "-X",
            "PATCH",
            "-H",
            "Content-Type: application/json",
            "--input",
            publish.to_str().unwrap(),
        ])
        .json();
    assert_eq!(patched["state"], "published");
    assert!(patched["published_at"].is_string());
    let repo = w.repo_state();
    let stored = repo["advisories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["ghsa_id"] == ghsa.as_str())
        .cloned()
        .unwrap();
    assert_eq!(stored["state"], "published");
    assert_eq!(stored["cve_requested"], true);
    let back = w.root().join("draft.json");
    std::fs::write(&back, r#"{"state": "draft"}"#).unwrap();
    let refused = w.gh(&[
        "api",
        &format!("{path}/{ghsa}"),
        "-X",
        "PATCH",
        "--input",
        back.to_str().unwrap(),
    ]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("(HTTP 422)"), "{refused:?}");
}

/// The advisory answers (201 of create-repository-advisory, 200 of update-repository-advisory) are
/// held to GitHub's `repository-advisory` schema (vendored from github/rest-api-description): the
/// emulator's own answer passes, with every `simple-user` field of its author and a vulnerability's
/// four fields; an answer outside the schema (a severity GitHub never gives) is logged as a mismatch
/// naming the field, which fails any other test in its drop.
#[test]
fn advisory_answers_are_held_to_the_repository_advisory_schema() {
    let w = World::new();
    let input = w.root().join("advisory.json");
    std::fs::write(
        &input,
        json!({
            "summary": "out-of-bounds read in parser",
            "description": "A crafted input makes parse() read past its buffer.",
            "severity": "high",
            "vulnerabilities": [{"package": {"ecosystem": "rust", "name": "widget"}}]
        })
        .to_string(),
    )
    .unwrap();
    let path = "repos/{owner}/{repo}/security-advisories";
    let created = w
        .gh_ok(&[
            "api",
            path,
            "-X",
            "POST",
            "--input",
            input.to_str().unwrap(),
        ])
        .json();
    let ghsa = created["ghsa_id"].as_str().unwrap().to_string();
    assert!(created["author"]["login"].is_string(), "{created:#}");
    assert!(created["author"]["avatar_url"].is_string(), "{created:#}");
    assert_eq!(
        created["vulnerabilities"][0]["patched_versions"],
        Value::Null
    );
    assert!(created.get("cve_requested").is_none(), "{created:#}");
    let mismatches = |w: &World| -> Vec<Value> {
        w.requests()
            .into_iter()
            .filter(|r| r.get("schema_mismatch").is_some())
            .collect()
    };
    assert_eq!(mismatches(&w), Vec::<Value>::new());

    // An edit on the advisory's page that GitHub would never hold: the next answer departs.
    w.control(
        "POST",
        "/_control/advisories",
        json!({"repo": "acme/widget", "advisory": {"ghsa_id": ghsa, "severity": "urgent"}}),
    );
    let edit = w.root().join("edit.json");
    std::fs::write(&edit, r#"{"summary": "out-of-bounds read in parse()"}"#).unwrap();
    w.mismatch_expected.set(true);
    w.gh_ok(&[
        "api",
        &format!("{path}/{ghsa}"),
        "-X",
        "PATCH",
        "--input",
        edit.to_str().unwrap(),
    ]);
    let found = mismatches(&w);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["method"], "PATCH");
    let said = found[0]["schema_mismatch"].to_string();
    assert!(
        said.contains("/security-advisories/{ghsa_id} 200"),
        "{said}"
    );
    assert!(said.contains("severity 'urgent' is not one of"), "{said}");
}

/// The emulator holds every REST body to its operation's schema in GitHub's published description
/// (tests/fixtures/github-openapi, from github/rest-api-description). A key the advisory update does
/// not know is refused, as `additionalProperties: false` says, with GitHub's validation-error shape,
/// and nothing changes; a `make_latest` outside its enum is refused; the update-release body allows
/// other keys (no `additionalProperties: false` there), so gh's own body passes untouched.
#[test]
fn a_body_its_schema_refuses_gets_githubs_422_and_changes_nothing() {
    let w = World::new();
    let input = w.root().join("advisory.json");
    std::fs::write(
        &input,
        json!({
            "summary": "out-of-bounds read in parser",
            "description": "A crafted input makes parse() read past its buffer.",
            "severity": "high",
            "vulnerabilities": [{"package": {"ecosystem": "rust", "name": "widget"}}]
        })
        .to_string(),
    )
    .unwrap();
    let path = "repos/{owner}/{repo}/security-advisories";
    let ghsa = w
        .gh_ok(&[
            "api",
            path,
            "-X",
            "POST",
            "--input",
            input.to_str().unwrap(),
        ])
        .json()["ghsa_id"]
        .as_str()
        .unwrap()
        .to_string();
    let refused = w.gh(&[
        "api",
        &format!("{path}/{ghsa}"),
        "-X",
        "PATCH",
        "-f",
        "state=published",
        "-f",
        "bogus=1",
    ]);
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(refused.stderr.contains("HTTP 422"), "{refused:?}");
    let answer = refused.json();
    assert_eq!(answer["message"], "Validation Failed", "{answer}");
    assert_eq!(
        answer["documentation_url"],
        "https://docs.github.com/rest/security-advisories/repository-advisories#update-a-repository-security-advisory"
    );
    let errors = answer["errors"].as_array().expect("errors[]");
    assert_eq!(errors.len(), 1, "{answer}");
    assert_eq!(errors[0]["field"], "bogus");
    assert_eq!(errors[0]["code"], "unprocessable");
    assert_eq!(errors[0]["resource"], "RepositoryAdvisory");
    let advisory = &w.repo_state()["advisories"][0];
    assert_eq!(
        advisory["state"], "draft",
        "nothing was published: {advisory}"
    );

    // A severity outside the enum on create (GitHub has no `moderate`): refused, nothing created.
    let bad = w.gh(&[
        "api",
        path,
        "-X",
        "POST",
        "-f",
        "summary=s",
        "-f",
        "description=d",
        "-f",
        "severity=moderate",
    ]);
    assert_eq!(bad.code, 1, "{bad:?}");
    let fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .expect("errors[]")
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["field"].as_str().unwrap_or(""),
                e["code"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        fields,
        ["vulnerabilities:missing_field", "severity:invalid"],
        "{bad:?}"
    );
    assert_eq!(w.repo_state()["advisories"].as_array().unwrap().len(), 1);

    // Releases: `make_latest` is an enum of "true", "false", "legacy".
    let work = w.work();
    git(&work, &["tag", "-a", "v1.1.0", "-m", "v1.1.0"]);
    git(&work, &["push", "-q", "origin", "v1.1.0"]);
    w.gh_ok(&["release", "list", "--repo", REPO]);
    let id = w
        .gh_ok(&[
            "api",
            "repos/{owner}/{repo}/releases/tags/v1.1.0",
            "--jq",
            ".id",
        ])
        .stdout
        .trim()
        .to_string();
    let latest = w.gh(&[
        "api",
        &format!("repos/{{owner}}/{{repo}}/releases/{id}"),
        "-X",
        "PATCH",
        "-f",
        "make_latest=maybe",
    ]);
    assert_eq!(latest.code, 1, "{latest:?}");
    assert_eq!(latest.json()["errors"][0]["field"], "make_latest");
    w.gh_ok(&[
        "api",
        &format!("repos/{{owner}}/{{repo}}/releases/{id}"),
        "-X",
        "PATCH",
        "-f",
        "make_latest=false",
        "-f",
        "not_in_the_schema=1",
    ]);
    let refused_log: Vec<Value> = w
        .requests()
        .into_iter()
        .filter(|r| r.get("refused").is_some())
        .collect();
    assert_eq!(refused_log.len(), 3, "{refused_log:#?}");
}

#[test]
fn actions_runs_list_watch_and_a_run_waiting_for_an_environment() {
    let w = World::new();
    let work = w.work();
    git(&work, &["tag", "-a", "v1.0.1", "-m", "v1.0.1"]);
    git(&work, &["push", "-q", "origin", "v1.0.1"]);
    // A second workflow on the same tag, listed first (newer).
    w.control(
        "POST",
        "/_control/runs",
        json!({"workflow": "CI", "file": "ci.yml", "head_branch": "v1.0.1",
               "status": "completed", "conclusion": "success"}),
    );
    let fields = "databaseId,status,conclusion,workflowName";
    let runs = w
        .gh_ok(&[
            "run", "list", "--repo", REPO, "--branch", "v1.0.1", "--json", fields, "--limit", "20",
        ])
        .json();
    let names: Vec<&str> = runs
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["workflowName"].as_str())
        .collect();
    assert_eq!(names, vec!["CI", "Release"], "{runs}");
    let release = w
        .gh_ok(&[
            "run",
            "list",
            "--repo",
            REPO,
            "--branch",
            "v1.0.1",
            "--workflow",
            "release.yml",
            "--json",
            fields,
            "--limit",
            "20",
        ])
        .json();
    assert_eq!(release.as_array().unwrap().len(), 1);
    let id = release[0]["databaseId"].as_u64().unwrap().to_string();
    let watch = w.gh(&["run", "watch", &id, "--repo", REPO, "--exit-status"]);
    assert_eq!(watch.code, 0, "{watch:?}");
    let view = w
        .gh_ok(&[
            "run",
            "view",
            &id,
            "--repo",
            REPO,
            "--json",
            "status,conclusion",
        ])
        .json();
    assert_eq!(
        view,
        json!({"status": "completed", "conclusion": "success"})
    );

    // A publish run that waits for the `crates-io` environment's approval, then fails.
    let waiting = w.control(
        "POST",
        "/_control/runs",
        json!({"workflow": "Release", "file": "release.yml", "head_branch": "v1.0.1",
               "script": [{"at": 0, "status": "waiting", "environment": "crates-io"},
                          {"at": 0.5, "status": "completed", "conclusion": "failure"}]}),
    )["id"]
        .as_u64()
        .unwrap()
        .to_string();
    let listed = w
        .gh_ok(&["run", "view", &waiting, "--repo", REPO, "--json", "status"])
        .json();
    assert_eq!(listed["status"], "waiting");
    let pending = w
        .gh_ok(&[
            "api",
            &format!("repos/{{owner}}/{{repo}}/actions/runs/{waiting}/pending_deployments"),
        ])
        .json();
    assert_eq!(pending[0]["environment"]["name"], "crates-io");
    let port = w.port;
    let id = waiting.clone();
    let approver = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(2));
        control_at(
            port,
            "POST",
            &format!("/_control/runs/{waiting}"),
            json!({"approve": true}),
        );
    });
    let start = Instant::now();
    let watch = w.gh(&["run", "watch", &id, "--repo", REPO, "--exit-status"]);
    approver.join().unwrap();
    assert!(
        start.elapsed() >= Duration::from_secs(2),
        "it blocked while waiting"
    );
    assert_eq!(watch.code, 1, "the run failed after approval: {watch:?}");
}

#[test]
fn run_watch_exits_0_when_an_api_error_interrupts_it() {
    let w = World::new();
    let id = w.control(
        "POST",
        "/_control/runs",
        json!({"workflow": "Release", "file": "release.yml", "head_branch": "v1.0.0",
               "status": "in_progress"}),
    )["id"]
        .as_u64()
        .unwrap();
    // The first GET of the run (before the loop) answers; the next one, inside the loop, is a 502.
    w.knobs(
        json!({"faults": [{"method": "GET", "path": format!("/actions/runs/{id}?"),
                               "kind": "status", "status": 502, "skip": 1, "times": 1}]}),
    );
    let watch = w.gh(&[
        "run",
        "watch",
        &id.to_string(),
        "--repo",
        REPO,
        "--exit-status",
    ]);
    assert_eq!(watch.code, 0, "gh 2.23 swallows the error: {watch:?}");
    let status = w
        .gh_ok(&[
            "run",
            "view",
            &id.to_string(),
            "--repo",
            REPO,
            "--json",
            "status",
        ])
        .json();
    assert_eq!(status["status"], "in_progress", "the run never finished");
}

#[test]
fn releases_latest_edit_and_delete_keep_the_tag() {
    let w = World::new();
    let work = w.work();
    git(&work, &["tag", "-a", "v1.1.0", "-m", "v1.1.0"]);
    git(&work, &["push", "-q", "origin", "v1.1.0"]);
    // The emulator sees pushes at its next request: one now, so v1.1.0 is released first.
    w.gh_ok(&["release", "list", "--repo", REPO]);
    // A hotfix of the older line, released later: GitHub makes it Latest.
    git(&work, &["tag", "-a", "v1.0.1", "-m", "v1.0.1"]);
    git(&work, &["push", "-q", "origin", "v1.0.1"]);
    let list = w.gh_ok(&["release", "list", "--repo", REPO]).stdout;
    assert!(
        list.lines().any(|l| l.starts_with("v1.0.1\tLatest")),
        "{list}"
    );

    w.gh_ok(&[
        "release",
        "edit",
        "v1.0.1",
        "--repo",
        REPO,
        "--latest=false",
    ]);
    let list = w.gh_ok(&["release", "list", "--repo", REPO]).stdout;
    assert!(
        list.lines().any(|l| l.starts_with("v1.1.0\tLatest")),
        "{list}"
    );
    let view = w
        .gh_ok(&[
            "release",
            "view",
            "v1.0.1",
            "--repo",
            REPO,
            "--json",
            "tagName,url,isDraft",
        ])
        .json();
    assert_eq!(view["tagName"], "v1.0.1");

    w.gh_ok(&["release", "delete", "v1.0.1", "--repo", REPO, "--yes"]);
    let gone = w.gh(&["release", "view", "v1.0.1", "--repo", REPO]);
    assert_eq!(gone.code, 1);
    assert!(gone.stderr.contains("release not found"), "{gone:?}");
    assert_eq!(w.origin_git(&["tag", "--list", "v1.0.1"]), "v1.0.1", "kept");
}

#[test]
fn a_502_once_fails_the_call_and_nothing_happens() {
    let w = World::new();
    w.push_branch(BRANCH, "fix.rs");
    w.knobs(
        json!({"faults": [{"operation": "PullRequestCreate", "kind": "status", "status": 502}]}),
    );
    let out = w.pr_create(BRANCH, &[]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("HTTP 502"), "{out:?}");
    assert!(pulls(&w.repo_state()).is_empty());
    let out = w.pr_create(BRANCH, &[]);
    assert_eq!(out.code, 0, "the fault was used up: {out:?}");
    assert_eq!(pulls(&w.repo_state()).len(), 1);
    // The state is mirrored to DIR/state.json after each change.
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(w.root().join("state/state.json")).unwrap())
            .unwrap();
    assert_eq!(pulls(&file["repos"]["acme/widget"]).len(), 1);
    let knobs = w.control("GET", "/_control/knobs", json!({}));
    assert_eq!(knobs["faults"][0]["hits"], 1);
}

#[test]
fn a_lost_response_after_the_effect() {
    let w = World::new();
    w.push_branch(BRANCH, "fix.rs");
    w.knobs(json!({"faults": [
        {"operation": "PullRequestCreate", "kind": "lost"},
        {"method": "POST", "path": "/security-advisories", "kind": "lost"}
    ]}));
    let out = w.pr_create(BRANCH, &[]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("EOF"), "{out:?}");
    assert_eq!(
        pulls(&w.repo_state()).len(),
        1,
        "the PR exists all the same"
    );
    // Trying again: gh's own look-up finds it.
    let again = w.pr_create(BRANCH, &[]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"), "{again:?}");
    assert_eq!(pulls(&w.repo_state()).len(), 1, "once");

    let input = w.root().join("advisory.json");
    std::fs::write(
        &input,
        r#"{"summary": "s", "description": "d", "severity": "high", "vulnerabilities": []}"#,
    )
    .unwrap();
    let out = w.gh(&[
        "api",
        "repos/{owner}/{repo}/security-advisories",
        "-X",
        "POST",
        "--input",
        input.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(w.repo_state()["advisories"].as_array().unwrap().len(), 1);
    let logged = w
        .requests()
        .into_iter()
        .filter(|r| r["lost"] == true)
        .count();
    assert_eq!(logged, 2);
}

#[test]
fn rate_limits_are_not_retried_by_gh() {
    let w = World::new();
    w.knobs(json!({"faults": [
        {"path": "/security-advisories", "kind": "rate_limit"},
        {"path": "/actions/runs", "kind": "retry_after", "retry_after": 7}
    ]}));
    let out = w.gh(&["api", "repos/{owner}/{repo}/security-advisories"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("API rate limit exceeded") && out.stderr.contains("(HTTP 403)"),
        "{out:?}"
    );
    let out = w.gh(&[
        "run",
        "list",
        "--repo",
        REPO,
        "--branch",
        "v1.0.0",
        "--json",
        "databaseId",
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("HTTP 429"), "{out:?}");
    let runs_requests = w
        .requests()
        .into_iter()
        .filter(|r| r["path"].as_str().unwrap_or("").ends_with("/actions/runs"))
        .count();
    assert_eq!(runs_requests, 1, "gh did not retry");
    // The next calls go through.
    w.gh_ok(&["api", "repos/{owner}/{repo}/security-advisories"]);

    // GraphQL's rate limit is an HTTP 200 with a RATE_LIMITED error.
    w.knobs(json!({"faults": [{"operation": "LabelList", "kind": "rate_limit"}]}));
    let out = w.gh(&["label", "list", "--repo", REPO, "--json", "name"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("GraphQL: API rate limit exceeded for user ID 1."),
        "{out:?}"
    );
}

#[test]
fn a_lost_merge_response_then_a_rerun() {
    let w = World::new();
    let head = w.push_branch(BRANCH, "fix.rs");
    assert_eq!(w.pr_create(BRANCH, &[]).code, 0);
    w.knobs(json!({"faults": [{"operation": "PullRequestMerge", "kind": "lost"}]}));
    let merge = [
        "pr",
        "merge",
        "1",
        "--repo",
        REPO,
        "--squash",
        "--delete-branch",
        "--match-head-commit",
        &head,
    ];
    let lost = w.gh(&merge);
    assert_eq!(lost.code, 1, "{lost:?}");
    assert!(lost.stderr.contains("EOF"), "{lost:?}");
    // Merged on GitHub all the same, but the branch was not deleted (gh never got that far).
    assert_eq!(w.pr_view("1", "state")["state"], "MERGED");
    assert_eq!(w.origin_git(&["branch", "--list", BRANCH]).trim(), BRANCH);
    // Run again: gh sees MERGED, warns, exits 0 — and skips deleting the remote branch.
    let rerun = w.gh(&merge);
    assert_eq!(rerun.code, 0, "{rerun:?}");
    assert!(rerun.stderr.contains("was already merged"), "{rerun:?}");
    assert_eq!(w.origin_git(&["branch", "--list", BRANCH]).trim(), BRANCH);
    assert_eq!(
        w.origin_git(&["rev-list", "--count", "main"]),
        "2",
        "one squash commit, not two"
    );
}

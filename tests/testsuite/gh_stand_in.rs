//! Tests of the test doubles themselves: the gh stand-in (`tests/testsuite/support/gh_stand_in.py`) and the
//! sparse index server (`tests/testsuite/support/index_server.rs`). Where gh 2.23 is installed at /usr/bin/gh,
//! the stand-in's flag sets are checked against it.

use std::path::Path;
use std::process::Command;

use crate::support::index_server::{sparse_path, IndexServer};
use crate::support::*;
use serde_json::{json, Value};

const HOTFIX: &str = "hotfix/v1.0.11";
const REAL_GH: &str = "/usr/bin/gh";

/// What one gh call did.
#[derive(Debug)]
struct Gh {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Gh {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }
}

/// Runs the installed stand-in (`<fixture>/bin/gh`) in the work tree, as the wizard would.
fn gh(fx: &Fixture, args: &[&str]) -> Gh {
    gh_in(fx, &fx.work, args)
}

fn gh_in(fx: &Fixture, cwd: &Path, args: &[&str]) -> Gh {
    let out = Command::new(fx.bin.join("gh"))
        .args(args)
        .current_dir(cwd)
        .env("PATH", fx.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GH_STANDIN_STATE")
        .output()
        .expect("the gh stand-in runs");
    Gh {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

fn ok(fx: &Fixture, args: &[&str]) -> Gh {
    let r = gh(fx, args);
    assert_eq!(r.code, 0, "gh {args:?} failed: {r:?}");
    r
}

fn origin_git(fx: &Fixture, args: &[&str]) -> String {
    let mut all = vec!["--git-dir", fx.origin.to_str().expect("utf-8 path")];
    all.extend_from_slice(args);
    git(fx.dir.path(), &all)
}

/// Branches `hotfix/v1.0.11` from v1.0.10 in the work tree, commits a fix (a new file) and pushes it.
/// Returns the head sha.
fn push_hotfix_branch(fx: &Fixture) -> String {
    let w = &fx.work;
    git(w, &["checkout", "-q", "-b", HOTFIX, "v1.0.10"]);
    write(&w.join("FIX.md"), "bounded record_len\n");
    git(w, &["add", "FIX.md"]);
    git(w, &["commit", "-q", "-m", "hotfix: bound record_len"]);
    git(w, &["push", "-q", "-u", "origin", HOTFIX]);
    git(w, &["rev-parse", "HEAD"])
}

fn create_pr(fx: &Fixture) -> String {
    let body = fx.dir.path().join("pr-body.md");
    write(
        &body,
        "## Security hotfix\n\n`$(rm -rf /)` stays literal.\n",
    );
    let r = ok(
        fx,
        &[
            "pr",
            "create",
            "--title",
            "Security hotfix v1.0.11",
            "--body-file",
            body.to_str().unwrap(),
            "--base",
            "main",
            "--head",
            HOTFIX,
            "--label",
            "security",
        ],
    );
    r.stdout.trim().to_string()
}

// ------------------------------------------------------------------------------------------------
// Flags

/// Calls with every flag the wizard is expected to use; each must parse in the stand-in and in gh 2.23.
fn accepted_calls() -> Vec<Vec<&'static str>> {
    vec![
        vec!["auth", "status"],
        vec!["auth", "status", "--hostname", "github.com"],
        vec!["repo", "view", "--json", "nameWithOwner,url,defaultBranchRef"],
        vec!["label", "list", "--json", "name", "--limit", "100"],
        vec!["label", "list", "-L", "100", "-q", ".[].name", "--json", "name"],
        vec![
            "label",
            "create",
            "urgent",
            "--color",
            "d73a4a",
            "--description",
            "Needs attention",
            "--force",
        ],
        vec![
            "pr",
            "list",
            "--head",
            HOTFIX,
            "--base",
            "main",
            "--state",
            "all",
            "--json",
            "number,url,state,headRefOid",
            "--limit",
            "5",
        ],
        vec![
            "pr",
            "create",
            "--title",
            "T",
            "--body",
            "B",
            "--base",
            "main",
            "--head",
            HOTFIX,
            "--label",
            "security",
            "--label",
            "bug,security",
        ],
        vec![
            "pr",
            "create",
            "--title",
            "T",
            "--body-file",
            "body.md",
            "--base",
            "main",
            "--head",
            HOTFIX,
            "--draft",
            "--assignee",
            "@me",
            "--reviewer",
            "octocat",
        ],
        vec![
            "pr",
            "view",
            "1",
            "--json",
            "number,url,state,reviewDecision,mergeCommit,headRefName,headRefOid,baseRefName,title,body,labels,mergedAt",
        ],
        vec!["pr", "checks", "1"],
        vec!["pr", "checks", "1", "--watch", "--interval", "5", "--required"],
        vec![
            "pr",
            "merge",
            "1",
            "--squash",
            "--delete-branch",
            "--match-head-commit",
            "X",
        ],
        vec!["pr", "merge", "1", "--squash", "--subject", "S", "--body", "B"],
        vec!["pr", "merge", "1", "--merge", "--admin"],
        vec!["pr", "merge", "1", "--rebase", "--auto"],
        vec!["pr", "merge", "1", "-s", "-d"],
        vec![
            "run",
            "list",
            "--workflow",
            "release.yml",
            "--branch",
            "v1.0.11",
            "--json",
            "databaseId,status,conclusion,headBranch,workflowName,url",
            "--limit",
            "5",
        ],
        vec!["run", "watch", "1001", "--exit-status", "--interval", "5"],
        vec!["run", "view", "1001", "--json", "status,conclusion"],
        vec!["run", "view", "1001", "--log-failed"],
        vec!["release", "delete", "v1.0.11", "--yes", "--cleanup-tag"],
        vec![
            "api",
            "repos/{owner}/{repo}/security-advisories",
            "-X",
            "POST",
            "-H",
            "Accept: application/vnd.github+json",
            "-H",
            "X-GitHub-Api-Version: 2022-11-28",
            "--input",
            "advisory.json",
        ],
        vec![
            "api",
            "repos/example/minicrate/security-advisories/GHSA-2222-3333-4444",
            "--method",
            "PATCH",
            "-f",
            "state=published",
            "-F",
            "n=1",
            "--jq",
            ".html_url",
        ],
    ]
}

#[test]
fn the_stand_in_rejects_flags_gh_2_23_lacks_like_gh() {
    let fx = Fixture::new();
    let r = gh(&fx, &["pr", "create", "--bogus"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr
            .starts_with("unknown flag: --bogus\n\nUsage:  gh pr create [flags]\n\nFlags:\n"),
        "{r:?}"
    );
    assert!(r.stderr.contains("-F, --body-file file"), "{r:?}");
    assert!(r.stdout.is_empty());

    // Not in gh 2.23: `pr checks --fail-fast` came later.
    let r = gh(&fx, &["pr", "checks", "1", "--fail-fast"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("unknown flag: --fail-fast\n"), "{r:?}");

    let r = gh(&fx, &["pr", "merge", "1", "-sz"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("unknown shorthand flag: 'z' in -z\n"),
        "{r:?}"
    );

    let r = gh(&fx, &["pr", "create", "--title"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("flag needs an argument: --title\n"),
        "{r:?}"
    );
    let r = gh(&fx, &["run", "list", "--json"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with(
            "Specify one or more comma-separated fields for `--json`:\n  conclusion\n"
        ),
        "{r:?}"
    );

    let r = gh(&fx, &["pr", "list", "--limit", "many"]);
    assert_eq!(r.code, 1);
    assert!(r
        .stderr
        .starts_with("invalid argument \"many\" for \"-L, --limit\" flag"));

    let r = gh(&fx, &["pr", "view", "1", "--json", "nosuch"]);
    assert_eq!(r.code, 1);
    assert!(r
        .stderr
        .starts_with("Unknown JSON field: \"nosuch\"\nAvailable fields:\n  additions\n"));

    let r = gh(&fx, &["issue", "list"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("gh stand-in: unsupported call: issue list"),
        "{r:?}"
    );

    // Rejected calls are recorded too.
    let calls = fx.gh_calls();
    assert!(calls.contains(&vec!["pr".into(), "create".into(), "--bogus".into()]));
    let log = read(&fx.gh_state().join("calls.jsonl"));
    let first: Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    assert_eq!(first["exit"], 1);
    assert_eq!(first["cwd"], json!(fx.work.display().to_string()));
}

#[test]
fn the_stand_in_accepts_every_flag_the_wizard_uses() {
    let fx = Fixture::new();
    for call in accepted_calls() {
        let mut args = call.clone();
        args.push("--help");
        let r = gh(&fx, &args);
        assert_eq!(r.code, 0, "gh {call:?} was rejected: {r:?}");
        assert!(r.stdout.starts_with("Usage:  gh "), "{r:?}");
    }
}

/// gh 2.23 itself, where installed: every flag of the stand-in exists there (with a value exactly
/// when the stand-in takes one), every flag there exists in the stand-in, and the calls of
/// [`accepted_calls`] parse.
#[test]
fn the_stand_in_flags_are_those_of_the_real_gh_2_23() {
    if !Path::new(REAL_GH).exists() {
        eprintln!(
            "note: {REAL_GH} is not installed; the stand-in's flags are not checked against it"
        );
        return;
    }
    let version = Command::new(REAL_GH)
        .arg("--version")
        .output()
        .expect("gh --version");
    let version = String::from_utf8_lossy(&version.stdout).to_string();
    if !version.starts_with("gh version 2.23.") {
        eprintln!("note: {REAL_GH} is not gh 2.23 ({version}); flags not checked");
        return;
    }
    let fx = Fixture::empty();
    let real = |args: &[&str]| {
        Command::new(REAL_GH)
            .args(args)
            .current_dir(fx.dir.path())
            .env("GH_NO_UPDATE_NOTIFIER", "1")
            .env("GH_CONFIG_DIR", fx.dir.path().join("real-gh-config"))
            .output()
            .expect("gh runs")
    };
    // `--help` right after the subcommand: gh answers `gh api ENDPOINT --help` with "unknown command".
    let with_help = |call: &[&'static str]| -> Vec<&'static str> {
        let n = if call[0] == "api" { 1 } else { 2 };
        let mut args = call[..n].to_vec();
        args.push("--help");
        args.extend_from_slice(&call[n..]);
        args
    };
    for call in accepted_calls() {
        let args = with_help(&call);
        let o = real(&args);
        assert!(
            o.status.success(),
            "real gh rejects {call:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // Calls gh 2.23 refuses before doing anything: refused alike, with the same message.
    for call in [
        &["pr", "create", "--bogus"][..],
        &["pr", "checks", "1", "--fail-fast"],
        &["pr", "merge", "1", "-sz"],
        &["pr", "list", "--limit", "many"],
        &["pr", "list", "--state", "draft"],
        &["run", "list", "--json"],
        &["label", "create", "--color"],
        &["pr", "merge", "1", "-dt"],
        &["api", "-Xz"],
    ] {
        let o = real(call);
        let ours = gh(&fx, call);
        assert!(!o.status.success() && ours.code != 0, "{call:?}: {ours:?}");
        let real_err = String::from_utf8_lossy(&o.stderr).to_string();
        assert_eq!(
            ours.stderr.lines().next(),
            real_err.lines().next(),
            "{call:?}"
        );
        assert_eq!(ours.stderr.trim_end(), real_err.trim_end(), "{call:?}");
    }
    let dump = Command::new(fx.bin.join("gh"))
        .env("GH_STANDIN_DUMP_FLAGS", "1")
        .output()
        .expect("flag dump");
    let table: Value = serde_json::from_slice(&dump.stdout).expect("flag table");
    // One thread per subcommand: a few hundred short-lived processes.
    let real = &real;
    let fx = &fx;
    std::thread::scope(|scope| {
        for (sub, flags) in table.as_object().unwrap() {
            scope.spawn(move || {
                let words: Vec<&str> = sub.split(' ').collect();
                let mut listed = Vec::new();
                for f in flags.as_array().unwrap() {
                    let long = f["long"].as_str().unwrap();
                    listed.push(long.to_string());
                    let value = match (f["kind"].as_str(), f["choices"][0].as_str()) {
                        (_, Some(choice)) => choice,
                        (Some("int"), _) => "5",
                        (Some("duration"), _) => "1h",
                        _ => "x",
                    };
                    let mut forms = vec![format!("--{long}")];
                    if let Some(short) = f["short"].as_str() {
                        forms.push(format!("-{short}"));
                    }
                    for form in forms {
                        // `--help` first (see `with_help`). With a value the flag parses; a flag taking a
                        // value fails without one; a boolean refuses `=maybe`; an enum refuses other values.
                        let mut probes: Vec<(Vec<String>, bool)> = Vec::new();
                        let mut args: Vec<String> = words.iter().map(|w| w.to_string()).collect();
                        args.extend(["--help".to_string(), form.clone()]);
                        if f["value"] == true {
                            let mut good = args.clone();
                            good.push(value.to_string());
                            probes.push((good, true));
                            probes.push((args.clone(), false));
                            if f["choices"].is_array() {
                                let mut bad = args.clone();
                                bad.push("not-a-choice".into());
                                probes.push((bad, false));
                            }
                        } else {
                            probes.push((args.clone(), true));
                            let mut bad = args.clone();
                            *bad.last_mut().unwrap() = format!("{form}=maybe");
                            probes.push((bad, false));
                        }
                        for (probe, parses) in probes {
                            let refs: Vec<&str> = probe.iter().map(String::as_str).collect();
                            let o = real(&refs);
                            let real_err = String::from_utf8_lossy(&o.stderr).to_string();
                            assert_eq!(o.status.success(), parses, "real gh {probe:?}: {real_err}");
                            let ours = gh(fx, &refs);
                            assert_eq!(ours.code == 0, parses, "stand-in {probe:?}: {ours:?}");
                            assert_eq!(
                                ours.stderr.lines().next(),
                                real_err.lines().next(),
                                "first stderr line of {probe:?}"
                            );
                        }
                    }
                }
                // Everything real gh lists for this subcommand is known to the stand-in.
                let mut args = words.clone();
                args.push("--help");
                let help = String::from_utf8_lossy(&real(&args).stdout).to_string();
                let mut section = false;
                for line in help.lines() {
                    if line.starts_with("FLAGS") || line.starts_with("INHERITED FLAGS") {
                        section = true;
                        continue;
                    }
                    if section && !line.starts_with(' ') {
                        section = false;
                    }
                    if !section {
                        continue;
                    }
                    if let Some(pos) = line.find("--") {
                        let name: String = line[pos + 2..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '-')
                            .collect();
                        if name != "help" {
                            assert!(
                                listed.contains(&name),
                                "gh {sub} --{name} is missing in the stand-in"
                            );
                        }
                    }
                }
            });
        }
    });
}

// ------------------------------------------------------------------------------------------------
// Repository, labels

#[test]
fn repo_view_auth_and_labels() {
    let fx = Fixture::new();
    let r = ok(&fx, &["auth", "status"]);
    assert!(r.stderr.contains("Logged in to github.com as ada"), "{r:?}");

    let r = ok(
        &fx,
        &[
            "repo",
            "view",
            "--json",
            "nameWithOwner,url,defaultBranchRef",
        ],
    );
    assert_eq!(r.stdout, "{\"defaultBranchRef\":{\"name\":\"main\"},\"nameWithOwner\":\"example/minicrate\",\"url\":\"https://github.com/example/minicrate\"}\n");
    let r = ok(&fx, &["repo", "view", "--json", "url"]);
    assert_eq!(
        r.json(),
        json!({"url": "https://github.com/example/minicrate"})
    );
    let r = ok(
        &fx,
        &[
            "repo",
            "view",
            "--json",
            "defaultBranchRef",
            "-q",
            ".defaultBranchRef.name",
        ],
    );
    assert_eq!(r.stdout, "main\n");

    let r = ok(&fx, &["label", "list", "--json", "name", "--limit", "100"]);
    assert_eq!(r.json(), json!([{"name": "security"}, {"name": "bug"}]));
    let r = gh(&fx, &["label", "create", "Security"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("already exists"), "{r:?}");
    ok(
        &fx,
        &[
            "label", "create", "security", "--color", "ff0000", "--force",
        ],
    );
    ok(
        &fx,
        &[
            "label",
            "create",
            "urgent",
            "--color",
            "d73a4a",
            "--description",
            "now",
        ],
    );
    let r = ok(&fx, &["label", "list", "--json", "name"]);
    assert_eq!(
        r.json(),
        json!([{"name": "security"}, {"name": "bug"}, {"name": "urgent"}])
    );

    // Like real gh: outside a repository, or in one without a GitHub remote, gh cannot tell the repo.
    let r = gh_in(&fx, fx.dir.path(), &["repo", "view", "--json", "url"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not a git repository"), "{r:?}");
    git(
        &fx.work,
        &["remote", "set-url", "origin", "/nowhere/else.git"],
    );
    let r = gh(&fx, &["pr", "list", "--json", "number"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("none of the git remotes"), "{r:?}");
    let r = gh_in(
        &fx,
        fx.dir.path(),
        &["pr", "list", "-R", "example/minicrate", "--json", "number"],
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, "[]\n"), "{r:?}");
    git(
        &fx.work,
        &[
            "remote",
            "set-url",
            "origin",
            "https://github.com/example/minicrate.git",
        ],
    );
    ok(&fx, &["pr", "list", "--json", "number"]);

    fx.set_gh_knobs(&json!({"logged_in": false}));
    let r = gh(&fx, &["auth", "status"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("not logged into any GitHub hosts"),
        "{r:?}"
    );
    let r = gh(&fx, &["pr", "list"]);
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("gh auth login"), "{r:?}");
}

// ------------------------------------------------------------------------------------------------
// Pull requests

#[test]
fn a_pr_is_created_viewed_and_really_squash_merged_into_the_origin() {
    let fx = Fixture::new();
    let head = push_hotfix_branch(&fx);
    let main_before = origin_git(&fx, &["rev-parse", "main"]);

    let url = create_pr(&fx);
    assert_eq!(url, "https://github.com/example/minicrate/pull/1");
    let prs = fx.gh_prs();
    assert_eq!(prs[0]["number"], 1);
    assert_eq!(prs[0]["title"], "Security hotfix v1.0.11");
    assert_eq!(
        prs[0]["body"],
        "## Security hotfix\n\n`$(rm -rf /)` stays literal.\n"
    );
    assert_eq!(prs[0]["labels"], json!(["security"]));
    assert_eq!(
        (prs[0]["base"].as_str(), prs[0]["head"].as_str()),
        (Some("main"), Some(HOTFIX))
    );

    let r = ok(
        &fx,
        &[
            "pr",
            "list",
            "--head",
            HOTFIX,
            "--state",
            "open",
            "--json",
            "number,url,headRefOid",
        ],
    );
    assert_eq!(
        r.json(),
        json!([{"number": 1, "url": url, "headRefOid": head}])
    );
    let r = ok(&fx, &["pr", "list", "--head", "other", "--json", "number"]);
    assert_eq!(r.json(), json!([]));

    let r = ok(
        &fx,
        &["pr", "view", "1", "--json", "number,state,reviewDecision,mergeCommit,headRefName,headRefOid,baseRefName,labels,mergedAt"],
    );
    assert_eq!(
        r.json(),
        json!({"number": 1, "state": "OPEN", "reviewDecision": "APPROVED", "mergeCommit": null,
               "headRefName": HOTFIX, "headRefOid": head, "baseRefName": "main",
               "labels": [{"id": "LA_security", "name": "security", "description": "", "color": "ededed"}],
               "mergedAt": null})
    );
    // By URL and by branch (here: the checked-out one) too.
    assert_eq!(
        ok(&fx, &["pr", "view", &url, "--json", "number"]).json(),
        json!({"number": 1})
    );
    assert_eq!(
        ok(&fx, &["pr", "view", "--json", "number"]).json(),
        json!({"number": 1})
    );

    let r = gh(
        &fx,
        &[
            "pr",
            "merge",
            "1",
            "--squash",
            "--delete-branch",
            "--match-head-commit",
            &main_before,
        ],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("Head branch was modified. Review and try the merge again."),
        "{r:?}"
    );
    let r = gh(&fx, &["pr", "merge", "1", "--delete-branch"]);
    assert_eq!(r.code, 1);
    assert!(r
        .stderr
        .contains("--merge, --rebase, or --squash required when not running interactively"));

    ok(
        &fx,
        &[
            "pr",
            "merge",
            "1",
            "--squash",
            "--delete-branch",
            "--match-head-commit",
            &head,
        ],
    );

    // The squash commit is on the origin's main, by GitHub, on top of the unreleased work.
    let log = origin_git(&fx, &["log", "-1", "--format=%s%n%an <%ae>%n%P", "main"]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines[0], "Security hotfix v1.0.11 (#1)");
    assert_eq!(lines[1], "GitHub <noreply@github.com>");
    assert_eq!(lines[2], main_before, "one parent: a squash, not a merge");
    assert_eq!(
        origin_git(&fx, &["show", "main:FIX.md"]),
        "bounded record_len"
    );
    assert_eq!(
        origin_git(&fx, &["show", "main:NOTES.md"]),
        "unreleased work"
    );
    assert!(!git_ok(
        &fx.origin,
        &["rev-parse", "--verify", &format!("refs/heads/{HOTFIX}")]
    ));
    let merge = origin_git(&fx, &["rev-parse", "main"]);

    // Like gh: the local branch is gone too, and the work tree switched to the updated main.
    assert_eq!(git(&fx.work, &["branch", "--show-current"]), "main");
    assert!(!git_ok(
        &fx.work,
        &["rev-parse", "--verify", &format!("refs/heads/{HOTFIX}")]
    ));
    assert_eq!(git(&fx.work, &["rev-parse", "HEAD"]), merge);

    let r = ok(
        &fx,
        &[
            "pr",
            "view",
            "1",
            "--json",
            "state,mergeCommit,headRefOid,mergedAt",
        ],
    );
    let v = r.json();
    assert_eq!(v["state"], "MERGED");
    assert_eq!(v["mergeCommit"], json!({"oid": merge}));
    assert_eq!(v["headRefOid"], json!(head));
    assert!(v["mergedAt"].is_string());
    let r = ok(
        &fx,
        &[
            "pr",
            "list",
            "--head",
            HOTFIX,
            "--state",
            "merged",
            "--json",
            "number,state",
        ],
    );
    assert_eq!(r.json(), json!([{"number": 1, "state": "MERGED"}]));

    // Merging again (a resumed run) is not an error in gh: it warns.
    let r = ok(&fx, &["pr", "merge", "1", "--squash", "--delete-branch"]);
    assert!(
        r.stderr.contains("! Pull request #1 was already merged"),
        "{r:?}"
    );
    assert_eq!(origin_git(&fx, &["rev-parse", "main"]), merge);
}

#[test]
fn pr_create_fails_like_gh() {
    let fx = Fixture::new();
    let args = |head: &str, label: &str| -> Vec<String> {
        [
            "pr", "create", "--title", "T", "--body", "B", "--base", "main", "--head", head,
            "--label", label,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let run = |a: Vec<String>| {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        gh(&fx, &refs)
    };
    // Not pushed.
    let r = run(args(HOTFIX, "security"));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("pull request create failed") && r.stderr.contains("No commits between"),
        "{r:?}"
    );
    push_hotfix_branch(&fx);
    // A label the repository lacks: nothing is created.
    let r = run(args(HOTFIX, "security,urgent"));
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "could not add label: 'urgent' not found\n");
    assert_eq!(fx.gh_prs(), json!([]));
    // Non-interactive without a body.
    let r = gh(&fx, &["pr", "create", "--title", "T", "--head", HOTFIX]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with(
        "must provide `--title` and `--body` (or `--fill`) when not running interactively"
    ));
    // Created, then again: the existing one is named.
    let r = run(args(HOTFIX, "security"));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "https://github.com/example/minicrate/pull/1\n")
    );
    let r = run(args(HOTFIX, "bug"));
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        format!("a pull request for branch \"{HOTFIX}\" into branch \"main\" already exists:\nhttps://github.com/example/minicrate/pull/1\n")
    );
    // The head defaults to the current branch; labels are comma-separated or repeated.
    git(&fx.work, &["checkout", "-q", "-b", "hotfix/other"]);
    write(&fx.work.join("OTHER.md"), "x\n");
    git(&fx.work, &["add", "OTHER.md"]);
    git(&fx.work, &["commit", "-q", "-m", "other"]);
    let r = gh(&fx, &["pr", "create", "-t", "Other", "-b", ""]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "aborted: you must first push the current branch to a remote, or use the --head flag\n"
    );
    git(&fx.work, &["push", "-q", "origin", "hotfix/other"]);
    ok(
        &fx,
        &[
            "pr",
            "create",
            "-t",
            "Other",
            "-b",
            "",
            "-l",
            "bug,security",
            "-l",
            "bug",
        ],
    );
    assert_eq!(fx.gh_prs()[1]["head"], "hotfix/other");
    assert_eq!(fx.gh_prs()[1]["labels"], json!(["bug", "security"]));
}

#[test]
fn review_decisions_are_handed_out_poll_by_poll_and_a_pr_can_be_closed() {
    let fx = Fixture::new();
    push_hotfix_branch(&fx);
    create_pr(&fx);
    fx.set_gh_knobs(&json!({"reviews": ["REVIEW_REQUIRED", "CHANGES_REQUESTED", "APPROVED"]}));
    let decision = || ok(&fx, &["pr", "view", "1", "--json", "reviewDecision,state"]).json();
    assert_eq!(
        decision(),
        json!({"reviewDecision": "REVIEW_REQUIRED", "state": "OPEN"})
    );
    // A view that does not ask for the decision consumes nothing.
    ok(&fx, &["pr", "view", "1", "--json", "state"]);
    assert_eq!(decision()["reviewDecision"], "CHANGES_REQUESTED");
    assert_eq!(decision()["reviewDecision"], "APPROVED");
    assert_eq!(decision()["reviewDecision"], "APPROVED");

    fx.set_gh_knobs(&json!({"close_after_polls": 6, "reviews": {"1": [""]}}));
    assert_eq!(decision(), json!({"reviewDecision": "", "state": "OPEN"}));
    assert_eq!(decision(), json!({"reviewDecision": "", "state": "CLOSED"}));
    let r = gh(&fx, &["pr", "merge", "1", "--squash"]);
    assert_eq!(r.code, 1, "{r:?}");
    let r = ok(&fx, &["pr", "list", "--head", HOTFIX, "--json", "number"]);
    assert_eq!(r.json(), json!([]), "a closed PR is not listed as open");
}

#[test]
fn checks_pass_fail_or_are_missing_like_gh_2_23() {
    let fx = Fixture::new();
    push_hotfix_branch(&fx);
    create_pr(&fx);
    let r = ok(&fx, &["pr", "checks", "1", "--watch", "--interval", "1"]);
    assert!(r.stdout.contains("test (ubuntu)\tpass\t"), "{r:?}");

    fx.set_gh_knobs(&json!({"checks": "fail"}));
    let r = gh(&fx, &["pr", "checks", "1", "--watch"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("build\tpass\t") && r.stdout.contains("test (ubuntu)\tfail\t"),
        "{r:?}"
    );

    fx.set_gh_knobs(&json!({"checks": "none"}));
    let r = gh(&fx, &["pr", "checks", "1"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        format!("no checks reported on the '{HOTFIX}' branch\n")
    );

    fx.set_gh_knobs(&json!({"checks": ["pending", "pending", "pass"]}));
    let r = ok(&fx, &["pr", "checks", "1", "--watch"]);
    assert_eq!(
        r.stdout.matches("test (ubuntu)\tpending").count(),
        2,
        "{r:?}"
    );
    assert!(r.stdout.ends_with("test (ubuntu)\tpass\t1m40s\thttps://github.com/example/minicrate/actions/runs/1/jobs/2\n"), "{r:?}");

    let r = gh(&fx, &["pr", "checks", "1", "--interval", "5"]);
    assert_eq!(r.code, 1, "--interval needs --watch: {r:?}");
}

#[test]
fn merge_conflicts_and_policies_block_the_merge() {
    let fx = Fixture::new();
    push_hotfix_branch(&fx);
    create_pr(&fx);
    fx.set_gh_knobs(&json!({"merge_state": "BLOCKED"}));
    let r = gh(&fx, &["pr", "merge", "1", "--squash"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("is not mergeable: the base branch policy prohibits the merge"),
        "{r:?}"
    );
    ok(&fx, &["pr", "merge", "1", "--squash", "--auto"]);
    assert_eq!(
        fx.gh_prs()[0]["state"],
        "OPEN",
        "auto-merge waits for the requirements"
    );

    // A real conflict: main changed FIX.md differently.
    fx.set_gh_knobs(&json!({}));
    git(&fx.work, &["checkout", "-q", "main"]);
    write(&fx.work.join("FIX.md"), "something else\n");
    git(&fx.work, &["add", "FIX.md"]);
    git(&fx.work, &["commit", "-q", "-m", "conflicting"]);
    git(&fx.work, &["push", "-q", "origin", "main"]);
    let main = origin_git(&fx, &["rev-parse", "main"]);
    let r = gh(&fx, &["pr", "merge", "1", "--squash", "--delete-branch"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("the merge commit cannot be cleanly created"),
        "{r:?}"
    );
    assert_eq!(origin_git(&fx, &["rev-parse", "main"]), main);
    assert!(git_ok(
        &fx.origin,
        &["rev-parse", "--verify", &format!("refs/heads/{HOTFIX}")]
    ));
}

// ------------------------------------------------------------------------------------------------
// Runs, releases

#[test]
fn release_runs_follow_the_tags_and_releases_can_be_deleted() {
    let fx = Fixture::new();
    let r = ok(
        &fx,
        &[
            "run",
            "list",
            "--workflow",
            "release.yml",
            "--branch",
            "v1.0.10",
            "--json",
            "databaseId,status,conclusion,headBranch,workflowName",
        ],
    );
    assert_eq!(
        r.json(),
        json!([{"databaseId": 1003, "status": "completed", "conclusion": "success",
                "headBranch": "v1.0.10", "workflowName": "release.yml"}])
    );
    let r = ok(
        &fx,
        &[
            "run",
            "list",
            "--json",
            "headBranch",
            "-q",
            ".[].headBranch",
        ],
    );
    assert_eq!(
        r.stdout, "v1.0.10\nv1.0.0\nv0.9.9\n",
        "release tags only, newest first"
    );
    let r = gh(&fx, &["run", "list", "--workflow", "nightly.yml"]);
    assert_eq!(r.code, 1);
    ok(&fx, &["run", "watch", "1003", "--exit-status"]);

    fx.set_gh_knobs(&json!({"runs": [
        {"databaseId": 2001, "headBranch": "v1.0.10", "conclusion": "failure"},
        {"databaseId": 2002, "headBranch": "v1.0.0", "status": "in_progress"}
    ]}));
    let r = gh(&fx, &["run", "watch", "2001", "--exit-status"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout.contains("2001") && r.stdout.contains("failure"),
        "{r:?}"
    );
    assert_eq!(
        gh(&fx, &["run", "watch", "2001"]).code,
        0,
        "no --exit-status"
    );
    let r = ok(&fx, &["run", "view", "2002", "--json", "status"]);
    assert_eq!(r.json(), json!({"status": "in_progress"}));
    ok(&fx, &["run", "watch", "2002", "--exit-status"]);
    let r = ok(&fx, &["run", "view", "2002", "--json", "status,conclusion"]);
    assert_eq!(
        r.json(),
        json!({"status": "completed", "conclusion": "success"})
    );
    let r = gh(
        &fx,
        &["run", "view", "2001", "--log-failed", "--exit-status"],
    );
    assert_eq!(r.code, 1);
    assert!(!r.stdout.is_empty());
    assert_eq!(gh(&fx, &["run", "watch", "9"]).code, 1);

    fx.set_gh_knobs(&json!({}));
    ok(&fx, &["release", "delete", "v1.0.10", "--yes"]);
    assert!(
        git_ok(&fx.origin, &["rev-parse", "--verify", "refs/tags/v1.0.10"]),
        "the tag stays"
    );
    let r = gh(&fx, &["release", "delete", "v1.0.10", "--yes"]);
    assert_eq!((r.code, r.stderr.as_str()), (1, "release not found\n"));
    assert_eq!(gh(&fx, &["release", "delete", "v9.9.9", "--yes"]).code, 1);
    ok(
        &fx,
        &["release", "delete", "v1.0.0", "--yes", "--cleanup-tag"],
    );
    assert!(!git_ok(
        &fx.origin,
        &["rev-parse", "--verify", "refs/tags/v1.0.0"]
    ));
    let releases: Value =
        serde_json::from_str(&read(&fx.gh_state().join("releases.json"))).unwrap();
    assert_eq!(
        releases["deleted"],
        json!([{"tag": "v1.0.10", "cleanup_tag": false, "yes": true},
               {"tag": "v1.0.0", "cleanup_tag": true, "yes": true}])
    );
}

// ------------------------------------------------------------------------------------------------
// Security advisories

fn advisory_json() -> Value {
    json!({
        "summary": "minicrate: out-of-bounds length",
        "description": "record_len trusted the prefix.",
        "severity": "high",
        "vulnerabilities": [{
            "package": {"ecosystem": "rust", "name": "minicrate"},
            "vulnerable_version_range": "<= 1.0.10",
            "patched_versions": "1.0.11"
        }]
    })
}

#[test]
fn advisories_are_created_from_an_input_file_or_refused() {
    let fx = Fixture::new();
    let file = fx.dir.path().join("advisory.json");
    write(&file, &advisory_json().to_string());
    let post = |fx: &Fixture| {
        gh(
            fx,
            &[
                "api",
                "repos/{owner}/{repo}/security-advisories",
                "-X",
                "POST",
                "-H",
                "Accept: application/vnd.github+json",
                "--input",
                file.to_str().unwrap(),
            ],
        )
    };
    let r = post(&fx);
    assert_eq!(r.code, 0, "{r:?}");
    let v = r.json();
    let id = v["ghsa_id"].as_str().unwrap().to_string();
    assert!(id.starts_with("GHSA-") && id.len() == 19, "{id}");
    assert_eq!(
        v["html_url"],
        format!("https://github.com/example/minicrate/security/advisories/{id}")
    );
    assert_eq!(v["state"], "draft");
    let stored: Value =
        serde_json::from_str(&read(&fx.gh_state().join("advisories.json"))).unwrap();
    assert_eq!(stored[0]["request"], advisory_json());

    // Already expanded, PATCH, and --jq.
    let r = ok(
        &fx,
        &[
            "api",
            &format!("repos/example/minicrate/security-advisories/{id}"),
            "-X",
            "PATCH",
            "-f",
            "state=published",
            "--jq",
            ".state",
        ],
    );
    assert_eq!(r.stdout, "published\n");

    // `-f` cannot express the vulnerabilities array: GitHub refuses.
    let r = gh(
        &fx,
        &[
            "api",
            "repos/{owner}/{repo}/security-advisories",
            "-f",
            "summary=s",
            "-f",
            "description=d",
            "-f",
            "severity=high",
            "-f",
            "vulnerabilities=[]",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("is not an array") && r.stderr.contains("(HTTP 422)"),
        "{r:?}"
    );
    let mut missing = advisory_json();
    missing.as_object_mut().unwrap().remove("severity");
    write(&file, &missing.to_string());
    assert_eq!(post(&fx).code, 1);

    write(&file, &advisory_json().to_string());
    fx.set_gh_knobs(&json!({"advisory_status": 403}));
    let r = post(&fx);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "gh: Resource not accessible by integration (HTTP 403)\n"
    );
    assert!(r.stdout.contains("Resource not accessible by integration"));
}

// ------------------------------------------------------------------------------------------------
// Failure injection, the call log

#[test]
fn failures_are_injected_and_every_call_is_recorded() {
    let fx = Fixture::new();
    push_hotfix_branch(&fx);
    fx.set_gh_knobs(&json!({"fail": [
        {"match": "pr create", "times": 1, "stderr": "HTTP 502: Bad Gateway (https://api.github.com/graphql)", "code": 1}
    ]}));
    let args = [
        "pr", "create", "--title", "T", "--body", "B", "--head", HOTFIX,
    ];
    let r = gh(&fx, &args);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "HTTP 502: Bad Gateway (https://api.github.com/graphql)\n"
        )
    );
    assert_eq!(fx.gh_prs(), json!([]));
    let r = ok(&fx, &args);
    assert_eq!(r.stdout, "https://github.com/example/minicrate/pull/1\n");
    ok(&fx, &["auth", "status"]);

    let calls = fx.gh_calls();
    let expected: Vec<Vec<String>> = vec![
        args.iter().map(|s| s.to_string()).collect(),
        args.iter().map(|s| s.to_string()).collect(),
        vec!["auth".into(), "status".into()],
    ];
    assert_eq!(calls, expected);
    let log = read(&fx.gh_state().join("calls.jsonl"));
    let exits: Vec<i64> = log
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["exit"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(exits, vec![1, 0, 0]);
}

#[test]
fn the_stand_in_finds_its_state_without_the_environment_and_honours_it_when_given() {
    let fx = Fixture::empty();
    // No GH_STANDIN_STATE: <bin>/../gh-state.
    ok(&fx, &["auth", "status"]);
    assert_eq!(fx.gh_calls().len(), 1);
    // With GH_STANDIN_STATE: there.
    let other = fx.dir.path().join("other-state");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::copy(fx.gh_state().join("config.json"), other.join("config.json")).unwrap();
    let out = Command::new(fx.bin.join("gh"))
        .args(["auth", "status"])
        .env("GH_STANDIN_STATE", &other)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(other.join("calls.jsonl").exists());
    assert_eq!(fx.gh_calls().len(), 1);
    // The script starts with the absolute interpreter path.
    let script = read(&fx.bin.join("gh"));
    assert!(script.starts_with(&format!("#!{} -S\n", python3().display())));
    assert!(python3().is_absolute());
}

// ------------------------------------------------------------------------------------------------
// The sparse index server

fn curl(args: &[&str]) -> (String, String) {
    let out = Command::new("curl")
        .args(["-sS", "-w", "\n%{http_code}"])
        .args(args)
        .output()
        .expect("curl runs");
    assert!(out.status.success(), "curl {args:?}: {out:?}");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let (body, code) = text.rsplit_once('\n').expect("status line");
    (code.to_string(), body.to_string())
}

#[test]
fn the_index_answers_404_until_the_version_is_published_after_n_requests() {
    let server = IndexServer::start(CRATE);
    assert!(server.url().starts_with("http://127.0.0.1:") && server.url().ends_with('/'));
    let file = format!("{}mi/ni/minicrate", server.url());
    server.publish_after("1.0.11", 2);
    assert_eq!(curl(&[&file]).0, "404");
    assert_eq!(curl(&[&file]).0, "404");
    let (code, body) = curl(&[&file]);
    assert_eq!(code, "200");
    let line: Value = serde_json::from_str(body.trim()).unwrap();
    assert_eq!(line["name"], "minicrate");
    assert_eq!(line["vers"], "1.0.11");
    assert_eq!(line["yanked"], false);
    assert_eq!(line["deps"], json!([]));
    assert_eq!(line["features"], json!({}));
    let cksum = line["cksum"].as_str().unwrap();
    assert!(cksum.len() == 64 && cksum.chars().all(|c| c.is_ascii_hexdigit()));

    // Known versions are served while a new one is pending; yanks show.
    server.add_version("1.0.10");
    server.publish_after("1.0.12", 1);
    server.yank("1.0.10");
    let (code, body) = curl(&[&file]);
    assert_eq!(code, "200");
    let versions: Vec<(String, bool)> = body
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| {
            (
                v["vers"].as_str().unwrap().to_string(),
                v["yanked"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        versions,
        vec![("1.0.11".into(), false), ("1.0.10".into(), true)]
    );
    assert_eq!(curl(&[&file]).1.lines().count(), 3);

    let (code, body) = curl(&[&format!("{}config.json", server.url())]);
    assert_eq!(code, "200");
    let config: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(config["dl"], format!("{}api/v1/crates", server.url()));
    assert_eq!(config["api"], server.url().trim_end_matches('/'));
    assert_eq!(curl(&[&format!("{}mi/ni/other", server.url())]).0, "404");
    assert_eq!(server.file_requests(), 5);
}

#[test]
fn the_index_uses_the_sparse_layout_and_records_the_user_agent() {
    for (name, path) in [
        ("a", "1/a"),
        ("Ab", "2/ab"),
        ("abc", "3/a/abc"),
        ("abcd", "ab/cd/abcd"),
        ("MiniCrate", "mi/ni/minicrate"),
    ] {
        assert_eq!(sparse_path(name), path);
        let server = IndexServer::start(name);
        server.add_version("0.1.0");
        let (code, body) = curl(&[
            "-A",
            "caro-hotfix-test/1.0 (index probe)",
            &format!("{}{path}", server.url()),
        ]);
        assert_eq!(code, "200", "{name}");
        assert!(body.contains("\"vers\":\"0.1.0\""), "{body}");
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].method, "GET");
        assert_eq!(requests[0].path, format!("/{path}"));
        assert_eq!(
            requests[0].header("User-Agent"),
            Some("caro-hotfix-test/1.0 (index probe)")
        );
        assert!(requests[0].headers.iter().any(|(k, _)| k == "host"));
    }
}

#[test]
fn the_registry_serves_the_api_a_real_crate_from_the_tag_a_lagging_index_and_429s() {
    let fx = Fixture::new();
    let server = IndexServer::publishing(CRATE, &fx.origin);
    let api = format!("{}api/v1/crates/{CRATE}", server.url());
    let file = format!("{}mi/ni/minicrate", server.url());
    // No version yet: the crate does not exist for the API.
    assert_eq!(curl(&[&api]).0, "404");
    server.add_version("1.0.10");
    server.trustpub_only(Some(true));
    let (code, body) = curl(&[&api]);
    assert_eq!(code, "200");
    let krate: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(krate["crate"]["trustpub_only"], true);
    assert_eq!(krate["versions"][0]["num"], "1.0.10");

    // The .crate is the real `cargo package` of the tag; its sha256 is the index's cksum.
    let (_, line) = curl(&[&file]);
    let line: Value = serde_json::from_str(line.trim()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("minicrate-1.0.10.crate");
    let (code, _) = curl(&[
        "-o",
        saved.to_str().unwrap(),
        &format!("{api}/1.0.10/download"),
    ]);
    assert_eq!(code, "200");
    let bytes = std::fs::read(&saved).unwrap();
    assert!(bytes.starts_with(&[0x1f, 0x8b]), "a gzip file");
    assert_eq!(
        line["cksum"].as_str().unwrap(),
        crate::support::index_server::sha256_hex(&bytes)
    );
    let listing = Command::new("tar")
        .args(["-tzf", saved.to_str().unwrap()])
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout);
    for entry in [
        "minicrate-1.0.10/.cargo_vcs_info.json",
        "minicrate-1.0.10/Cargo.toml.orig",
        "minicrate-1.0.10/src/lib.rs",
    ] {
        assert!(listing.lines().any(|l| l == entry), "{entry}: {listing}");
    }

    // The API knows 1.0.11 at once; the index file shows it two requests later.
    server.publish_after("1.0.11", 0);
    server.lag_index("1.0.11", 2);
    assert_eq!(curl(&[&format!("{api}/1.0.11")]).0, "200");
    assert!(!curl(&[&file]).1.contains("1.0.11"));
    assert!(!curl(&[&file]).1.contains("1.0.11"));
    assert!(curl(&[&file]).1.contains("1.0.11"));

    // Two polls answered 429 with Retry-After; config.json is not a poll.
    server.rate_limit_from(0, 2, Some(7));
    assert_eq!(curl(&[&format!("{}config.json", server.url())]).0, "200");
    let (code, _) = curl(&["-D", "-", &file]);
    assert_eq!(code, "429");
    let (_, head) = curl(&["-D", "-", "-o", "/dev/null", &format!("{api}/1.0.11")]);
    assert!(head.contains("Retry-After: 7"), "{head}");
    assert_eq!(curl(&[&file]).0, "200");
}

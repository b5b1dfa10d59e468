//! Publishing it ourselves (issue 27): when no workflow publishes the tag, step 12 runs the real
//! `cargo publish --locked` from a clean worktree of the tag, against the test registry on
//! 127.0.0.1 (`support/index_server.rs`: the sparse index, and `PUT /api/v1/crates/new` as cargo's
//! registry web API document specifies it, the index line appearing after a delay). The token is
//! cargo's (`CARGO_REGISTRIES_TEST_TOKEN`); it must appear in nothing caro-hotfix prints or writes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::index_server::{self, IndexServer};
use crate::support::screen::Typist;
use crate::support::*;

/// Not shaped like a crates.io or GitHub token, so the runner's redaction cannot hide a leak.
const TOKEN: &str = "caro-test-token-7f3a9d2e51b8c604";

/// The registry `test` of cargo's configuration, given as cargo reads it from the environment,
/// with its token; cargo may use the network (127.0.0.1) and keeps its caches in `home`.
fn registry_env(index: &IndexServer, home: &Path) -> Vec<(String, String)> {
    vec![
        (
            "CARGO_REGISTRIES_TEST_INDEX".into(),
            format!("sparse+{}", index.url()),
        ),
        ("CARGO_REGISTRIES_TEST_TOKEN".into(), TOKEN.into()),
        ("CARGO_NET_OFFLINE".into(), "false".into()),
        ("CARGO_HOME".into(), home.display().to_string()),
    ]
}

fn with_env<'a>(mut run: Run<'a>, env: &[(String, String)]) -> Run<'a> {
    for (k, v) in env {
        run = run.env(k, v);
    }
    run
}

fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["--poll-interval", "0.05", "--registry", "test"];
    a.extend_from_slice(&STEP4_FLAGS);
    a.extend_from_slice(extra);
    a.push(DESCRIPTION);
    a
}

/// The standard fixture, with the `publish` key removed: no workflow publishes, so the default
/// is caro-hotfix.
fn single() -> Fixture {
    let fx = Fixture::new();
    let manifest = read(&fx.work.join("Cargo.toml"));
    write(
        &fx.work.join("Cargo.toml"),
        &manifest.replace("publish = \"workflow\"\n", ""),
    );
    git(
        &fx.work,
        &["commit", "-qam", "chore: no publishing workflow"],
    );
    git(&fx.work, &["push", "-q", "origin", "main"]);
    fx
}

const WS_ROOT: &str = "\
[workspace]
members = [\"base\", \"app\"]
resolver = \"2\"

[workspace.package]
version = \"1.0.0\"
edition = \"2021\"
license = \"MIT\"

[workspace.metadata.hotfix]
strategy = \"main\"
test-commands = [[\"cargo\", \"--version\"]]
";

const WS_BASE: &str = "\
[package]
name = \"mybase\"
description = \"The crate that is hotfixed\"
publish = [\"test\"]
version.workspace = true
edition.workspace = true
license.workspace = true
";

const WS_APP: &str = "\
[package]
name = \"myapp\"
description = \"A crate that pins mybase\"
publish = [\"test\"]
version.workspace = true
edition.workspace = true
license.workspace = true

[dependencies]
mybase = { path = \"../base\", version = \"=1.0.0\", registry = \"test\" }
";

/// A workspace released as v1.0.0: `mybase`, and `myapp`, which pins it exactly (so they are
/// released together, mybase first). Nothing publishes on a tag.
fn workspace(env: &[(String, String)]) -> Fixture {
    let fx = Fixture::empty();
    let w = &fx.work;
    std::fs::remove_file(w.join("src/lib.rs")).expect("rm");
    std::fs::remove_file(w.join("tests/it.rs")).expect("rm");
    write(&w.join("Cargo.toml"), WS_ROOT);
    write(&w.join("base/Cargo.toml"), WS_BASE);
    write(&w.join("base/src/lib.rs"), LIB_RS);
    write(&w.join("app/Cargo.toml"), WS_APP);
    write(&w.join("app/src/lib.rs"), "pub use mybase::record_len;\n");
    let mut lock = std::process::Command::new("cargo");
    lock.args(["generate-lockfile", "--offline"]).current_dir(w);
    for (k, v) in env {
        lock.env(k, v);
    }
    let out = lock.output().expect("cargo");
    assert!(out.status.success(), "{out:?}");
    git(w, &["add", "-A"]);
    git(w, &["commit", "-q", "-m", "release 1.0.0"]);
    git(w, &["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    fx.push_all();
    fx
}

fn commit_workspace_fix(work: &Path) {
    write(&work.join("base/src/lib.rs"), FIXED_LIB_RS);
    git(
        work,
        &[
            "commit",
            "-qam",
            "hotfix: bound record_len by the input length",
        ],
    );
}

/// Steps 1–11 of the workspace's hotfix, declining step 12's publish (exit 3): the record waits
/// at step 12.
fn workspace_up_to_step_12(fx: &Fixture, env: &[(String, String)]) -> Outcome {
    let work = fx.work.clone();
    let answers = vec![
        say("yes"),
        do_then_say(move || commit_workspace_fix(&work), "done"),
        say("y"),
        say("no"),
    ];
    let out = with_env(fx.caro(&args(&["--package", "mybase"])), env)
        .answers(answers)
        .run();
    assert_eq!(out.code, 3, "{}", out.explain());
    out
}

fn uploads(index: &IndexServer) -> Vec<(String, String, u16)> {
    index
        .uploads()
        .into_iter()
        .map(|u| (u.name, u.vers, u.status))
        .collect()
}

fn up(name: &str, vers: &str, status: u16) -> (String, String, u16) {
    (name.into(), vers.into(), status)
}

/// Every file under `dir`, with its bytes.
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() && !path.is_symlink() {
                todo.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                out.push((path, bytes));
            }
        }
    }
    out
}

/// The token scan: every file in the fixture's directory (the work tree, `.git/caro-hotfix/` and
/// everything else the runs wrote) and every text shown. Returns how many files were read.
fn assert_no_token(fx: &Fixture, texts: &[&str]) -> usize {
    let files = files_under(fx.dir.path());
    let leaks: Vec<String> = files
        .iter()
        .filter(|(_, bytes)| bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()))
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert_eq!(leaks, Vec::<String>::new(), "the token is in these files");
    for text in texts {
        assert!(!text.contains(TOKEN), "the token was shown:\n{text}");
    }
    files.len()
}

#[test]
fn one_crate_is_published_by_cargo_from_a_clean_worktree_of_the_tag_then_checked() {
    let fx = single();
    let home = tempfile::tempdir().expect("cargo home");
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    index.require_token(TOKEN);
    index.publish_delay(Duration::from_millis(300));
    let env = registry_env(&index, home.path());
    // yes, done, the audit skipped, yes to publish, yes to the advisory.
    let answers = vec![
        say("yes"),
        fx.commit_fix_then("done"),
        say("y"),
        say("yes"),
        say("yes"),
    ];
    let out = with_env(fx.caro(&args(&[])), &env).answers(answers).run();
    assert_eq!(out.code, 0, "{}", out.explain());
    let t = &out.transcript;
    assert!(
        t.contains("Publishing: caro-hotfix publishes at step 12 (no workflow in origin/main publishes on a tag)"),
        "{t}"
    );
    assert!(
        t.contains("$ cargo publish --locked --registry test -p minicrate"),
        "{t}"
    );
    assert!(
        t.contains("A clean worktree of v1.0.11 to publish from: .git/caro-hotfix/publish/v1.0.11"),
        "{t}"
    );
    assert!(
        t.contains("The published minicrate 1.0.11 is the tagged source v1.0.11"),
        "{t}"
    );
    assert_eq!(uploads(&index), [up("minicrate", "1.0.11", 200)]);
    // What was uploaded is the package of the tag: the index's checksum is its sha256, and the
    // worktree is gone.
    assert!(!fx.work.join(".git/caro-hotfix/publish/v1.0.11").exists());
    assert!(!git(&fx.work, &["worktree", "list"]).contains("publish"));
    let files = assert_no_token(&fx, &[t, out.error.as_deref().unwrap_or("")]);
    assert!(files > 20, "{files}");
}

/// Steps 1–11 of the single crate's hotfix, declining step 12's publish (exit 3): the record
/// waits at step 12, and nothing was uploaded.
fn single_up_to_step_12(fx: &Fixture, env: &[(String, String)]) -> Outcome {
    let answers = vec![say("yes"), fx.commit_fix_then("done"), say("y"), say("no")];
    let out = with_env(fx.caro(&args(&[])), env).answers(answers).run();
    assert_eq!(out.code, 3, "{}", out.explain());
    assert!(
        out.error().contains(
            "Nothing was published. Run `caro-hotfix resume` to be asked again, or publish by hand"
        ),
        "{}",
        out.explain()
    );
    out
}

#[test]
fn a_version_published_by_hand_with_our_checksum_is_not_published_again() {
    let fx = single();
    let home = tempfile::tempdir().expect("cargo home");
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    let env = registry_env(&index, home.path());
    single_up_to_step_12(&fx, &env);
    // Published by hand from the tag meanwhile: the test registry packages it from the origin's
    // tag with the real `cargo package`.
    index.add_version("1.0.11");
    let out = with_env(fx.caro(&["resume"]), &env)
        .answers(vec![say("yes")])
        .run();
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript.contains(
            "minicrate 1.0.11 is already on the registry, with the checksum of the package of v1.0.11"
        ),
        "{}",
        out.explain()
    );
    assert!(
        !out.transcript.contains("$ cargo publish"),
        "{}",
        out.explain()
    );
    assert_eq!(uploads(&index), []);
}

#[test]
fn a_version_already_there_with_another_checksum_stops_and_says_what_to_check() {
    let fx = single();
    let home = tempfile::tempdir().expect("cargo home");
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    let env = registry_env(&index, home.path());
    single_up_to_step_12(&fx, &env);
    // Someone else's package under our version: a real .crate of another crate.
    let other = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/published/thiserror-impl-1.0.69.crate"),
    )
    .expect("vendored .crate");
    let theirs = index_server::sha256_hex(&other);
    index.add_version("1.0.11");
    index.set_archive("1.0.11", other);
    let out = with_env(fx.caro(&["resume"]), &env).answers(vec![]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    let error = out.error();
    assert!(
        error.contains(&format!(
            "minicrate 1.0.11 is already on the registry ({}), but with the checksum {theirs}",
            index.url().trim_end_matches('/')
        )) && error.contains("someone published another package under this version")
            && error.contains("Check who published it"),
        "{}",
        out.explain()
    );
    assert_eq!(uploads(&index), []);
}

#[test]
fn a_503_says_what_cargo_said_and_resume_publishes_it() {
    let fx = single();
    let home = tempfile::tempdir().expect("cargo home");
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    index.fail_uploads(&[503]);
    let env = registry_env(&index, home.path());
    let answers = vec![say("yes"), fx.commit_fix_then("done"), say("y"), say("yes")];
    let out = with_env(fx.caro(&args(&[])), &env).answers(answers).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    let error = out.error();
    assert!(
        error.contains("`cargo publish` failed:")
            && error.contains("(status 503 Service Unavailable)")
            && error.contains("Nothing of minicrate 1.0.11 reached the registry.")
            && error.contains("The network or the registry failed (trying again can work)")
            && error.contains("run `caro-hotfix resume` to continue at step 12"),
        "{}",
        out.explain()
    );
    assert_eq!(uploads(&index), [up("minicrate", "1.0.11", 503)]);

    let resumed = with_env(fx.caro(&["resume"]), &env)
        .answers(vec![say("yes"), say("yes")])
        .run();
    assert_eq!(resumed.code, 0, "{}", resumed.explain());
    assert_eq!(
        uploads(&index),
        [
            up("minicrate", "1.0.11", 503),
            up("minicrate", "1.0.11", 200)
        ]
    );
    assert!(
        resumed
            .transcript
            .contains("The published minicrate 1.0.11 is the tagged source v1.0.11"),
        "{}",
        resumed.explain()
    );
}

#[test]
fn a_refused_publish_is_not_retried_and_says_why() {
    let fx = single();
    let home = tempfile::tempdir().expect("cargo home");
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    index.fail_uploads(&[400]);
    let env = registry_env(&index, home.path());
    let answers = vec![say("yes"), fx.commit_fix_then("done"), say("y"), say("yes")];
    let out = with_env(fx.caro(&args(&[])), &env).answers(answers).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains(
            "The registry refused the publish (HTTP 400); trying again as it is cannot succeed, so it was not retried."
        ),
        "{}",
        out.explain()
    );
    assert_eq!(uploads(&index), [up("minicrate", "1.0.11", 400)]);
}

/// The two crates' step 12 through the pseudo-terminal, typing `yes`: mybase then myapp, each
/// upload only once the one before is in the index; the registry's log and the token scan.
#[test]
fn two_crates_released_together_are_published_in_order_through_the_terminal() {
    let home = tempfile::tempdir().expect("cargo home");
    let index = IndexServer::start("mybase");
    index.require_token(TOKEN);
    index.publish_delay(Duration::from_millis(1500));
    let env = registry_env(&index, home.path());
    let fx = workspace(&env);
    let first = workspace_up_to_step_12(&fx, &env);
    assert!(
        first
            .transcript
            .contains("Released together: myapp 1.0.0 → 1.0.1, tagged v1.0.1"),
        "{}",
        first.explain()
    );
    assert_eq!(uploads(&index), []);

    let mut cmd = fx.binary(&["resume"]);
    for (k, v) in &env {
        cmd.env(k, v);
    }
    let mut typist = Typist::start(&cmd, 240_000);
    typist.answer("Publish now with these commands? (type 'yes')", "yes");
    typist.answer("Publish the advisory now? (type 'yes')", "yes");
    let (code, screen) = typist.finish();
    screen.keep("publish_ourselves_two_crates");
    assert_eq!(code, 0, "{}", screen.text());
    let text = screen.text();
    assert!(
        text.contains("$ cargo publish --locked --registry test -p mybase -p myapp"),
        "{text}"
    );
    assert!(
        text.contains("The published mybase 1.0.1 is the tagged source v1.0.1"),
        "{text}"
    );
    assert_eq!(
        uploads(&index),
        [up("mybase", "1.0.1", 200), up("myapp", "1.0.1", 200)]
    );
    // The registry's log: myapp was uploaded only once mybase was in the index.
    let log = index.log();
    let at = |entry: &str| {
        log.iter()
            .position(|l| l.starts_with(entry))
            .unwrap_or_else(|| panic!("{entry:?} is not in the log: {log:#?}"))
    };
    assert!(at("PUT /api/v1/crates/new mybase 1.0.1") < at("index shows mybase 1.0.1"));
    assert!(at("index shows mybase 1.0.1") < at("PUT /api/v1/crates/new myapp 1.0.1"));
    eprintln!("registry log:\n{}", log.join("\n"));
    let files = assert_no_token(&fx, &[&first.transcript, &text]);
    eprintln!("token scan: {files} files and 2 transcripts, no token");
}

#[test]
fn a_kill_between_the_two_crates_publishes_only_the_missing_one_on_resume() {
    let home = tempfile::tempdir().expect("cargo home");
    let index = IndexServer::start("mybase");
    index.require_token(TOKEN);
    // cargo waits for mybase in the index before uploading myapp: long enough to be killed there.
    index.publish_delay(Duration::from_secs(4));
    let env = registry_env(&index, home.path());
    let fx = workspace(&env);
    workspace_up_to_step_12(&fx, &env);

    let mut cmd = fx.binary(&["resume"]);
    for (k, v) in &env {
        cmd.env(k, v);
    }
    let mut typist = Typist::start(&cmd, 240_000);
    typist.answer("Publish now with these commands? (type 'yes')", "yes");
    let started = std::time::Instant::now();
    while index.uploads().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no upload came"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The wizard and cargo under it (the pty's session), killed at once.
    let pid = typist.p.process.child_pid.as_raw();
    let killed = std::process::Command::new("kill")
        .args(["-KILL", "--", &format!("-{pid}")])
        .status()
        .expect("kill");
    assert!(killed.success());
    let _ = typist.p.process.wait();
    assert_eq!(uploads(&index), [up("mybase", "1.0.1", 200)]);

    // The worktree the kill left behind, changed meanwhile: it is made again from the tag, or
    // mybase's package would not be the one on the registry.
    let left = fx.work.join(".git/caro-hotfix/publish/v1.0.1");
    assert!(left.join("base/src/lib.rs").exists());
    write(&left.join("base/src/lib.rs"), "pub fn tampered() {}\n");
    index.publish_delay(Duration::from_millis(100));
    let resumed = with_env(fx.caro(&["resume"]), &env)
        .answers(vec![say("yes"), say("yes")])
        .run();
    assert_eq!(resumed.code, 0, "{}", resumed.explain());
    let t = &resumed.transcript;
    assert!(
        t.contains(
            "mybase 1.0.1 is already on the registry, with the checksum of the package of v1.0.1"
        ),
        "{t}"
    );
    assert!(
        t.contains("$ cargo publish --locked --registry test -p myapp"),
        "{t}"
    );
    assert_eq!(
        uploads(&index),
        [up("mybase", "1.0.1", 200), up("myapp", "1.0.1", 200)]
    );
}

#[test]
fn a_rehearsal_runs_cargo_publish_dry_run_for_real_and_uploads_nothing() {
    let fx = single();
    let home = tempfile::tempdir().expect("cargo home");
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    let env = registry_env(&index, home.path());
    let out = with_env(fx.caro(&args(&["--dry-run", "--non-interactive"])), &env)
        .unscripted()
        .run();
    assert_eq!(out.code, 0, "{}", out.explain());
    let t = &out.transcript;
    assert!(
        t.contains("$ cargo publish --locked --dry-run --registry test -p minicrate"),
        "{t}"
    );
    assert!(
        t.contains("Rehearsal: `cargo publish --dry-run --locked` of minicrate passed; nothing was uploaded"),
        "{t}"
    );
    assert_eq!(uploads(&index), []);
}

#[test]
fn publishing_ourselves_a_crate_that_accepts_only_trusted_publishing_stops_at_step_2() {
    let fx = Fixture::new();
    let manifest = read(&fx.work.join("Cargo.toml"));
    write(
        &fx.work.join("Cargo.toml"),
        &manifest.replace("publish = \"workflow\"", "publish = \"caro-hotfix\""),
    );
    git(
        &fx.work,
        &["commit", "-qam", "chore: caro-hotfix publishes"],
    );
    git(&fx.work, &["push", "-q", "origin", "main"]);
    let home = tempfile::tempdir().expect("cargo home");
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    index.trustpub_only(Some(true));
    let env = registry_env(&index, home.path());
    let out = with_env(fx.caro(&args(&[])), &env)
        .answers(vec![say("yes")])
        .run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains(
            "minicrate accepts only trusted publishing (the registry's `trustpub_only`), so the \
             `cargo publish` with a token that `publish = \"caro-hotfix\"` asks for would be \
             refused at step 12"
        ) && out.error().contains("Set `publish = \"workflow\"`"),
        "{}",
        out.explain()
    );
    assert!(!out.transcript.contains("[3/16]"), "{}", out.explain());
    assert!(!git_ok(
        &fx.work,
        &["rev-parse", "--verify", "refs/heads/hotfix/v1.0.11"]
    ));
}

#[test]
fn an_index_url_without_a_registry_name_cannot_be_published_to_and_says_how_to_name_it() {
    let fx = single();
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    let url = index.url();
    let mut a = vec!["--poll-interval", "0.05", "--registry-index", &url];
    a.extend_from_slice(&STEP4_FLAGS);
    a.extend(["--dry-run", "--non-interactive", DESCRIPTION]);
    let out = fx.caro(&a).unscripted().run();
    assert_eq!(out.code, 0, "{}", out.explain());
    let t = &out.transcript;
    assert!(
        t.contains("`cargo publish` uploads to a registry by name, not to an index URL alone"),
        "{t}"
    );
    assert!(
        t.contains(&format!(
            "Rehearsal: the real run would stop here. `cargo publish` uploads to a registry by \
             name: with only an index URL (sparse+{url})"
        )),
        "{t}"
    );
    assert!(!t.contains("$ cargo publish"), "{t}");
}

//! Test support shared by the integration tests: a fixture crate in a real git repository with a bare
//! "origin" on disk and release tags, stand-in programs put first on `PATH`, a scripted prompter that
//! can act between questions (commit a fix while the wizard waits for `done`), one builder that runs
//! the wizard in-process (`fx.caro(&args).answers(..).run()`, see [`Run`]), and helpers that read
//! the resulting repository. [`snapshot`] holds what the snapshots of whole texts need.
//!
//! Tests spawn git directly here to build and inspect fixtures; the product itself only ever does so
//! through its runner.

#![allow(dead_code)]

pub mod emulator;
pub mod index_server;
pub mod packaging;
pub mod screen;
pub mod shapes;
pub mod snapshot;

use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use caro_hotfix::prompt::Backend;
use caro_hotfix::ui::Ui;

/// A registry index nobody serves (connections are refused at once): tests never reach crates.io.
pub const NO_REGISTRY: &str = "http://127.0.0.1:9/";

/// The pauses between attempts of a failed call, scaled (`CARO_HOTFIX_BACKOFF_SCALE`): GitHub's
/// 502s are retried after 5, 20 and 50 ms instead of 0.5, 2 and 5 s, with the same messages and
/// attempts. A test of the waits themselves sets `1`.
pub const BACKOFF_SCALE: &str = "0.01";

/// The wall clock of every run (`CARO_HOTFIX_NOW`): the dates and timestamps the wizard writes are
/// the same at every run, so texts are compared whole. Not today, so a date that ignored it shows.
pub const NOW: &str = "2026-11-13T09:30:00+01:00";

/// The date of [`NOW`], as CHANGELOG.md and SECURITY.md show it.
pub const TODAY: &str = "2026-11-13";

/// The fixture crate's name.
pub const CRATE: &str = "minicrate";

/// The description most tests start the hotfix with.
pub const DESCRIPTION: &str = "RUSTSEC-2026-0042 out-of-bounds read in record_len";

/// The four answers of step 4 given as flags, so a test is not asked them.
pub const STEP4_FLAGS: [&str; 8] = [
    "--severity",
    "critical",
    "--impact",
    "Remote attackers can read past the buffer",
    "--advisory",
    "RUSTSEC-2026-0042",
    "--credit",
    "Grace Reporter",
];

/// Runs git in `dir` and returns its trimmed stdout; panics with stderr on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim_end().to_string()
}

/// Like [`git`] but returns whether it succeeded.
pub fn git_ok(dir: &Path, args: &[&str]) -> bool {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

pub fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create dir");
    }
    std::fs::write(path, text).expect("write file");
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// A crate's manifest, with a comment and odd formatting that edits must keep.
pub fn manifest(version: &str) -> String {
    let gates = if REAL_GATES.with(|g| g.get()) {
        ""
    } else {
        QUICK_GATES
    };
    format!(
        "# The sample crate of caro-hotfix's tests.\n\
         [package]\n\
         name = \"{CRATE}\"\n\
         version = \"{version}\"   # bumped at every release\n\
         edition = \"2021\"\n\
         description = \"A tiny crate\"\n\
         license = \"MIT\"\n\
         \n\
         [dependencies]\n\
         \n\
         # The reference's strategy (main has unreleased work in the fixture; the maintenance\n\
         # strategy has its own tests). The tests' registry plays the publishing workflow; step 12\n\
         # publishing with `cargo publish` has its own tests (publish_ourselves.rs).\n\
         [package.metadata.hotfix]\n\
         strategy = \"main\"\n\
         publish = \"workflow\"\n\
         {gates}"
    )
}

/// The settings of a fixture whose crate's own gates are not what the test is about: step 7 runs
/// `cargo --version` instead of compiling and testing the crate twice, and step 11 runs no pre-tag
/// `cargo package` (issue 30: the two were a third of the time the wizard's programs took in the
/// suite). Every other step runs as in a real hotfix.
pub const QUICK_GATES: &str = "\
test-commands = [[\"cargo\", \"--version\"]]   # quick: this test is not about step 7\n\
pre-tag-commands = []   # nor about step 11's pre-tag check\n";

thread_local! {
    static REAL_GATES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// For a test about steps 7 or 11 (the crate's tests and their counts, the pre-tag check): the
/// fixtures this test's thread makes from now on keep caro-hotfix's default gates — the real `cargo
/// test --lib`, `cargo test --test '*'` and `cargo package --locked` — instead of [`QUICK_GATES`].
pub fn real_gates() {
    REAL_GATES.with(|g| g.set(true));
}

pub fn lockfile(version: &str) -> String {
    format!(
        "# This file is automatically @generated by Cargo.\n\
         # It is not intended for manual editing.\n\
         version = 4\n\
         \n\
         [[package]]\n\
         name = \"{CRATE}\"\n\
         version = \"{version}\"\n"
    )
}

pub const LIB_RS: &str = "\
/// Length of a length-prefixed record.
pub fn record_len(input: &[u8]) -> usize {
    input.first().map(|n| *n as usize).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_prefix() {
        assert_eq!(super::record_len(&[3, 1, 2, 3]), 3);
    }
}
";

/// src/lib.rs as the 0.8 line released it ([`Fixture::three_lines_conflicting_on_0_8`]): the same
/// documentation and tests as [`LIB_RS`], another body of `record_len`, so [`FIXED_LIB_RS`]'s change
/// to that body cannot apply there.
pub const LIB_RS_0_8: &str = "\
/// Length of a length-prefixed record.
pub fn record_len(input: &[u8]) -> usize {
    match input.first() {
        Some(n) => usize::from(*n),
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_prefix() {
        assert_eq!(super::record_len(&[3, 1, 2, 3]), 3);
    }
}
";

/// The fix a maintainer would commit at step 5.
pub const FIXED_LIB_RS: &str = "\
/// Length of a length-prefixed record, never more than the input holds.
pub fn record_len(input: &[u8]) -> usize {
    let claimed = input.first().map(|n| *n as usize).unwrap_or(0);
    claimed.min(input.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_prefix() {
        assert_eq!(super::record_len(&[3, 1, 2, 3]), 3);
    }

    #[test]
    fn never_claims_more_than_there_is() {
        assert_eq!(super::record_len(&[200, 1]), 1);
    }
}
";

pub const IT_RS: &str = "\
#[test]
fn public_api_works() {
    assert_eq!(minicrate::record_len(&[1, 9]), 1);
}
";

pub const CHANGELOG: &str = "\
# Changelog

All notable changes to this project will be documented in this file.

## [Unreleased]

### Added
- Work that is not released yet.

## [1.0.10] - 2026-10-01

### Fixed
- A small bug.

## [1.0.0] - 2026-01-01

- First stable release.

[Unreleased]: https://github.com/example/minicrate/compare/v1.0.10...HEAD
[1.0.10]: https://github.com/example/minicrate/compare/v1.0.0...v1.0.10
[1.0.0]: https://github.com/example/minicrate/releases/tag/v1.0.0
";

/// A temp directory with `origin.git` (bare) and `work` (a clone with the fixture crate).
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub work: PathBuf,
    pub origin: PathBuf,
    pub bin: PathBuf,
}

impl Fixture {
    /// The standard history: releases v0.9.9, v1.0.0 and v1.0.10 on main, then unreleased work with a
    /// pre-release tag v1.1.0-beta.1 and a non-semver tag `release-2`; everything pushed to origin.
    pub fn new() -> Fixture {
        let fx = Fixture::empty();
        let w = &fx.work;
        fx.commit_version("0.9.9", "release 0.9.9");
        git(w, &["tag", "-a", "v0.9.9", "-m", "v0.9.9"]);
        fx.commit_version("1.0.0", "release 1.0.0");
        git(w, &["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
        git(w, &["tag", "release-2"]);
        write(&w.join("CHANGELOG.md"), CHANGELOG);
        fx.commit_version("1.0.10", "release 1.0.10");
        git(w, &["tag", "-a", "v1.0.10", "-m", "v1.0.10"]);
        write(&w.join("NOTES.md"), "unreleased work\n");
        git(w, &["add", "NOTES.md"]);
        git(w, &["commit", "-q", "-m", "feat: unreleased work"]);
        git(w, &["tag", "-a", "v1.1.0-beta.1", "-m", "beta"]);
        fx.push_all();
        fx
    }

    /// Three release lines for a hotfix of every supported line (`--line`): releases v0.8.3, v0.9.9,
    /// v1.0.0 and v1.0.10 on main (annotated tags, as in [`Fixture::new`]), then unreleased work;
    /// everything pushed. src/lib.rs is [`LIB_RS`] at every release, so the fix made on the newest
    /// line (`commit_fix_in`) cherry-picks cleanly onto each older one.
    pub fn three_lines() -> Fixture {
        Fixture::three_lines_with(LIB_RS)
    }

    /// [`Fixture::three_lines`], except that v0.8.3 ships [`LIB_RS_0_8`]: its `record_len` has another
    /// body, so the fix (which rewrites that body) conflicts in src/lib.rs when it is cherry-picked
    /// onto the 0.8 line, and only there (0.9.9 and later have [`LIB_RS`] again).
    pub fn three_lines_conflicting_on_0_8() -> Fixture {
        Fixture::three_lines_with(LIB_RS_0_8)
    }

    fn three_lines_with(lib_0_8: &str) -> Fixture {
        let fx = Fixture::empty();
        let w = &fx.work;
        write(&w.join("src/lib.rs"), lib_0_8);
        fx.commit_version("0.8.3", "release 0.8.3");
        git(w, &["tag", "-a", "v0.8.3", "-m", "v0.8.3"]);
        write(&w.join("src/lib.rs"), LIB_RS);
        fx.commit_version("0.9.9", "release 0.9.9");
        git(w, &["tag", "-a", "v0.9.9", "-m", "v0.9.9"]);
        fx.commit_version("1.0.0", "release 1.0.0");
        git(w, &["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
        write(&w.join("CHANGELOG.md"), CHANGELOG);
        fx.commit_version("1.0.10", "release 1.0.10");
        git(w, &["tag", "-a", "v1.0.10", "-m", "v1.0.10"]);
        write(&w.join("NOTES.md"), "unreleased work\n");
        git(w, &["add", "NOTES.md"]);
        git(w, &["commit", "-q", "-m", "feat: unreleased work"]);
        fx.push_all();
        fx
    }

    /// An origin and a work repository with a first commit of the crate at 0.1.0, no tags.
    pub fn empty() -> Fixture {
        let dir = tempfile::Builder::new()
            .prefix("caro-hotfix-test-")
            .tempdir()
            .expect("tempdir");
        let origin = dir.path().join("origin.git");
        let work = dir.path().join("work");
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).expect("bin dir");
        git(
            dir.path(),
            &["init", "-q", "--bare", "-b", "main", "origin.git"],
        );
        git(dir.path(), &["init", "-q", "-b", "main", "work"]);
        for (k, v) in [
            ("user.name", "Ada Maintainer"),
            ("user.email", "ada@example.com"),
            ("commit.gpgsign", "false"),
            ("tag.gpgsign", "false"),
        ] {
            git(&work, &["config", k, v]);
        }
        git(&work, &["remote", "add", "origin", "../origin.git"]);
        write(&work.join(".gitignore"), "/target\n");
        write(&work.join("src/lib.rs"), LIB_RS);
        write(&work.join("tests/it.rs"), IT_RS);
        let fx = Fixture {
            dir,
            work,
            origin,
            bin,
        };
        fx.commit_version("0.1.0", "initial");
        git(&fx.work, &["push", "-q", "-u", "origin", "main"]);
        fx.stand_in_gh();
        fx
    }

    /// Writes Cargo.toml and Cargo.lock for `version` and commits everything.
    pub fn commit_version(&self, version: &str, message: &str) {
        write(&self.work.join("Cargo.toml"), &manifest(version));
        write(&self.work.join("Cargo.lock"), &lockfile(version));
        git(&self.work, &["add", "-A"]);
        git(&self.work, &["commit", "-q", "-m", message]);
    }

    pub fn push_all(&self) {
        git(&self.work, &["push", "-q", "origin", "main", "--tags"]);
    }

    /// Installs the gh stand-in (`tests/testsuite/support/gh_stand_in.py`, a faithful model of gh 2.23 over the
    /// bare origin) as `bin/gh`, and writes its repository configuration to `gh-state/config.json`.
    pub fn stand_in_gh(&self) {
        self.stand_in("gh", &python_launcher("gh_stand_in", "main"));
        let origin = self
            .origin
            .canonicalize()
            .unwrap_or_else(|_| self.origin.clone());
        let config = serde_json::json!({
            "origin": origin.display().to_string(),
            "owner": "example",
            "repo": CRATE,
            "default_branch": "main",
            "labels": ["security", "bug"],
        });
        write(
            &self.gh_state().join("config.json"),
            &serde_json::to_string_pretty(&config).expect("config json"),
        );
    }

    /// The gh stand-in's state directory (`<fixture>/gh-state`).
    pub fn gh_state(&self) -> PathBuf {
        self.dir.path().join("gh-state")
    }

    /// Sets the gh stand-in's knobs (`gh-state/knobs.json`; see the stand-in's docstring).
    pub fn set_gh_knobs(&self, json: &serde_json::Value) {
        write(
            &self.gh_state().join("knobs.json"),
            &serde_json::to_string_pretty(json).expect("knobs json"),
        );
    }

    /// The arguments (after `gh`) of every call the stand-in received, rejected ones included.
    pub fn gh_calls(&self) -> Vec<Vec<String>> {
        let Ok(text) = std::fs::read_to_string(self.gh_state().join("calls.jsonl")) else {
            return Vec::new();
        };
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("calls.jsonl line");
                v["argv"]
                    .as_array()
                    .expect("argv array")
                    .iter()
                    .map(|a| a.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .collect()
    }

    /// The stand-in's pull requests (`gh-state/prs.json`), `[]` before the first one.
    pub fn gh_prs(&self) -> serde_json::Value {
        match std::fs::read_to_string(self.gh_state().join("prs.json")) {
            Ok(text) => serde_json::from_str(&text).expect("prs.json"),
            Err(_) => serde_json::json!([]),
        }
    }

    /// Puts an executable script named `name` first on the wizard's `PATH`.
    pub fn stand_in(&self, name: &str, script: &str) {
        let path = self.bin.join(name);
        write(&path, script);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
    }

    /// Removes a stand-in (e.g. to simulate gh missing).
    pub fn remove_stand_in(&self, name: &str) {
        let _ = std::fs::remove_file(self.bin.join(name));
    }

    /// A `cargo-audit` stand-in that prints a recorded real output and exits as the real one did.
    pub fn fake_audit(&self, recording: &str, code: i32) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cargo-audit-0.22.2");
        let stdout = dir.join(format!("{recording}.stdout.json"));
        let stderr = dir.join(format!("{recording}.stderr.txt"));
        let stderr_cmd = if stderr.exists() {
            format!("cat '{}' >&2\n", stderr.display())
        } else {
            String::new()
        };
        self.stand_in(
            "cargo-audit",
            &format!(
                "#!/bin/sh\ncat '{}'\n{stderr_cmd}exit {code}\n",
                stdout.display()
            ),
        );
    }

    /// The `PATH` the wizard sees: the stand-ins first, then only the directories of the real
    /// git, cargo and curl — so programs the test did not provide (a real gh, cargo-audit) are absent.
    pub fn path(&self) -> OsString {
        let mut dirs = vec![self.bin.clone()];
        for tool in ["git", "cargo", "curl", "rustc", "cat"] {
            if let Ok(p) = which(tool) {
                if let Some(d) = p.parent() {
                    if !dirs.iter().any(|x| x == d) {
                        dirs.push(d.to_path_buf());
                    }
                }
            }
        }
        std::env::join_paths(dirs).expect("join PATH")
    }

    /// Commits a change to src/lib.rs on the current branch (the maintainer's fix).
    pub fn commit_fix(&self) {
        commit_fix_in(&self.work);
    }

    /// The answer of a maintainer at step 5: commit the fix while the wizard waits, then type `word`.
    pub fn commit_fix_then(&self, word: &str) -> Answer {
        let work = self.work.clone();
        do_then_say(move || commit_fix_in(&work), word)
    }

    /// The real binary, to run in this fixture's work tree as a maintainer would: the fixture's
    /// `PATH` (stand-ins first), no user or system git configuration, cargo offline, no colours, no
    /// registry reachable.
    pub fn binary(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_caro-hotfix"));
        cmd.args(args)
            .current_dir(&self.work)
            .env("PATH", self.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("CARGO_NET_OFFLINE", "true")
            .env("NO_COLOR", "1")
            .env("CARO_HOTFIX_REGISTRY_INDEX", NO_REGISTRY)
            .env("CARO_HOTFIX_NOW", NOW)
            .env("CARO_HOTFIX_BACKOFF_SCALE", BACKOFF_SCALE)
            .env("TERM", "xterm");
        cmd
    }

    /// Waits (at most 10 s) until no save of the record is on its way, so that the record names the
    /// step that is running: the wizard marks each save in the journal (`# save N`) before the
    /// record's fsync and rename, which run beside the steps' read-only commands.
    pub fn settle_record(&self) {
        caro_hotfix::record::store::settle(
            &self.work.join(".git/caro-hotfix/state.toml"),
            std::time::Duration::from_secs(10),
        );
    }

    /// A run of the wizard in-process, in this fixture's work tree, with `args` (after the program
    /// name): `fx.caro(&args).answers(vec![say("yes")]).run()`. See [`Run`] for what can be changed.
    pub fn caro<S: AsRef<str>>(&self, args: &[S]) -> Run<'_> {
        Run {
            fx: self,
            args: args.iter().map(|a| a.as_ref().to_string()).collect(),
            answers: Some(Vec::new()),
            path: None,
            env: Vec::new(),
            dir: None,
        }
    }

    /// Everything about the work repository and the origin that a run could change.
    pub fn snapshot(&self) -> Snapshot {
        let files = |dir: &Path| -> Vec<(String, Vec<u8>)> {
            let mut out = Vec::new();
            collect_files(dir, dir, &mut out);
            out.sort();
            out
        };
        Snapshot {
            work_refs: git(
                &self.work,
                &["for-each-ref", "--format=%(refname) %(objectname)"],
            ),
            head: read(&self.work.join(".git/HEAD")),
            stash: git(&self.work, &["stash", "list"]),
            index: std::fs::read(self.work.join(".git/index")).unwrap_or_default(),
            config: read(&self.work.join(".git/config")),
            work_files: files(&self.work)
                .into_iter()
                .filter(|(p, _)| !p.starts_with(".git/") && !p.starts_with("target/"))
                .collect(),
            git_dir_entries: files(&self.work.join(".git"))
                .into_iter()
                .map(|(p, _)| p)
                .filter(|p| !p.starts_with("objects/"))
                .collect(),
            origin: files(&self.origin),
        }
    }
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(root, &path, out);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            out.push((rel, std::fs::read(&path).unwrap_or_default()));
        }
    }
}

/// What [`Fixture::snapshot`] records; compared whole with `assert!(a == b)`.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub work_refs: String,
    pub head: String,
    pub stash: String,
    pub index: Vec<u8>,
    pub config: String,
    pub work_files: Vec<(String, Vec<u8>)>,
    pub git_dir_entries: Vec<String>,
    pub origin: Vec<(String, Vec<u8>)>,
}

/// A program that runs `module.function()` of `tests/testsuite/support/` and exits with what it
/// returns: the absolute interpreter with `-S` (no `site`: this machine's pyenv loads certifi there,
/// 30 ms a start), and the module imported rather than run as a script, so that its bytecode is
/// compiled once per test binary, not at every call (also where `PYTHONDONTWRITEBYTECODE` is set,
/// as on this machine). The module is copied into
/// `CARGO_TARGET_TMPDIR/python/` once per test binary (its `__pycache__` goes there, never into the
/// source tree). A stand-in without its own state directory in the environment uses
/// `<its directory>/../gh-state`, as the script always did.
pub fn python_launcher(module: &str, function: &str) -> String {
    static COPIED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("python");
    {
        let mut copied = COPIED.lock().unwrap_or_else(|e| e.into_inner());
        if !copied.iter().any(|m| m == module) {
            let source = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/testsuite/support")
                .join(format!("{module}.py"));
            std::fs::create_dir_all(&dir).expect("python dir");
            let tmp = dir.join(format!("{module}.py.tmp"));
            std::fs::copy(&source, &tmp).expect("copy the python module");
            std::fs::rename(&tmp, dir.join(format!("{module}.py"))).expect("rename");
            copied.push(module.to_string());
        }
    }
    format!(
        "#!{python} -S\n\
         import os, sys\n\
         os.environ.setdefault(\"GH_STANDIN_STATE\", os.path.normpath(os.path.join(\n    \
         os.path.dirname(os.path.abspath(__file__)), \"..\", \"gh-state\")))\n\
         sys.dont_write_bytecode = False\n\
         sys.path.insert(0, {dir:?})\n\
         import {module}\n\
         sys.exit({module}.{function}())\n",
        python = python3().display(),
        dir = dir.display().to_string(),
    )
}

/// The absolute path of the python3 interpreter (`sys.executable`, so a pyenv shim is resolved),
/// which runs the gh stand-in whatever `PATH` the wizard gives it.
pub fn python3() -> PathBuf {
    static PYTHON: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let out = Command::new("python3")
                .args(["-c", "import sys; print(sys.executable)"])
                .output()
                .expect("python3 runs (the gh stand-in needs it)");
            assert!(out.status.success(), "python3 failed: {out:?}");
            PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
        })
        .clone()
}

fn which(tool: &str) -> Result<PathBuf, ()> {
    let path = std::env::var_os("PATH").ok_or(())?;
    std::env::split_paths(&path)
        .map(|d| d.join(tool))
        .find(|p| p.is_file())
        .ok_or(())
}

/// How a run ended.
#[derive(Debug)]
pub struct Outcome {
    pub code: u8,
    pub error: Option<String>,
    pub transcript: String,
}

impl Outcome {
    /// The error message, or "" when the run succeeded.
    pub fn error(&self) -> &str {
        self.error.as_deref().unwrap_or("")
    }

    /// Panics with the transcript, to make a failing test readable.
    pub fn explain(&self) -> String {
        format!(
            "exit {}\nerror: {}\n--- transcript ---\n{}",
            self.code,
            self.error(),
            self.transcript
        )
    }
}

/// One run of the wizard in-process, built by [`Fixture::caro`], ended by [`Run::run`].
///
/// By default: `-C <work tree>`, a scripted prompter with no answers (a question is an error, not a
/// hang), the fixture's `PATH` (stand-ins first), no registry reachable (unless the arguments name
/// one), cargo offline, no user or system git configuration, no colours, the clock at [`NOW`].
#[must_use = "a Run does nothing until .run()"]
pub struct Run<'a> {
    fx: &'a Fixture,
    args: Vec<String>,
    /// `None`: the wizard chooses its own prompter.
    answers: Option<Vec<Answer>>,
    path: Option<OsString>,
    env: Vec<(String, String)>,
    dir: Option<PathBuf>,
}

impl Run<'_> {
    /// The answers typed, in order (see [`Script`]).
    pub fn answers(mut self, answers: Vec<Answer>) -> Self {
        self.answers = Some(answers);
        self
    }

    /// No scripted prompter: the wizard picks its own, as the real binary does (the defaults in a
    /// fire drill, none without a terminal).
    pub fn unscripted(mut self) -> Self {
        self.answers = None;
        self
    }

    /// The `PATH` the wizard sees, instead of [`Fixture::path`].
    pub fn path(mut self, path: impl Into<OsString>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// One more variable in the environment of the programs the wizard runs (e.g. a registry token).
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// `-C dir`: the wizard runs in `dir` instead of the fixture's work tree.
    pub fn at(mut self, dir: &Path) -> Self {
        self.dir = Some(dir.to_path_buf());
        self
    }

    /// Runs the wizard through `caro_hotfix::run`, as `main` would with these arguments.
    pub fn run(self) -> Outcome {
        let fx = self.fx;
        let dir = self.dir.as_deref().unwrap_or(&fx.work);
        let mut argv: Vec<String> = vec!["caro-hotfix".into()];
        // Never the network: unless a test serves an index, the registry is a closed local port —
        // given as the environment, which a hotfix's recorded index outranks on `resume`.
        let no_registry = !self
            .args
            .iter()
            .any(|a| a == "--registry-index" || a == "--registry");
        argv.extend(["-C".to_string(), dir.display().to_string()]);
        argv.extend(self.args);
        let cli = <caro_hotfix::cli::Cli as clap::Parser>::try_parse_from(&argv)
            .unwrap_or_else(|e| panic!("arguments {argv:?} rejected: {e}"));
        let (ui, transcript) = Ui::capture();
        let io = caro_hotfix::Io {
            ui: ui.clone(),
            backend: self
                .answers
                .map(|a| Box::new(Script::new(ui, a)) as Box<dyn Backend>),
            path: Some(self.path.unwrap_or_else(|| fx.path())),
            env: [
                ("CARGO_NET_OFFLINE", "true"),
                ("GIT_CONFIG_GLOBAL", "/dev/null"),
                ("GIT_CONFIG_NOSYSTEM", "1"),
                ("CARGO_TERM_COLOR", "never"),
                ("CARO_HOTFIX_NOW", NOW),
                ("CARO_HOTFIX_BACKOFF_SCALE", BACKOFF_SCALE),
            ]
            .into_iter()
            .chain(no_registry.then_some(("CARO_HOTFIX_REGISTRY_INDEX", NO_REGISTRY)))
            .map(|(k, v)| (k.into(), v.into()))
            .chain(self.env.into_iter().map(|(k, v)| (k.into(), v.into())))
            .collect(),
            cwd: fx.dir.path().to_path_buf(),
        };
        let result = caro_hotfix::run(cli, io);
        let code = match &result {
            Ok(()) => 0,
            Err(e) => caro_hotfix::error::exit_code(e),
        };
        let error = result.err().map(|e| caro_hotfix::error::render(&e));
        Outcome {
            code,
            error,
            transcript: transcript.text(),
        }
    }
}

/// One scripted answer.
pub enum Answer {
    /// Typed text (also `y`/`n` for y/n questions, or an item of a selection).
    Say(String),
    /// Do something (e.g. commit the fix), then type the text.
    DoThenSay(Box<dyn FnOnce()>, String),
}

pub fn say(text: &str) -> Answer {
    Answer::Say(text.to_string())
}

pub fn do_then_say(action: impl FnOnce() + 'static, text: &str) -> Answer {
    Answer::DoThenSay(Box::new(action), text.to_string())
}

/// The test prompter: answers in order, echoed to the transcript; running out is an error, not a hang.
pub struct Script {
    ui: Ui,
    answers: VecDeque<Answer>,
}

impl Script {
    pub fn new(ui: Ui, answers: Vec<Answer>) -> Self {
        Script {
            ui,
            answers: answers.into(),
        }
    }

    fn next(&mut self, prompt: &str) -> anyhow::Result<String> {
        let text = match self.answers.pop_front() {
            Some(Answer::Say(t)) => t,
            Some(Answer::DoThenSay(action, t)) => {
                action();
                t
            }
            None => anyhow::bail!("the test script has no answer left for: {prompt}"),
        };
        self.ui.line(format!("? {prompt} › {text}"));
        Ok(text)
    }
}

impl Backend for Script {
    fn text(&mut self, prompt: &str, default: Option<&str>) -> anyhow::Result<String> {
        let a = self.next(prompt)?;
        Ok(match default {
            Some(d) if a.is_empty() => d.to_string(),
            _ => a,
        })
    }

    fn yes_no(&mut self, prompt: &str) -> anyhow::Result<bool> {
        match self.next(prompt)?.as_str() {
            "y" => Ok(true),
            "n" => Ok(false),
            other => anyhow::bail!("test script answered `{other}` to a y/n question"),
        }
    }

    fn select(&mut self, prompt: &str, items: &[&str], default: usize) -> anyhow::Result<usize> {
        let a = self.next(prompt)?;
        if a.is_empty() {
            return Ok(default);
        }
        items
            .iter()
            .position(|i| *i == a)
            .ok_or_else(|| anyhow::anyhow!("test script answered `{a}`, not one of {items:?}"))
    }
}

/// A call the gh stand-in's `delay` knob held back: its arguments and the pid of the sleeping gh.
#[derive(Debug, Clone)]
pub struct DelayedCall {
    pub argv: Vec<String>,
    pub pid: u32,
}

impl Fixture {
    /// The calls the gh stand-in's `delay` knob is holding or held (`gh-state/delays.jsonl`).
    pub fn gh_delays(&self) -> Vec<DelayedCall> {
        let Ok(text) = std::fs::read_to_string(self.gh_state().join("delays.jsonl")) else {
            return Vec::new();
        };
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|v| DelayedCall {
                argv: v["argv"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|x| x.as_str().unwrap_or_default().to_string())
                            .collect()
                    })
                    .unwrap_or_default(),
                pid: v["pid"].as_u64().unwrap_or_default() as u32,
            })
            .collect()
    }

    /// Waits (up to `timeout`) until a gh call whose arguments joined with spaces contain `needle` is
    /// being held by the `delay` knob, and returns it.
    pub fn wait_for_delayed_gh(
        &self,
        needle: &str,
        timeout: std::time::Duration,
    ) -> Option<DelayedCall> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if let Some(c) = self
                .gh_delays()
                .into_iter()
                .find(|c| c.argv.join(" ").contains(needle))
            {
                return Some(c);
            }
            if std::time::Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

impl Fixture {
    /// The origin refuses every push (as branch protection would): a run stops at step 9 with steps
    /// 1–8 done and nothing sent.
    pub fn refuse_pushes(&self) {
        let hook = self.origin.join("hooks/pre-receive");
        write(
            &hook,
            "#!/bin/sh\necho 'pushes are disabled for this test' >&2\nexit 1\n",
        );
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755))
            .expect("chmod hook");
    }
}

/// Writes the fix into `work`'s src/lib.rs and commits it.
pub fn commit_fix_in(work: &Path) {
    write(&work.join("src/lib.rs"), FIXED_LIB_RS);
    git(work, &["add", "src/lib.rs"]);
    git(
        work,
        &[
            "commit",
            "-q",
            "-m",
            "hotfix: bound record_len by the input length",
        ],
    );
}

//! The work caro-hotfix does itself, on generated fixtures: `cargo bench --bench hot_paths`.
//!
//! - `tags`: choosing the base release among 10, 1 000 and 10 000 tags (releases, pre-releases, other
//!   crates' tags, junk), in memory and the way the tool does it (`git tag --list` through the runner,
//!   then semver), next to `git tag --sort=-v:refname` and `git describe --tags --abbrev=0` on the same
//!   repository, in the same run.
//! - `bump`: the version bump over a workspace of 1, 50 and 300 member crates with path dependencies
//!   (every member requires the bumped crate), in memory and with the files read and written
//!   atomically as step 6 does.
//! - `changelog` and `security_md`: inserting the hotfix's section into a 10 KB, 1 MB and 10 MB file.
//! - `record`: one save of the hotfix's record (TOML with a 100-command journal, written atomically),
//!   which the driver does when each step starts and ends.
//! - `redact`: hiding tokens in a failed command's output before it is shown (10 KB, 100 KB, 1 MB).
//! - `rehearsal_seed`: reusing the maintainer's built dependencies for a rehearsal (100 and 1 000
//!   dependencies: libraries hard-linked, dep-info and fingerprints copied).
//!
//! The tag repositories are made once with `git fast-import` under `target/bench-fixtures/`
//! (or `$CARO_HOTFIX_BENCH_DIR`) and kept, so `benches/run.sh` can time git on them with hyperfine.
//! Nothing here asserts a duration.

// Tests start real programs and read the environment to build their fixtures.
#![allow(clippy::disallowed_methods)]

use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use caro_hotfix::logic::{changelog, manifest, security_md, version, Incident, Severity};
use caro_hotfix::ops::git::Git;
use caro_hotfix::runner::Runner;
use caro_hotfix::ui::Ui;
use semver::Version;

fn main() {
    divan::main();
}

/// A small deterministic generator (xorshift), so every run sees the same fixtures.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Where the fixtures on disk live.
fn fixtures_dir() -> PathBuf {
    std::env::var_os("CARO_HOTFIX_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-fixtures"))
}

fn incident() -> Incident {
    Incident {
        description: "RUSTSEC-2026-0042 out-of-bounds read in the frame parser".into(),
        severity: Some(Severity::Critical),
        impact: "A crafted frame makes parse() read past the end of its buffer".into(),
        advisory_ids: vec!["RUSTSEC-2026-0042".into(), "CVE-2026-12345".into()],
        credit: "Grace Reporter".into(),
        ..Incident::default()
    }
}

mod tags {
    use super::*;

    const SIZES: [usize; 3] = [10, 1_000, 10_000];

    /// `n` tag names, and whether each is annotated (releases are, as in most projects).
    ///
    /// About 55% releases (`vA.B.C`), 25% pre-releases (`-rc.N`, `-beta.N`, `-alpha.N`), 10% junk
    /// (`release-N`, `nightly-N`, `vN`, `N-final`), 5% another crate's tags (`othercrate-vA.B.C`) and
    /// 5% releases with build metadata. The last tag is a pre-release above every release, on the
    /// newest commit: what `git describe` answers and the tool must not pick.
    pub fn generate(n: usize) -> Vec<(String, bool)> {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut out = Vec::with_capacity(n);
        for i in 0..n.saturating_sub(1) {
            let (a, b, c) = (i / 1000, (i % 1000) / 40, i % 40);
            let r = rng.next() % 100;
            let tag = match r {
                0..=54 => (format!("v{a}.{b}.{c}"), true),
                55..=79 => {
                    let pre = ["rc.1", "rc.2", "beta.1", "alpha.2"][(r % 4) as usize];
                    (format!("v{a}.{b}.{c}-{pre}"), true)
                }
                80..=89 => {
                    let junk = match r % 4 {
                        0 => format!("release-{i}"),
                        1 => format!("nightly-{i:06}"),
                        2 => format!("v{i}"),
                        _ => format!("{i}-final"),
                    };
                    (junk, false)
                }
                90..=94 => (format!("othercrate-v{a}.{b}.{c}"), false),
                _ => (format!("v{a}.{b}.{c}+build.{i}"), true),
            };
            out.push(tag);
        }
        out.push(("v99.0.0-rc.1".to_string(), true));
        out
    }

    /// A repository with `n` tags over min(n, 1000) commits, refs packed as after a clone.
    pub fn repo(n: usize) -> PathBuf {
        let dir = fixtures_dir().join(format!("tags-{n}"));
        if dir.join(".complete").exists() {
            return dir;
        }
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the fixture directory");
        git(&dir, &["init", "-q", "-b", "main"]);
        let tags = generate(n);
        let commits = n.clamp(1, 1000);
        let mut stream = String::new();
        for k in 0..commits {
            let msg = format!("commit {k}\n");
            let content = format!("{k}\n");
            stream.push_str(&format!(
                "commit refs/heads/main\nmark :{}\ncommitter Bench <bench@example.com> {} +0000\ndata {}\n{msg}M 644 inline README\ndata {}\n{content}\n",
                k + 1,
                1_700_000_000 + k,
                msg.len(),
                content.len()
            ));
        }
        for (i, (name, annotated)) in tags.iter().enumerate() {
            let mark = i * commits / n + 1;
            if *annotated {
                let msg = format!("{name}\n");
                stream.push_str(&format!(
                    "tag {name}\nfrom :{mark}\ntagger Bench <bench@example.com> {} +0000\ndata {}\n{msg}\n",
                    1_700_000_000 + mark,
                    msg.len()
                ));
            } else {
                stream.push_str(&format!("reset refs/tags/{name}\nfrom :{mark}\n\n"));
            }
        }
        let mut child = git_command(&dir)
            .args(["fast-import", "--quiet"])
            .stdin(Stdio::piped())
            .spawn()
            .expect("git fast-import runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stream.as_bytes())
            .expect("feed git fast-import");
        assert!(child.wait().expect("git fast-import").success());
        git(&dir, &["pack-refs", "--all"]);
        std::fs::write(dir.join(".complete"), "").expect("mark the fixture complete");
        dir
    }

    fn names(n: usize) -> Vec<String> {
        generate(n).into_iter().map(|(name, _)| name).collect()
    }

    /// Semver over the tag names already in memory.
    #[divan::bench(args = SIZES)]
    fn select_in_memory(bencher: divan::Bencher, n: usize) {
        let tags = names(n);
        bencher.bench_local(|| version::latest_release(tags.iter().map(String::as_str), "v"));
    }

    /// What step 2 does: `git tag --list` through the runner, then semver.
    #[divan::bench(args = SIZES, sample_count = 40)]
    fn tool_selection(bencher: divan::Bencher, n: usize) {
        let dir = repo(n);
        let (ui, _transcript) = Ui::capture();
        let mut runner = Runner::new(ui, false);
        bencher.bench_local(|| {
            let tags = Git::new(&mut runner, &dir).tags().expect("git tag --list");
            let base = version::latest_release(tags.iter().map(String::as_str), "v");
            runner.take_journal();
            base
        });
    }

    #[divan::bench(args = SIZES, sample_count = 40)]
    fn git_tag_sort(bencher: divan::Bencher, n: usize) {
        let dir = repo(n);
        bencher.bench_local(|| {
            git_command(&dir)
                .args(["tag", "--sort=-v:refname"])
                .output()
                .expect("git tag --sort")
        });
    }

    #[divan::bench(args = SIZES, sample_count = 40)]
    fn git_describe(bencher: divan::Bencher, n: usize) {
        let dir = repo(n);
        bencher.bench_local(|| {
            git_command(&dir)
                .args(["describe", "--tags", "--abbrev=0"])
                .output()
                .expect("git describe")
        });
    }

    fn git_command(dir: &Path) -> Command {
        let mut cmd = Command::new("git");
        cmd.current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1");
        cmd
    }

    fn git(dir: &Path, args: &[&str]) {
        let out = git_command(dir).args(args).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

mod bump {
    use super::*;

    const SIZES: [usize; 3] = [1, 50, 300];
    const CORE: &str = "ws-core";

    /// `(relative path, text)` of every manifest of a workspace with `n` members; the first member,
    /// `ws-core`, is the crate being hotfixed. Every other member requires it through a path
    /// dependency with a version (the case that must be rewritten), half inherit the workspace's
    /// version, and each also depends on its predecessor. One member alone is a plain crate.
    pub fn workspace(n: usize) -> Vec<(String, String)> {
        let core = "# The crate that gets the hotfix.\n[package]\nname = \"ws-core\"\nversion = \"1.0.10\"   # bumped at every release\nedition = \"2021\"\nlicense = \"MIT\"\n\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n";
        if n == 1 {
            return vec![("Cargo.toml".into(), core.into())];
        }
        let mut out = vec![(
            "Cargo.toml".to_string(),
            "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n\n[workspace.package]\nversion = \"1.0.10\"\nedition = \"2021\"\n\n[workspace.dependencies]\nws-core = { path = \"crates/core\", version = \"=1.0.10\" }\nserde = \"1\"\n".to_string(),
        )];
        out.push(("crates/core/Cargo.toml".into(), core.into()));
        for i in 1..n {
            let version = if i % 2 == 0 {
                "version.workspace = true".to_string()
            } else {
                "version = \"1.0.10\"".to_string()
            };
            let mut text = format!(
                "[package]\nname = \"ws-m{i}\"\n{version}\nedition = \"2021\"\n\n[dependencies]\nws-core = {{ path = \"../core\", version = \"=1.0.10\" }}\nserde.workspace = true\n"
            );
            if i > 1 {
                text.push_str(&format!(
                    "ws-m{j} = {{ path = \"../m{j}\", version = \"1.0.10\" }}\n",
                    j = i - 1
                ));
            }
            text.push_str("\n[dev-dependencies]\nws-core = { path = \"../core\", version = \"^1.0.10\", features = [] }\n");
            if i % 10 == 0 {
                text.push_str("\n[target.'cfg(unix)'.dependencies]\nws-core = { path = \"../core\", version = \"1.0\" }\n");
            }
            out.push((format!("crates/m{i}/Cargo.toml"), text));
        }
        out
    }

    /// Step 6's edits: the crate's own version, then the requirements on it in every manifest.
    fn edit_all(manifests: &[(String, String)], new: &Version) -> usize {
        let mut changed = 0;
        for (path, text) in manifests {
            let mut text = text.clone();
            if path.ends_with("core/Cargo.toml") || manifests.len() == 1 {
                text = manifest::set_package_version(&text, new).expect("set the version");
                changed += 1;
            }
            let (_, did) = manifest::update_path_dependency_requirements(
                &text,
                CORE,
                new,
                manifest::Requirements::Minimal,
            )
            .expect("update the requirements");
            changed += usize::from(did);
        }
        changed
    }

    #[divan::bench(args = SIZES)]
    fn edits_in_memory(bencher: divan::Bencher, n: usize) {
        let manifests = workspace(n);
        let new = Version::new(1, 0, 11);
        bencher.bench_local(|| edit_all(&manifests, &new));
    }

    /// The same edits with each manifest read from disk and the changed ones written atomically
    /// (temp file, fsync, rename), as step 6 does.
    #[divan::bench(args = SIZES, sample_count = 20)]
    fn edits_with_files(bencher: divan::Bencher, n: usize) {
        let manifests = workspace(n);
        let dir = tempfile::tempdir().expect("tempdir");
        let paths: Vec<PathBuf> = manifests.iter().map(|(p, _)| dir.path().join(p)).collect();
        let new = Version::new(1, 0, 11);
        bencher
            .with_inputs(|| {
                for (path, (_, text)) in paths.iter().zip(&manifests) {
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent).expect("mkdir");
                    }
                    std::fs::write(path, text).expect("write the manifest");
                }
            })
            .bench_local_values(|()| {
                for path in &paths {
                    let text = std::fs::read_to_string(path).expect("read");
                    let mut new_text = text.clone();
                    if path.ends_with("core/Cargo.toml") || paths.len() == 1 {
                        new_text = manifest::set_package_version(&new_text, &new).expect("set");
                    }
                    let (updated, _) = manifest::update_path_dependency_requirements(
                        &new_text,
                        CORE,
                        &new,
                        manifest::Requirements::Minimal,
                    )
                    .expect("update");
                    if updated != text {
                        caro_hotfix::fsx::write_atomic(path, updated.as_bytes()).expect("write");
                    }
                }
            });
    }
}

/// Sizes of the CHANGELOG.md and SECURITY.md files: 10 KB, 1 MB, 10 MB.
const FILE_SIZES: [usize; 3] = [10_000, 1_000_000, 10_000_000];

mod changelog_md {
    use super::*;

    /// A Keep a Changelog file of about `size` bytes: Unreleased, then releases 1.0.K down to 1.0.0,
    /// and compare links for each at the end. Returns the text and the newest release K.
    pub fn generate(size: usize) -> (String, usize) {
        let entry_len = 330;
        let count = (size / entry_len).max(1);
        let repo = "https://github.com/example/minicrate";
        let mut text = String::with_capacity(size + 4096);
        text.push_str("# Changelog\n\nAll notable changes to this project are documented in this file.\n\n## [Unreleased]\n\n### Added\n- Streaming decoder\n\n");
        let mut links = format!("[Unreleased]: {repo}/compare/v1.0.{count}...HEAD\n");
        for k in (0..=count).rev() {
            text.push_str(&format!(
                "## [1.0.{k}] - 2025-01-01\n\n### Fixed\n- Fixed issue #{k} in the frame parser where a truncated header was accepted\n- Documentation of `Parser::feed` for release 1.0.{k}\n\n### Changed\n- Faster checksum in 1.0.{k}\n\n"
            ));
            if k > 0 {
                links.push_str(&format!(
                    "[1.0.{k}]: {repo}/compare/v1.0.{}...v1.0.{k}\n",
                    k - 1
                ));
            } else {
                links.push_str(&format!("[1.0.0]: {repo}/releases/tag/v1.0.0\n"));
            }
        }
        text.push_str(&links);
        (text, count)
    }

    #[divan::bench(args = FILE_SIZES, sample_count = 30)]
    fn insert_section(bencher: divan::Bencher, size: usize) {
        let (text, newest) = generate(size);
        let incident = incident();
        let new = Version::new(1, 0, newest as u64 + 1);
        let base_tag = format!("v1.0.{newest}");
        let new_tag = format!("v{new}");
        bencher
            .counter(divan::counter::BytesCount::new(text.len()))
            .bench_local(|| {
                changelog::insert_section(
                    Some(black_box(&text)),
                    &changelog::Section {
                        version: &new,
                        date: "2026-03-01",
                        incident: &incident,
                        base_tag: &base_tag,
                        new_tag: &new_tag,
                        affected: None,
                    },
                )
                .expect("insert the section")
            });
    }

    /// Read, insert, write atomically (with fsync), as step 6 does.
    #[divan::bench(args = FILE_SIZES, sample_count = 30)]
    fn insert_section_with_file(bencher: divan::Bencher, size: usize) {
        let (text, newest) = generate(size);
        let incident = incident();
        let new = Version::new(1, 0, newest as u64 + 1);
        let base_tag = format!("v1.0.{newest}");
        let new_tag = format!("v{new}");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("CHANGELOG.md");
        bencher
            .counter(divan::counter::BytesCount::new(text.len()))
            .with_inputs(|| std::fs::write(&path, &text).expect("write"))
            .bench_local_values(|()| {
                let existing = caro_hotfix::fsx::read_optional(&path).expect("read");
                let updated = changelog::insert_section(
                    existing.as_deref(),
                    &changelog::Section {
                        version: &new,
                        date: "2026-03-01",
                        incident: &incident,
                        base_tag: &base_tag,
                        new_tag: &new_tag,
                        affected: None,
                    },
                )
                .expect("insert the section");
                caro_hotfix::fsx::write_atomic(&path, updated.as_bytes()).expect("write");
            });
    }
}

mod security_md_file {
    use super::*;

    /// A SECURITY.md of about `size` bytes: the policy, then `## Security advisories` with entries
    /// for minicrate 1.0.K down to 1.0.0. Returns the text and the newest K.
    pub fn generate(size: usize) -> (String, usize) {
        let entry_len = 300;
        let count = (size / entry_len).max(1);
        let mut text = String::with_capacity(size + 4096);
        text.push_str("# Security Policy\n\n## Reporting a vulnerability\n\nPlease report vulnerabilities privately through GitHub's private vulnerability reporting.\n\n## Security advisories\n\n");
        for k in (0..=count).rev() {
            text.push_str(&format!(
                "### minicrate 1.0.{k} — out-of-bounds read in record {k}\n\n- Advisory: RUSTSEC-2020-{k:04}\n- Severity: High\n- Impact: A crafted input made parse() read past the end of its buffer in 1.0.{k}\n- Credit: Reporter {k}\n\n"
            ));
        }
        text.push_str("## Supported versions\n\nOnly the latest release line gets fixes.\n");
        (text, count)
    }

    #[divan::bench(args = FILE_SIZES, sample_count = 30)]
    fn add_entry(bencher: divan::Bencher, size: usize) {
        let (text, newest) = generate(size);
        let incident = incident();
        let new = Version::new(1, 0, newest as u64 + 1);
        bencher
            .counter(divan::counter::BytesCount::new(text.len()))
            .bench_local(|| {
                security_md::add_entry(
                    Some(black_box(&text)),
                    &security_md::Entry {
                        crate_name: "minicrate",
                        version: &new,
                        date: "2026-03-01",
                        incident: &incident,
                        affected: None,
                    },
                )
                .expect("add the entry")
            });
    }
}

mod redact {
    use super::*;

    /// Output of a failed build: ordinary lines, a token now and then, an Authorization header.
    fn output(size: usize) -> String {
        let mut text = String::with_capacity(size + 200);
        let mut i = 0;
        while text.len() < size {
            text.push_str(&format!(
                "error[E0425]: cannot find value `x{i}` in this scope --> src/lib.rs:{i}:5\n"
            ));
            if i % 100 == 0 {
                text.push_str("using token ghp_abcdefghijklmnopqrstuvwxyz0123456789\nAuthorization: Bearer abc\n");
            }
            i += 1;
        }
        text
    }

    #[divan::bench(args = [10_000, 100_000, 1_000_000], sample_count = 10)]
    fn failed_command_output(bencher: divan::Bencher, size: usize) {
        let text = output(size);
        bencher
            .counter(divan::counter::BytesCount::new(text.len()))
            .bench_local(|| caro_hotfix::runner::redact(black_box(&text)));
    }
}

mod record {
    use super::*;
    use caro_hotfix::record::{Hotfix, Plan, Request};
    use caro_hotfix::runner::JournalEntry;

    fn state(commands: usize) -> Hotfix {
        let steps: Vec<(u8, String)> = (1..=16).map(|n| (n, format!("Step {n}"))).collect();
        let steps: Vec<(u8, &str)> = steps.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let request = Request {
            remote: "origin".into(),
            ..Request::default()
        };
        let mut s = Hotfix::new(
            "2026-12-01T03:00:00+00:00".into(),
            request,
            incident(),
            false,
            &steps,
        );
        s.plan = Some(Plan {
            crate_name: "minicrate".into(),
            base_tag: "v1.0.10".into(),
            base_version: "1.0.10".into(),
            version: "1.0.11".into(),
            tag: "v1.0.11".into(),
            branch: "hotfix/v1.0.11".into(),
            base_branch: "main".into(),
            trunk: "main".into(),
            strategy: caro_hotfix::config::Strategy::Main,
            tag_prefix: "v".into(),
            together: Vec::new(),
            line_branch_exists: false,
            targets: Default::default(),
            publisher: Default::default(),
        });
        for i in 0..commands {
            s.journal.push(JournalEntry {
                argv: vec![
                    "git".into(),
                    "rev-parse".into(),
                    format!("refs/tags/v1.0.{i}"),
                ],
                cwd: "/home/ada/src/minicrate".into(),
                exit_code: 0,
                duration_ms: 3.0,
                simulated: false,
            });
        }
        s
    }

    #[divan::bench(args = [10, 100])]
    fn serialize(bencher: divan::Bencher, commands: usize) {
        let s = state(commands);
        bencher.bench_local(|| caro_hotfix::record::store::to_toml(&s).expect("toml"));
    }

    /// What one `Ctx::save` costs late in a run (`commands` already in the journal, six new ones):
    /// append the new commands to the journal file, serialise the record without its journal, write
    /// it atomically (temp file, fsync, rename).
    #[divan::bench(args = [10, 100], sample_count = 40)]
    fn save(bencher: divan::Bencher, commands: usize) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state.toml");
        let new = state(6).journal;
        bencher
            .with_inputs(|| state(commands))
            .bench_local_values(|mut s| {
                caro_hotfix::record::store::save(&path, &mut s, new.clone()).expect("save")
            });
    }
}

/// Seeding the rehearsal's build directory from the maintainer's `target/debug`: `n` dependencies,
/// each a 256 KB `.rlib` and a 64 KB `.rmeta` (hard-linked), a `.d` file and a fingerprint
/// directory (copied), into an empty directory each time (the first rehearsal after a build).
mod rehearsal_seed {
    use std::collections::HashSet;

    fn maintainers_target(n: usize) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        let debug = dir.path().join("debug");
        for sub in ["deps", ".fingerprint", "build"] {
            std::fs::create_dir_all(debug.join(sub)).expect("dirs");
        }
        let rlib = vec![7u8; 256 * 1024];
        let rmeta = vec![7u8; 64 * 1024];
        for i in 0..n {
            let name = format!("dep{i}-{i:016x}");
            std::fs::write(debug.join(format!("deps/lib{name}.rlib")), &rlib).expect("rlib");
            std::fs::write(debug.join(format!("deps/lib{name}.rmeta")), &rmeta).expect("rmeta");
            std::fs::write(debug.join(format!("deps/{name}.d")), "dep-info\n").expect(".d");
            let fingerprint = debug.join(".fingerprint").join(&name);
            std::fs::create_dir(&fingerprint).expect("fingerprint");
            std::fs::write(fingerprint.join(format!("lib-dep{i}")), "0123456789abcdef")
                .expect("hash");
            std::fs::write(fingerprint.join(format!("lib-dep{i}.json")), "{}").expect("json");
        }
        dir
    }

    #[divan::bench(args = [100, 1_000], sample_count = 10)]
    fn first_rehearsal(bencher: divan::Bencher, n: usize) {
        let target = maintainers_target(n);
        let local = HashSet::from(["minicrate".to_string()]);
        bencher
            .with_inputs(|| tempfile::tempdir().expect("tempdir"))
            .bench_local_values(|into| {
                let seeded =
                    caro_hotfix::sandbox::seed(target.path(), &into.path().join("r"), &local)
                        .expect("seed");
                assert_eq!(seeded.entries, 4 * n);
                into
            });
    }
}

//! Workspaces shaped like real ones (issue 14): the manifests, release tags, pins, shared versions,
//! CHANGELOG headings, maintenance branches and tracked lock files of tokio, regex, clap, serde, jj
//! and rustls, as their repositories had them in 2026 — without their code. Each builder returns a
//! [`Fixture`] (a bare `origin.git` and a `work` clone, everything pushed, the gh stand-in set up
//! for the project's GitHub name), so `fx.caro(..)` and `fx.snapshot()` work as on the fixture crate.
//!
//! What is copied, per project (read from the projects' own repositories; `scripts/fire-drill-real`
//! runs the same drill on a clone of the real thing):
//! - the workspace members, their names, versions and directories; `version.workspace` where the
//!   project shares one version;
//! - every requirement one member has on another, byte for byte (`"=4.6.6"`, `"~2.7.0"`, `"1"`,
//!   `{ version = "1.0.0", path = "../tokio" }`), and `[patch.crates-io]` where the project
//!   redirects its own crates (tokio, serde, rustls: resolved to the paths, offline);
//! - the tag scheme of each crate (`tokio-1.53.1`, `tokio-macros-2.7.1`, `1.13.1`,
//!   `regex-syntax-0.8.11`, `v4.6.6`, `clap_complete-v4.6.9`, `v1.0.228`, `v0.44.0`, `v/0.23.43`,
//!   `rustls-post-quantum-v/0.2.2`), lightweight or annotated as the project makes them, on a short
//!   history where the manifests at each tag hold that tag's version;
//! - each CHANGELOG's path and heading style, and what sits above the newest release (`# Unreleased`
//!   markers, `<!-- next-header -->`, clap's `## 5.0.0 - TBD`, setext underlines, dates like
//!   `(July 20th, 2026)`), and the link definitions at the bottom where the project keeps them;
//! - the default branch's name and the maintenance branches (`tokio-1.51.x`, rustls's `rel-0.23`);
//! - a tracked `Cargo.lock` where the project tracks one (clap, jj, rustls).
//!
//! What is not: the code (a `lib.rs` of one function per crate), dependencies outside the workspace
//! (none, so every shape builds and tests offline), and members that only hold tests or tools
//! beyond those that require the released crates. rustls's lock file does name crates of the
//! registry (`itertools` 0.10.5 under a build dependency, 0.13.0 and 0.14.0 beside it): they come
//! from a vendored directory source in the repository (`vendor/`, as `cargo vendor` makes), tiny
//! stand-ins, so that a hotfix that moves one of them shows in the lock file while everything still
//! builds offline.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use super::{git, write, Fixture};

mod round_two;
pub use round_two::{bitflags, caro, hyper, openssl, time, time_pinned, tracing};

/// A calendar date, written the ways CHANGELOGs write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

pub const fn date(year: u16, month: u8, day: u8) -> Date {
    Date { year, month, day }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// `2026-07-15`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Tokio's: `July 20th, 2026`.
    pub fn long(&self) -> String {
        let suffix = match (self.day % 10, self.day) {
            (_, 11..=13) => "th",
            (1, _) => "st",
            (2, _) => "nd",
            (3, _) => "rd",
            _ => "th",
        };
        format!(
            "{} {}{suffix}, {}",
            MONTHS[usize::from(self.month - 1)],
            self.day,
            self.year
        )
    }

    /// For git's author and committer dates: noon UTC that day.
    fn git(&self) -> String {
        format!("{}T12:00:00+00:00", self.iso())
    }
}

/// How a project makes its release tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagKind {
    /// `git tag NAME` (tokio, jj, rustls).
    Lightweight,
    /// `git tag -a NAME -m MESSAGE` (regex, clap, serde).
    Annotated,
}

/// The versions of a shape's crates now, and every release each crate had so far (newest first),
/// from which its manifests and CHANGELOGs are written.
#[derive(Debug, Default, Clone)]
pub struct State {
    versions: BTreeMap<String, String>,
    releases: BTreeMap<String, Vec<(String, Date)>>,
    /// Files changed by work after a release, written over the rendered ones.
    edited: BTreeMap<String, String>,
}

impl State {
    /// The version of `krate` now.
    pub fn v(&self, krate: &str) -> &str {
        self.versions
            .get(krate)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no version for {krate}"))
    }

    /// Sets a version without a release (a crate at its first commit, a `-dev` version).
    pub fn set(&mut self, krate: &str, version: &str) {
        self.versions.insert(krate.into(), version.into());
    }

    /// Releases `krate` at `version` on `date`: its version, and a CHANGELOG section.
    pub fn release(&mut self, krate: &str, version: &str, on: Date) {
        self.set(krate, version);
        self.releases
            .entry(krate.into())
            .or_default()
            .insert(0, (version.into(), on));
    }

    /// `krate`'s releases so far, newest first.
    pub fn releases(&self, krate: &str) -> &[(String, Date)] {
        self.releases.get(krate).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// A shape being built: the fixture, its tag kind, and its files as a function of the [`State`].
struct Builder {
    fx: Fixture,
    kind: TagKind,
    lock: bool,
    render: fn(&State) -> Vec<(String, String)>,
    /// Edits the lock file after cargo wrote it (what cargo's own history left in a real one).
    fixup: Option<fn(&Path)>,
    state: State,
}

impl Builder {
    /// An empty origin (bare, `HEAD` on `branch`) and a work clone whose origin it is, with the gh
    /// stand-in answering for `owner/repo`.
    fn new(
        owner: &str,
        repo: &str,
        branch: &str,
        kind: TagKind,
        lock: bool,
        render: fn(&State) -> Vec<(String, String)>,
    ) -> Builder {
        let dir = tempfile::Builder::new()
            .prefix(&format!("caro-hotfix-shape-{repo}-"))
            .tempdir()
            .expect("tempdir");
        let origin = dir.path().join("origin.git");
        let work = dir.path().join("work");
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).expect("bin dir");
        git(
            dir.path(),
            &["init", "-q", "--bare", "-b", branch, "origin.git"],
        );
        git(dir.path(), &["init", "-q", "-b", branch, "work"]);
        for (k, v) in [
            ("user.name", "Ada Maintainer"),
            ("user.email", "ada@example.com"),
            ("commit.gpgsign", "false"),
            ("tag.gpgsign", "false"),
        ] {
            git(&work, &["config", k, v]);
        }
        git(&work, &["remote", "add", "origin", "../origin.git"]);
        let fx = Fixture {
            dir,
            work,
            origin,
            bin,
        };
        fx.stand_in_gh();
        let origin = fx
            .origin
            .canonicalize()
            .unwrap_or_else(|_| fx.origin.clone());
        let config = serde_json::json!({
            "origin": origin.display().to_string(),
            "owner": owner,
            "repo": repo,
            "default_branch": branch,
            "labels": ["security", "bug"],
        });
        write(
            &fx.gh_state().join("config.json"),
            &serde_json::to_string_pretty(&config).expect("config json"),
        );
        Builder {
            fx,
            kind,
            lock,
            render,
            fixup: None,
            state: State::default(),
        }
    }

    /// Writes every file of the shape as the state has it (and the lock file, where the project
    /// tracks one, as cargo resolves it offline, keeping what it locked before), then commits
    /// everything with `message`, dated `on`.
    fn commit(&mut self, message: &str, on: Date) {
        let w = &self.fx.work;
        for (path, text) in (self.render)(&self.state) {
            write(&w.join(path), &text);
        }
        for (path, text) in &self.state.edited {
            write(&w.join(path), text);
        }
        if self.lock {
            cargo(w, &["metadata", "--format-version", "1", "--offline"]);
            if let Some(fixup) = self.fixup {
                fixup(w);
                // cargo takes the edited lock file as it is.
                cargo(
                    w,
                    &["metadata", "--format-version", "1", "--offline", "--locked"],
                );
            }
        }
        git(w, &["add", "-A"]);
        let when = on.git();
        let out = Command::new("git")
            .args(["commit", "-q", "-m", message])
            .current_dir(w)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", &when)
            .env("GIT_COMMITTER_DATE", &when)
            .output()
            .expect("git commit runs");
        assert!(
            out.status.success(),
            "git commit {message:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A commit that only touches `path` (work after a release), dated `on`.
    fn work(&mut self, path: &str, text: &str, message: &str, on: Date) {
        self.state.edited.insert(path.into(), text.into());
        self.commit(message, on);
    }

    /// Tags HEAD as `name` the project's way.
    fn tag(&self, name: &str, message: &str) {
        match self.kind {
            TagKind::Lightweight => git(&self.fx.work, &["tag", name]),
            TagKind::Annotated => git(&self.fx.work, &["tag", "-a", name, "-m", message]),
        };
    }

    fn checkout(&self, args: &[&str]) {
        let mut all = vec!["checkout", "-q"];
        all.extend_from_slice(args);
        git(&self.fx.work, &all);
    }

    /// Pushes every branch and tag, leaves `branch` checked out, and returns the fixture.
    fn finish(self, branch: &str) -> Fixture {
        let w = &self.fx.work;
        git(w, &["checkout", "-q", branch]);
        git(w, &["push", "-q", "origin", "--all"]);
        git(w, &["push", "-q", "origin", "--tags"]);
        git(
            w,
            &[
                "branch",
                "-q",
                "--set-upstream-to",
                &format!("origin/{branch}"),
            ],
        );
        self.fx
    }
}

/// Runs cargo offline in `dir` (the lock files of the shapes), with no registry reachable.
fn cargo(dir: &Path, args: &[&str]) {
    let out = Command::new("cargo")
        .args(args)
        .current_dir(dir)
        .env("CARGO_NET_OFFLINE", "true")
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The `lib.rs` of every crate of a shape: one function and its test.
pub fn lib_rs(krate: &str) -> String {
    let ident = krate.replace('-', "_");
    format!(
        "//! {krate}, as shaped for caro-hotfix's tests (none of the real code).\n\
         \n\
         /// The crate's name.\n\
         pub fn name() -> &'static str {{\n    \"{krate}\"\n}}\n\
         \n\
         #[cfg(test)]\n\
         mod tests {{\n    #[test]\n    fn names_itself() {{\n        assert_eq!(super::name(), \"{krate}\");\n    }}\n}}\n\
         \n\
         #[doc(hidden)]\n\
         pub const CRATE: &str = \"{ident}\";\n"
    )
}

/// A proc-macro crate's `lib.rs` (tokio-macros): no macro, only a function, so it needs no
/// dependency.
fn proc_macro_rs(krate: &str) -> String {
    format!("//! {krate}, as shaped for caro-hotfix's tests.\n\nextern crate proc_macro;\n")
}

/// A `main` for binaries, examples and benches.
const MAIN_RS: &str = "fn main() {}\n";

fn file(path: &str, text: impl Into<String>) -> (String, String) {
    (path.to_string(), text.into())
}

// ---------------------------------------------------------------------------------------------
// tokio-rs/tokio
// ---------------------------------------------------------------------------------------------

/// A tokio-shaped repository (tokio-rs/tokio, default branch `master`, lightweight tags).
///
/// - Members: `tokio` 1.53.1, `tokio-macros` 2.7.1, `tokio-test` 0.4.5, `tokio-stream` 0.1.19,
///   `tokio-util` 0.7.19, and the unpublished `benches`, `examples` (0.0.0), `stress-test`,
///   `tests-build`, `tests-integration` (0.1.0). Each has its own version; none is pinned.
/// - Requirements on tokio, as written: `tokio-macros` (dev) `{ version = "1.0.0", features = [..] }`,
///   `tokio-test` `{ version = "1.2.0", .. }`, `tokio-stream` `{ version = "1.38.0", .. }`,
///   `tokio-util` `{ version = "1.47.0", .. }` — registry requirements redirected by
///   `[patch.crates-io]`; and with a path: `benches` `{ version = "1.5.0", path = "../tokio", .. }`,
///   `examples` `{ version = "1.0.0", path = "../tokio", .. }`, `stress-test`
///   `{ version = "1.0.0", path = "../tokio/", .. }`, `tests-build` and `tests-integration`
///   `{ version = "1.0.0", path = "../tokio", .. }`. tokio requires `tokio-macros = { version =
///   "~2.7.0", optional = true }`.
/// - Tags: `tokio-X.Y.Z`, `tokio-macros-X.Y.Z`, `tokio-util-X.Y.Z`, `tokio-stream-X.Y.Z`,
///   `tokio-test-X.Y.Z`. History on master: tokio-1.51.0, tokio-1.52.0, tokio-macros-2.7.1,
///   tokio-1.53.0, tokio-1.53.1, tokio-util-0.7.19, tokio-stream-0.1.19, then unreleased work in
///   `tokio/src`. Maintenance branch `tokio-1.51.x` (from tokio-1.51.0) with tokio-1.51.1 and
///   tokio-1.51.2.
/// - CHANGELOGs: one per published crate (`tokio/CHANGELOG.md`, …), newest first, headings
///   `# 1.53.1 (July 20th, 2026)`, nothing above the first one, `### Fixed` sections.
/// - No Cargo.lock.
pub fn tokio() -> Fixture {
    let mut b = Builder::new(
        "tokio-rs",
        "tokio",
        "master",
        TagKind::Lightweight,
        false,
        tokio_files,
    );
    let s = &mut b.state;
    s.release("tokio-macros", "2.7.0", date(2026, 4, 3));
    s.release("tokio-test", "0.4.5", date(2026, 1, 4));
    s.release("tokio-stream", "0.1.18", date(2026, 1, 4));
    s.release("tokio-util", "0.7.18", date(2026, 1, 4));
    s.release("tokio", "1.51.0", date(2026, 4, 14));
    b.commit("chore: prepare Tokio v1.51.0 (#8040)", date(2026, 4, 14));
    for t in [
        "tokio-macros-2.7.0",
        "tokio-test-0.4.5",
        "tokio-stream-0.1.18",
        "tokio-util-0.7.18",
        "tokio-1.51.0",
    ] {
        b.tag(t, t);
    }

    // The LTS line: tokio-1.51.x, from tokio-1.51.0.
    let at_151 = b.state.clone();
    b.checkout(&["-b", "tokio-1.51.x"]);
    b.state.release("tokio", "1.51.1", date(2026, 5, 4));
    b.commit("chore: prepare Tokio v1.51.1 (#8121)", date(2026, 5, 4));
    b.tag("tokio-1.51.1", "tokio-1.51.1");
    b.state.release("tokio", "1.51.2", date(2026, 7, 16));
    b.commit("chore: prepare Tokio v1.51.2 (#8290)", date(2026, 7, 16));
    b.tag("tokio-1.51.2", "tokio-1.51.2");
    b.checkout(&["master"]);
    b.state = at_151;

    b.work(
        "tokio/src/lib.rs",
        &format!(
            "{}\n/// Work of 1.52.\npub fn v152() {{}}\n",
            lib_rs("tokio")
        ),
        "rt: add a spawn hook (#8101)",
        date(2026, 5, 20),
    );
    b.state.release("tokio", "1.52.0", date(2026, 5, 28));
    b.commit("chore: prepare Tokio v1.52.0 (#8160)", date(2026, 5, 28));
    b.tag("tokio-1.52.0", "tokio-1.52.0");
    b.state.release("tokio-macros", "2.7.1", date(2026, 7, 17));
    b.commit(
        "chore: prepare tokio-macros v2.7.1 (#8295)",
        date(2026, 7, 17),
    );
    b.tag("tokio-macros-2.7.1", "tokio-macros-2.7.1");
    b.state.release("tokio", "1.53.0", date(2026, 7, 17));
    b.commit("chore: prepare Tokio v1.53.0 (#8296)", date(2026, 7, 17));
    b.tag("tokio-1.53.0", "tokio-1.53.0");
    b.state.release("tokio", "1.53.1", date(2026, 7, 20));
    b.commit("chore: prepare Tokio v1.53.1 (#8303)", date(2026, 7, 20));
    b.tag("tokio-1.53.1", "tokio-1.53.1");
    b.state.release("tokio-util", "0.7.19", date(2026, 7, 21));
    b.commit(
        "chore: prepare tokio-util v0.7.19 (#8310)",
        date(2026, 7, 21),
    );
    b.tag("tokio-util-0.7.19", "tokio-util-0.7.19");
    b.state.release("tokio-stream", "0.1.19", date(2026, 7, 22));
    b.commit(
        "chore: prepare tokio-stream v0.1.19 (#8312)",
        date(2026, 7, 22),
    );
    b.tag("tokio-stream-0.1.19", "tokio-stream-0.1.19");
    b.work(
        "tokio/src/lib.rs",
        &format!(
            "{}\n/// Work of 1.52.\npub fn v152() {{}}\n\n/// Unreleased.\npub fn sharded() {{}}\n",
            lib_rs("tokio")
        ),
        "rt: rename `shared` to `sharded` in internal ShardedList (#8364)",
        date(2026, 8, 20),
    );
    b.finish("master")
}

/// The sections of a tokio CHANGELOG (`# 1.53.1 (July 20th, 2026)`, newest first).
fn tokio_changelog(s: &State, krate: &str) -> String {
    let mut text = String::new();
    for (i, (version, on)) in s.releases(krate).iter().enumerate() {
        let pr = 8300 - i;
        text += &format!(
            "# {version} ({})\n\n### Fixed\n\n- {krate}: fix a bug of {version} ([#{pr}])\n\n[#{pr}]: https://github.com/tokio-rs/tokio/pull/{pr}\n\n",
            on.long()
        );
    }
    text
}

fn tokio_files(s: &State) -> Vec<(String, String)> {
    let header = |name: &str, tag: &str, version: &str| {
        format!(
            "[package]\n\
             name = \"{name}\"\n\
             # When releasing to crates.io:\n\
             # - Remove path dependencies (if any)\n\
             # - Update CHANGELOG.md.\n\
             # - Create \"{tag}\" git tag.\n\
             version = \"{version}\"\n\
             edition = \"2021\"\n\
             rust-version = \"1.71\"\n\
             authors = [\"Tokio Contributors <team@tokio.rs>\"]\n\
             license = \"MIT\"\n\
             repository = \"https://github.com/tokio-rs/tokio\"\n\
             homepage = \"https://tokio.rs\"\n"
        )
    };
    let internal = |name: &str, version: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"{version}\"\npublish = false\nedition = \"2021\"\nlicense = \"MIT\"\n"
        )
    };
    let mut files = vec![
        file(
            "Cargo.toml",
            "[workspace]\n\
             resolver = \"2\"\n\
             members = [\n  \"tokio\",\n  \"tokio-macros\",\n  \"tokio-test\",\n  \"tokio-stream\",\n  \"tokio-util\",\n\n  # Internal\n  \"benches\",\n  \"examples\",\n  \"stress-test\",\n  \"tests-build\",\n  \"tests-integration\",\n]\n\
             \n\
             [patch.crates-io]\n\
             tokio = { path = \"tokio\" }\n\
             tokio-macros = { path = \"tokio-macros\" }\n\
             tokio-stream = { path = \"tokio-stream\" }\n\
             tokio-test = { path = \"tokio-test\" }\n\
             tokio-util = { path = \"tokio-util\" }\n",
        ),
        file(".gitignore", "target\nCargo.lock\n.cargo/config.toml\n"),
        file(
            "tokio/Cargo.toml",
            format!(
                "[package]\n\
                 name = \"tokio\"\n\
                 # When releasing to crates.io:\n\
                 # - Remove path dependencies (if any)\n\
                 # - Update doc url\n\
                 #   - README.md\n\
                 # - Update CHANGELOG.md.\n\
                 # - Create \"v1.x.y\" git tag.\n\
                 version = \"{}\"\n\
                 edition = \"2021\"\n\
                 rust-version = \"1.71\"\n\
                 authors = [\"Tokio Contributors <team@tokio.rs>\"]\n\
                 license = \"MIT\"\n\
                 readme = \"README.md\"\n\
                 repository = \"https://github.com/tokio-rs/tokio\"\n\
                 homepage = \"https://tokio.rs\"\n\
                 \n\
                 [features]\n\
                 # Include nothing by default\n\
                 default = []\n\
                 \n\
                 # enable everything\n\
                 full = [\"macros\", \"rt\", \"sync\", \"time\"]\n\
                 macros = [\"tokio-macros\"]\n\
                 rt = []\n\
                 sync = []\n\
                 test-util = [\"rt\", \"sync\", \"time\"]\n\
                 time = []\n\
                 \n\
                 [dependencies]\n\
                 tokio-macros = {{ version = \"~2.7.0\", optional = true }}\n\
                 \n\
                 [dev-dependencies]\n\
                 tokio-test = \"0.4.0\"\n\
                 tokio-stream = \"0.1\"\n\
                 tokio-util = {{ version = \"0.7\", features = [\"rt\"] }}\n",
                s.v("tokio")
            ),
        ),
        file("tokio/src/lib.rs", lib_rs("tokio")),
        file("tokio/README.md", "# Tokio\n\nA runtime for writing reliable, asynchronous applications.\n"),
        file("README.md", "# Tokio\n\nA runtime for writing reliable, asynchronous applications.\n"),
        file(
            "tokio-macros/Cargo.toml",
            format!(
                "{}\
                 [lib]\n\
                 proc-macro = true\n\
                 \n\
                 [features]\n\
                 \n\
                 [dependencies]\n\
                 \n\
                 [dev-dependencies]\n\
                 tokio = {{ version = \"1.0.0\", features = [\"full\", \"test-util\"] }}\n",
                header("tokio-macros", "tokio-macros-x.y.z", s.v("tokio-macros"))
            ),
        ),
        file("tokio-macros/src/lib.rs", proc_macro_rs("tokio-macros")),
        file(
            "tokio-test/Cargo.toml",
            format!(
                "{}\n\
                 [dependencies]\n\
                 tokio = {{ version = \"1.2.0\", features = [\"rt\", \"sync\", \"time\", \"test-util\"] }}\n\
                 tokio-stream = \"0.1.1\"\n\
                 \n\
                 [dev-dependencies]\n\
                 tokio = {{ version = \"1.2.0\", features = [\"full\"] }}\n",
                header("tokio-test", "tokio-test-0.4.x", s.v("tokio-test"))
            ),
        ),
        file("tokio-test/src/lib.rs", lib_rs("tokio-test")),
        file(
            "tokio-stream/Cargo.toml",
            format!(
                "{}\n\
                 [features]\n\
                 default = [\"time\"]\n\
                 time = [\"tokio/time\"]\n\
                 \n\
                 [dependencies]\n\
                 tokio = {{ version = \"1.38.0\", features = [\"sync\"] }}\n\
                 tokio-util = {{ version = \"0.7.0\", optional = true }}\n\
                 \n\
                 [dev-dependencies]\n\
                 tokio = {{ version = \"1.38.0\", features = [\"full\", \"test-util\"] }}\n\
                 tokio-test = \"0.4\"\n",
                header("tokio-stream", "tokio-stream-0.1.x", s.v("tokio-stream"))
            ),
        ),
        file("tokio-stream/src/lib.rs", lib_rs("tokio-stream")),
        file(
            "tokio-util/Cargo.toml",
            format!(
                "{}\n\
                 [features]\n\
                 # No features on by default\n\
                 default = []\n\
                 full = [\"rt\"]\n\
                 rt = [\"tokio/rt\"]\n\
                 \n\
                 [dependencies]\n\
                 tokio = {{ version = \"1.47.0\", features = [\"sync\"] }}\n\
                 \n\
                 [dev-dependencies]\n\
                 tokio = {{ version = \"1.0.0\", features = [\"full\"] }}\n\
                 tokio-test = \"0.4.0\"\n\
                 tokio-stream = \"0.1\"\n",
                header("tokio-util", "tokio-util-0.7.x", s.v("tokio-util"))
            ),
        ),
        file("tokio-util/src/lib.rs", lib_rs("tokio-util")),
        file(
            "benches/Cargo.toml",
            format!(
                "{}\n\
                 [dependencies]\n\
                 tokio = {{ version = \"1.5.0\", path = \"../tokio\", features = [\"full\"] }}\n\
                 \n\
                 [dev-dependencies]\n\
                 tokio-util = {{ version = \"0.7.0\", path = \"../tokio-util\", features = [\"full\"] }}\n\
                 tokio-stream = {{ version = \"0.1\", path = \"../tokio-stream\" }}\n\
                 \n\
                 [[bench]]\n\
                 name = \"spawn\"\n\
                 path = \"spawn.rs\"\n\
                 harness = false\n",
                internal("benches", "0.0.0")
            ),
        ),
        file("benches/spawn.rs", MAIN_RS),
        file(
            "examples/Cargo.toml",
            format!(
                "{}\n\
                 [dev-dependencies]\n\
                 tokio = {{ version = \"1.0.0\", path = \"../tokio\", features = [\"full\"] }}\n\
                 tokio-util = {{ version = \"0.7.0\", path = \"../tokio-util\", features = [\"full\"] }}\n\
                 tokio-stream = {{ version = \"0.1\", path = \"../tokio-stream\" }}\n\
                 \n\
                 [[example]]\n\
                 name = \"hello_world\"\n\
                 path = \"hello_world.rs\"\n",
                internal("examples", "0.0.0")
            ),
        ),
        file("examples/hello_world.rs", MAIN_RS),
        file(
            "stress-test/Cargo.toml",
            format!(
                "{}\n\
                 [dependencies]\n\
                 tokio = {{ version = \"1.0.0\", path = \"../tokio/\", features = [\"full\"] }}\n",
                internal("stress-test", "0.1.0")
            ),
        ),
        file("stress-test/src/main.rs", MAIN_RS),
        file(
            "tests-build/Cargo.toml",
            format!(
                "{}\n\
                 [features]\n\
                 full = [\"tokio/full\"]\n\
                 rt = [\"tokio/rt\", \"tokio/macros\"]\n\
                 \n\
                 [dependencies]\n\
                 tokio = {{ version = \"1.0.0\", path = \"../tokio\", optional = true }}\n",
                internal("tests-build", "0.1.0")
            ),
        ),
        file("tests-build/src/lib.rs", lib_rs("tests-build")),
        file(
            "tests-integration/Cargo.toml",
            format!(
                "{}\n\
                 [features]\n\
                 full = [\"tokio/full\", \"tokio-test\"]\n\
                 \n\
                 [dependencies]\n\
                 tokio = {{ version = \"1.0.0\", path = \"../tokio\" }}\n\
                 tokio-test = {{ version = \"0.4\", path = \"../tokio-test\", optional = true }}\n",
                internal("tests-integration", "0.1.0")
            ),
        ),
        file("tests-integration/src/lib.rs", lib_rs("tests-integration")),
        file(
            "tests-integration/tests/macros_main.rs",
            "#[test]\nfn main_works() {\n    assert_eq!(tests_integration::name(), \"tests-integration\");\n}\n",
        ),
    ];
    for krate in [
        "tokio",
        "tokio-macros",
        "tokio-test",
        "tokio-stream",
        "tokio-util",
    ] {
        files.push(file(
            &format!("{krate}/CHANGELOG.md"),
            tokio_changelog(s, krate),
        ));
    }
    files
}

// ---------------------------------------------------------------------------------------------
// rust-lang/regex
// ---------------------------------------------------------------------------------------------

/// A regex-shaped repository (rust-lang/regex, default branch `master`, annotated tags).
///
/// - The root is a package (`regex` 1.13.1) and the workspace: members `regex-automata` 0.4.16,
///   `regex-capi` (package `rure`) 0.2.5, `regex-cli` 0.2.3, `regex-lite` 0.1.9, `regex-syntax`
///   0.8.11, `regex-test` 0.1.1. Versions are followed by `  #:version`.
/// - Requirements: regex → `[dependencies.regex-syntax]` `path = "regex-syntax"`,
///   `version = "0.8.11"`; regex → `[dependencies.regex-automata]` `version = "0.4.16"`;
///   regex-automata → `regex-syntax = { path = "../regex-syntax", version = "0.8.5", .. }`;
///   rure → `regex = { version = "1", path = ".." }`; regex-cli → `regex = { version = "1.9.0",
///   path = ".." }`, `regex-automata` `"0.4.8"`, `regex-lite` `"0.1.0"`, `regex-syntax` `"0.8.5"`.
///   No exact pins, no shared version.
/// - Tags: `X.Y.Z` for regex (no prefix), `<crate>-X.Y.Z` for the others: regex-syntax-0.8.10,
///   1.12.3, regex-syntax-0.8.11, 1.12.4, regex-automata-0.4.15, 1.13.0, regex-automata-0.4.16,
///   1.13.1.
/// - CHANGELOG: only the root `CHANGELOG.md` (regex's), setext headings `1.13.1 (2026-07-15)`
///   underlined with `===================`, nothing above the newest.
/// - No Cargo.lock, no maintenance branch.
pub fn regex() -> Fixture {
    let mut b = Builder::new(
        "rust-lang",
        "regex",
        "master",
        TagKind::Annotated,
        false,
        regex_files,
    );
    for (k, v) in [
        ("regex-automata", "0.4.14"),
        ("rure", "0.2.5"),
        ("regex-cli", "0.2.3"),
        ("regex-lite", "0.1.9"),
        ("regex-test", "0.1.1"),
    ] {
        b.state.set(k, v);
    }
    b.state.set("regex-syntax", "0.8.9");
    b.state.release("regex", "1.12.2", date(2025, 10, 13));
    b.state.set("regex-syntax-req", "0.8.5");
    b.commit("1.12.2", date(2025, 10, 13));
    b.tag("1.12.2", "1.12.2");
    b.state.set("regex-syntax", "0.8.10");
    b.commit("regex-syntax-0.8.10", date(2026, 2, 24));
    b.tag("regex-syntax-0.8.10", "regex-syntax-0.8.10");
    b.state.release("regex", "1.12.3", date(2026, 2, 24));
    b.commit("1.12.3", date(2026, 2, 24));
    b.tag("1.12.3", "1.12.3");
    b.state.set("regex-syntax", "0.8.11");
    b.commit("regex-syntax-0.8.11", date(2026, 6, 9));
    b.tag("regex-syntax-0.8.11", "regex-syntax-0.8.11");
    b.state.set("regex-syntax-req", "0.8.11");
    b.state.release("regex", "1.12.4", date(2026, 6, 9));
    b.commit("1.12.4", date(2026, 6, 9));
    b.tag("1.12.4", "1.12.4");
    b.state.set("regex-automata", "0.4.15");
    b.commit("regex-automata-0.4.15", date(2026, 7, 9));
    b.tag("regex-automata-0.4.15", "regex-automata-0.4.15");
    b.state.release("regex", "1.13.0", date(2026, 7, 9));
    b.commit("1.13.0", date(2026, 7, 9));
    b.tag("1.13.0", "1.13.0");
    b.state.set("regex-automata", "0.4.16");
    b.commit("regex-automata-0.4.16", date(2026, 7, 15));
    b.tag("regex-automata-0.4.16", "regex-automata-0.4.16");
    b.state.release("regex", "1.13.1", date(2026, 7, 15));
    b.commit("1.13.1, redux", date(2026, 7, 15));
    b.tag("1.13.1", "1.13.1");
    b.finish("master")
}

fn regex_files(s: &State) -> Vec<(String, String)> {
    let package = |name: &str, dir: &str| {
        format!(
            "[package]\n\
             name = \"{name}\"\n\
             version = \"{}\"  #:version\n\
             authors = [\"The Rust Project Developers\", \"Andrew Gallant <jamslam@gmail.com>\"]\n\
             license = \"MIT OR Apache-2.0\"\n\
             repository = \"https://github.com/rust-lang/regex/tree/master/{dir}\"\n\
             edition = \"2021\"\n\
             rust-version = \"1.65\"\n",
            s.v(name)
        )
    };
    let mut changelog = String::new();
    for (version, on) in s.releases("regex") {
        let heading = format!("{version} ({})", on.iso());
        changelog += &format!(
            "{heading}\n{}\nThis is a release that fixes a bug of {version}.\n\nBug fixes:\n\n* [#1354](https://github.com/rust-lang/regex/issues/1354):\nFixes a bug.\n\n\n",
            "=".repeat(heading.len())
        );
    }
    vec![
        file(
            "Cargo.toml",
            format!(
                "[package]\n\
                 name = \"regex\"\n\
                 version = \"{}\"  #:version\n\
                 authors = [\"The Rust Project Developers\", \"Andrew Gallant <jamslam@gmail.com>\"]\n\
                 license = \"MIT OR Apache-2.0\"\n\
                 readme = \"README.md\"\n\
                 repository = \"https://github.com/rust-lang/regex\"\n\
                 description = \"\"\"\n\
                 An implementation of regular expressions for Rust.\n\
                 \"\"\"\n\
                 categories = [\"text-processing\"]\n\
                 autotests = false\n\
                 edition = \"2021\"\n\
                 rust-version = \"1.65\"\n\
                 \n\
                 [workspace]\n\
                 members = [\n  \"regex-automata\",\n  \"regex-capi\",\n  \"regex-cli\",\n  \"regex-lite\",\n  \"regex-syntax\",\n  \"regex-test\",\n]\n\
                 \n\
                 [features]\n\
                 default = [\"std\", \"unicode\"]\n\
                 std = [\"regex-automata/std\", \"regex-syntax/std\"]\n\
                 unicode = [\"regex-automata/unicode\", \"regex-syntax/unicode\"]\n\
                 \n\
                 # For the actual regex engines.\n\
                 [dependencies.regex-automata]\n\
                 path = \"regex-automata\"\n\
                 version = \"{}\"\n\
                 default-features = false\n\
                 features = [\"syntax\"]\n\
                 \n\
                 # For parsing regular expressions.\n\
                 [dependencies.regex-syntax]\n\
                 path = \"regex-syntax\"\n\
                 version = \"{}\"\n\
                 default-features = false\n",
                s.v("regex"),
                s.v("regex-automata"),
                s.v("regex-syntax-req")
            ),
        ),
        file(".gitignore", "target\nCargo.lock\n"),
        file("src/lib.rs", lib_rs("regex")),
        file("README.md", "regex\n=====\nThis crate provides routines for searching strings for matches of a regular expression.\n"),
        file("CHANGELOG.md", changelog),
        file(
            "regex-automata/Cargo.toml",
            format!(
                "{}\n\
                 [features]\n\
                 default = [\"std\", \"syntax\", \"unicode\"]\n\
                 std = [\"regex-syntax?/std\"]\n\
                 syntax = [\"dep:regex-syntax\"]\n\
                 unicode = [\"regex-syntax?/unicode\"]\n\
                 \n\
                 [dependencies]\n\
                 regex-syntax = {{ path = \"../regex-syntax\", version = \"0.8.5\", optional = true, default-features = false }}\n\
                 \n\
                 [dev-dependencies]\n\
                 regex-test = {{ path = \"../regex-test\", version = \"0.1.0\" }}\n",
                package("regex-automata", "regex-automata")
            ),
        ),
        file("regex-automata/src/lib.rs", lib_rs("regex-automata")),
        file(
            "regex-capi/Cargo.toml",
            format!(
                "{}\n\
                 [lib]\n\
                 name = \"rure\"\n\
                 crate-type = [\"rlib\"]\n\
                 \n\
                 [dependencies]\n\
                 regex = {{ version = \"1\", path = \"..\" }}\n",
                package("rure", "regex-capi")
            ),
        ),
        file("regex-capi/src/lib.rs", lib_rs("rure")),
        file(
            "regex-cli/Cargo.toml",
            format!(
                "{}\n\
                 [[bin]]\n\
                 name = \"regex-cli\"\n\
                 path = \"main.rs\"\n\
                 \n\
                 [dependencies]\n\
                 regex = {{ version = \"1.9.0\", path = \"..\" }}\n\
                 regex-automata = {{ version = \"0.4.8\", path = \"../regex-automata\" }}\n\
                 regex-lite = {{ version = \"0.1.0\", path = \"../regex-lite\" }}\n\
                 regex-syntax = {{ version = \"0.8.5\", path = \"../regex-syntax\" }}\n",
                package("regex-cli", "regex-cli")
            ),
        ),
        file("regex-cli/main.rs", MAIN_RS),
        file(
            "regex-lite/Cargo.toml",
            format!(
                "{}\n\
                 [dev-dependencies]\n\
                 regex-test = {{ path = \"../regex-test\", version = \"0.1.0\" }}\n",
                package("regex-lite", "regex-lite")
            ),
        ),
        file("regex-lite/src/lib.rs", lib_rs("regex-lite")),
        file(
            "regex-syntax/Cargo.toml",
            format!(
                "{}\n\
                 [features]\n\
                 default = [\"std\", \"unicode\"]\n\
                 std = []\n\
                 unicode = []\n",
                package("regex-syntax", "regex-syntax")
            ),
        ),
        file("regex-syntax/src/lib.rs", lib_rs("regex-syntax")),
        file(
            "regex-test/Cargo.toml",
            format!(
                "{}\n\
                 [lib]\n\
                 name = \"regex_test\"\n\
                 path = \"lib.rs\"\n",
                package("regex-test", "regex-test")
            ),
        ),
        file("regex-test/lib.rs", lib_rs("regex-test")),
    ]
}

// ---------------------------------------------------------------------------------------------
// clap-rs/clap
// ---------------------------------------------------------------------------------------------

/// A clap-shaped repository (clap-rs/clap, default branch `master`, annotated tags, tracked
/// Cargo.lock, released with cargo-release).
///
/// - The root is a package (`clap` 4.6.6) and the workspace: members `clap_bench` 0.0.0,
///   `clap_builder` 4.6.6, `clap_derive` 4.6.4, `clap_lex` 1.1.0, `clap_complete` 4.6.9,
///   `clap_complete_nushell` 4.6.2, `clap_mangen` 0.3.3. No `version.workspace`; clap, clap_builder
///   and clap_derive carry `[package.metadata.release] shared-version = true`,
///   `tag-name = "v{{version}}"`.
/// - Exact pins: clap → `clap_builder = { path = "./clap_builder", version = "=4.6.6",
///   default-features = false }` and `clap_derive = { path = "./clap_derive", version = "=4.6.4",
///   optional = true }`. Others: clap_builder → `clap_lex = { path = "../clap_lex", version =
///   "1.0.0" }`; clap_complete, clap_mangen, clap_complete_nushell, clap_bench →
///   `clap = { path = "../", version = "4.6.6", .. }`; clap_complete_nushell → `clap_complete =
///   { path = "../clap_complete", version = "4.5.51" }`.
/// - Tags: `vX.Y.Z` for clap (and the crates sharing its version), `<crate>-vX.Y.Z` for the others:
///   clap_complete-v4.6.7, v4.6.4, clap_complete-v4.6.8, v4.6.5, clap_complete-v4.6.9, v4.6.6,
///   clap_mangen-v0.3.3.
/// - CHANGELOGs: the root `CHANGELOG.md` (clap's, clap_builder's, clap_derive's) is Keep a Changelog
///   with a `## 5.0.0 - TBD` section, then `<!-- next-header -->`, `## [Unreleased] - ReleaseDate`,
///   then `## [4.6.6] - 2026-08-06`, and `<!-- next-url -->` link definitions at the bottom;
///   `clap_complete/CHANGELOG.md`, `clap_lex/…`, `clap_mangen/…`, `clap_complete_nushell/…`
///   start with `<!-- next-header -->`, `## [Unreleased] - ReleaseDate`.
/// - `release.toml`: `dependent-version = "fix"`, `allow-branch = ["master", "v*-master"]`.
pub fn clap() -> Fixture {
    let mut b = Builder::new(
        "clap-rs",
        "clap",
        "master",
        TagKind::Annotated,
        true,
        clap_files,
    );
    let s = &mut b.state;
    s.set("clap_bench", "0.0.0");
    s.set("clap_derive", "4.6.4");
    s.release("clap_lex", "1.1.0", date(2026, 3, 12));
    s.release("clap_complete_nushell", "4.6.2", date(2026, 7, 1));
    s.release("clap_mangen", "0.3.2", date(2026, 7, 1));
    s.release("clap", "4.6.3", date(2026, 7, 1));
    s.set("clap_builder", "4.6.2");
    s.release("clap_complete", "4.6.7", date(2026, 7, 1));
    b.commit("chore: Release", date(2026, 7, 1));
    for t in [
        "clap_lex-v1.1.0",
        "clap_complete_nushell-v4.6.2",
        "clap_mangen-v0.3.2",
        "v4.6.3",
        "clap_complete-v4.6.7",
    ] {
        b.tag(t, "chore: Release");
    }
    b.state.release("clap", "4.6.4", date(2026, 7, 21));
    b.commit("chore: Release", date(2026, 7, 21));
    b.tag("v4.6.4", "chore: Release");
    b.state.release("clap_complete", "4.6.8", date(2026, 7, 27));
    b.commit("chore: Release", date(2026, 7, 27));
    b.tag("clap_complete-v4.6.8", "chore: Release");
    b.state.release("clap", "4.6.5", date(2026, 7, 31));
    b.state.set("clap_builder", "4.6.5");
    b.commit("chore: Release", date(2026, 7, 31));
    b.tag("v4.6.5", "chore: Release");
    b.state.release("clap_complete", "4.6.9", date(2026, 8, 6));
    b.commit("chore: Release", date(2026, 8, 6));
    b.tag("clap_complete-v4.6.9", "chore: Release");
    b.state.release("clap", "4.6.6", date(2026, 8, 6));
    b.state.set("clap_builder", "4.6.6");
    b.commit("chore: Release", date(2026, 8, 6));
    b.tag("v4.6.6", "chore: Release");
    b.state.release("clap_mangen", "0.3.3", date(2026, 8, 12));
    b.commit("chore: Release", date(2026, 8, 12));
    b.tag("clap_mangen-v0.3.3", "chore: Release");
    b.finish("master")
}

/// A cargo-release CHANGELOG of clap: preamble, `<!-- next-header -->`, `## [Unreleased] -
/// ReleaseDate`, the releases, `<!-- next-url -->` links. `above` goes between the preamble and
/// the marker (the root's `## 5.0.0 - TBD`).
fn clap_changelog(s: &State, krate: &str, tag_prefix: &str, above: &str) -> String {
    let mut text = String::from(
        "# Change Log\n\
         All notable changes to this project will be documented in this file.\n\
         \n\
         The format is based on [Keep a Changelog](https://keepachangelog.com/)\n\
         and this project adheres to [Semantic Versioning](https://semver.org/).\n\n",
    );
    text += above;
    text += "<!-- next-header -->\n## [Unreleased] - ReleaseDate\n\n";
    let releases = s.releases(krate);
    for (version, on) in releases {
        text += &format!(
            "## [{version}] - {}\n\n### Fixes\n\n- Fix a bug of {version}\n\n",
            on.iso()
        );
    }
    text += "<!-- next-url -->\n";
    let url = "https://github.com/clap-rs/clap/compare";
    if let Some((newest, _)) = releases.first() {
        text += &format!("[Unreleased]: {url}/{tag_prefix}{newest}...HEAD\n");
    }
    for pair in releases.windows(2) {
        let (new, old) = (&pair[0].0, &pair[1].0);
        text += &format!("[{new}]: {url}/{tag_prefix}{old}...{tag_prefix}{new}\n");
    }
    text
}

fn clap_files(s: &State) -> Vec<(String, String)> {
    // cargo-release keeps the members' requirements on clap at clap's version.
    let clap = s.v("clap");
    let package = |name: &str, extra: &str| {
        format!(
            "[package]\n\
             name = \"{name}\"\n\
             version = \"{}\"\n\
             description = \"{name}, as shaped for caro-hotfix's tests\"\n\
             categories = [\"command-line-interface\"]\n\
             keywords = [\"argument\", \"cli\"]\n\
             repository.workspace = true\n\
             license.workspace = true\n\
             edition.workspace = true\n\
             rust-version.workspace = true\n\
             include.workspace = true\n\
             \n\
             [package.metadata.release]\n\
             {extra}",
            s.v(name)
        )
    };
    let changelog_release = "pre-release-replacements = [\n\
        \x20 {file=\"CHANGELOG.md\", search=\"Unreleased\", replace=\"{{version}}\", min=1},\n\
        \x20 {file=\"CHANGELOG.md\", search=\"\\\\.\\\\.\\\\.HEAD\", replace=\"...{{tag_name}}\", exactly=1},\n\
        \x20 {file=\"CHANGELOG.md\", search=\"ReleaseDate\", replace=\"{{date}}\", min=1},\n\
        \x20 {file=\"CHANGELOG.md\", search=\"<!-- next-header -->\", replace=\"<!-- next-header -->\\n## [Unreleased] - ReleaseDate\\n\", exactly=1},\n\
        \x20 {file=\"CHANGELOG.md\", search=\"<!-- next-url -->\", replace=\"<!-- next-url -->\\n[Unreleased]: https://github.com/clap-rs/clap/compare/{{tag_name}}...HEAD\", exactly=1},\n\
        ]\n";
    let shared =
        "shared-version = true\ndependent-version = \"upgrade\"\ntag-name = \"v{{version}}\"\n";
    vec![
        file(
            "Cargo.toml",
            format!(
                "[workspace]\n\
                 resolver = \"2\"\n\
                 members = [\n  \"clap_bench\",\n  \"clap_builder\",\n  \"clap_derive\",\n  \"clap_lex\",\n  \"clap_complete\",\n  \"clap_complete_nushell\",\n  \"clap_mangen\",\n]\n\
                 \n\
                 [workspace.package]\n\
                 repository = \"https://github.com/clap-rs/clap\"\n\
                 license = \"MIT OR Apache-2.0\"\n\
                 edition = \"2024\"\n\
                 rust-version = \"1.85\"  # MSRV\n\
                 include = [\n  \"build.rs\",\n  \"src/**/*\",\n  \"Cargo.toml\",\n  \"LICENSE*\",\n  \"README.md\",\n  \"examples/**/*\"\n]\n\
                 \n\
                 [package]\n\
                 name = \"clap\"\n\
                 version = \"{}\"\n\
                 description = \"A simple to use, efficient, and full-featured Command Line Argument Parser\"\n\
                 categories = [\"command-line-interface\"]\n\
                 keywords = [\"argument\", \"cli\", \"arg\", \"parser\", \"parse\"]\n\
                 repository.workspace = true\n\
                 license.workspace = true\n\
                 edition.workspace = true\n\
                 rust-version.workspace = true\n\
                 include.workspace = true\n\
                 \n\
                 [package.metadata.release]\n\
                 shared-version = true\n\
                 tag-name = \"v{{{{version}}}}\"\n\
                 {changelog_release}\
                 \n\
                 [features]\n\
                 default = [\"std\", \"color\", \"help\"]\n\
                 std = [\"clap_builder/std\"]\n\
                 color = [\"clap_builder/color\"]\n\
                 help = [\"clap_builder/help\"]\n\
                 derive = [\"dep:clap_derive\"]\n\
                 \n\
                 [lib]\n\
                 bench = false\n\
                 \n\
                 [dependencies]\n\
                 clap_builder = {{ path = \"./clap_builder\", version = \"={}\", default-features = false }}\n\
                 clap_derive = {{ path = \"./clap_derive\", version = \"={}\", optional = true }}\n",
                s.v("clap"),
                s.v("clap_builder"),
                s.v("clap_derive")
            ),
        ),
        file(".gitignore", "target\n"),
        file(
            "release.toml",
            "owners = [\"github:clap-rs:Admins\", \"github:rust-cli:Maintainers\"]\n\
             dependent-version = \"fix\"\n\
             allow-branch = [\"master\", \"v*-master\"]\n",
        ),
        file("src/lib.rs", lib_rs("clap")),
        file("README.md", "# clap\n\n> **Command Line Argument Parser for Rust**\n"),
        file(
            "CHANGELOG.md",
            clap_changelog(
                s,
                "clap",
                "v",
                "## 5.0.0 - TBD\n\n*available through `unstable-v5` feature flag*\n\n### Breaking Changes\n\n- Made `ArgPredicate` `non_exhaustive`\n\n",
            ),
        ),
        file(
            "clap_bench/Cargo.toml",
            format!(
                "{}\n\
                 [dev-dependencies]\n\
                 clap = {{ path = \"../\", version = \"{clap}\", default-features = false, features = [\"std\", \"help\"] }}\n\
                 \n\
                 [[bench]]\n\
                 harness = false\n\
                 name = \"empty\"\n\
                 path = \"benches/empty.rs\"\n",
                package("clap_bench", "release = false\n").replace("include.workspace = true\n", "publish = false\n")
            ),
        ),
        file("clap_bench/benches/empty.rs", MAIN_RS),
        file(
            "clap_builder/Cargo.toml",
            format!(
                "{}\n\
                 [features]\n\
                 default = [\"std\", \"color\", \"help\"]\n\
                 std = [\"clap_lex/std\"]\n\
                 color = []\n\
                 help = []\n\
                 \n\
                 [lib]\n\
                 bench = false\n\
                 \n\
                 [dependencies]\n\
                 clap_lex = {{ path = \"../clap_lex\", version = \"1.0.0\" }}\n",
                package("clap_builder", shared)
            ),
        ),
        file("clap_builder/src/lib.rs", lib_rs("clap_builder")),
        file(
            "clap_derive/Cargo.toml",
            format!(
                "{}\n\
                 [lib]\n\
                 proc-macro = true\n\
                 bench = false\n",
                package("clap_derive", shared)
            ),
        ),
        file("clap_derive/src/lib.rs", proc_macro_rs("clap_derive")),
        file(
            "clap_lex/Cargo.toml",
            format!(
                "{changelog_after}\n\
                 [features]\n\
                 default = [\"std\"]\n\
                 std = []\n\
                 \n\
                 [lib]\n\
                 bench = false\n",
                changelog_after = package("clap_lex", changelog_release)
            ),
        ),
        file("clap_lex/src/lib.rs", lib_rs("clap_lex")),
        file(
            "clap_lex/CHANGELOG.md",
            clap_changelog(s, "clap_lex", "clap_lex-v", ""),
        ),
        file(
            "clap_complete/Cargo.toml",
            format!(
                "{}\n\
                 [lib]\n\
                 bench = false\n\
                 \n\
                 [dependencies]\n\
                 clap = {{ path = \"../\", version = \"{clap}\", default-features = false, features = [\"std\"] }}\n\
                 clap_lex = {{ path = \"../clap_lex\", version = \"1.0.0\", optional = true }}\n\
                 \n\
                 [dev-dependencies]\n\
                 clap = {{ path = \"../\", version = \"{clap}\", default-features = false, features = [\"std\", \"derive\", \"help\"] }}\n\
                 \n\
                 [features]\n\
                 default = []\n\
                 unstable-dynamic = [\"dep:clap_lex\"]\n",
                package("clap_complete", changelog_release)
            ),
        ),
        file("clap_complete/src/lib.rs", lib_rs("clap_complete")),
        file(
            "clap_complete/CHANGELOG.md",
            clap_changelog(s, "clap_complete", "clap_complete-v", ""),
        ),
        file(
            "clap_complete_nushell/Cargo.toml",
            format!(
                "{}\n\
                 [lib]\n\
                 bench = false\n\
                 \n\
                 [dependencies]\n\
                 clap = {{ path = \"../\", version = \"{clap}\", default-features = false, features = [\"std\"] }}\n\
                 clap_complete = {{ path = \"../clap_complete\", version = \"4.5.51\" }}\n\
                 \n\
                 [dev-dependencies]\n\
                 clap = {{ path = \"../\", version = \"{clap}\", default-features = false, features = [\"std\", \"help\"] }}\n",
                package("clap_complete_nushell", changelog_release)
            ),
        ),
        file(
            "clap_complete_nushell/src/lib.rs",
            lib_rs("clap_complete_nushell"),
        ),
        file(
            "clap_complete_nushell/CHANGELOG.md",
            clap_changelog(s, "clap_complete_nushell", "clap_complete_nushell-v", ""),
        ),
        file(
            "clap_mangen/Cargo.toml",
            format!(
                "{}\n\
                 [lib]\n\
                 bench = false\n\
                 \n\
                 [dependencies]\n\
                 clap = {{ path = \"../\", version = \"{clap}\", default-features = false, features = [\"std\"] }}\n\
                 \n\
                 [dev-dependencies]\n\
                 clap = {{ path = \"../\", version = \"{clap}\", default-features = false, features = [\"std\", \"help\"] }}\n",
                package("clap_mangen", changelog_release)
            ),
        ),
        file("clap_mangen/src/lib.rs", lib_rs("clap_mangen")),
        file(
            "clap_mangen/CHANGELOG.md",
            clap_changelog(s, "clap_mangen", "clap_mangen-v", ""),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// serde-rs/serde
// ---------------------------------------------------------------------------------------------

/// A serde-shaped repository (serde-rs/serde, default branch `master`, annotated tags).
///
/// - Members: `serde`, `serde_core`, `serde_derive` (all 1.0.228, released together, each its own
///   `version = "1.0.228"`), `serde_derive_internals` 0.29.1, `test_suite` (package
///   `serde_test_suite` 0.0.0, unpublished). `[patch.crates-io]` for serde, serde_core,
///   serde_derive.
/// - Exact pins: serde → `serde_core = { version = "=1.0.228", path = "../serde_core", .. }`;
///   serde_core → `serde_derive = { version = "=1.0.228", path = "../serde_derive" }` under
///   `[target.'cfg(any())'.dependencies]` (never built, only there to pin). Loose: serde →
///   `serde_derive = { version = "1", optional = true, path = "../serde_derive" }`; serde_core and
///   serde_derive (dev) → `serde = { version = "1", path = "../serde" }`; test_suite → `serde = {
///   path = "../serde" }` (no version).
/// - Tags: `vX.Y.Z`, one per release of the three together (v1.0.226, v1.0.227, v1.0.228),
///   message `Release 1.0.228`.
/// - No CHANGELOG (release notes on GitHub), no Cargo.lock, no maintenance branch.
pub fn serde() -> Fixture {
    let mut b = Builder::new(
        "serde-rs",
        "serde",
        "master",
        TagKind::Annotated,
        false,
        serde_files,
    );
    b.state.set("serde_derive_internals", "0.29.1");
    for (version, on) in [
        ("1.0.226", date(2025, 9, 20)),
        ("1.0.227", date(2025, 9, 25)),
        ("1.0.228", date(2025, 9, 27)),
    ] {
        for k in ["serde", "serde_core", "serde_derive"] {
            b.state.release(k, version, on);
        }
        b.commit(&format!("Release {version}"), on);
        b.tag(&format!("v{version}"), &format!("Release {version}"));
    }
    b.work(
        "serde_core/src/lib.rs",
        &format!(
            "{}\n/// Unreleased.\npub fn unreleased() {{}}\n",
            lib_rs("serde_core")
        ),
        "Update actions/upload-artifact@v6 -> v7",
        date(2026, 6, 23),
    );
    b.finish("master")
}

fn serde_files(s: &State) -> Vec<(String, String)> {
    let package = |name: &str, version: &str| {
        format!(
            "[package]\n\
             name = \"{name}\"\n\
             version = \"{version}\"\n\
             authors = [\"Erik Tryzelaar <erick.tryzelaar@gmail.com>\", \"David Tolnay <dtolnay@gmail.com>\"]\n\
             edition = \"2021\"\n\
             license = \"MIT OR Apache-2.0\"\n\
             repository = \"https://github.com/serde-rs/serde\"\n\
             rust-version = \"1.61\"\n"
        )
    };
    vec![
        file(
            "Cargo.toml",
            "[workspace]\n\
             members = [\n    \"serde\",\n    \"serde_core\",\n    \"serde_derive\",\n    \"serde_derive_internals\",\n    \"test_suite\",\n]\n\
             resolver = \"2\"\n\
             \n\
             [patch.crates-io]\n\
             serde = { path = \"serde\" }\n\
             serde_core = { path = \"serde_core\" }\n\
             serde_derive = { path = \"serde_derive\" }\n",
        ),
        file(".gitignore", "target/\n**/*.rs.bk\n*.sw[po]\nCargo.lock\n"),
        file("README.md", "# Serde\n\n**Serde is a framework for *ser*ializing and *de*serializing Rust data structures.**\n"),
        file(
            "serde/Cargo.toml",
            format!(
                "{}\n\
                 [dependencies]\n\
                 serde_core = {{ version = \"={}\", path = \"../serde_core\", default-features = false, features = [\"result\"] }}\n\
                 serde_derive = {{ version = \"1\", optional = true, path = \"../serde_derive\" }}\n\
                 \n\
                 [features]\n\
                 default = [\"std\"]\n\
                 derive = [\"serde_derive\"]\n\
                 std = [\"serde_core/std\"]\n\
                 rc = [\"serde_core/rc\"]\n",
                package("serde", s.v("serde")),
                s.v("serde_core")
            ),
        ),
        file("serde/src/lib.rs", lib_rs("serde")),
        file(
            "serde_core/Cargo.toml",
            format!(
                "{}\n\
                 [dev-dependencies]\n\
                 serde = {{ version = \"1\", path = \"../serde\" }}\n\
                 serde_derive = {{ version = \"1\", path = \"../serde_derive\" }}\n\
                 \n\
                 # This cfg cannot be enabled, but it still forces Cargo to keep serde_derive's\n\
                 # version in lockstep with serde's, even if someone depends on the two crates\n\
                 # separately with serde's \"derive\" feature disabled. Every serde_derive release\n\
                 # is compatible with exactly one serde release because the generated code\n\
                 # involves nonpublic APIs which are not bound by semver.\n\
                 [target.'cfg(any())'.dependencies]\n\
                 serde_derive = {{ version = \"={}\", path = \"../serde_derive\" }}\n\
                 \n\
                 [features]\n\
                 default = [\"std\", \"result\"]\n\
                 std = []\n\
                 result = []\n\
                 rc = []\n",
                package("serde_core", s.v("serde_core")),
                s.v("serde_derive")
            ),
        ),
        file("serde_core/src/lib.rs", lib_rs("serde_core")),
        file(
            "serde_derive/Cargo.toml",
            format!(
                "{}\n\
                 [features]\n\
                 default = []\n\
                 deserialize_in_place = []\n\
                 \n\
                 [lib]\n\
                 name = \"serde_derive\"\n\
                 proc-macro = true\n\
                 \n\
                 [dev-dependencies]\n\
                 serde = {{ version = \"1\", path = \"../serde\" }}\n",
                package("serde_derive", s.v("serde_derive"))
            ),
        ),
        file("serde_derive/src/lib.rs", proc_macro_rs("serde_derive")),
        file(
            "serde_derive_internals/Cargo.toml",
            format!(
                "{}\n\
                 [lib]\n\
                 path = \"lib.rs\"\n",
                package("serde_derive_internals", s.v("serde_derive_internals"))
            ),
        ),
        file(
            "serde_derive_internals/lib.rs",
            lib_rs("serde_derive_internals"),
        ),
        file(
            "test_suite/Cargo.toml",
            "[package]\n\
             name = \"serde_test_suite\"\n\
             version = \"0.0.0\"\n\
             authors = [\"Erik Tryzelaar <erick.tryzelaar@gmail.com>\", \"David Tolnay <dtolnay@gmail.com>\"]\n\
             edition = \"2021\"\n\
             publish = false\n\
             \n\
             [dependencies]\n\
             serde = { path = \"../serde\" }\n\
             \n\
             [dev-dependencies]\n\
             serde = { path = \"../serde\", features = [\"rc\"] }\n\
             serde_derive = { path = \"../serde_derive\", features = [\"deserialize_in_place\"] }\n",
        ),
        file("test_suite/src/lib.rs", lib_rs("serde_test_suite")),
        file(
            "test_suite/tests/test_de.rs",
            "#[test]\nfn the_suite_sees_serde() {\n    assert_eq!(serde::name(), \"serde\");\n}\n",
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// jj-vcs/jj
// ---------------------------------------------------------------------------------------------

/// A jj-shaped repository (jj-vcs/jj, default branch `main`, lightweight tags, tracked Cargo.lock).
///
/// - One version for all: `[workspace.package] version = "0.44.0"`; every member has
///   `version = { workspace = true }` (`jj-cli` in `cli/`, `jj-lib` in `lib/`, `jj-lib-proc-macros`
///   in `lib/proc-macros/`, `gen-protos` and `testutils` unpublished) or `version.workspace = true`
///   (`jj-core` in `core/`, added after 0.44.0, unreleased).
/// - Requirements in `[workspace.dependencies]`: `jj-lib = { path = "lib", version = "0.44.0",
///   default-features = false }`, `jj-lib-proc-macros = { path = "lib/proc-macros", version =
///   "0.44.0" }`, `jj-core = { path = "core", version = "0.44.0" }`, `testutils = { path =
///   "lib/testutils" }`; members use `{ workspace = true }`. Not pins, but 0.x: `"0.44.0"` admits
///   no 0.45.
/// - Tags: `vX.Y.Z` at `release: X.Y.Z` commits (v0.42.0, v0.43.0, v0.44.0), then unreleased work.
/// - CHANGELOG.md at the root: Keep a Changelog, `## [Unreleased]` with empty `###` sections above
///   `## [0.44.0] - 2026-08-05`; `[unreleased]:` / `[0.44.0]:` compare links at the bottom.
/// - No maintenance branch.
pub fn jj() -> Fixture {
    let mut b = Builder::new("jj-vcs", "jj", "main", TagKind::Lightweight, true, jj_files);
    for (version, on) in [
        ("0.42.0", date(2026, 6, 4)),
        ("0.43.0", date(2026, 7, 1)),
        ("0.44.0", date(2026, 8, 5)),
    ] {
        b.state.release("jj", version, on);
        b.commit(&format!("release: {version}"), on);
        b.tag(&format!("v{version}"), &format!("v{version}"));
    }
    b.state.set("jj-core", "yes");
    b.commit(
        "core: split jj-core out of jj-lib (unreleased)",
        date(2026, 8, 21),
    );
    b.finish("main")
}

fn jj_files(s: &State) -> Vec<(String, String)> {
    let v = s.v("jj");
    let core = s.versions.contains_key("jj-core");
    let releases = s.releases("jj");
    let mut changelog = String::from(
        "# Changelog\n\
         \n\
         All notable changes to this project will be documented in this file.\n\
         \n\
         The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.0.0/),\n\
         and this project adheres\n\
         to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).\n\
         \n\
         ## [Unreleased]\n\
         \n\
         ### Release highlights\n\
         \n\
         ### Breaking changes\n\
         \n\
         ### Deprecations\n\
         \n\
         ### New features\n\
         \n\
         ### Fixed bugs\n\
         \n",
    );
    for (version, on) in releases {
        changelog += &format!(
            "## [{version}] - {}\n\n### Release highlights\n\n* A highlight of {version}.\n\n### Fixed bugs\n\n* A bug fixed in {version}.\n\n",
            on.iso()
        );
    }
    if let Some((newest, _)) = releases.first() {
        changelog +=
            &format!("[unreleased]: https://github.com/jj-vcs/jj/compare/v{newest}...HEAD\n");
    }
    for pair in releases.windows(2) {
        let (new, old) = (&pair[0].0, &pair[1].0);
        changelog += &format!("[{new}]: https://github.com/jj-vcs/jj/compare/v{old}...v{new}\n");
    }
    let member = |name: &str, extra: &str| {
        format!(
            "[package]\n\
             name = \"{name}\"\n\
             {extra}\
             version = {{ workspace = true }}\n\
             edition = {{ workspace = true }}\n\
             rust-version = {{ workspace = true }}\n\
             license = {{ workspace = true }}\n\
             homepage = {{ workspace = true }}\n\
             repository = {{ workspace = true }}\n"
        )
    };
    let mut files = vec![
        file(
            "Cargo.toml",
            format!(
                "cargo-features = []\n\
                 \n\
                 [workspace]\n\
                 resolver = \"3\"\n\
                 members = [\n    \"cli\",\n{}    \"lib\",\n    \"lib/gen-protos\",\n    \"lib/proc-macros\",\n    \"lib/testutils\",\n]\n\
                 \n\
                 [workspace.package]\n\
                 version = \"{v}\"\n\
                 license = \"Apache-2.0\"\n\
                 rust-version = \"1.89\" # NOTE: remember to update CI, mise.toml, contributing.md, changelog.md, and install-and-setup.md\n\
                 edition = \"2024\"\n\
                 readme = \"README.md\"\n\
                 homepage = \"https://www.jj-vcs.dev/\"\n\
                 repository = \"https://github.com/jj-vcs/jj\"\n\
                 \n\
                 [workspace.dependencies]\n\
                 # put all inter-workspace libraries, i.e. those that use 'path = ...' here in\n\
                 # their own (alphabetically sorted) block\n\
                 \n\
                 {}jj-lib = {{ path = \"lib\", version = \"{v}\", default-features = false }}\n\
                 jj-lib-proc-macros = {{ path = \"lib/proc-macros\", version = \"{v}\" }}\n\
                 testutils = {{ path = \"lib/testutils\" }}\n",
                if core { "    \"core\",\n" } else { "" },
                if core {
                    format!("jj-core = {{ path = \"core\", version = \"{v}\" }}\n")
                } else {
                    String::new()
                }
            ),
        ),
        file(".gitignore", "/target/\n"),
        file("README.md", "# Jujutsu—a version control system\n"),
        file("CHANGELOG.md", changelog),
        file(
            "cli/Cargo.toml",
            format!(
                "{}\
                 \n\
                 [[bin]]\n\
                 name = \"jj\"\n\
                 path = \"src/main.rs\"\n\
                 \n\
                 [dependencies]\n\
                 jj-lib = {{ workspace = true }}\n\
                 \n\
                 [dev-dependencies]\n\
                 testutils = {{ workspace = true }}\n\
                 \n\
                 [features]\n\
                 default = [\"git\"]\n\
                 git = [\"jj-lib/git\"]\n",
                member("jj-cli", "description = \"Jujutsu - an experimental version control system\"\nautotests = false\n")
            ),
        ),
        file("cli/src/lib.rs", lib_rs("jj-cli")),
        file("cli/src/main.rs", MAIN_RS),
        file(
            "lib/Cargo.toml",
            format!(
                "{}\
                 \n\
                 [dependencies]\n\
                 {}jj-lib-proc-macros = {{ workspace = true }}\n\
                 \n\
                 [dev-dependencies]\n\
                 testutils = {{ workspace = true }}\n\
                 \n\
                 [features]\n\
                 default = [\"git\"]\n\
                 git = []\n\
                 testing = [\"git\"]\n",
                member("jj-lib", "description = \"Library for Jujutsu - an experimental version control system\"\n"),
                if core { "jj-core = { workspace = true }\n" } else { "" }
            ),
        ),
        file("lib/src/lib.rs", lib_rs("jj-lib")),
        file(
            "lib/gen-protos/Cargo.toml",
            format!(
                "{}\n[dependencies]\n",
                member("gen-protos", "publish = false\n")
            ),
        ),
        file("lib/gen-protos/src/main.rs", MAIN_RS),
        file(
            "lib/proc-macros/Cargo.toml",
            format!(
                "{}\n[lib]\nproc-macro = true\n",
                member("jj-lib-proc-macros", "description = \"Proc-macros for jj-lib\"\n")
            ),
        ),
        file(
            "lib/proc-macros/src/lib.rs",
            proc_macro_rs("jj-lib-proc-macros"),
        ),
        file(
            "lib/testutils/Cargo.toml",
            format!(
                "{}\n[dependencies]\njj-lib = {{ workspace = true, features = [\"testing\"] }}\n",
                member("testutils", "publish = false\n")
            ),
        ),
        file("lib/testutils/src/lib.rs", lib_rs("testutils")),
    ];
    if core {
        files.push(file(
            "core/Cargo.toml",
            "[package]\n\
             name = \"jj-core\"\n\
             version.workspace = true\n\
             license.workspace = true\n\
             rust-version.workspace = true\n\
             edition.workspace = true\n\
             readme.workspace = true\n\
             homepage.workspace = true\n\
             repository.workspace = true\n",
        ));
        files.push(file("core/src/lib.rs", lib_rs("jj-core")));
    }
    files
}

// ---------------------------------------------------------------------------------------------
// rustls/rustls
// ---------------------------------------------------------------------------------------------

/// A rustls-shaped repository (rustls/rustls, default branch `main`, lightweight tags `v/X.Y.Z`,
/// tracked Cargo.lock with registry crates).
///
/// - Members (of the 0.23 line): `rustls` 0.23.43, `rustls-post-quantum` 0.2.2, and the unpublished
///   `rustls-test` 0.1.0, `rustls-examples` 0.0.1 (in `examples/`), `rustls-ci-bench` 0.0.1 (in
///   `ci-bench/`); `[patch.crates-io] rustls = { path = "rustls" }`.
/// - Requirements on rustls: rustls-post-quantum → `rustls = { version = "0.23.22", features =
///   [..], path = "../rustls" }`; the others `rustls = { path = "../rustls", .. }` (no version).
/// - Tags: `v/X.Y.Z` for rustls (v/0.23.29 on main, then v/0.23.42, v/0.23.43 on `rel-0.23`),
///   `rustls-post-quantum-v/X.Y.Z`; tags are made with `git tag -m` per RELEASING.md, but the
///   snapshot's are lightweight, as here.
/// - Maintenance branch `rel-0.23` (RELEASING.md: "e.g. `rel-0.21` for point releases in the
///   `0.21.x` series", made from the previous release's tag); `main` is at `0.24.0-dev.1`.
/// - CHANGELOG.md: no release headings at all, only a pointer to GitHub releases.
/// - Cargo.lock: tracked. Registry crates from `vendor/` (a directory source replacing crates.io in
///   `.cargo/config.toml`): `aws-lc-sys` (via rustls's optional `aws-lc-rs`) build-depends on
///   `bindgen`, which requires `itertools = ">=0.10.5, <0.14"` and is locked to 0.10.5, although
///   0.13.0 (for `criterion`, a dev-dependency of ci-bench) and 0.14.0 (ci-bench's own) are locked
///   too: `cargo update` would move bindgen's to 0.13.0; a hotfix must not.
pub fn rustls() -> Fixture {
    let mut b = Builder::new(
        "rustls",
        "rustls",
        "main",
        TagKind::Lightweight,
        true,
        rustls_files,
    );
    b.fixup = Some(bindgen_keeps_itertools_0_10);
    b.state.set("rustls-post-quantum", "0.2.2");
    b.state.set("vendor-stage", "1");
    b.state.release("rustls", "0.23.29", date(2025, 7, 3));
    b.commit("Prepare 0.23.29", date(2025, 7, 3));
    b.tag("v/0.23.29", "0.23.29");
    b.tag("rustls-post-quantum-v/0.2.2", "0.2.2");
    // The crates.io side moves on: criterion (itertools 0.13) and itertools 0.14 arrive, and the
    // lock file keeps bindgen's itertools 0.10.5 (cargo adds, it does not upgrade).
    b.state.set("vendor-stage", "2");
    b.commit("ci-bench: use criterion", date(2025, 8, 1));
    let at_29 = b.state.clone();
    b.checkout(&["-b", "rel-0.23", "v/0.23.29"]);
    b.state.set("vendor-stage", "2");
    b.commit("ci-bench: use criterion (backport)", date(2025, 8, 2));
    b.state.release("rustls", "0.23.42", date(2026, 7, 13));
    b.commit("Bump version to 0.23.42", date(2026, 7, 13));
    b.tag("v/0.23.42", "0.23.42");
    b.state.release("rustls", "0.23.43", date(2026, 7, 29));
    b.commit("Prepare 0.23.43", date(2026, 7, 29));
    b.tag("v/0.23.43", "0.23.43");
    b.checkout(&["main"]);
    b.state = at_29;
    b.state.set("rustls", "0.24.0-dev.1");
    b.state.set("rustls-post-quantum", "0.3.0-dev.2");
    b.commit("Bump version to 0.24.0-dev.1", date(2026, 8, 19));
    b.finish("main")
}

/// rustls's lock file has bindgen (a build dependency of aws-lc-sys) on itertools 0.10.5 although
/// 0.13.0, which its requirement also admits, is locked for criterion: left so by the order the
/// crates arrived in. cargo, resolving afresh, would take 0.13.0; this edit puts the lock file
/// back the way the project's is.
fn bindgen_keeps_itertools_0_10(work: &Path) {
    let path = work.join("Cargo.lock");
    let text = super::read(&path);
    let Some(start) = text.find("name = \"bindgen\"") else {
        return;
    };
    let end = text[start..].find("\n\n").map_or(text.len(), |n| start + n);
    let block = text[start..end].replace("\"itertools 0.13.0\"", "\"itertools 0.10.5\"");
    write(&path, &format!("{}{block}{}", &text[..start], &text[end..]));
}

/// A vendored registry crate (as `cargo vendor` writes it): manifest, `lib.rs`, checksum file.
fn vendored(name: &str, version: &str, deps: &str) -> Vec<(String, String)> {
    let dir = format!("vendor/{name}-{version}");
    // Any 64 hex digits: a directory source only compares it with the lock file's.
    let checksum: String = format!("{name}{version}")
        .bytes()
        .map(|b| format!("{:02x}", b))
        .collect::<String>()
        .chars()
        .cycle()
        .take(64)
        .collect();
    vec![
        file(
            &format!("{dir}/Cargo.toml"),
            format!(
                "[package]\nname = \"{name}\"\nversion = \"{version}\"\nedition = \"2018\"\n\n[lib]\npath = \"lib.rs\"\n{deps}"
            ),
        ),
        file(&format!("{dir}/lib.rs"), ""),
        file(
            &format!("{dir}/.cargo-checksum.json"),
            format!("{{\"files\":{{}},\"package\":\"{checksum}\"}}"),
        ),
    ]
}

fn rustls_files(s: &State) -> Vec<(String, String)> {
    let stage2 = s.v("vendor-stage") == "2";
    let mut files = vec![
        file(
            "Cargo.toml",
            format!(
                "[workspace]\n\
                 members = [\n  # CI benchmarks\n  \"ci-bench\",\n  # tests and example code\n  \"examples\",\n  # the main library and tests\n  \"rustls\",\n  # common code for testing the core crate\n  \"rustls-test\",\n  # experimental post-quantum algorithm support\n  \"rustls-post-quantum\",\n]\n\
                 \n\
                 ## Deliberately not included in `members`:\n\
                 exclude = [\n  # vendored crates.io sources\n  \"vendor\",\n]\n\
                 \n\
                 resolver = \"2\"\n\
                 \n\
                 [workspace.dependencies]\n\
                 aws-lc-rs = {{ version = \"1.13\", default-features = false }}\n\
                 {}rustls-test = {{ path = \"rustls-test/\" }}\n\
                 \n\
                 [patch.crates-io]\n\
                 rustls = {{ path = \"rustls\" }}\n",
                if stage2 {
                    "criterion = \"0.5\"\nitertools = \"0.14\"\n"
                } else {
                    ""
                }
            ),
        ),
        file(".gitignore", "target/\n"),
        file("README.md", "# Rustls is a modern TLS library written in Rust.\n"),
        file(
            ".cargo/config.toml",
            "[source.crates-io]\nreplace-with = \"vendored-sources\"\n\n[source.vendored-sources]\ndirectory = \"vendor\"\n",
        ),
        file(
            "CHANGELOG.md",
            "# Changelog\n\nThe detailed list of changes in each release can be found at\nhttps://github.com/rustls/rustls/releases.\n",
        ),
        file(
            "RELEASING.md",
            "## Making a release\n\n1. Tag the released version: eg. `git tag -m '0.20.0' v/0.20.0`\n2. Push the tag: eg. `git push origin v/0.20.0`\n\n## Maintenance point releases\n\n1. Check if there is an existing release branch, e.g. `rel-0.21` for point releases in the `0.21.x` series.\n",
        ),
        file(
            "rustls/Cargo.toml",
            format!(
                "[package]\n\
                 name = \"rustls\"\n\
                 version = \"{}\"\n\
                 edition = \"2021\"\n\
                 rust-version = \"1.71\"\n\
                 license = \"Apache-2.0 OR ISC OR MIT\"\n\
                 readme = \"../README.md\"\n\
                 description = \"Rustls is a modern TLS library written in Rust.\"\n\
                 homepage = \"https://github.com/rustls/rustls\"\n\
                 repository = \"https://github.com/rustls/rustls\"\n\
                 categories = [\"network-programming\", \"cryptography\"]\n\
                 autobenches = false\n\
                 \n\
                 [features]\n\
                 default = [\"logging\", \"std\", \"tls12\"]\n\
                 aws_lc_rs = [\"dep:aws-lc-rs\"]\n\
                 logging = []\n\
                 prefer-post-quantum = [\"aws_lc_rs\"]\n\
                 std = []\n\
                 tls12 = []\n\
                 \n\
                 [dependencies]\n\
                 aws-lc-rs = {{ workspace = true, optional = true }}\n",
                s.v("rustls")
            ),
        ),
        file("rustls/src/lib.rs", lib_rs("rustls")),
        file(
            "rustls-post-quantum/Cargo.toml",
            format!(
                "[package]\n\
                 name = \"rustls-post-quantum\"\n\
                 version = \"{}\"\n\
                 edition = \"2021\"\n\
                 rust-version = \"1.71\"\n\
                 license = \"Apache-2.0 OR ISC OR MIT\"\n\
                 description = \"Experimental support for post-quantum key exchange in rustls\"\n\
                 \n\
                 [dependencies]\n\
                 {}\n",
                s.v("rustls-post-quantum"),
                if s.v("rustls").starts_with("0.23.") {
                    "rustls = { version = \"0.23.22\", features = [\"aws_lc_rs\", \"prefer-post-quantum\"], path = \"../rustls\" }"
                } else {
                    "rustls = { path = \"../rustls\", version = \"0.24.0-dev.0\", default-features = false }"
                }
            ),
        ),
        file(
            "rustls-post-quantum/src/lib.rs",
            lib_rs("rustls-post-quantum"),
        ),
        file(
            "rustls-test/Cargo.toml",
            "[package]\n\
             name = \"rustls-test\"\n\
             version = \"0.1.0\"\n\
             edition = \"2021\"\n\
             publish = false\n\
             \n\
             [dependencies]\n\
             rustls = { path = \"../rustls\", default-features = false, features = [\"std\", \"tls12\"] }\n",
        ),
        file("rustls-test/src/lib.rs", lib_rs("rustls-test")),
        file(
            "examples/Cargo.toml",
            "[package]\n\
             name = \"rustls-examples\"\n\
             version = \"0.0.1\"\n\
             edition = \"2021\"\n\
             license = \"Apache-2.0 OR ISC OR MIT\"\n\
             description = \"Rustls example code and tests.\"\n\
             publish = false\n\
             \n\
             [dependencies]\n\
             rustls = { path = \"../rustls\", features = [\"logging\"] }\n",
        ),
        file("examples/src/lib.rs", lib_rs("rustls-examples")),
        file(
            "ci-bench/Cargo.toml",
            format!(
                "[package]\n\
                 name = \"rustls-ci-bench\"\n\
                 version = \"0.0.1\"\n\
                 edition = \"2021\"\n\
                 license = \"Apache-2.0 OR ISC OR MIT\"\n\
                 description = \"Rustls CI benchmarks\"\n\
                 publish = false\n\
                 \n\
                 [dependencies]\n\
                 {}rustls = {{ path = \"../rustls\", features = [\"aws_lc_rs\"] }}\n\
                 rustls-test = {{ workspace = true }}\n",
                if stage2 {
                    "criterion = { workspace = true }\nitertools = { workspace = true }\n"
                } else {
                    ""
                }
            ),
        ),
        file("ci-bench/src/main.rs", MAIN_RS),
    ];
    files.extend(vendored(
        "aws-lc-rs",
        "1.13.3",
        "\n[dependencies]\naws-lc-sys = \"0.30\"\n",
    ));
    files.extend(vendored(
        "aws-lc-sys",
        "0.30.0",
        "\n[build-dependencies]\nbindgen = \"0.69\"\n",
    ));
    files.extend(vendored(
        "bindgen",
        "0.69.5",
        "\n[dependencies]\nitertools = { version = \">=0.10.5, <0.14\", default-features = false }\n",
    ));
    files.extend(vendored("itertools", "0.10.5", ""));
    if stage2 {
        files.extend(vendored(
            "criterion",
            "0.5.1",
            "\n[dependencies]\ncriterion-plot = \"0.5\"\nitertools = \"0.13\"\n",
        ));
        files.extend(vendored(
            "criterion-plot",
            "0.5.0",
            "\n[dependencies]\nitertools = \"0.10\"\n",
        ));
        files.extend(vendored("itertools", "0.13.0", ""));
        files.extend(vendored("itertools", "0.14.0", ""));
    }
    files
}

/// What a maintainer adds before a drill when the defaults do not fit the project (the tag
/// prefix of `v`-less tags, say): `settings` (lines of TOML) appended to the root Cargo.toml as
/// `[workspace.metadata.hotfix]`, committed on the checked-out branch and pushed.
pub fn configure(fx: &Fixture, settings: &str) {
    let manifest = fx.work.join("Cargo.toml");
    let text = super::read(&manifest);
    write(
        &manifest,
        &format!("{text}\n[workspace.metadata.hotfix]\n{settings}"),
    );
    git(
        &fx.work,
        &["commit", "-q", "-am", "chore: configure caro-hotfix"],
    );
    git(&fx.work, &["push", "-q", "origin", "HEAD"]);
}

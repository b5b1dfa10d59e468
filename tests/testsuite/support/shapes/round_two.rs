//! The second round of real shapes (issue 26): hyper, tracing, rust-openssl, bitflags and caro —
//! other tag schemes (`v1.11.0` and `v0.14.32` on `0.14.x`; `tracing-0.1.44`; `openssl-v0.10.73`
//! beside a `v0.9.23` of 2017; bare `2.13.1`), other maintenance branches (`0.14.x`, a stale
//! `v0.1.x`, `0.9.x`, `release/1.x`) and other CHANGELOG tools (clog's `## v1.11.0 (…)` over
//! `#### Bug Fixes`, tokio-style `# 0.1.44 (December 18, 2025)` over `### Fixed`, Keep a Changelog
//! with `[v0.10.73]` and `*` items, GitHub's generated `## What's Changed`), and a Cargo.lock that
//! lags its manifest at the tag (caro's `v1.1.3`). Read with the `fetch` tool from the projects'
//! snapshots (hyperium/hyper 8fcaf1a6, tokio-rs/tracing f40ccdaa, sfackler/rust-openssl 88b06860,
//! bitflags/bitflags c3f8d31d, wildcard/caro at tag v1.1.3); what each copies is in its docs.
//! Like the first round: manifests, tags, branches, CHANGELOG shapes and lock files, no code.

use super::{date, file, lib_rs, Builder, State, TagKind, MAIN_RS};
use crate::support::Fixture;

// ---------------------------------------------------------------------------------------------
// hyperium/hyper
// ---------------------------------------------------------------------------------------------

/// A hyper-shaped repository (hyperium/hyper, default branch `master`, lightweight tags).
///
/// - One package at the root, `hyper`, no workspace, no Cargo.lock.
/// - Tags `vX.Y.Z`: v0.14.30, v0.14.31, v0.14.32 (2024-12-16) on the maintenance branch `0.14.x`
///   (beside `0.10.x` … `0.13.x` in the real repository; `0.13.x` is copied), v1.10.0, v1.10.1,
///   v1.11.0 (2026-07-20) on master, then unreleased work in `src/`. A branch
///   `noah/error-speed-backports` (a person's, from before v1.11.0) is there too.
/// - CHANGELOG.md written by clog: minor releases `## v1.11.0 (2026-07-20)`, patch releases
///   `### v1.10.1 (2026-05-29)`, two blank lines, `#### Bug Fixes`, a blank line, `*` items
///   (`* **http1:** …`), nested items indented by two spaces.
pub fn hyper() -> Fixture {
    let mut b = Builder::new(
        "hyperium",
        "hyper",
        "master",
        TagKind::Lightweight,
        false,
        hyper_files,
    );
    b.state.release("hyper", "0.13.10", date(2021, 1, 21));
    b.commit("v0.13.10", date(2021, 1, 21));
    b.tag("v0.13.10", "v0.13.10");
    b.checkout(&["-b", "0.13.x"]);
    b.checkout(&["master"]);
    b.state.release("hyper", "0.14.30", date(2024, 7, 1));
    b.commit("v0.14.30", date(2024, 7, 1));
    b.tag("v0.14.30", "v0.14.30");
    let at_014 = b.state.clone();
    b.checkout(&["-b", "0.14.x"]);
    b.state.release("hyper", "0.14.31", date(2024, 10, 15));
    b.commit("v0.14.31", date(2024, 10, 15));
    b.tag("v0.14.31", "v0.14.31");
    b.state.release("hyper", "0.14.32", date(2024, 12, 16));
    b.commit("v0.14.32", date(2024, 12, 16));
    b.tag("v0.14.32", "v0.14.32");
    b.checkout(&["master"]);
    b.state = at_014;
    b.state.release("hyper", "1.10.0", date(2026, 5, 27));
    b.commit("v1.10.0", date(2026, 5, 27));
    b.tag("v1.10.0", "v1.10.0");
    b.checkout(&["-b", "noah/error-speed-backports"]);
    b.checkout(&["master"]);
    b.state.release("hyper", "1.10.1", date(2026, 5, 29));
    b.commit("v1.10.1", date(2026, 5, 29));
    b.tag("v1.10.1", "v1.10.1");
    b.state.release("hyper", "1.11.0", date(2026, 7, 20));
    b.commit("v1.11.0", date(2026, 7, 20));
    b.tag("v1.11.0", "v1.11.0");
    b.work(
        "src/lib.rs",
        &format!("{}\n/// Unreleased.\npub fn next() {{}}\n", lib_rs("hyper")),
        "feat(client): unreleased work (#4130)",
        date(2026, 8, 17),
    );
    b.finish("master")
}

fn hyper_files(s: &State) -> Vec<(String, String)> {
    let mut changelog = String::new();
    for (i, (version, on)) in s.releases("hyper").iter().enumerate() {
        let level = if version.ends_with(".0") { "##" } else { "###" };
        let sha = format!("{:08x}", 0x540f_ff91_u32 - i as u32);
        changelog += &format!(
            "{level} v{version} ({})\n\n\n#### Bug Fixes\n\n* **http1:**\n  * discard a header of {version} (#{n}) ([{sha}](https://github.com/hyperium/hyper/commit/{sha}))\n* **http2:** avoid buffering (#{m}) ([{sha}](https://github.com/hyperium/hyper/commit/{sha}))\n\n\n",
            on.iso(),
            n = 4124 - i,
            m = 4102 - i,
        );
    }
    vec![
        file(
            "Cargo.toml",
            format!(
                "[package]\nname = \"hyper\"\nversion = \"{}\"\ndescription = \"A protective and efficient HTTP library for all.\"\nreadme = \"README.md\"\nhomepage = \"https://hyper.rs\"\ndocumentation = \"https://docs.rs/hyper\"\nrepository = \"https://github.com/hyperium/hyper\"\nlicense = \"MIT\"\nauthors = [\"Sean McArthur <sean@seanmonstar.com>\"]\nedition = \"2021\"\nrust-version = \"1.63\" # keep in sync with MSRV.md dev doc\n\ninclude = [\n  \"Cargo.toml\",\n  \"LICENSE\",\n  \"src/**/*\",\n]\n",
                s.v("hyper")
            ),
        ),
        file("src/lib.rs", lib_rs("hyper")),
        file("CHANGELOG.md", changelog),
        file(".gitignore", "target\nCargo.lock\n"),
    ]
}

// ---------------------------------------------------------------------------------------------
// tokio-rs/tracing
// ---------------------------------------------------------------------------------------------

/// A tracing-shaped repository (tokio-rs/tracing, default branch `main`, lightweight tags).
///
/// - A virtual workspace (`resolver = "2"`): `tracing` 0.1.44, `tracing-core` 0.1.36 (of the
///   sixteen members, the two the release needs). tracing → `tracing-core = { path =
///   "../tracing-core", version = "0.1.36", default-features = false }`.
/// - Tags `<crate>-X.Y.Z`: tracing-core-0.1.35, tracing-0.1.43, tracing-core-0.1.36,
///   tracing-0.1.44 (2025-12-18), all on `main`.
/// - Branches `v0.1.x` (last commit 2025-06-09, at tracing 0.1.41: it does not hold
///   tracing-0.1.44, which was released from `main`), `v0.2.x` and `master` (the old 0.2 work).
/// - CHANGELOGs per crate (`tracing/CHANGELOG.md`): `# 0.1.44 (December 18, 2025)`, a blank line,
///   `### Fixed` / `### Changed`, a blank line, `-` items, `[#3432]: …` links after each release.
pub fn tracing() -> Fixture {
    let mut b = Builder::new(
        "tokio-rs",
        "tracing",
        "main",
        TagKind::Lightweight,
        false,
        tracing_files,
    );
    b.state.release("tracing-core", "0.1.34", date(2025, 6, 6));
    b.state.release("tracing", "0.1.41", date(2024, 11, 27));
    b.commit("chore: prepare tracing 0.1.41", date(2025, 6, 9));
    b.checkout(&["-b", "v0.1.x"]);
    b.checkout(&["-b", "v0.2.x"]);
    b.checkout(&["-b", "master"]);
    b.checkout(&["main"]);
    b.state
        .release("tracing-core", "0.1.35", date(2025, 11, 26));
    b.commit("chore: prepare tracing-core 0.1.35", date(2025, 11, 26));
    b.tag("tracing-core-0.1.35", "");
    b.state.release("tracing", "0.1.43", date(2025, 11, 28));
    b.commit("chore: prepare tracing 0.1.43 (#3426)", date(2025, 11, 28));
    b.tag("tracing-0.1.43", "");
    b.state
        .release("tracing-core", "0.1.36", date(2025, 12, 18));
    b.commit("chore: prepare tracing-core 0.1.36", date(2025, 12, 18));
    b.tag("tracing-core-0.1.36", "");
    b.state.release("tracing", "0.1.44", date(2025, 12, 18));
    b.commit("chore: prepare tracing 0.1.44 (#3441)", date(2025, 12, 18));
    b.tag("tracing-0.1.44", "");
    b.work(
        "tracing/src/lib.rs",
        &format!(
            "{}\n/// Unreleased.\npub fn next() {{}}\n",
            lib_rs("tracing")
        ),
        "tracing: unreleased work (#3460)",
        date(2026, 4, 29),
    );
    b.finish("main")
}

fn tracing_changelog(s: &State, krate: &str) -> String {
    let mut text = String::new();
    for (i, (version, on)) in s.releases(krate).iter().enumerate() {
        let pr = 3432 - i;
        text += &format!(
            "# {version} ({})\n\n### Fixed\n\n- Fix a bug of {version} ([#{pr}])\n\n### Changed\n\n- `tracing-core`: updated ([#{}])\n\n[#{pr}]: https://github.com/tokio-rs/tracing/pull/{pr}\n[#{}]: https://github.com/tokio-rs/tracing/pull/{}\n\n",
            long_no_ordinal(on),
            pr + 8,
            pr + 8,
            pr + 8
        );
    }
    text
}

/// tracing's dates: `December 18, 2025` (no ordinal).
fn long_no_ordinal(on: &super::Date) -> String {
    let long = on.long();
    let (month_day, year) = long.split_once(", ").unwrap_or((&long, ""));
    let month_day = month_day.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let month_day = if month_day.ends_with(char::is_numeric) {
        month_day.to_string()
    } else {
        long.clone()
    };
    format!("{month_day}, {year}")
}

fn tracing_files(s: &State) -> Vec<(String, String)> {
    vec![
        file(
            "Cargo.toml",
            "[workspace]\nresolver = \"2\"\nmembers = [\n    \"tracing\",\n    \"tracing-core\",\n]\n",
        ),
        file(
            "tracing/Cargo.toml",
            format!(
                "[package]\nname = \"tracing\"\n# When releasing to crates.io:\n# - Remove path dependencies\n# - Update doc url in README.md.\n# - Update CHANGELOG.md.\n# - Create \"tracing-0.1.x\" git tag\nversion = \"{}\"\nlicense = \"MIT\"\nrepository = \"https://github.com/tokio-rs/tracing\"\nedition = \"2018\"\nrust-version = \"1.65.0\"\n\n[dependencies]\ntracing-core = {{ path = \"../tracing-core\", version = \"{}\", default-features = false }}\n",
                s.v("tracing"),
                s.v("tracing-core")
            ),
        ),
        file("tracing/src/lib.rs", lib_rs("tracing")),
        file("tracing/CHANGELOG.md", tracing_changelog(s, "tracing")),
        file(
            "tracing-core/Cargo.toml",
            format!(
                "[package]\nname = \"tracing-core\"\n# When releasing to crates.io:\n# - Create \"tracing-core-0.1.x\" git tag.\nversion = \"{}\"\nlicense = \"MIT\"\nrepository = \"https://github.com/tokio-rs/tracing\"\nedition = \"2018\"\nrust-version = \"1.65.0\"\n\n[features]\ndefault = [\"std\"]\nstd = []\n",
                s.v("tracing-core")
            ),
        ),
        file("tracing-core/src/lib.rs", lib_rs("tracing-core")),
        file(
            "tracing-core/CHANGELOG.md",
            tracing_changelog(s, "tracing-core"),
        ),
        file(".gitignore", "target\nCargo.lock\n"),
    ]
}

// ---------------------------------------------------------------------------------------------
// sfackler/rust-openssl
// ---------------------------------------------------------------------------------------------

/// A rust-openssl-shaped repository (sfackler/rust-openssl, default branch `master`, annotated
/// tags).
///
/// - A virtual workspace (`resolver = "2"`): `openssl` 0.10.73, `openssl-sys` 0.9.109,
///   `openssl-macros` 0.1.1 (and, in the real one, `openssl-errors` and the unpublished
///   `systest`). openssl → `openssl-macros = { version = "0.1.1", path = "../openssl-macros" }` and
///   `ffi = { package = "openssl-sys", version = "0.9.109", path = "../openssl-sys" }` (a rename).
/// - Tags: `v0.9.23` (2017, openssl 0.9.23, before the crates had tags of their own; on the branch
///   `0.9.x`), then `openssl-vX.Y.Z` and `openssl-sys-vX.Y.Z`: openssl-sys-v0.9.108, openssl-v0.10.72,
///   openssl-sys-v0.9.109, openssl-v0.10.73 (2025-05-28).
/// - CHANGELOGs `openssl/CHANGELOG.md` and `openssl-sys/CHANGELOG.md`: `# Change Log`,
///   `## [Unreleased]`, `## [v0.10.73] - 2025-05-28` (a `v` inside the brackets), `### Fixed`, a
///   blank line, `*` items; link definitions at the bottom, labelled `[v0.10.73]`, comparing
///   `openssl-v0.10.72...openssl-v0.10.73`, `[Unreleased]` comparing `openssl-v0.10.73...master`.
/// - No Cargo.lock.
pub fn openssl() -> Fixture {
    let mut b = Builder::new(
        "sfackler",
        "rust-openssl",
        "master",
        TagKind::Annotated,
        false,
        openssl_files,
    );
    b.state.release("openssl", "0.9.23", date(2017, 12, 5));
    b.state.release("openssl-sys", "0.9.23", date(2017, 12, 5));
    b.state.set("openssl-macros", "0.1.0");
    b.commit("Release v0.9.23", date(2017, 12, 5));
    b.tag("v0.9.23", "v0.9.23");
    b.checkout(&["-b", "0.9.x"]);
    b.checkout(&["master"]);
    b.state.set("openssl-macros", "0.1.1");
    b.state.release("openssl-sys", "0.9.108", date(2025, 4, 30));
    b.commit("Release openssl-sys v0.9.108", date(2025, 4, 30));
    b.tag("openssl-sys-v0.9.108", "openssl-sys-v0.9.108");
    b.state.release("openssl", "0.10.72", date(2025, 4, 4));
    b.commit("Release openssl v0.10.72", date(2025, 5, 1));
    b.tag("openssl-v0.10.72", "openssl-v0.10.72");
    b.state.release("openssl-sys", "0.9.109", date(2025, 5, 28));
    b.state.release("openssl", "0.10.73", date(2025, 5, 28));
    b.commit(
        "Release openssl v0.10.73, openssl-sys v0.9.109",
        date(2025, 5, 28),
    );
    b.tag("openssl-sys-v0.9.109", "openssl-sys-v0.9.109");
    b.tag("openssl-v0.10.73", "openssl-v0.10.73");
    b.work(
        "openssl/src/lib.rs",
        &format!(
            "{}\n/// Unreleased.\npub fn next() {{}}\n",
            lib_rs("openssl")
        ),
        "Add a binding (#2430)",
        date(2025, 9, 13),
    );
    b.finish("master")
}

fn openssl_changelog(s: &State, krate: &str) -> String {
    let releases = s.releases(krate);
    let mut text = String::from("# Change Log\n\n## [Unreleased]\n\n");
    for (version, on) in releases {
        text += &format!(
            "## [v{version}] - {}\n\n### Fixed\n\n* Fixed building on the latest BoringSSL ({version}).\n\n",
            on.iso()
        );
    }
    let tag = |v: &str| {
        if v.starts_with("0.9.23") {
            "v0.9.23".to_string()
        } else {
            format!("{krate}-v{v}")
        }
    };
    if let Some((newest, _)) = releases.first() {
        text += &format!(
            "[Unreleased]: https://github.com/sfackler/rust-openssl/compare/{}...master\n",
            tag(newest)
        );
    }
    for pair in releases.windows(2) {
        text += &format!(
            "[v{}]: https://github.com/sfackler/rust-openssl/compare/{}...{}\n",
            pair[0].0,
            tag(&pair[1].0),
            tag(&pair[0].0)
        );
    }
    text
}

fn openssl_files(s: &State) -> Vec<(String, String)> {
    let package = |name: &str, extra: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"{}\"\nauthors = [\"Steven Fackler <sfackler@gmail.com>\"]\nlicense = \"Apache-2.0\"\nrepository = \"https://github.com/sfackler/rust-openssl\"\nedition = \"2021\"\nrust-version = \"1.63.0\"\n{extra}",
            s.v(name)
        )
    };
    vec![
        file(
            "Cargo.toml",
            "[workspace]\nresolver = \"2\"\nmembers = [\n    \"openssl\",\n    \"openssl-macros\",\n    \"openssl-sys\",\n]\n",
        ),
        file(
            "openssl/Cargo.toml",
            package(
                "openssl",
                &format!(
                    "\n[dependencies]\nopenssl-macros = {{ version = \"{}\", path = \"../openssl-macros\" }}\nffi = {{ package = \"openssl-sys\", version = \"{}\", path = \"../openssl-sys\" }}\n",
                    s.v("openssl-macros"),
                    s.v("openssl-sys")
                ),
            ),
        ),
        file("openssl/src/lib.rs", lib_rs("openssl")),
        file("openssl/CHANGELOG.md", openssl_changelog(s, "openssl")),
        file("openssl-sys/Cargo.toml", package("openssl-sys", "")),
        file("openssl-sys/src/lib.rs", lib_rs("openssl-sys")),
        file(
            "openssl-sys/CHANGELOG.md",
            openssl_changelog(s, "openssl-sys"),
        ),
        file("openssl-macros/Cargo.toml", package("openssl-macros", "")),
        file("openssl-macros/src/lib.rs", lib_rs("openssl-macros")),
        file(".gitignore", "target\nCargo.lock\n"),
    ]
}

// ---------------------------------------------------------------------------------------------
// bitflags/bitflags
// ---------------------------------------------------------------------------------------------

/// A bitflags-shaped repository (bitflags/bitflags, default branch `main`, lightweight tags).
///
/// - One package at the root, `bitflags` 2.13.1 (`# NB: When modifying, also modify the number in
///   readme` above its version), no workspace, no Cargo.lock.
/// - Tags: bare `X.Y.Z`: 1.3.1, 1.3.2 on the branch `release/1.x`, 2.12.1, 2.13.0, 2.13.1
///   (2026-07-16) on main.
/// - CHANGELOG.md: since 2.x GitHub's generated notes, `# 2.13.1`, a blank line, `## What's
///   Changed`, `*` items (`* … by @user in https://…/pull/492`), `**Full Changelog**: …`; the 1.x
///   sections `# 1.3.2` over `-` items.
pub fn bitflags() -> Fixture {
    let mut b = Builder::new(
        "bitflags",
        "bitflags",
        "main",
        TagKind::Lightweight,
        false,
        bitflags_files,
    );
    b.state.release("bitflags", "1.3.1", date(2021, 8, 18));
    b.commit("prepare for 1.3.1 release", date(2021, 8, 18));
    b.tag("1.3.1", "");
    let at_13 = b.state.clone();
    b.checkout(&["-b", "release/1.x"]);
    b.state.release("bitflags", "1.3.2", date(2021, 8, 19));
    b.commit("prepare for 1.3.2 release", date(2021, 8, 19));
    b.tag("1.3.2", "");
    b.checkout(&["main"]);
    b.state = at_13;
    for (v, d) in [
        ("2.12.1", date(2026, 6, 1)),
        ("2.13.0", date(2026, 6, 6)),
        ("2.13.1", date(2026, 7, 16)),
    ] {
        b.state.release("bitflags", v, d);
        b.commit(&format!("prepare for {v} release"), d);
        b.tag(v, "");
    }
    b.work(
        "src/lib.rs",
        &format!(
            "{}\n/// Unreleased.\npub fn next() {{}}\n",
            lib_rs("bitflags")
        ),
        "unreleased work (#495)",
        date(2026, 7, 16),
    );
    b.finish("main")
}

fn bitflags_files(s: &State) -> Vec<(String, String)> {
    let mut changelog = String::new();
    let releases = s.releases("bitflags");
    for (i, (version, _)) in releases.iter().enumerate() {
        if version.starts_with("1.") {
            changelog += &format!(
                "# {version}\n\n- Allow `non_snake_case` in generated flags types ([#256])\n\n[#256]: https://github.com/bitflags/bitflags/pull/256\n\n"
            );
        } else {
            let previous = releases.get(i + 1).map_or("2.12.0", |(v, _)| v.as_str());
            changelog += &format!(
                "# {version}\n\n## What's Changed\n* Lower the LLVM IR of {version} by @bolshoytoster in https://github.com/bitflags/bitflags/pull/{}\n\n**Full Changelog**: https://github.com/bitflags/bitflags/compare/{previous}...{version}\n\n",
                492 - i
            );
        }
    }
    vec![
        file(
            "Cargo.toml",
            format!(
                "[package]\nname = \"bitflags\"\n# NB: When modifying, also modify the number in readme (for breaking changes)\nversion = \"{}\"\nedition = \"2021\"\nrust-version = \"1.56.0\"\nauthors = [\"The Rust Project Developers\"]\nlicense = \"MIT OR Apache-2.0\"\nrepository = \"https://github.com/bitflags/bitflags\"\n",
                s.v("bitflags")
            ),
        ),
        file("src/lib.rs", lib_rs("bitflags")),
        file("CHANGELOG.md", changelog),
        file(".gitignore", "target\nCargo.lock\n"),
    ]
}

// ---------------------------------------------------------------------------------------------
// wildcard/caro (the reference's project)
// ---------------------------------------------------------------------------------------------

/// A caro-shaped repository (wildcard/caro, default branch `main`, annotated tags, tracked
/// Cargo.lock): the reference's own project, at its `v1.1.3`.
///
/// - One package at the root, `caro` 1.1.3, with a `[[bin]]` and registry dependencies (here
///   `chrono = { version = "0.4", features = ["serde"] }` alone, which this machine's cargo cache
///   does not hold: cargo cannot resolve offline).
/// - Tags `vX.Y.Z`: v1.1.2, v1.1.3 (2026-01-15), annotated.
/// - Cargo.lock tracked, and lagging at v1.1.3: its `caro` entry still says `version = "1.1.2"`
///   (the real lock file, 566 entries, has exactly this slip); `chrono` 0.4.42 from crates.io.
/// - CHANGELOG.md Keep a Changelog: `## [Unreleased]` over empty `### Added` / `### Changed` /
///   `### Fixed` / `### Security`, then `## [1.1.3] - 2026-01-15` over `### Fixed` and `-` items
///   nested by two spaces.
pub fn caro() -> Fixture {
    let mut b = Builder::new(
        "wildcard",
        "caro",
        "main",
        TagKind::Annotated,
        false,
        caro_files,
    );
    b.state.set("caro-lock", "1.1.1");
    b.state.release("caro", "1.1.2", date(2026, 1, 15));
    b.commit("chore: release v1.1.2", date(2026, 1, 15));
    b.tag("v1.1.2", "Release v1.1.2");
    b.state.set("caro-lock", "1.1.2");
    b.state.release("caro", "1.1.3", date(2026, 1, 15));
    b.commit("chore: release v1.1.3", date(2026, 1, 15));
    b.tag("v1.1.3", "Release v1.1.3");
    b.finish("main")
}

fn caro_files(s: &State) -> Vec<(String, String)> {
    let mut changelog = String::from(
        "# Changelog\n\nAll notable changes to this project will be documented in this file.\n\n\
         ## [Unreleased]\n\n### Added\n\n### Changed\n\n### Fixed\n\n### Security\n\n",
    );
    for (version, on) in s.releases("caro") {
        changelog += &format!(
            "## [{version}] - {}\n\n### Fixed\n\n- **Safety Flag Wiring** (#461): fixed in {version}\n  - Added `SafetyConfig::from_level()`\n\n",
            on.iso()
        );
    }
    let lock = format!(
        "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n\
         [[package]]\nname = \"caro\"\nversion = \"{}\"\ndependencies = [\n \"chrono\",\n]\n\n\
         [[package]]\nname = \"chrono\"\nversion = \"0.4.42\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"145052bdd345b87320e369255277e3fb5152762ad123a901ef5c262dd38fe8d2\"\n",
        s.v("caro-lock")
    );
    vec![
        file(
            "Cargo.toml",
            format!(
                "[package]\nname = \"caro\"\nversion = \"{}\"\nedition = \"2021\"\nrust-version = \"1.83\"\ndescription = \"Convert natural language to shell commands using local LLMs\"\nlicense = \"AGPL-3.0\"\nrepository = \"https://github.com/wildcard/caro\"\n\n[[bin]]\nname = \"caro\"\npath = \"src/main.rs\"\n\n[dependencies]\nchrono = {{ version = \"0.4\", features = [\"serde\"] }}\n",
                s.v("caro")
            ),
        ),
        file("src/main.rs", MAIN_RS),
        file("src/lib.rs", lib_rs("caro")),
        file("CHANGELOG.md", changelog),
        file("Cargo.lock", lock),
    ]
}

// ---------------------------------------------------------------------------------------------
// time-rs/time
// ---------------------------------------------------------------------------------------------

/// A time-shaped repository (time-rs/time 857d9c40 = tag v0.3.55, default branch `main`,
/// lightweight tags; MIT OR Apache-2.0), where a crate ships inside another's releases.
///
/// - A virtual workspace (`resolver = "3"`, `default-members = ["time"]`): `time` 0.3.55 and
///   `time-macros` 0.2.32 (the real one also has `time-core` 0.1.9, pinned the same way).
///   `[workspace.dependencies]` pins `time-macros = { path = "time-macros", version = "=0.2.32" }`;
///   `time/Cargo.toml` takes it with `time-macros = { workspace = true, optional = true }`.
/// - Tags `vX.Y.Z` for `time` only: v0.3.54 (2026-07-20), v0.3.55 (2026-08-01), both with
///   time-macros 0.2.32; time-macros has no tag of its own (the real repository's bare tags
///   `0.1.35` … `0.1.41` are time 0.1's, from before the workspace: not copied).
/// - CHANGELOG.md: Keep a Changelog, `## 0.3.55 [2026-08-01]` over `### Fixed` and `-` items.
pub fn time() -> Fixture {
    time_pinned("=")
}

/// [`time`] with the requirement written `{op}0.2.32`: `"="` as time does, `"^"` for a crate that
/// is required but not shipped by the release.
pub fn time_pinned(op: &str) -> Fixture {
    let mut b = Builder::new(
        "time-rs",
        "time",
        "main",
        TagKind::Lightweight,
        false,
        time_files,
    );
    b.state.set("time-macros", "0.2.32");
    b.state.set("time-pin", op);
    b.state.release("time", "0.3.54", date(2026, 7, 20));
    b.commit("v0.3.54 release", date(2026, 7, 20));
    b.tag("v0.3.54", "");
    b.state.release("time", "0.3.55", date(2026, 8, 1));
    b.commit("v0.3.55 release", date(2026, 8, 1));
    b.tag("v0.3.55", "");
    b.finish("main")
}

fn time_files(s: &State) -> Vec<(String, String)> {
    let mut changelog = String::from(
        "# Changelog\n\nAll notable changes to the time project will be documented in this file.\n\n\
         The format is based on [Keep a Changelog]. This project adheres to [Semantic Versioning].\n\n---\n\n",
    );
    for (version, on) in s.releases("time").iter().rev() {
        changelog += &format!(
            "## {version} [{}]\n\n### Fixed\n\n- Avoid underflow in `DateIter::nth` ({version}).\n\n",
            on.iso()
        );
    }
    vec![
        file(
            "Cargo.toml",
            format!(
                "[workspace]\ndefault-members = [\"time\"]\nmembers = [\"time\", \"time-macros\"]\nresolver = \"3\"\n\n[workspace.package]\nedition = \"2021\"\nrepository = \"https://github.com/time-rs/time\"\nlicense = \"MIT OR Apache-2.0\"\n\n[workspace.dependencies]\ntime-macros = {{ path = \"time-macros\", version = \"{}{}\" }}\n",
                s.v("time-pin"),
                s.v("time-macros")
            ),
        ),
        file(
            "time/Cargo.toml",
            format!(
                "[package]\nname = \"time\"\nversion = \"{}\"\nedition.workspace = true\nrepository.workspace = true\nlicense.workspace = true\ndescription = \"Date and time library.\"\n\n[features]\nmacros = [\"dep:time-macros\"]\n\n[dependencies]\ntime-macros = {{ workspace = true, optional = true }}\n",
                s.v("time")
            ),
        ),
        file("time/src/lib.rs", lib_rs("time")),
        file(
            "time-macros/Cargo.toml",
            format!(
                "[package]\nname = \"time-macros\"\nversion = \"{}\"\nedition.workspace = true\nrepository.workspace = true\nlicense.workspace = true\ndescription = \"Procedural macros for the time crate.\"\n\n[lib]\nproc-macro = true\n",
                s.v("time-macros")
            ),
        ),
        file("time-macros/src/lib.rs", lib_rs("time_macros")),
        file("CHANGELOG.md", changelog),
        file(".gitignore", "target\nCargo.lock\n"),
    ]
}

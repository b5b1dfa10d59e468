//! Issue 26: fire drills on the second round of real shapes (`support::shapes`: hyper, tracing,
//! rust-openssl, bitflags, caro) and the mistakes a maintainer of the first round's makes. Each
//! drill asserts the plan as a person reads it — the base, the hotfix, the branch the fix goes
//! through, the CHANGELOG section as it reads in the file — and that nothing in the repository or
//! on the origin changed; each mistake, the sentence that answers it.

use crate::support::shapes;
use crate::support::*;

/// The fire drill of `package` with `extra` arguments, after `settings` (plus `pre-tag-commands =
/// []`: the default check packages the crate through the registry, which tests never reach).
fn drill(fx: &Fixture, settings: &str, package: &str, extra: &[&str]) -> Outcome {
    shapes::configure(fx, &format!("{settings}pre-tag-commands = []\n"));
    let before = fx.snapshot();
    let mut args = vec!["--dry-run", "--non-interactive", "--package", package];
    args.extend_from_slice(extra);
    args.push("security fire drill");
    let out = fx.caro(&args).unscripted().run();
    assert!(
        fx.snapshot() == before,
        "the fire drill changed the repository or origin:\n{}",
        out.explain()
    );
    out
}

fn says(out: &Outcome, lines: &[&str]) {
    for line in lines {
        assert!(
            out.transcript.contains(line),
            "missing {line:?}:\n{}",
            out.explain()
        );
    }
}

fn never_says(out: &Outcome, lines: &[&str]) {
    for line in lines {
        assert!(
            !out.transcript.contains(line),
            "unexpected {line:?}:\n{}",
            out.explain()
        );
    }
}

/// A mistake: exit 2 (the person's to correct), the error as said, nothing changed.
fn refused(fx: &Fixture, out: &Outcome, before: &Snapshot, error: &str) {
    assert_eq!(out.code, 2, "{}", out.explain());
    assert!(out.error().contains(error), "{}", out.explain());
    assert!(fx.snapshot() == *before, "{}", out.explain());
}

fn mistake(fx: &Fixture, package: &str, extra: &[&str]) -> (Outcome, Snapshot) {
    let before = fx.snapshot();
    let mut args = vec!["--dry-run", "--non-interactive", "--package", package];
    args.extend_from_slice(extra);
    args.push("security fire drill");
    (fx.caro(&args).unscripted().run(), before)
}

// ------------------------------------------------------------------------------------------------
// The second round's drills
// ------------------------------------------------------------------------------------------------

#[test]
fn hyper_drill_writes_clogs_patch_heading_and_names_its_branch_like_0_14_x() {
    let fx = shapes::hyper();
    let out = drill(&fx, "", "hyper", &[]);
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "Release tags of hyper: vX.Y.Z — found 7 such tags; v1.11.0 holds hyper 1.11.0",
            "  This hotfix will be: v1.11.1 (patch bump of v1.11.0)",
            // hyper's maintenance branches are `0.13.x`, `0.14.x`: a new line's is `1.11.x`.
            "No branch on origin holds this line yet: 1.11.x is made from v1.11.0 at step 9",
            "--base 1.11.x --head hotfix/v1.11.1",
            "It reads: ### v1.11.1 (2026-11-13) / #### Bug Fixes / * **CRITICAL**: Fixed security fire drill",
        ],
    );
    never_says(&out, &["release/1.11", "noah/error-speed-backports"]);
}

#[test]
fn hyper_older_line_goes_through_0_14_x_found_by_what_it_holds() {
    let fx = shapes::hyper();
    let out = drill(&fx, "", "hyper", &["--base-tag", "v0.14.32"]);
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "  This hotfix will be: v0.14.33 (patch bump of v0.14.32)",
            "Maintenance branch of the 0.14 line: 0.14.x on origin (its name mentions the line and it holds v0.14.32)",
            "--base 0.14.x --head hotfix/v0.14.33",
        ],
    );
}

#[test]
fn hyper_base_tag_mistakes_are_answered_with_the_release_meant() {
    let fx = shapes::hyper();
    // Not the newest release of its line (v0.14.32 was released two years ago).
    let (out, before) = mistake(&fx, "hyper", &["--base-tag", "v0.14.31"]);
    refused(
        &fx,
        &out,
        &before,
        "--base-tag v0.14.31: not the newest release of the 0.14 line — v0.14.32 is. A hotfix of \
         the line starts from its newest release, so that it keeps every fix made since. Nothing \
         was changed.\nDid you mean --base-tag v0.14.32?",
    );
    assert!(!out.transcript.contains("already exists on origin"));
    // A branch, not a tag.
    let (out, before) = mistake(&fx, "hyper", &["--base-tag", "0.14.x"]);
    refused(
        &fx,
        &out,
        &before,
        "--base-tag 0.14.x: 0.14.x is a branch of origin, not a tag; the newest release of hyper \
         on it is v0.14.32. Nothing was changed.\nDid you mean --base-tag v0.14.32?",
    );
}

#[test]
fn tracing_drill_writes_fixed_and_never_takes_the_stale_v0_1_x() {
    let fx = shapes::tracing();
    let out = drill(&fx, "", "tracing", &[]);
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "Release tags of tracing: tracing-X.Y.Z — found 2 such tags; tracing-0.1.44 holds tracing 0.1.44",
            "  This hotfix will be: tracing-0.1.45 (patch bump of tracing-0.1.44)",
            // v0.1.x stopped at 0.1.41; tracing-0.1.44 was released from main.
            "No branch on origin holds this line yet: release/tracing-0.1 is made from tracing-0.1.44 at step 9",
            "It reads: # 0.1.45 (November 13, 2026) / ### Fixed / - **CRITICAL**: Fixed security fire drill",
        ],
    );
    never_says(&out, &["PR targets v0.1.x"]);
}

#[test]
fn openssl_drill_takes_the_newest_scheme_and_writes_v_in_brackets() {
    let fx = shapes::openssl();
    let out = drill(&fx, "", "openssl", &[]);
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "Two tag schemes both hold openssl's releases: openssl-vX.Y.Z (newest openssl-v0.10.73) \
             and vX.Y.Z (newest v0.9.23). The default is openssl-vX.Y.Z, which holds the newest \
             release (openssl-v0.10.73).",
            "  Latest release: openssl-v0.10.73\n",
            "  This hotfix will be: openssl-v0.10.74 (patch bump of openssl-v0.10.73)",
            "It reads: ## [v0.10.74] - 2026-11-13 [SECURITY HOTFIX] / ### Security / * **CRITICAL**: Fixed security fire drill",
        ],
    );
}

#[test]
fn an_openssl_hotfix_writes_its_section_and_link_as_the_file_does() {
    let fx = shapes::openssl();
    shapes::configure(&fx, "pre-tag-commands = []\ntag-prefix = \"openssl-v\"\n");
    fx.refuse_pushes();
    let work = fx.work.clone();
    let fix = move || {
        let path = work.join("openssl/src/lib.rs");
        let text = read(&path);
        write(
            &path,
            &format!("{text}\n/// The fix.\npub fn fixed() {{}}\n"),
        );
        git(&work, &["commit", "-q", "-am", "fix: bound the read"]);
    };
    let mut args = vec!["--package", "openssl", "--strategy", "maintenance"];
    args.extend(STEP4_FLAGS);
    args.push("security fix");
    let out = fx
        .caro(&args)
        .answers(vec![say("yes"), do_then_say(fix, "done"), say("y")])
        .run();
    assert!(
        out.error().contains("pushes are disabled"),
        "{}",
        out.explain()
    );
    let changelog = read(&fx.work.join("openssl/CHANGELOG.md"));
    let section =
        "## [Unreleased]\n\n## [v0.10.74] - 2026-11-13 [SECURITY HOTFIX]\n\n### Security\n\n* **";
    assert!(changelog.contains(section), "{changelog}");
    assert!(
        changelog.contains(
            "[Unreleased]: https://github.com/sfackler/rust-openssl/compare/openssl-v0.10.74...master\n\
             [v0.10.74]: https://github.com/sfackler/rust-openssl/compare/openssl-v0.10.73...openssl-v0.10.74\n\
             [v0.10.73]: "
        ),
        "{changelog}"
    );
}

#[test]
fn bitflags_drill_writes_whats_changed_and_its_1_x_line_is_found_on_release_1_x() {
    let fx = shapes::bitflags();
    let out = drill(&fx, "", "bitflags", &[]);
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "Release tags of bitflags: X.Y.Z — found 5 such tags; 2.13.1 holds bitflags 2.13.1",
            "It reads: # 2.13.2 / ## What's Changed / * **CRITICAL**: Fixed security fire drill",
            // `release/1.x` holds the whole 1 line; 2.13 gets its own.
            "release/2.13 is made from 2.13.1 at step 9",
        ],
    );
    let out = untouched_drill(&fx, "bitflags", &["--base-tag", "1.3.2"]);
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "Maintenance branch of the 1.3 line: release/1.x on origin (its name mentions the line and it holds 1.3.2)",
            "--base release/1.x --head hotfix/1.3.3",
            // The 1.x sections' own style: `# 1.3.2` over `-` items, no sub-heading.
            "It reads: # 1.3.3 / ## Security / - **CRITICAL**",
        ],
    );
}

/// A drill on a fixture configured already.
fn untouched_drill(fx: &Fixture, package: &str, extra: &[&str]) -> Outcome {
    let (out, before) = mistake(fx, package, extra);
    assert!(fx.snapshot() == before, "{}", out.explain());
    out
}

#[test]
fn caros_lagging_lock_file_is_bumped_by_name_without_resolving() {
    let fx = shapes::caro();
    // cargo cannot resolve caro's dependencies here (chrono is not in the cache): the tests
    // are a check that needs none.
    let out = drill(
        &fx,
        "test-commands = [[\"cargo\", \"metadata\", \"--no-deps\", \"--format-version\", \"1\"]]\n",
        "caro",
        &[],
    );
    says(
        &out,
        &[
            "  This hotfix will be: v1.1.4 (patch bump of v1.1.3)",
            "Cargo.lock: the released crates' versions only (1 line)",
            "(Cargo.toml, Cargo.lock, CHANGELOG.md, SECURITY.md)",
        ],
    );
    // cargo's check could not resolve offline, which is said; step 6 goes on (it used to stop
    // with cargo's "no matching package named `chrono` found").
    assert_eq!(out.code, 0, "{}", out.explain());
    says(&out, &["⚠️  cargo could not check Cargo.lock offline (error: no matching package named `chrono` found"]);
    never_says(&out, &["✗ Update version and changelog"]);
}

// ------------------------------------------------------------------------------------------------
// The first round's shapes: mistakes and branches
// ------------------------------------------------------------------------------------------------

#[test]
fn rustls_base_tag_without_its_slash_names_the_tag_meant_and_rel_0_23_is_found() {
    let fx = shapes::rustls();
    let (out, before) = mistake(&fx, "rustls", &["--base-tag", "v0.23.43"]);
    refused(
        &fx,
        &out,
        &before,
        "--base-tag v0.23.43: no such tag here; release 0.23.43 is tagged v/0.23.43. Did you mean \
         --base-tag v/0.23.43?",
    );
    let out = drill(&fx, "", "rustls", &["--strategy", "maintenance"]);
    says(
        &out,
        &[
            "Maintenance branch of the 0.23 line: rel-0.23 on origin (its name mentions the line and it holds v/0.23.43)",
        ],
    );
    never_says(&out, &["release/0.23"]);
}

#[test]
fn serde_tag_prefix_that_reads_nothing_says_what_the_tags_say() {
    let fx = shapes::serde();
    let (out, before) = {
        shapes::configure(&fx, "tag-prefix = \"serde-v\"\n");
        mistake(&fx, "serde", &[])
    };
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(fx.snapshot() == before);
    assert!(
        out.error().contains(
            "tag-prefix = \"serde-v\" (configured) reads no tag of this repository: no tag looks \
             like serde-vX.Y.Z. Nothing was changed.\nWithout it, the tags say: Release tags of \
             serde: vX.Y.Z — found 3 such tags; v1.0.228 holds serde 1.0.228\nSet `tag-prefix = \
             \"v\"` instead (or remove tag-prefix); then run caro-hotfix again."
        ),
        "{}",
        out.explain()
    );
    assert!(
        !out.error().contains("Tag the release"),
        "{}",
        out.explain()
    );
}

#[test]
fn regex_syntax_at_regexs_tag_says_what_the_manifest_holds() {
    let fx = shapes::regex();
    let (out, before) = mistake(&fx, "regex-syntax", &["--base-tag", "1.13.1"]);
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(fx.snapshot() == before);
    assert!(
        out.error().contains(
            "1.13.1 is not a release of regex-syntax: regex-syntax/Cargo.toml at 1.13.1 says \
             regex-syntax 0.8.11, not 1.13.1. Nothing was changed."
        ),
        "{}",
        out.explain()
    );
}

#[test]
fn clap_complete_gets_a_branch_of_its_own_name() {
    let fx = shapes::clap();
    let out = drill(&fx, "", "clap_complete", &["--strategy", "maintenance"]);
    says(
        &out,
        &[
            "No branch on origin holds this line yet: release/clap_complete-4.6 is made from clap_complete-v4.6.9 at step 9",
        ],
    );
    never_says(&out, &["release/4.6 "]);
}

#[test]
fn a_package_named_by_its_directory_or_a_rename_is_answered_with_did_you_mean() {
    // regex's `regex-capi/` holds the package `rure`.
    let fx = shapes::regex();
    let (out, before) = mistake(&fx, "regex-capi", &[]);
    refused(
        &fx,
        &out,
        &before,
        "--package regex-capi: no such package in this workspace (packages: ",
    );
    assert!(
        out.error()
            .contains("Did you mean --package rure (the package in regex-capi/)?"),
        "{}",
        out.explain()
    );
    // rust-openssl's openssl calls openssl-sys `ffi`.
    let fx = shapes::openssl();
    let (out, before) = mistake(&fx, "ffi", &[]);
    refused(&fx, &out, &before, "--package ffi: no such package");
    assert!(
        out.error()
            .contains("Did you mean --package openssl-sys (openssl calls it ffi)?"),
        "{}",
        out.explain()
    );
}

#[test]
fn a_package_that_moved_since_its_release_is_read_from_the_tags_tree() {
    // tracing moved into `crates/` after tracing-0.1.44: the release is still found, from where
    // the tag has it.
    let fx = shapes::tracing();
    let w = &fx.work;
    std::fs::create_dir_all(w.join("crates")).expect("crates/");
    git(w, &["mv", "tracing", "crates/tracing"]);
    git(w, &["mv", "tracing-core", "crates/tracing-core"]);
    write(
        &w.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\n    \"crates/tracing\",\n    \"crates/tracing-core\",\n]\n",
    );
    git(
        w,
        &["commit", "-qam", "chore: move the crates into crates/"],
    );
    git(w, &["push", "-q", "origin", "HEAD"]);
    let out = drill(&fx, "", "tracing", &[]);
    says(
        &out,
        &[
            "Release tags of tracing: tracing-X.Y.Z — found 2 such tags; tracing-0.1.44 holds tracing 0.1.44",
            "  This hotfix will be: tracing-0.1.45 (patch bump of tracing-0.1.44)",
        ],
    );
    never_says(&out, &["No release tags found"]);
}

#[test]
fn a_drill_started_inside_a_members_directory_is_that_members() {
    // tracing's root is a virtual workspace: from `tracing/`, the package is tracing, as cargo
    // takes it (it used to stop with "virtual workspace: pass --package").
    let fx = shapes::tracing();
    shapes::configure(&fx, "pre-tag-commands = []\n");
    let before = fx.snapshot();
    let out = fx
        .caro(&["--dry-run", "--non-interactive", "security fire drill"])
        .at(&fx.work.join("tracing"))
        .unscripted()
        .run();
    assert!(fx.snapshot() == before, "{}", out.explain());
    says(
        &out,
        &[
            "Package: tracing (caro-hotfix runs in its directory; pass --package to choose another)",
            "  This hotfix will be: tracing-0.1.45 (patch bump of tracing-0.1.44)",
        ],
    );
    never_says(&out, &["virtual workspace"]);
}

#[test]
fn a_backports_branch_holding_the_line_is_found_by_content_and_several_are_asked_about() {
    let fx = shapes::bitflags();
    shapes::configure(&fx, "pre-tag-commands = []\n");
    // One branch for the older lines of several crates, beside the line's own.
    git(
        &fx.work,
        &[
            "push",
            "-q",
            "origin",
            "release/1.x:refs/heads/backports/old-lines",
        ],
    );
    let out = untouched_drill(&fx, "bitflags", &["--base-tag", "1.3.2"]);
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "Several branches on origin hold 1.3.2 and may be the 1.3 line's: release/1.x, \
             backports/old-lines. Set `maintenance-branch` to choose for good.",
            "--base release/1.x --head hotfix/1.3.3",
        ],
    );
    // Without the line's own branch, the backports branch is the one.
    git(
        &fx.work,
        &["push", "-q", "origin", ":refs/heads/release/1.x"],
    );
    let out = untouched_drill(&fx, "bitflags", &["--base-tag", "1.3.2"]);
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "Maintenance branch of the 1.3 line: backports/old-lines on origin (its name says it holds older lines and it holds 1.3.2)",
            "--base backports/old-lines --head hotfix/1.3.3",
        ],
    );
}

#[test]
fn time_macros_never_tagged_on_its_own_is_released_inside_times_release() {
    // time-rs/time: time-macros 0.2.32 has no tag; time's v0.3.55 pins it `=0.2.32` from
    // [workspace.dependencies].
    let fx = shapes::time();
    let out = drill(&fx, "", "time-macros", &[]);
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "time-macros has no release tags of its own; it ships in time's releases (time pins =0.2.32): this hotfix releases time 0.3.56 with it",
            "This hotfix will be: v0.3.56",
            "Released together: time-macros 0.2.32 → 0.2.33, tagged v0.3.56",
            // Step 6 bumps both and moves the pin; step 12 watches both.
            "time/Cargo.toml: version 0.3.56",
            "time-macros/Cargo.toml: time-macros version 0.2.33",
            "Cargo.toml: requirement on time-macros moved to 0.2.33",
            "waits here for time-macros 0.2.33 (released together)",
        ],
    );
    never_says(&out, &["No release tags found"]);
}

#[test]
fn a_crate_required_but_not_pinned_exactly_is_not_taken_for_shipped() {
    // The same shape with `^0.2.32`: time's release does not fix which time-macros it ships.
    let fx = shapes::time_pinned("^");
    let out = drill(&fx, "", "time-macros", &[]);
    assert_ne!(out.code, 0, "{}", out.explain());
    assert!(
        out.error()
            .contains("No release tags found for time-macros: no tag scheme holds"),
        "{}",
        out.explain()
    );
    never_says(&out, &["ships in time's releases"]);
}

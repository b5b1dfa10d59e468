//! Fire drills on workspaces shaped like real ones (`support::shapes`: tokio, regex, clap, serde,
//! jj, rustls — their manifests, tags, pins, CHANGELOG headings, branches and lock files, not their
//! code). What these tests hold is what already plans right and must stay right: the drill ends
//! (exit 0), nothing in the repository or on the origin changes, and the base release is the
//! project's newest. The plans themselves (versions, crates released together, files changed) are
//! issue 14's, asserted where that work lands.
//!
//! Each configured drill sets what a maintainer of that project would set today:
//! - `tag-prefix` where the tags are not `v1.2.3` (tokio's `tokio-`, regex's ``, rustls's `v/`);
//! - `pre-tag-commands = []`: the default pre-tag check, `cargo package --locked --package NAME`,
//!   resolves the crate's dependencies on its siblings through the registry, which tests never
//!   reach (and whose answer would then depend on this machine's cargo cache).

use crate::support::shapes;
use crate::support::*;

/// Commits the drill's configuration (`settings` plus `pre-tag-commands = []`) to the shape, then
/// runs the fire drill for `package` and checks what must hold: exit 0, the tests ran, the
/// repository and origin unchanged, and `base_tag` (version `base`) as the base.
fn drill(fx: &Fixture, settings: &str, package: &str, base_tag: &str, base: &str) -> Outcome {
    shapes::configure(fx, &format!("{settings}pre-tag-commands = []\n"));
    let before = fx.snapshot();
    let out = fx
        .caro(&[
            "--dry-run",
            "--non-interactive",
            "--package",
            package,
            "security fire drill",
        ])
        .unscripted()
        .run();
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        fx.snapshot() == before,
        "the fire drill changed the repository or origin:\n{}",
        out.explain()
    );
    for line in [
        format!("  Latest release: {base_tag}\n"),
        format!("  Base version: {base}\n"),
        "✓ All tests passed".to_string(),
        "[16/16] Summary".to_string(),
    ] {
        assert!(
            out.transcript.contains(&line),
            "missing {line:?}:\n{}",
            out.explain()
        );
    }
    out
}

/// The unconfigured drill of `package`: whatever it plans (issue 14 changes it), it changes nothing.
fn untouched(fx: &Fixture, package: &str) -> Outcome {
    let before = fx.snapshot();
    let out = fx
        .caro(&[
            "--dry-run",
            "--non-interactive",
            "--package",
            package,
            "security fire drill",
        ])
        .unscripted()
        .run();
    assert!(
        fx.snapshot() == before,
        "the fire drill of {package} changed the repository or origin:\n{}",
        out.explain()
    );
    out
}

#[test]
fn tokio_fire_drill_patches_the_newest_tokio() {
    let fx = shapes::tokio();
    drill(
        &fx,
        "tag-prefix = \"tokio-\"\n",
        "tokio",
        "tokio-1.53.1",
        "1.53.1",
    );
}

#[test]
fn regex_fire_drill_patches_the_newest_regex() {
    let fx = shapes::regex();
    drill(&fx, "tag-prefix = \"\"\n", "regex", "1.13.1", "1.13.1");
}

#[test]
fn clap_fire_drill_patches_the_newest_clap() {
    let fx = shapes::clap();
    drill(&fx, "", "clap", "v4.6.6", "4.6.6");
    // clap_builder shares clap's tags (and is pinned by clap): the same base.
    let out = untouched(&fx, "clap_builder");
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript.contains("  Base version: 4.6.6\n"),
        "{}",
        out.explain()
    );
}

#[test]
fn serde_fire_drill_patches_the_newest_serde() {
    let fx = shapes::serde();
    drill(&fx, "", "serde", "v1.0.228", "1.0.228");
}

#[test]
fn jj_fire_drill_patches_the_shared_version() {
    let fx = shapes::jj();
    drill(&fx, "", "jj-lib", "v0.44.0", "0.44.0");
}

#[test]
fn rustls_fire_drill_patches_the_maintained_line() {
    let fx = shapes::rustls();
    drill(
        &fx,
        "tag-prefix = \"v/\"\n",
        "rustls",
        "v/0.23.43",
        "0.23.43",
    );
}

/// The crates whose plans issue 14 is about, as the projects are (no configuration): the drill may
/// stop or plan wrongly today, but never touches the repository.
#[test]
fn drills_of_crates_with_their_own_tags_or_pins_touch_nothing() {
    let tokio = shapes::tokio();
    untouched(&tokio, "tokio");
    let regex = shapes::regex();
    untouched(&regex, "regex-syntax");
    let clap = shapes::clap();
    untouched(&clap, "clap_complete");
    let serde = shapes::serde();
    untouched(&serde, "serde_core");
}

/// A shape, and what it must hold: its tag schemes (prefix, the crate's manifest), the object type
/// of its tags, whether Cargo.lock is tracked, and its maintenance branches.
type Expected = (
    Fixture,
    Vec<(&'static str, &'static str)>,
    &'static str,
    bool,
    &'static [&'static str],
);

/// The shapes hold what they claim: every release tag is on a commit whose manifest has the tag's
/// version; the branches, tag kinds and lock files are the projects'.
#[test]
fn the_shapes_tags_hold_their_versions() {
    let cases: Vec<Expected> = vec![
        (
            shapes::tokio(),
            vec![
                ("tokio-macros-", "tokio-macros/Cargo.toml"),
                ("tokio-util-", "tokio-util/Cargo.toml"),
                ("tokio-stream-", "tokio-stream/Cargo.toml"),
                ("tokio-test-", "tokio-test/Cargo.toml"),
                ("tokio-", "tokio/Cargo.toml"),
            ],
            "commit",
            false,
            &["tokio-1.51.x"],
        ),
        (
            shapes::regex(),
            vec![
                ("regex-syntax-", "regex-syntax/Cargo.toml"),
                ("regex-automata-", "regex-automata/Cargo.toml"),
                ("", "Cargo.toml"),
            ],
            "tag",
            false,
            &[],
        ),
        (
            shapes::clap(),
            vec![
                (
                    "clap_complete_nushell-v",
                    "clap_complete_nushell/Cargo.toml",
                ),
                ("clap_complete-v", "clap_complete/Cargo.toml"),
                ("clap_mangen-v", "clap_mangen/Cargo.toml"),
                ("clap_lex-v", "clap_lex/Cargo.toml"),
                ("v", "Cargo.toml"),
            ],
            "tag",
            true,
            &[],
        ),
        (
            shapes::serde(),
            vec![("v", "serde/Cargo.toml")],
            "tag",
            false,
            &[],
        ),
        (shapes::jj(), vec![("v", "Cargo.toml")], "commit", true, &[]),
        (
            shapes::rustls(),
            vec![
                ("rustls-post-quantum-v/", "rustls-post-quantum/Cargo.toml"),
                ("v/", "rustls/Cargo.toml"),
            ],
            "commit",
            true,
            &["rel-0.23"],
        ),
    ];
    for (fx, schemes, kind, lock, branches) in cases {
        let origin = &fx.origin;
        let tags = git(origin, &["tag", "--list"]);
        assert!(!tags.is_empty());
        for tag in tags.lines() {
            let (prefix, manifest) = schemes
                .iter()
                .find(|(p, _)| {
                    tag.strip_prefix(p)
                        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
                })
                .unwrap_or_else(|| panic!("{tag}: no scheme"));
            let version = &tag[prefix.len()..];
            let text = git(origin, &["show", &format!("{tag}:{manifest}")]);
            assert!(
                text.contains(&format!("version = \"{version}\"")),
                "{tag}: {manifest} does not hold {version}:\n{text}"
            );
            assert_eq!(git(origin, &["cat-file", "-t", tag]), kind, "{tag}");
        }
        let heads = git(origin, &["branch", "--list", "--format=%(refname:short)"]);
        for branch in branches {
            assert!(heads.lines().any(|h| h == *branch), "{branch} in {heads}");
        }
        assert_eq!(
            git_ok(origin, &["cat-file", "-e", "HEAD:Cargo.lock"]),
            lock,
            "{}",
            fx.work.display()
        );
    }
}

// ------------------------------------------------------------------------------------------------
// Issue 14: the plans, as the projects are (no configuration)
// ------------------------------------------------------------------------------------------------

/// The files of step 6's commit, from its "Committed …" line.
fn committed_files(out: &Outcome) -> Vec<String> {
    let line = out
        .transcript
        .lines()
        .find(|l| l.contains("Committed ") && l.contains("Bump version"))
        .unwrap_or_else(|| panic!("no bump commit:\n{}", out.explain()));
    let files = line
        .rsplit_once(" (")
        .map(|(_, f)| f.trim_end_matches(')'))
        .unwrap_or_default();
    files.split(", ").map(str::to_string).collect()
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

#[test]
fn tokio_plan_finds_its_tags_its_changelog_style_and_changes_only_tokio() {
    let fx = shapes::tokio();
    shapes::configure(&fx, "pre-tag-commands = []\n");
    let out = untouched(&fx, "tokio");
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "Release tags of tokio: tokio-X.Y.Z — found 6 such tags; tokio-1.53.1 holds tokio 1.53.1",
            "  Latest release: tokio-1.53.1\n",
            "  This hotfix will be: tokio-1.53.2 (patch bump of tokio-1.53.1)",
            "  Release: tokio 1.53.1 → 1.53.2",
            // The unreleased work is counted where tokio's code is.
            "1 of them in tokio/",
            "tokio/CHANGELOG.md: section 1.53.2 above \"1.53.1 (July 20th, 2026)\", in the file's own heading style",
            "'🚨 SECURITY HOTFIX: tokio 1.53.2'",
        ],
    );
    assert!(
        !out.transcript.contains("Released together"),
        "{}",
        out.explain()
    );
    // A minimal diff: the other members' requirements on tokio ("1.0.0", "1.5.0", …) still match.
    let files = committed_files(&out);
    assert_eq!(
        files,
        ["tokio/Cargo.toml", "tokio/CHANGELOG.md", "SECURITY.md"],
        "{}",
        out.explain()
    );
}

#[test]
fn tokio_older_line_goes_through_its_own_maintenance_branch() {
    let fx = shapes::tokio();
    shapes::configure(&fx, "pre-tag-commands = []\n");
    let before = fx.snapshot();
    let out = fx
        .caro(&[
            "--dry-run",
            "--non-interactive",
            "--package",
            "tokio",
            "--base-tag",
            "tokio-1.51.2",
            "security fire drill",
        ])
        .unscripted()
        .run();
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(fx.snapshot() == before);
    says(
        &out,
        &[
            "  This hotfix will be: tokio-1.51.3 (patch bump of tokio-1.51.2)",
            "Maintenance branch of the 1.51 line: tokio-1.51.x on origin (its name mentions the line and it holds tokio-1.51.2)",
            "--base tokio-1.51.x --head hotfix/tokio-1.51.3",
        ],
    );
    assert!(
        !out.transcript.contains("release/1.51"),
        "{}",
        out.explain()
    );
}

#[test]
fn regex_syntax_plan_uses_its_own_tags_and_regex_uses_setext_headings() {
    let fx = shapes::regex();
    shapes::configure(&fx, "pre-tag-commands = []\n");
    let out = untouched(&fx, "regex-syntax");
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "Release tags of regex-syntax: regex-syntax-X.Y.Z",
            "  Latest release: regex-syntax-0.8.11\n",
            "  Release: regex-syntax 0.8.11 → 0.8.12",
        ],
    );
    // regex and regex-automata require regex-syntax "0.8.5", which 0.8.12 meets: untouched. (The
    // section goes to the repository's CHANGELOG.md: regex-syntax keeps none of its own.)
    let files = committed_files(&out);
    assert_eq!(
        files,
        ["regex-syntax/Cargo.toml", "CHANGELOG.md", "SECURITY.md"],
        "{}",
        out.explain()
    );

    let out = untouched(&fx, "regex");
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "Release tags of regex: X.Y.Z",
            "  Release: regex 1.13.1 → 1.13.2",
            "CHANGELOG.md: section 1.13.2 above \"1.13.1 (2026-07-15)\", in the file's own heading style",
        ],
    );
}

#[test]
fn clap_complete_is_numbered_from_its_own_tags_not_claps() {
    let fx = shapes::clap();
    shapes::configure(&fx, "pre-tag-commands = []\n");
    let out = untouched(&fx, "clap_complete");
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "Release tags of clap_complete: clap_complete-vX.Y.Z",
            "  Release: clap_complete 4.6.9 → 4.6.10",
            "  This hotfix will be: clap_complete-v4.6.10",
        ],
    );
}

#[test]
fn clap_builder_is_released_together_with_clap_which_pins_it() {
    let fx = shapes::clap();
    shapes::configure(&fx, "pre-tag-commands = []\n");
    let out = untouched(&fx, "clap_builder");
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "  Release: clap_builder 4.6.6 → 4.6.7",
            "Released together: clap 4.6.6 → 4.6.7, tagged v4.6.7 (clap requires clap_builder =4.6.6)",
            "clap_builder/Cargo.toml: version 4.6.7",
            "Cargo.toml: clap version 4.6.7",
            "Cargo.toml: requirement on clap_builder moved to 4.6.7",
            "Cargo.lock: the released crates' versions only",
            "Released together: clap 4.6.7 (v4.6.7",
        ],
    );
}

#[test]
fn serde_core_is_released_together_with_serde() {
    let fx = shapes::serde();
    shapes::configure(&fx, "pre-tag-commands = []\n");
    let out = untouched(&fx, "serde_core");
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "  Release: serde_core 1.0.228 → 1.0.229",
            "Released together: serde 1.0.228 → 1.0.229, tagged v1.0.229 (serde requires serde_core =1.0.228)",
        ],
    );
}

#[test]
fn rustls_lock_moves_only_the_released_crates() {
    let fx = shapes::rustls();
    shapes::configure(&fx, "pre-tag-commands = []\n");
    let out = untouched(&fx, "rustls");
    assert_eq!(out.code, 0, "{}", out.explain());
    says(
        &out,
        &[
            "Release tags of rustls: v/X.Y.Z",
            "Cargo.lock: the released crates' versions only",
        ],
    );
    assert!(!out.transcript.contains("itertools"), "{}", out.explain());
}

/// A real run (not a drill) of `package` up to the push, which the origin refuses: the bump commit
/// is left in the repository to be read. Returns the outcome and `git show` of that commit.
fn run_to_the_push(fx: &Fixture, package: &str, fix_file: &str) -> (Outcome, String) {
    shapes::configure(fx, "pre-tag-commands = []\n");
    fx.refuse_pushes();
    let work = fx.work.clone();
    let fix_file = fix_file.to_string();
    let fix = move || {
        let path = work.join(&fix_file);
        let text = std::fs::read_to_string(&path).expect("read the file to fix");
        write(
            &path,
            &format!("{text}\n/// Bounds checked (the fix).\npub fn fixed() {{}}\n"),
        );
        git(&work, &["add", &fix_file]);
        git(&work, &["commit", "-q", "-m", "fix: bound the read"]);
    };
    let mut args = vec!["--package", package, "--strategy", "maintenance"];
    args.extend(STEP4_FLAGS);
    args.push("security fix");
    let out = fx
        .caro(&args)
        .answers(vec![say("yes"), do_then_say(fix, "done"), say("y")])
        .run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains("pushes are disabled"),
        "{}",
        out.explain()
    );
    let diff = git(&fx.work, &["show", "--format=%s", "HEAD"]);
    (out, diff)
}

/// The lines a diff adds or removes (not its file headers).
fn changed(diff: &str) -> Vec<&str> {
    diff.lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .collect()
}

#[test]
fn a_clap_builder_hotfix_changes_only_the_two_crates_versions_and_claps_pin() {
    let fx = shapes::clap();
    let (out, diff) = run_to_the_push(&fx, "clap_builder", "clap_builder/src/lib.rs");
    // Shown for the record (`cargo test -- --nocapture`): the rehearsal's diff in the closing note.
    eprintln!("{diff}");
    // Outside the CHANGELOG and SECURITY.md: the versions of clap and clap_builder (each in its
    // manifest and in Cargo.lock) and clap's pin, nothing else.
    let manifests: Vec<&str> = changed(&diff)
        .into_iter()
        .filter(|l| l.contains("version = ") || l.contains("clap_builder = "))
        .collect();
    assert_eq!(
        manifests,
        [
            // Cargo.lock: clap, clap_builder
            "-version = \"4.6.6\"",
            "+version = \"4.6.7\"",
            "-version = \"4.6.6\"",
            "+version = \"4.6.7\"",
            // Cargo.toml (clap): its version and its pin
            "-version = \"4.6.6\"",
            "+version = \"4.6.7\"",
            "-clap_builder = { path = \"./clap_builder\", version = \"=4.6.6\", default-features = false }",
            "+clap_builder = { path = \"./clap_builder\", version = \"=4.6.7\", default-features = false }",
            // clap_builder/Cargo.toml
            "-version = \"4.6.6\"",
            "+version = \"4.6.7\"",
        ],
        "{}",
        out.explain()
    );
    let files = git(&fx.work, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(
        files, "CHANGELOG.md\nCargo.lock\nCargo.toml\nSECURITY.md\nclap_builder/Cargo.toml",
        "{diff}"
    );
}

#[test]
fn a_tokio_hotfix_changes_tokio_alone_and_writes_its_changelog_in_its_style() {
    let fx = shapes::tokio();
    let (out, diff) = run_to_the_push(&fx, "tokio", "tokio/src/lib.rs");
    eprintln!("{diff}");
    let files = git(&fx.work, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(
        files,
        "SECURITY.md\ntokio/CHANGELOG.md\ntokio/Cargo.toml",
        "{}",
        out.explain()
    );
    let changelog = read(&fx.work.join("tokio/CHANGELOG.md"));
    assert!(
        // Under the sub-heading tokio's releases use, as they write it.
        changelog.starts_with("# 1.53.2 (November 13th, 2026)\n\n### Fixed\n\n- **"),
        "{changelog}"
    );
    assert!(changelog.contains("\n# 1.53.1 (July 20th, 2026)\n"));
}

//! Hostile and messy inputs, one test per row of the bad-input table in `docs/safety.md`: text that
//! could run, odd tags, odd repository states, odd manifests, changelogs and security policies,
//! missing or old tools, and sloppy answers. Each runs the wizard on a real repository with a bare
//! origin and checks that the message says what is wrong and what to do, and that the repository is
//! unchanged (a snapshot before and after) or resumable.
//!
//! The last test reads the table in `docs/safety.md` and checks it against the test sources, so the
//! table cannot name a test that does not exist and no test here can be left out of it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::support::index_server::IndexServer;
use crate::support::*;

/// A manifest at `version` whose tests are a quick command: these rows are about inputs, not about
/// compiling the crate (`tests/first_half.rs` runs the real `cargo test`).
fn quick_manifest(version: &str) -> String {
    format!(
        "[package]\n\
         name = \"{CRATE}\"\n\
         version = \"{version}\"\n\
         edition = \"2021\"\n\
         \n\
         [dependencies]\n\
         \n\
         [package.metadata.hotfix]\n\
         test-commands = [[\"cargo\", \"--version\"]]\n\
         publish = \"workflow\"   # the test registry plays the workflow\n"
    )
}

const CHANGELOG_100: &str = "\
# Changelog

## [Unreleased]

## [1.0.0] - 2026-01-01

- First stable release.

[Unreleased]: https://github.com/example/minicrate/compare/v1.0.0...HEAD
[1.0.0]: https://github.com/example/minicrate/releases/tag/v1.0.0
";

/// A crate released as `tag` at the tip of main (nothing unreleased), with `manifest` and `files`,
/// everything pushed. `None` leaves the release untagged.
fn released_with(manifest: &str, files: &[(&str, &str)], tag: Option<&str>) -> Fixture {
    let fx = Fixture::empty();
    let w = &fx.work;
    write(&w.join("Cargo.toml"), manifest);
    let version = caro_hotfix::logic::manifest::package_info(manifest)
        .ok()
        .and_then(|i| match i.version {
            caro_hotfix::logic::manifest::PackageVersion::Literal(v) => Some(v.to_string()),
            _ => None,
        })
        .unwrap_or_else(|| "1.0.0".into());
    write(&w.join("Cargo.lock"), &lockfile(&version));
    for (path, text) in files {
        write(&w.join(path), text);
    }
    git(w, &["add", "-A"]);
    git(w, &["commit", "-q", "-m", "release"]);
    if let Some(tag) = tag {
        git(w, &["tag", "-a", tag, "-m", tag]);
    }
    fx.push_all();
    fx
}

/// minicrate 1.0.0 released as v1.0.0 with a Keep-a-Changelog CHANGELOG.md.
fn released() -> Fixture {
    released_with(
        &quick_manifest("1.0.0"),
        &[("CHANGELOG.md", CHANGELOG_100)],
        Some("v1.0.0"),
    )
}

/// The origin refuses every push (`Fixture::refuse_pushes`), so a run stops at step 9 with steps
/// 1–8 done and nothing sent.
fn refusing_pushes(fx: Fixture) -> Fixture {
    fx.refuse_pushes();
    fx
}

fn stopped_at_push(out: &Outcome) -> bool {
    out.code == 1
        && out.error().contains("failed to push the hotfix branch")
        && out.error().contains("pushes are disabled")
}

/// Commits a change to `file` in `work` (the maintainer's fix).
fn commit_fix_in(work: &Path, file: &str) {
    write(&work.join(file), FIXED_LIB_RS);
    git(work, &["add", file]);
    git(work, &["commit", "-q", "-m", "hotfix: bound record_len"]);
}

/// `yes`, the fix committed while the wizard waits for `done`, and the absent audit skipped.
fn happy_answers(fx: &Fixture) -> Vec<Answer> {
    let work = fx.work.clone();
    vec![
        say("yes"),
        do_then_say(move || commit_fix_in(&work, "src/lib.rs"), "done"),
        say("y"),
    ]
}

fn flags() -> Vec<&'static str> {
    STEP4_FLAGS.to_vec()
}

fn with_description(mut args: Vec<&'static str>) -> Vec<&'static str> {
    args.push(DESCRIPTION);
    args
}

/// Every file under `dir`, relative, with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                out.push((rel, std::fs::read(&path).unwrap_or_default()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Preflight refused: exit 1, every `needles` in the problem list, "nothing was changed".
fn assert_refused_by_preflight(out: &Outcome, needles: &[&str]) {
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.transcript.contains("caro-hotfix cannot start:"),
        "{}",
        out.explain()
    );
    assert!(
        out.error().contains("nothing was changed"),
        "{}",
        out.explain()
    );
    for needle in needles {
        assert!(
            out.transcript.contains(needle),
            "missing {needle:?}\n{}",
            out.explain()
        );
    }
    assert!(!out.transcript.contains("[1/16]"), "{}", out.explain());
}

/// Nothing changed but what `git fetch --tags` writes (FETCH_HEAD): a failure before step 3 forgets
/// its record, so the hotfix is simply started again.
fn assert_unchanged_but_fetched(fx: &Fixture, before: &Snapshot, out: &Outcome) {
    let mut after = fx.snapshot();
    after.git_dir_entries.retain(|e| e != "FETCH_HEAD");
    let mut before_entries = before.git_dir_entries.clone();
    before_entries.retain(|e| e != "FETCH_HEAD");
    assert_eq!(after.git_dir_entries, before_entries, "{}", out.explain());
    after.git_dir_entries = before.git_dir_entries.clone();
    assert!(
        after == *before,
        "the repository changed\n{}",
        out.explain()
    );
}

// ------------------------------------------------------------------------------------------------
// Text that could run
// ------------------------------------------------------------------------------------------------

/// A description that starts with `-` and holds every shell metacharacter, quotes, a newline, an
/// emoji, right-to-left text and a right-to-left override.
const HOSTILE: &str =
    "-rf $(touch pwned1) `touch pwned2`; touch pwned3 | tee pwned4 && touch pwned5 \
\"double\" 'single' 🚨 مرحبا \u{202e}desrever\u{202c} שלום\n\
second line $(id) > pwned6 & echo $HOME";

const HOSTILE_CREDIT: &str = "-Ünïcødé \"Bobby\" O'Brien 👩‍💻 שלום $(touch pwned8); `id`";

/// 10 KB of impact on one line, ending in a marker.
fn hostile_impact() -> String {
    let mut text = String::new();
    while text.len() < 10 * 1024 {
        text.push_str("impact $(touch pwned7) ; | && `x` \"q\" 'q' 🚨 ");
    }
    text.push_str("END-OF-IMPACT");
    text
}

fn no_pwned_files(fx: &Fixture) {
    let mut places = vec![fx.dir.path().to_path_buf()];
    places.push(std::env::current_dir().expect("cwd"));
    for place in places {
        for (path, _) in tree(&place)
            .into_iter()
            .filter(|(p, _)| !p.starts_with("target"))
        {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            assert!(
                !name.starts_with("pwned"),
                "{} appeared: something ran user text",
                place.join(&path).display()
            );
        }
    }
}

#[test]
fn hostile_text_stays_literal_from_the_commit_to_the_announcement() {
    let fx = released();
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.0");
    index.publish_after("1.0.1", 2);
    let url = index.url();
    let impact = hostile_impact();
    let impact_flag = format!("--impact={impact}");
    let credit_flag = format!("--credit={HOSTILE_CREDIT}");
    let args = [
        "--poll-interval",
        "0.05",
        "--registry-index",
        &url,
        "--severity",
        "high",
        &impact_flag,
        &credit_flag,
        "--advisory",
        "CVE-2026-12345",
        "--",
        HOSTILE,
    ];
    let work = fx.work.clone();
    let answers = vec![
        say("yes"),
        do_then_say(move || commit_fix_in(&work, "src/lib.rs"), "done"),
        say("y"),
        // The typed yes that publishes the advisory.
        say("yes"),
        // No PR to rustsec/advisory-db (issue 29 offers it once the advisory is public).
        say("no"),
    ];
    let out = fx.caro(&args).answers(answers).run();
    assert_eq!(out.code, 0, "{}", out.explain());
    no_pwned_files(&fx);

    let (first, second) = HOSTILE.split_once('\n').expect("two lines");
    let at_tag = |file: &str| {
        git(
            fx.dir.path(),
            &[
                "--git-dir",
                fx.origin.to_str().expect("utf-8"),
                "show",
                &format!("v1.0.1:{file}"),
            ],
        )
    };
    // SECURITY.md and CHANGELOG.md keep each line literally, inside their Markdown element.
    let security = at_tag("SECURITY.md");
    assert!(
        security.contains(&format!("### minicrate 1.0.1 — {first}\n\n> {second}\n")),
        "{security}"
    );
    assert!(
        security.contains(&format!("- Impact: {impact}\n")),
        "{security}"
    );
    assert!(
        security.contains(&format!("- Credit: {HOSTILE_CREDIT}\n")),
        "{security}"
    );
    let changelog = at_tag("CHANGELOG.md");
    assert!(
        changelog.contains(&format!("- **HIGH**: Fixed {first}\n  {second}\n")),
        "{changelog}"
    );
    assert!(changelog.contains(&format!("  - Impact: {impact}\n")));
    assert!(changelog.contains(&format!("  - Credit: {HOSTILE_CREDIT}\n")));

    // The version-bump commit carries the description whole.
    let messages = git(&fx.work, &["log", "--all", "--format=%B"]);
    assert!(
        messages.contains(&format!("Hotfix for: {HOSTILE}\n")),
        "{messages}"
    );

    // PR body (a file given to `gh pr create --body-file`), tag message, advisory and announcement.
    let body = fx.gh_prs()[0]["body"]
        .as_str()
        .expect("PR body")
        .to_string();
    let tag_message = git(
        fx.dir.path(),
        &[
            "--git-dir",
            fx.origin.to_str().expect("utf-8"),
            "tag",
            "-l",
            "--format=%(contents)",
            "v1.0.1",
        ],
    );
    let announcement = read(&fx.work.join(".git/caro-hotfix/announcement.md"));
    for (name, text) in [
        ("PR body", &body),
        ("tag message", &tag_message),
        ("announcement", &announcement),
    ] {
        assert!(
            text.contains(HOSTILE),
            "{name} lacks the description:\n{text}"
        );
    }
    assert!(body.contains(&format!("**Impact**: {impact}\n")));
    assert!(tag_message.contains(&format!("Impact: {impact}")));
    assert!(announcement.contains(&format!("Thank you to {HOSTILE_CREDIT} for")));
    let advisory: serde_json::Value =
        serde_json::from_str(&read(&fx.work.join(".git/caro-hotfix/advisory.json")))
            .expect("advisory json");
    assert_eq!(advisory["summary"], first);
    let description = advisory["description"].as_str().expect("description");
    assert!(description.starts_with(&format!("{HOSTILE}\n\n### Impact\n\n{impact}\n")));
    assert!(description.contains(&format!("### Credit\n\n{HOSTILE_CREDIT}")));
    // The user text never became an argument of gh: only files and fixed words.
    for call in fx.gh_calls() {
        assert!(
            !call.iter().any(|a| a.contains("pwned")),
            "user text reached gh as an argument: {call:?}"
        );
    }
}

// ------------------------------------------------------------------------------------------------
// Tags
// ------------------------------------------------------------------------------------------------

/// Runs until the wizard waits for `done` (the script has no answer for it) and returns the outcome.
fn run_to_step_five(fx: &Fixture, args: &[&str]) -> Outcome {
    let out = fx.caro(args).answers(vec![say("yes")]).run();
    assert!(
        out.error().contains("no answer left for: Type 'done'"),
        "{}",
        out.explain()
    );
    out
}

#[test]
fn no_tags_at_all_stops_at_step_two_saying_how_to_tag_a_release() {
    let fx = Fixture::empty();
    let before = fx.snapshot();
    let out = fx
        .caro(&with_description(flags()))
        .answers(vec![say("yes")])
        .run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains("No release tags found"),
        "{}",
        out.explain()
    );
    assert!(out.error().contains("git tag -a v"), "{}", out.explain());
    assert_unchanged_but_fetched(&fx, &before, &out);
}

#[test]
fn non_semver_tags_are_never_a_base() {
    let fx = Fixture::empty();
    for tag in [
        "latest",
        "release-2",
        "v1.2",
        "v2",
        "v3.0.0.0",
        "V9.0.0",
        "vfoo",
    ] {
        git(&fx.work, &["tag", tag]);
    }
    write(&fx.work.join("Cargo.toml"), &quick_manifest("1.0.0"));
    git(&fx.work, &["commit", "-q", "-am", "release 1.0.0"]);
    git(&fx.work, &["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    fx.push_all();
    let out = run_to_step_five(&fx, &with_description(flags()));
    assert!(
        out.transcript.contains("Latest release: v1.0.0"),
        "{}",
        out.explain()
    );
    assert_eq!(
        git(&fx.work, &["branch", "--show-current"]),
        "hotfix/v1.0.1"
    );
}

#[test]
fn two_release_tags_on_one_commit_the_one_the_manifest_contradicts_is_refused() {
    let fx = released();
    git(
        &fx.work,
        &["tag", "-a", "v1.0.1", "-m", "same commit", "v1.0.0"],
    );
    git(&fx.work, &["tag", "latest", "v1.0.0"]);
    fx.push_all();
    let before = fx.snapshot();
    let out = fx
        .caro(&with_description(flags()))
        .answers(vec![say("yes")])
        .run();
    // v1.0.1 is the highest tag, but its manifest says 1.0.0: a hotfix 1.0.2 would skip a version
    // that was never released. Stop, and say why.
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains(
            "v1.0.1 is not a release of minicrate: Cargo.toml at v1.0.1 says minicrate 1.0.0, not 1.0.1."
        ),
        "{}",
        out.explain()
    );
    assert_unchanged_but_fetched(&fx, &before, &out);
}

#[test]
fn a_lightweight_base_tag_works_like_an_annotated_one() {
    let fx = released_with(
        &quick_manifest("1.0.0"),
        &[("CHANGELOG.md", CHANGELOG_100)],
        None,
    );
    git(&fx.work, &["tag", "v1.0.0"]);
    fx.push_all();
    let fx = refusing_pushes(fx);
    assert_eq!(git(&fx.work, &["cat-file", "-t", "v1.0.0"]), "commit");
    let out = fx
        .caro(&with_description(flags()))
        .answers(happy_answers(&fx))
        .run();
    assert!(stopped_at_push(&out), "{}", out.explain());
    assert!(out.transcript.contains("Latest release: v1.0.0"));
    assert_eq!(
        git(&fx.work, &["merge-base", "HEAD", "v1.0.0"]),
        git(&fx.work, &["rev-parse", "v1.0.0"])
    );
    assert!(read(&fx.work.join("Cargo.toml")).contains("version = \"1.0.1\""));
}

#[test]
fn a_base_tag_whose_manifest_says_another_version_stops_before_anything_changes() {
    // The release was tagged v1.0.0 but its Cargo.toml still says 0.9.0: v1.0.0 is not a release
    // of minicrate 1.0.0, and a hotfix numbered from it would publish a version that never was.
    let fx = released_with(
        &quick_manifest("0.9.0"),
        &[("CHANGELOG.md", CHANGELOG_100)],
        Some("v1.0.0"),
    );
    let before = fx.snapshot();
    let out = fx
        .caro(&with_description(flags()))
        .answers(vec![say("yes")])
        .run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains(
            "No release tags found for minicrate: no tag scheme holds minicrate's releases"
        ),
        "{}",
        out.explain()
    );
    assert!(out
        .error()
        .contains("Tags seen: vX.Y.Z (1 tag, newest v1.0.0)"));
    assert_unchanged_but_fetched(&fx, &before, &out);

    // Named explicitly, the tag is refused with what its manifest says.
    let mut args = flags();
    args.extend(["--base-tag", "v1.0.0"]);
    let out = fx
        .caro(&with_description(args))
        .answers(vec![say("yes")])
        .run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains(
            "v1.0.0 is not a release of minicrate: Cargo.toml at v1.0.0 says minicrate 0.9.0, not 1.0.0. Nothing was changed."
        ),
        "{}",
        out.explain()
    );
    assert_unchanged_but_fetched(&fx, &before, &out);
}

#[test]
fn a_configured_tag_prefix_names_base_branch_tag_and_links() {
    let manifest = quick_manifest("1.2.3") + "tag-prefix = \"mycrate-v\"\n";
    let changelog = "# Changelog\n\n## [Unreleased]\n\n## [1.2.3] - 2026-01-01\n- x\n\n\
                     [Unreleased]: https://github.com/example/minicrate/compare/mycrate-v1.2.3...HEAD\n\
                     [1.2.3]: https://github.com/example/minicrate/releases/tag/mycrate-v1.2.3\n";
    let fx = Fixture::empty();
    // Tags of another crate of the monorepo and plain v-tags are not this crate's releases.
    git(&fx.work, &["tag", "v9.9.9"]);
    git(&fx.work, &["tag", "othercrate-v5.0.0"]);
    write(&fx.work.join("Cargo.toml"), &manifest);
    write(&fx.work.join("Cargo.lock"), &lockfile("1.2.3"));
    write(&fx.work.join("CHANGELOG.md"), changelog);
    git(&fx.work, &["add", "-A"]);
    git(&fx.work, &["commit", "-q", "-m", "release 1.2.3"]);
    git(&fx.work, &["tag", "-a", "mycrate-v1.2.3", "-m", "1.2.3"]);
    fx.push_all();
    let fx = refusing_pushes(fx);
    let out = fx
        .caro(&with_description(flags()))
        .answers(happy_answers(&fx))
        .run();
    assert!(
        out.error()
            .contains("git push -u origin hotfix/mycrate-v1.2.4"),
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("Latest release: mycrate-v1.2.3"));
    assert!(out
        .transcript
        .contains("This hotfix will be: mycrate-v1.2.4"));
    let changelog = read(&fx.work.join("CHANGELOG.md"));
    assert!(
        changelog.contains(
            "[Unreleased]: https://github.com/example/minicrate/compare/mycrate-v1.2.4...HEAD\n\
             [1.2.4]: https://github.com/example/minicrate/compare/mycrate-v1.2.3...mycrate-v1.2.4\n"
        ),
        "{changelog}"
    );
}

#[test]
fn a_tag_with_build_metadata_is_a_release() {
    // Only v1.2.3+build.7 marks release 1.2.3: ignoring it would make 1.2.3 the hotfix again.
    let fx = released_with(
        &quick_manifest("1.2.3+build.7"),
        &[("CHANGELOG.md", CHANGELOG_100)],
        Some("v1.2.3+build.7"),
    );
    git(&fx.work, &["tag", "v1.0.0", "HEAD~1"]);
    fx.push_all();
    let fx = refusing_pushes(fx);
    let out = fx
        .caro(&with_description(flags()))
        .answers(happy_answers(&fx))
        .run();
    assert!(stopped_at_push(&out), "{}", out.explain());
    assert!(
        out.transcript.contains("Latest release: v1.2.3+build.7"),
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("This hotfix will be: v1.2.4"));
    assert_eq!(
        git(&fx.work, &["branch", "--show-current"]),
        "hotfix/v1.2.4"
    );
    assert!(read(&fx.work.join("Cargo.toml")).contains("version = \"1.2.4\""));
}

#[test]
fn build_metadata_on_the_tag_alone_is_no_version_mismatch() {
    let fx = released_with(
        &quick_manifest("1.2.3"),
        &[("CHANGELOG.md", CHANGELOG_100)],
        Some("v1.2.3+build.7"),
    );
    let fx = refusing_pushes(fx);
    let out = fx
        .caro(&with_description(flags()))
        .answers(happy_answers(&fx))
        .run();
    assert!(stopped_at_push(&out), "{}", out.explain());
    assert!(
        !out.transcript.contains("says version"),
        "{}",
        out.explain()
    );
}

#[test]
fn a_local_tag_that_differs_from_the_remote_is_named_before_anything_changes() {
    // The remote has v1.0.1 (someone released it); this clone has its own, different v1.0.1.
    let fx = released();
    git(&fx.work, &["tag", "v1.0.1", "v1.0.0^{commit}"]);
    git(&fx.work, &["push", "-q", "origin", "v1.0.1"]);
    git(&fx.work, &["tag", "-d", "v1.0.1"]);
    git(
        &fx.work,
        &["tag", "-a", "v1.0.1", "-m", "mine", "v1.0.0^{commit}"],
    );
    let before = fx.snapshot();
    let out = fx.caro(&with_description(flags())).run();
    assert_refused_by_preflight(
        &out,
        &[
            "local tag v1.0.1 differs from origin's",
            "caro-hotfix never moves or deletes one",
            "git ls-remote origin refs/tags/v1.0.1",
        ],
    );
    assert!(fx.snapshot() == before);
}

#[test]
fn v1_0_10_is_newer_than_v1_0_9_whatever_is_nearer() {
    let fx = released_with(
        &quick_manifest("1.0.10"),
        &[("CHANGELOG.md", CHANGELOG_100)],
        Some("v1.0.10"),
    );
    // A later commit (changelog only) tagged v1.0.9: nearer to HEAD, newer by date, lower by semver.
    write(&fx.work.join("CHANGELOG.md"), &format!("{CHANGELOG_100}\n"));
    git(&fx.work, &["commit", "-q", "-am", "docs: changelog"]);
    git(&fx.work, &["tag", "-a", "v1.0.9", "-m", "v1.0.9"]);
    fx.push_all();
    let out = run_to_step_five(&fx, &with_description(flags()));
    assert!(
        out.transcript.contains("Latest release: v1.0.10"),
        "{}",
        out.explain()
    );
    assert_eq!(
        git(&fx.work, &["branch", "--show-current"]),
        "hotfix/v1.0.11"
    );
}

// ------------------------------------------------------------------------------------------------
// Repository state
// ------------------------------------------------------------------------------------------------

#[test]
fn not_a_git_repository_is_named() {
    let fx = released();
    let plain = fx.dir.path().join("plain");
    write(&plain.join("Cargo.toml"), &quick_manifest("1.0.0"));
    let before = tree(&plain);
    let out = fx.caro(&[DESCRIPTION]).at(&plain).run();
    assert_refused_by_preflight(
        &out,
        &["is not inside a git work tree: run caro-hotfix from your crate's repository, or pass -C PATH"],
    );
    assert_eq!(tree(&plain), before);
}

#[test]
fn a_bare_repository_is_named_with_how_to_clone_it() {
    let fx = released();
    let before = tree(&fx.origin);
    let origin = fx.origin.clone();
    let out = fx.caro(&[DESCRIPTION]).at(&origin).run();
    assert_refused_by_preflight(
        &out,
        &["is a bare repository (it has no work tree to edit): clone it (`git clone "],
    );
    assert_eq!(tree(&fx.origin), before);
}

#[test]
fn a_detached_head_is_refused_before_it_could_strand_commits() {
    let fx = released();
    git(&fx.work, &["checkout", "-q", "--detach", "HEAD"]);
    let before = fx.snapshot();
    let out = fx.caro(&with_description(flags())).run();
    assert_refused_by_preflight(&out, &["HEAD is detached at ", "git switch -c <name>"]);
    assert!(fx.snapshot() == before);
}

#[test]
fn a_detached_head_is_fine_for_a_rehearsal() {
    let fx = released();
    git(&fx.work, &["checkout", "-q", "--detach", "HEAD"]);
    let before = fx.snapshot();
    let out = fx
        .caro(&["--dry-run", DESCRIPTION])
        .answers(vec![say("no")])
        .run();
    assert_eq!(out.code, 3, "{}", out.explain());
    assert!(fx.snapshot() == before);
}

/// A second branch whose change to src/lib.rs conflicts with main's.
fn conflicting_branch(fx: &Fixture) {
    let w = &fx.work;
    git(w, &["checkout", "-q", "-b", "topic"]);
    write(&w.join("src/lib.rs"), "// topic\n");
    git(w, &["commit", "-q", "-am", "topic"]);
    git(w, &["checkout", "-q", "main"]);
    write(&w.join("src/lib.rs"), "// main\n");
    git(w, &["commit", "-q", "-am", "main"]);
}

#[test]
fn a_merge_in_progress_is_refused() {
    let fx = released();
    conflicting_branch(&fx);
    assert!(!git_ok(&fx.work, &["merge", "-q", "topic"]));
    let before = fx.snapshot();
    let out = fx.caro(&with_description(flags())).run();
    assert_refused_by_preflight(
        &out,
        &["a merge is in progress: finish it first (`git merge --continue` or `git merge --abort`)"],
    );
    assert!(fx.snapshot() == before);
}

#[test]
fn a_rebase_in_progress_is_refused() {
    let fx = released();
    conflicting_branch(&fx);
    git(&fx.work, &["checkout", "-q", "topic"]);
    assert!(!git_ok(&fx.work, &["rebase", "main"]));
    let before = fx.snapshot();
    let out = fx.caro(&with_description(flags())).run();
    assert_refused_by_preflight(
        &out,
        &["a rebase is in progress: finish it first (`git rebase --continue` or `git rebase --abort`)"],
    );
    assert!(fx.snapshot() == before);
}

#[test]
fn no_remote_at_all_is_named_with_how_to_add_one() {
    let fx = released();
    git(&fx.work, &["remote", "remove", "origin"]);
    let before = fx.snapshot();
    let out = fx.caro(&with_description(flags())).run();
    assert_refused_by_preflight(
        &out,
        &["unknown remote `origin`: this repository has no remotes; add one (`git remote add origin <url>`)"],
    );
    assert!(fx.snapshot() == before);
}

#[test]
fn a_remote_that_cannot_be_reached_is_named_before_anything_changes() {
    let fx = released();
    let gone = fx.dir.path().join("moved-away.git");
    git(
        &fx.work,
        &["remote", "set-url", "origin", gone.to_str().expect("utf-8")],
    );
    let before = fx.snapshot();
    let out = fx.caro(&with_description(flags())).run();
    assert_refused_by_preflight(
        &out,
        &[
            "remote `origin` (",
            "moved-away.git) cannot be reached: ",
            "Check its URL (`git remote -v`)",
        ],
    );
    assert!(fx.snapshot() == before);
}

#[test]
fn a_shallow_clone_is_told_to_unshallow() {
    let fx = released();
    let url = format!("file://{}", fx.origin.display());
    let shallow = fx.dir.path().join("shallow");
    git(
        fx.dir.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let before = tree(&shallow);
    let out = fx.caro(&[DESCRIPTION]).at(&shallow).run();
    assert_refused_by_preflight(
        &out,
        &[
            "this is a shallow clone",
            "git fetch --unshallow --tags origin",
        ],
    );
    assert_eq!(tree(&shallow), before);
}

// ------------------------------------------------------------------------------------------------
// Manifests
// ------------------------------------------------------------------------------------------------

const WS_ROOT: &str = "\
# A virtual workspace: no [package] here.
[workspace]
members = [\"core\", \"cli\", \"other\"]
resolver = \"2\"

[workspace.package]
version = \"1.0.0\"   # the one version of core and cli
edition = \"2021\"

[workspace.metadata.hotfix]
test-commands = [[\"cargo\", \"--version\"]]
";

const WS_CORE: &str =
    "[package]\nname = \"wscore\"\nversion.workspace = true\nedition.workspace = true\n";

const WS_CLI: &str = "\
[package]
name = \"wscli\"
version.workspace = true
edition.workspace = true

[dependencies]
wscore = { path = \"../core\", version = \"=1.0.0\" }   # exact on purpose
";

const WS_OTHER: &str = "\
[package]
name = \"wsother\"
version = \"0.3.0\"
edition = \"2021\"

[dependencies.wscore]
path = \"../core\"
version = \"1.0.0\"
";

fn workspace() -> Fixture {
    workspace_with_core(WS_CORE)
}

/// The workspace with `core`'s manifest of the test's choosing, released as v1.0.0 (and as
/// wscore-v1.0.0, for a member with a tag prefix of its own).
fn workspace_with_core(core: &str) -> Fixture {
    let fx = Fixture::empty();
    let w = &fx.work;
    std::fs::remove_file(w.join("src/lib.rs")).expect("rm");
    std::fs::remove_file(w.join("tests/it.rs")).expect("rm");
    write(&w.join("Cargo.toml"), WS_ROOT);
    write(&w.join("core/Cargo.toml"), core);
    write(&w.join("core/src/lib.rs"), LIB_RS);
    write(&w.join("cli/Cargo.toml"), WS_CLI);
    write(&w.join("cli/src/lib.rs"), "pub use wscore::record_len;\n");
    write(&w.join("other/Cargo.toml"), WS_OTHER);
    write(&w.join("other/src/lib.rs"), "pub use wscore::record_len;\n");
    let lock = std::process::Command::new("cargo")
        .args(["generate-lockfile", "--offline"])
        .current_dir(w)
        .output()
        .expect("cargo");
    assert!(lock.status.success(), "{lock:?}");
    git(w, &["add", "-A"]);
    git(w, &["commit", "-q", "-m", "release 1.0.0"]);
    git(w, &["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    git(w, &["tag", "-a", "wscore-v1.0.0", "-m", "wscore-v1.0.0"]);
    fx.push_all();
    fx
}

#[test]
fn a_members_own_configuration_applies_when_it_is_hotfixed() {
    let core = format!("{WS_CORE}\n[package.metadata.hotfix]\ntag-prefix = \"wscore-v\"\n");
    let fx = workspace_with_core(&core);
    let before = fx.snapshot();
    let mut args = vec!["--package", "wscore", "--dry-run", "--non-interactive"];
    args.extend(with_description(flags()));
    let out = fx.caro(&args).unscripted().run();
    assert!(
        out.transcript
            .contains("This hotfix will be: wscore-v1.0.1 (patch bump of wscore-v1.0.0)"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("hotfix/wscore-v1.0.1"),
        "{}",
        out.explain()
    );
    assert!(fx.snapshot() == before);
}

#[test]
fn a_member_naming_the_remote_is_refused_before_anything_starts() {
    let core = format!("{WS_CORE}\n[package.metadata.hotfix]\nremote = \"upstream\"\n");
    let fx = workspace_with_core(&core);
    let before = fx.snapshot();
    let mut args = vec!["--package", "wscore"];
    args.extend(with_description(flags()));
    let out = fx.caro(&args).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains(
            "core/Cargo.toml: package.metadata.hotfix.remote: the remote is the whole repository's"
        ),
        "{}",
        out.explain()
    );
    assert!(!out.transcript.contains("[1/16]"), "{}", out.explain());
    assert_unchanged_but_fetched(&fx, &before, &out);
}

#[test]
fn a_virtual_workspace_bumps_the_inherited_version_and_the_path_requirements() {
    let fx = refusing_pushes(workspace());
    let work = fx.work.clone();
    let answers = vec![
        say("yes"),
        do_then_say(move || commit_fix_in(&work, "core/src/lib.rs"), "done"),
        say("y"),
    ];
    let mut args = vec!["--package", "wscore"];
    args.extend(with_description(flags()));
    let out = fx.caro(&args).answers(answers).run();
    assert!(stopped_at_push(&out), "{}", out.explain());
    let w = &fx.work;
    // Only the version bytes changed, in each file that holds one for wscore.
    assert_eq!(
        read(&w.join("Cargo.toml")),
        WS_ROOT.replace("version = \"1.0.0\"   #", "version = \"1.0.1\"   #")
    );
    assert_eq!(read(&w.join("core/Cargo.toml")), WS_CORE);
    assert_eq!(
        read(&w.join("cli/Cargo.toml")),
        WS_CLI.replace("\"=1.0.0\"", "\"=1.0.1\"")
    );
    // wsother's `version = "1.0.0"` still matches 1.0.1: it stays byte for byte (a minimal diff).
    assert_eq!(read(&w.join("other/Cargo.toml")), WS_OTHER);
    // wscli shares the workspace version, so it is released with wscore, in its own tag scheme
    // (`v`, while wscore's tags are `wscore-v`).
    assert!(
        out.transcript
            .contains("Release tags of wscore: wscore-vX.Y.Z"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains(
            "Released together: wscli 1.0.0 → 1.0.1, tagged v1.0.1 (wscli shares the workspace version)"
        ),
        "{}",
        out.explain()
    );
    let lock = read(&w.join("Cargo.lock"));
    assert!(
        lock.contains("name = \"wscore\"\nversion = \"1.0.1\""),
        "{lock}"
    );
    assert!(
        lock.contains("name = \"wsother\"\nversion = \"0.3.0\""),
        "{lock}"
    );
    let files = git(w, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(
        files,
        "CHANGELOG.md\nCargo.lock\nCargo.toml\nSECURITY.md\ncli/Cargo.toml"
    );
}

#[test]
fn a_virtual_workspace_without_package_is_asked_for_one() {
    let fx = workspace();
    let before = fx.snapshot();
    let out = fx
        .caro(&with_description(flags()))
        .answers(vec![say("yes")])
        .run();
    // A usage mistake, caught before step 1: exit 2.
    assert_eq!(out.code, 2, "{}", out.explain());
    assert!(out.error().contains("--package"), "{}", out.explain());
    assert!(out.error().contains("wscore"), "{}", out.explain());
    assert_unchanged_but_fetched(&fx, &before, &out);
    assert!(
        !out.transcript.contains("[1/16]"),
        "asked before the typed yes: {}",
        out.explain()
    );
}

#[test]
fn a_package_that_does_not_exist_is_named_and_nothing_is_kept() {
    let fx = released();
    let before = fx.snapshot();
    let mut args = vec!["--package", "nope"];
    args.extend(with_description(flags()));
    let out = fx.caro(&args).answers(vec![say("yes")]).run();
    // A usage mistake, caught before step 1: exit 2.
    assert_eq!(out.code, 2, "{}", out.explain());
    assert!(
        out.error()
            .contains("--package nope: no such package in this workspace (packages: minicrate)"),
        "{}",
        out.explain()
    );
    assert_unchanged_but_fetched(&fx, &before, &out);
    assert!(
        !out.transcript.contains("[1/16]"),
        "asked before the typed yes: {}",
        out.explain()
    );
}

/// CRLF, tabs, comments everywhere, inline tables, dotted keys, other `version` keys in metadata,
/// the version not first in its table and a trailing comment: only `1.0.0` → `1.0.1` may change.
const ODD_MANIFEST: &str = "# top comment\r\n\
[package]\r\n\
name\t=\t\"minicrate\"\t# name\r\n\
edition = \"2021\"\r\n\
  version   =   \"1.0.0\"   # bumped at every release; version = \"9.9.9\" here is a comment\r\n\
description = '''a \"tiny\"\r\n\
version = \"1.0.0\" crate'''\r\n\
authors = [ \"A <a@example.com>\" , ]\r\n\
metadata.docs.rs = { version = \"1.0.0\", all-features = true }\r\n\
\r\n\
[package.metadata.hotfix]\r\n\
test-commands = [ [ \"cargo\" , \"--version\" ] ]   # quick\r\n\
\r\n\
[features]\r\n\
default = []\r\n\
\r\n\
[package.metadata.release]\r\n\
version = \"1.0.0\"\r\n";

#[test]
fn an_unusual_manifest_changes_only_in_its_version_bytes() {
    let fx = refusing_pushes(released_with(
        ODD_MANIFEST,
        &[("CHANGELOG.md", CHANGELOG_100)],
        Some("v1.0.0"),
    ));
    let out = fx
        .caro(&with_description(flags()))
        .answers(happy_answers(&fx))
        .run();
    assert!(stopped_at_push(&out), "{}", out.explain());
    assert_eq!(
        read(&fx.work.join("Cargo.toml")),
        ODD_MANIFEST.replacen(
            "version   =   \"1.0.0\"   # bumped",
            "version   =   \"1.0.1\"   # bumped",
            1
        )
    );
}

#[test]
fn a_malformed_manifest_is_named_with_its_path_and_the_parser_message() {
    let fx = released();
    write(
        &fx.work.join("Cargo.toml"),
        "[package]\nname = \"minicrate\"\nversion = \"1.0.0\nedition = \"2021\"\n",
    );
    git(&fx.work, &["commit", "-q", "-am", "broken manifest"]);
    let before = fx.snapshot();
    let out = fx.caro(&with_description(flags())).run();
    let path = fx.work.join("Cargo.toml");
    assert_refused_by_preflight(
        &out,
        &[
            &format!("{} is not valid TOML; fix it", path.display()),
            "TOML parse error at line 3",
        ],
    );
    assert!(fx.snapshot() == before);
}

// ------------------------------------------------------------------------------------------------
// CHANGELOG.md and SECURITY.md
// ------------------------------------------------------------------------------------------------

/// Runs steps 1–8 on minicrate 1.0.0 with these CHANGELOG.md and SECURITY.md (absent when `None`)
/// and returns them afterwards.
fn edited(changelog: Option<&str>, security: Option<&str>) -> (String, String) {
    let mut files = Vec::new();
    if let Some(c) = changelog {
        files.push(("CHANGELOG.md", c));
    }
    if let Some(s) = security {
        files.push(("SECURITY.md", s));
    }
    let fx = refusing_pushes(released_with(
        &quick_manifest("1.0.0"),
        &files,
        Some("v1.0.0"),
    ));
    let out = fx
        .caro(&with_description(flags()))
        .answers(happy_answers(&fx))
        .run();
    assert!(stopped_at_push(&out), "{}", out.explain());
    let files = git(&fx.work, &["show", "--name-only", "--format=", "HEAD"]);
    assert!(
        files.contains("CHANGELOG.md") && files.contains("SECURITY.md"),
        "{files}\n{}",
        out.explain()
    );
    (
        read(&fx.work.join("CHANGELOG.md")),
        read(&fx.work.join("SECURITY.md")),
    )
}

/// What was inserted into `before` to make `after`, when that was a single insertion.
fn insertion<'a>(before: &str, after: &'a str) -> &'a str {
    let prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    // Inserted text is whole lines: start it at a line's beginning.
    let prefix = before[..prefix].rfind('\n').map_or(0, |i| i + 1);
    let suffix = before[prefix..]
        .bytes()
        .rev()
        .zip(after[prefix..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert_eq!(
        prefix + suffix,
        before.len(),
        "not a single insertion:\n--- before\n{before}\n--- after\n{after}"
    );
    &after[prefix..after.len() - suffix]
}

fn heading() -> String {
    format!("## [1.0.1] - {TODAY} [SECURITY HOTFIX]")
}

#[test]
fn a_missing_changelog_is_created_with_the_section() {
    let (changelog, _) = edited(None, None);
    assert!(changelog.starts_with("# Changelog\n"), "{changelog}");
    assert!(changelog.contains(&format!("## [Unreleased]\n\n{}\n", heading())));
}

#[test]
fn an_empty_changelog_is_filled_like_a_missing_one() {
    let (changelog, _) = edited(Some(""), None);
    assert!(changelog.starts_with("# Changelog\n"), "{changelog}");
    assert!(changelog.contains(&format!("## [Unreleased]\n\n{}\n", heading())));
}

#[test]
fn crlf_changelog_and_security_md_keep_their_line_endings() {
    let changelog =
        "# Changelog\r\n\r\n## [Unreleased]\r\n\r\n## [1.0.0] - 2026-01-01\r\n- First.\r\n";
    let security = "# Security Policy\r\n\r\nMail security@example.com.\r\n";
    let (new_changelog, new_security) = edited(Some(changelog), Some(security));
    for (before, after) in [(changelog, &new_changelog), (security, &new_security)] {
        let added = insertion(before, after);
        assert!(
            !added.replace("\r\n", "").contains('\n'),
            "a bare LF was added:\n{after:?}"
        );
        assert!(!added.replace("\r\n", "").contains('\r'));
    }
    assert!(new_changelog.contains(&format!("{}\r\n", heading())));
}

#[test]
fn a_changelog_without_unreleased_gets_the_section_before_the_newest_entry_in_its_own_style() {
    let before = "# Changelog\n\nAll changes.\n\n## 1.0.0 - 2026-01-01\n\n- First.\n";
    let (after, _) = edited(Some(before), None);
    let added = insertion(before, &after);
    // `## X.Y.Z - date`, as the file writes its releases (no Keep a Changelog brackets).
    assert!(added.starts_with("## 1.0.1 - 2026-11-13\n"), "{after}");
    assert!(after.find("## 1.0.1") < after.find("## 1.0.0"));
}

#[test]
fn unreleased_at_the_end_means_oldest_first_and_the_section_goes_before_it() {
    let before = "# Changelog\n\n## [0.9.0] - 2025-01-01\n- Beta.\n\n## [1.0.0] - 2026-01-01\n- First.\n\n## [Unreleased]\n- wip\n";
    let (after, _) = edited(Some(before), None);
    let added = insertion(before, &after);
    assert!(added.contains("[1.0.1] - "), "{after}");
    let at = after.find(&heading()).expect("heading");
    assert!(after.find("## [1.0.0]").expect("1.0.0") < at, "{after}");
    assert!(
        at < after.find("## [Unreleased]").expect("unreleased"),
        "{after}"
    );
}

#[test]
fn a_ten_megabyte_changelog_is_edited_in_place() {
    let mut before = String::from(CHANGELOG_100.split("[Unreleased]:").next().expect("head"));
    let mut n = 0;
    while before.len() < 10 * 1024 * 1024 {
        n += 1;
        before.push_str(&format!(
            "## [0.{n}.0] - 2020-01-01\n\n- An old release with a long line of notes {}.\n\n",
            "x".repeat(200)
        ));
    }
    let started = std::time::Instant::now();
    let (after, _) = edited(Some(&before), None);
    let added = insertion(&before, &after);
    assert!(added.contains("[1.0.1] - "), "{added}");
    assert!(after.find(&heading()) < after.find("## [1.0.0]"));
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn an_empty_security_md_gets_the_policy_and_the_entry() {
    let (_, security) = edited(Some(CHANGELOG_100), Some(""));
    assert!(security.starts_with("# Security Policy\n"), "{security}");
    assert!(security.contains("### minicrate 1.0.1 — "), "{security}");
}

// ------------------------------------------------------------------------------------------------
// Tools
// ------------------------------------------------------------------------------------------------

/// A `PATH` directory with the real git, cargo, curl, rustc and cat and the gh stand-in, less `missing`.
fn path_without(fx: &Fixture, missing: &str) -> OsString {
    let dir = fx.dir.path().join(format!("path-without-{missing}"));
    std::fs::create_dir_all(&dir).expect("dir");
    let system = std::env::var_os("PATH").expect("PATH");
    for tool in ["git", "cargo", "curl", "rustc", "cat", "gh"] {
        if tool == missing {
            continue;
        }
        let found = if tool == "gh" {
            Some(fx.bin.join("gh"))
        } else {
            std::env::split_paths(&system)
                .map(|d| d.join(tool))
                .find(|p| p.is_file())
        };
        let found = found.unwrap_or_else(|| panic!("{tool} on PATH"));
        std::os::unix::fs::symlink(found, dir.join(tool)).expect("symlink");
    }
    dir.into_os_string()
}

#[test]
fn each_missing_tool_is_named_with_how_to_get_it() {
    let fx = released();
    let before = fx.snapshot();
    for (tool, how) in [
        ("git", "install git (https://git-scm.com/downloads)"),
        ("cargo", "install Rust with rustup (https://rustup.rs)"),
        ("gh", "install the GitHub CLI (https://cli.github.com)"),
        ("curl", "install curl with your system's package manager"),
    ] {
        let out = fx
            .caro(&with_description(flags()))
            .path(path_without(&fx, tool))
            .run();
        assert_refused_by_preflight(&out, &[&format!("`{tool}` was not found on PATH: {how}")]);
        for other in ["git", "cargo", "gh", "curl"]
            .iter()
            .filter(|t| **t != tool)
        {
            assert!(
                !out.transcript.contains(&format!("`{other}` was not found")),
                "{}",
                out.explain()
            );
        }
        assert!(fx.snapshot() == before, "missing {tool} changed something");
    }
}

#[test]
fn a_gh_older_than_2_23_is_named_with_the_minimum() {
    let fx = released();
    fx.set_gh_knobs(&serde_json::json!({"version": "2.20.2"}));
    let before = fx.snapshot();
    let out = fx.caro(&with_description(flags())).run();
    assert_refused_by_preflight(
        &out,
        &[
            "gh 2.20.2 is too old: caro-hotfix needs gh 2.23 or later",
            "https://cli.github.com",
        ],
    );
    assert!(fx.snapshot() == before);

    // 2.23 itself is fine.
    fx.set_gh_knobs(&serde_json::json!({"version": "2.23.0"}));
    let out = fx
        .caro(&with_description(flags()))
        .answers(vec![say("no")])
        .run();
    assert_eq!(out.code, 3, "{}", out.explain());
}

// ------------------------------------------------------------------------------------------------
// Prompts
// ------------------------------------------------------------------------------------------------

#[test]
fn yes_must_be_typed_as_that_word() {
    for answer in ["YES", "yes please", "yes!", "ye", "'yes'"] {
        let fx = released();
        let before = fx.snapshot();
        let out = fx
            .caro(&with_description(flags()))
            .answers(vec![say(answer)])
            .run();
        assert_eq!(out.code, 3, "answer {answer:?}: {}", out.explain());
        assert!(
            out.error().contains("normal release workflow"),
            "{}",
            out.explain()
        );
        assert!(
            fx.snapshot() == before,
            "answer {answer:?} changed something"
        );
    }
    // Surrounding spaces are not part of the word.
    let fx = released();
    let out = run_to_step_five_answering(&fx, " yes ");
    assert!(out.transcript.contains("[2/16]"), "{}", out.explain());
}

fn run_to_step_five_answering(fx: &Fixture, yes: &str) -> Outcome {
    let out = fx
        .caro(&with_description(flags()))
        .answers(vec![say(yes)])
        .run();
    assert!(
        out.error().contains("no answer left for: Type 'done'"),
        "{}",
        out.explain()
    );
    out
}

#[test]
fn empty_answers_take_the_safe_default_at_every_text_prompt() {
    let fx = refusing_pushes(released());
    let work = fx.work.clone();
    let answers = vec![
        say("yes"),
        say(""), // severity: the default, Critical
        say(""), // impact: none yet
        say(""), // advisory ids: those found in the description
        say(""), // credit: none
        say(""), // done: asked again
        do_then_say(move || commit_fix_in(&work, "src/lib.rs"), "done"),
        say("y"),
        // The impact left empty is asked for before the push of step 9: nothing placeholder goes public.
        say("Reads past the buffer"),
    ];
    let out = fx.caro(&[DESCRIPTION]).answers(answers).run();
    assert!(stopped_at_push(&out), "{}", out.explain());
    assert!(
        out.transcript.contains("The impact is still empty"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("Type exactly `done`"),
        "{}",
        out.explain()
    );
    let record = read(&fx.work.join(".git/caro-hotfix/state.toml"));
    assert!(record.contains("severity = \"critical\""), "{record}");
    assert!(record.contains("\"RUSTSEC-2026-0042\""), "{record}");
    let security = read(&fx.work.join("SECURITY.md"));
    assert!(!security.contains("- Impact:"), "{security}");
    assert!(!security.contains("- Credit:"), "{security}");
}

#[test]
fn enter_alone_at_a_yes_no_question_asks_again() {
    use rexpect::process::wait::WaitStatus;
    let fx = released();
    git(
        &fx.work,
        &["checkout", "-q", "-b", "hotfix/v1.0.1", "v1.0.0"],
    );
    fx.commit_fix();
    git(&fx.work, &["checkout", "-q", "main"]);
    let cmd = fx.binary(&with_description(flags()));
    let mut p = rexpect::session::spawn_command(cmd, Some(60_000)).expect("spawn in a pty");
    p.exp_string("must type 'yes'").expect("step 1 prompt");
    p.send_line("yes").expect("type yes");
    p.exp_string("Continue on existing branch? (y/n)")
        .expect("step 3 prompt");
    // A stray Enter answers nothing: the question is asked again, with how to answer it.
    p.send_line("").expect("Enter");
    p.exp_string("Type y or n, then Enter")
        .expect("asked again, not declined");
    p.exp_string("Continue on existing branch? (y/n)")
        .expect("the same question again");
    p.send_line("n").expect("type n");
    p.exp_string("left as it is").expect("declined");
    match p.process.wait().expect("wait") {
        WaitStatus::Exited(_, code) => assert_eq!(code, 3),
        other => panic!("{other:?}"),
    }
    assert_eq!(git(&fx.work, &["branch", "--show-current"]), "main");
}

#[test]
fn an_invalid_advisory_id_at_the_prompt_is_asked_again_with_the_forms() {
    let fx = released();
    let answers = vec![
        say("yes"),
        say("RUSTSEC-26-1, GHSA-nope"),
        say("CVE-2026-12345"),
    ];
    let out = fx
        .caro(&[
            "--severity",
            "high",
            "--impact",
            "x",
            "--credit",
            "y",
            "a bug without an id",
        ])
        .answers(answers)
        .run();
    assert!(
        out.error().contains("no answer left for: Type 'done'"),
        "{}",
        out.explain()
    );
    assert_eq!(
        out.transcript
            .matches("? Advisory ids (comma-separated; empty for none)")
            .count(),
        2,
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("RUSTSEC-26-1"), "{}", out.explain());
    assert!(
        out.transcript.contains("RUSTSEC-YYYY-NNNN"),
        "{}",
        out.explain()
    );
    let record = read(&fx.work.join(".git/caro-hotfix/state.toml"));
    assert!(record.contains("\"CVE-2026-12345\""), "{record}");
}

#[test]
fn an_invalid_severity_is_a_usage_error_listing_the_choices() {
    let fx = released();
    let before = fx.snapshot();
    let out = fx
        .binary(&["--severity", "extreme", DESCRIPTION])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("invalid value 'extreme' for '--severity <SEVERITY>'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[possible values: critical, high, medium, low]"),
        "{stderr}"
    );
    assert!(fx.snapshot() == before);
}

// ------------------------------------------------------------------------------------------------
// The promises, checked in the source
// ------------------------------------------------------------------------------------------------

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    tree(dir)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "rs"))
        .map(|(p, bytes)| (p, String::from_utf8_lossy(&bytes).to_string()))
        .collect()
}

/// No shell, no force-push, no tag deletion, nothing that discards work, and every file write
/// atomic: the words that would break a promise do not appear in src/ as arguments or calls.
#[test]
fn the_source_keeps_the_promises() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = sources(&src);
    assert!(files.len() > 20);
    for (path, text) in &files {
        let name = path.display().to_string();
        // The code before its unit tests: the tests may use what the product must not.
        let code = text.split("#[cfg(test)]").next().unwrap_or(text);
        if name != "runner.rs" {
            assert!(
                !code.contains("Command::new"),
                "{name} starts a program itself"
            );
        }
        if name != "fsx.rs" {
            for write in ["fs::write(", "File::create(", "OpenOptions::new("] {
                assert!(
                    !code.contains(write),
                    "{name} writes a file without fsx::write_atomic"
                );
            }
        }
        for word in [
            "\"sh\"",
            "\"bash\"",
            "\"-c\"",
            "\"--force\"",
            "\"-f\"",
            "\"--force-with-lease\"",
            "\"--mirror\"",
            "\"--delete\"",
            "\"-d\"",
            "\"-D\"",
            "\"--cleanup-tag\"",
            "\"reset\"",
            "\"--hard\"",
            "\"stash\"",
            "\"--prune\"",
            "\"--prune-tags\"",
            "\"clean\", \"-",
        ] {
            assert!(!code.contains(word), "{name} uses {word}");
        }
    }
}

// ------------------------------------------------------------------------------------------------
// docs/safety.md cannot drift
// ------------------------------------------------------------------------------------------------

/// `src/…` names a file of the crate; anything else a module of the test binary in tests/testsuite/
/// (docs/safety.md names them `bad_inputs.rs::function`, as before they were gathered there).
fn source_path(root: &Path, file: &str) -> PathBuf {
    if file.starts_with("src/") {
        root.join(file)
    } else {
        root.join("tests/testsuite").join(file)
    }
}

/// Every row of the bad-input table in docs/safety.md names a test (`file.rs::function`) that exists
/// in tests/; every test of this file is in the table; a row whose test is `#[ignore]`d says
/// "not yet" (a known defect), and a row that says "not yet" names an ignored test.
#[test]
fn the_safety_table_names_real_tests_and_every_bad_input_test_is_in_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = read(&root.join("docs/safety.md"));
    let table: Vec<&str> = doc
        .split("<!-- bad-inputs:begin -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- bad-inputs:end -->").next())
        .expect("docs/safety.md has the bad-inputs markers")
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---") && !l.starts_with("| input"))
        .collect();
    assert!(table.len() >= 40, "only {} rows", table.len());

    let mut named = Vec::new();
    for row in &table {
        let row = row.replace("\\|", "¦");
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 4, "a row needs 4 cells: {row}");
        let test = cells[3].trim_matches('`');
        let (file, function) = test
            .split_once("::")
            .unwrap_or_else(|| panic!("the test cell must be file.rs::function: {row}"));
        let source = read(&source_path(root, file));
        let signature = format!("fn {function}(");
        let at = source
            .find(&signature)
            .unwrap_or_else(|| panic!("{file} has no test `{function}` (row: {row})"));
        let attributes = &source[source[..at].rfind("\n\n").unwrap_or(0)..at];
        assert!(
            attributes.contains("#[test]"),
            "{file}::{function} is not a #[test]"
        );
        let ignored = attributes.contains("#[ignore");
        let not_yet = cells[2].to_lowercase().starts_with("**not yet**");
        assert_eq!(
            ignored, not_yet,
            "{file}::{function}: an ignored test's row must start its behaviour with **Not yet**, and only such a row"
        );
        named.push(format!("{file}::{function}"));
    }

    // The promises name the tests that hold them.
    let promises = doc
        .split("<!-- promises:begin -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- promises:end -->").next())
        .expect("docs/safety.md has the promises markers");
    let mut count = 0;
    for reference in promises.split('`').filter(|r| r.contains(".rs::")) {
        let (file, function) = reference.split_once("::").expect("file::function");
        let source = read(&source_path(root, file));
        assert!(
            source.contains(&format!("fn {function}(")),
            "{file} has no test `{function}` (promises table)"
        );
        count += 1;
    }
    assert!(count >= 6, "the promises name {count} tests");

    let this = read(&root.join("tests/testsuite/bad_inputs.rs"));
    let mut rest = this.as_str();
    let mut tests = 0;
    while let Some(at) = rest.find("\n#[test]\n") {
        rest = &rest[at + 9..];
        // The function follows the attributes, at the start of a line.
        let f = if rest.starts_with("fn ") {
            Some(0)
        } else {
            rest.find("\nfn ").map(|f| f + 1)
        };
        let Some(f) = f else { break };
        tests += 1;
        let name: String = rest[f + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name != "the_safety_table_names_real_tests_and_every_bad_input_test_is_in_it"
            && name != "the_source_keeps_the_promises"
        {
            assert!(
                named.contains(&format!("bad_inputs.rs::{name}")),
                "bad_inputs.rs::{name} is not in the table of docs/safety.md"
            );
        }
    }
    assert!(tests >= 40, "found only {tests} tests in bad_inputs.rs");
}

#[test]
fn two_tag_schemes_that_disagree_are_asked_about() {
    // minicrate's releases are tagged `v…`, and someone also tagged 1.0.0 as `minicrate-v1.0.0`:
    // both schemes hold minicrate, but they disagree on the newest release (1.0.10 or 1.0.0).
    let fx = Fixture::new();
    git(
        &fx.work,
        &["tag", "-a", "minicrate-v1.0.0", "-m", "again", "v1.0.0"],
    );
    fx.push_all();
    let out = fx
        .caro(&with_description(flags()))
        .answers(vec![
            say("yes"),
            say("minicrate-vX.Y.Z (newest minicrate-v1.0.0)"),
        ])
        .run();
    assert!(
        out.transcript.contains(
            "Two tag schemes both hold minicrate's releases: vX.Y.Z (newest v1.0.10) and \
             minicrate-vX.Y.Z (newest minicrate-v1.0.0)."
        ),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("? Which tags are the releases?"),
        "{}",
        out.explain()
    );
    // The answer decides the base and the hotfix's tag.
    assert!(
        out.transcript
            .contains("This hotfix will be: minicrate-v1.0.1 (patch bump of minicrate-v1.0.0)"),
        "{}",
        out.explain()
    );
}

#[test]
fn a_crate_released_together_without_a_base_tag_stops_before_anything_changes() {
    // wscli shares wscore's version, so it must be released with it; its releases are tagged `v…`,
    // and that tag is gone: its release would have no base.
    let fx = workspace();
    git(&fx.work, &["tag", "-d", "v1.0.0"]);
    git(&fx.work, &["push", "-q", "origin", ":refs/tags/v1.0.0"]);
    let before = fx.snapshot();
    let mut args = vec!["--package", "wscore"];
    args.extend(with_description(flags()));
    let out = fx.caro(&args).answers(vec![say("yes")]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains(
            "wscli shares the workspace version, so it must be released with wscore 1.0.1 (as wscli 1.0.1), \
             but no tag holds wscli 1.0.0"
        ),
        "{}",
        out.explain()
    );
    assert!(
        out.error().contains("Nothing was changed"),
        "{}",
        out.explain()
    );
    assert_unchanged_but_fetched(&fx, &before, &out);
}

#[test]
fn a_base_tag_that_names_no_release_is_a_usage_error_listing_the_releases() {
    let fx = Fixture::new();
    let before = fx.snapshot();
    // A release-shaped tag that does not exist: found out at step 2, after the tags are fetched.
    let mut args = flags();
    args.extend(["--base-tag", "v1.0.9"]);
    let out = fx
        .caro(&with_description(args))
        .answers(vec![say("yes")])
        .run();
    assert_eq!(out.code, 2, "{}", out.explain());
    assert!(
        out.error().contains(
            "--base-tag v1.0.9: not a release tag of this repository. Release tags of the form \
             vX.Y.Z here: v1.0.10, v1.0.0, v0.9.9. Pass one of them."
        ),
        "{}",
        out.explain()
    );
    assert!(
        !out.error().contains("caro-hotfix resume"),
        "{}",
        out.explain()
    );
    assert_unchanged_but_fetched(&fx, &before, &out);

    // No version at all: said before step 1.
    let mut args = flags();
    args.extend(["--base-tag", "latest"]);
    let out = fx.caro(&with_description(args)).run();
    assert_eq!(out.code, 2, "{}", out.explain());
    assert!(
        out.error().contains("v1.0.10, v1.0.0, v0.9.9"),
        "{}",
        out.explain()
    );
    assert!(!out.transcript.contains("[1/16]"), "{}", out.explain());
}

//! The issue-25 example end to end with the real gh on the GitHub emulator: releases 0.9.0, 1.0.0,
//! 1.1.0 and 1.2.0, hotfixed to 1.2.1. In Cargo's semver 1.0.0 and 1.1.0 are in 1.2.1's
//! compatibility class (`cargo update` reaches it), so every artifact says they are patched by
//! 1.2.1; 0.9.0 is in another class and stays vulnerable, said so.

use serde_json::{json, Value};

use crate::gh_real::{origin_git, CANONICAL};
use crate::support::emulator::Emulator;
use crate::support::index_server::IndexServer;
use crate::support::*;

/// The fixture: the four releases, tagged and pushed; a quick test command (the fixture's own tests
/// are not the subject here).
fn fixture() -> Fixture {
    let fx = Fixture::empty();
    let w = &fx.work;
    for v in ["0.9.0", "1.0.0", "1.1.0", "1.2.0"] {
        // The fixture's manifest runs quick gates (support::QUICK_GATES).
        fx.commit_version(v, &format!("release {v}"));
        git(w, &["tag", "-a", &format!("v{v}"), "-m", &format!("v{v}")]);
    }
    fx.push_all();
    fx
}

#[test]
fn semver_compatible_releases_are_told_to_take_the_hotfix_in_every_artifact() {
    let fx = fixture();
    let origin = fx.origin.clone();
    let emu = Emulator::start(&fx, &[(CANONICAL, &origin)], &[("origin", CANONICAL)]);
    emu.knobs(json!({
        "reviews": [{"author": "bob", "state": "APPROVED"}],
        "tag_runs": [{"workflow": "Release", "file": "release.yml", "script": [
            {"at": 0, "status": "completed", "conclusion": "success"}
        ]}],
    }));
    fx.fake_audit("clean", 0);
    let index = IndexServer::publishing(CRATE, &fx.origin);
    for v in ["0.9.0", "1.0.0", "1.1.0", "1.2.0"] {
        index.add_version(v);
    }
    index.publish_after("1.2.1", 3);
    let url = index.url();
    let args = crate::gh_real::args(&url, "0.05", &[]);
    let answers = vec![say("yes"), fx.commit_fix_then("done"), say("yes")];
    let out = crate::gh_real::run(&fx, &emu, &args, answers);
    assert_eq!(out.code, 0, "{}", out.explain());
    let text = out.explain();

    let patched = "Affected versions: >= 1.0.0, < 1.2.1 (released: 1.0.0 to 1.2.0)";
    let open = "0.9.0 (>= 0.9.0, <= 0.9.0)";
    // Step 4 and the summary.
    assert!(
        text.contains("Line 1.x: 1.0.0 to 1.2.0 affected (>= 1.0.0, < 1.2.1), fixed in 1.2.1"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Still vulnerable, not patched by this hotfix: {open}"
        )),
        "{text}"
    );
    assert!(!text.contains("1.0.0 (>= 1.0.0, <= 1.0.0)"), "{text}");
    assert!(!text.contains("1.1.0 (>= 1.1.0, <= 1.1.0)"), "{text}");

    // The GitHub advisory: one patched range and the class left vulnerable, nothing else.
    let advisories = emu.advisories(CANONICAL);
    assert_eq!(advisories.len(), 1, "{advisories:#?}");
    let ranges = crate::support::emulator::vulnerability_ranges(&advisories[0]);
    assert_eq!(
        ranges,
        [
            (">= 0.9.0, <= 0.9.0".to_string(), Value::Null),
            (">= 1.0.0, < 1.2.1".to_string(), json!("1.2.1")),
        ]
    );
    let description = advisories[0]["description"].as_str().unwrap_or_default();
    assert!(description.contains(patched), "{description}");

    // CHANGELOG, SECURITY.md and the tag message on the origin; the PR body on the emulator.
    let changelog = origin_git(&fx, &["show", "v1.2.1:CHANGELOG.md"]);
    assert!(
        changelog.contains("Affected versions: >= 1.0.0, < 1.2.1 (fixed in 1.2.1)"),
        "{changelog}"
    );
    assert!(
        changelog.contains(&format!("Still vulnerable, no fix in this release: {open}")),
        "{changelog}"
    );
    let security = origin_git(&fx, &["show", "v1.2.1:SECURITY.md"]);
    assert!(security.contains(">= 1.0.0, < 1.2.1"), "{security}");
    assert!(
        security.contains(&format!("Still vulnerable, not patched yet: {open}")),
        "{security}"
    );
    let tag = origin_git(&fx, &["tag", "-l", "--format=%(contents)", "v1.2.1"]);
    assert!(tag.contains(patched), "{tag}");
    assert!(tag.contains(open), "{tag}");
    let pulls = emu.pulls(CANONICAL);
    let body = pulls[0]["body"].as_str().unwrap_or_default();
    assert!(body.contains(patched), "{body}");
    assert!(body.contains(open), "{body}");

    // The RustSec draft, evaluated by RustSec's own crate: exactly 0.9.0, 1.0.0, 1.1.0 and 1.2.0
    // are vulnerable, 1.2.1 is not.
    let draft = read(
        &fx.work
            .join(".git/caro-hotfix/advisory-db/crates/minicrate/RUSTSEC-0000-0000.md"),
    );
    let parsed: rustsec::Advisory = draft.parse().expect("the draft parses");
    for (v, vulnerable) in [
        ("0.9.0", true),
        ("1.0.0", true),
        ("1.1.0", true),
        ("1.2.0", true),
        ("1.2.1", false),
        ("1.3.0", false),
    ] {
        let version = semver::Version::parse(v).expect("version");
        assert_eq!(
            parsed.versions.is_vulnerable(&version),
            vulnerable,
            "{v}\n{draft}"
        );
    }
}

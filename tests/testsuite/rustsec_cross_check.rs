//! The affected-versions computation checked against real RustSec advisories (an oracle the team did
//! not write): for each vendored advisory (tests/fixtures/rustsec/), an incident that patches the
//! advisory's fixed versions, from the releases that existed when the newest fix shipped, must call
//! exactly the advisory's vulnerable versions vulnerable, release by release over every published
//! version of the crate. RustSec's own crate evaluates the advisory's ranges.

use std::path::PathBuf;

use caro_hotfix::logic::affected;
use semver::{Version, VersionReq};

const ADVISORIES: [&str; 8] = [
    "tokio/RUSTSEC-2023-0001",
    "tokio/RUSTSEC-2021-0124",
    "h2/RUSTSEC-2024-0003",
    "smallvec/RUSTSEC-2021-0003",
    "hyper/RUSTSEC-2021-0078",
    "regex/RUSTSEC-2022-0013",
    "openssl/RUSTSEC-2023-0044",
    "crossbeam-channel/RUSTSEC-2025-0024",
];

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rustsec")
}

/// The lowest version a RustSec range admits (`>= 1.18.4, < 1.19.0`, `^0.3.24`).
fn lower_bound(range: &str) -> Version {
    let first = range.split(',').next().unwrap_or_default().trim();
    let v = first
        .trim_start_matches(">=")
        .trim_start_matches('^')
        .trim();
    Version::parse(v).unwrap_or_else(|e| panic!("{range}: {e}"))
}

fn req(range: &str) -> VersionReq {
    VersionReq::parse(range).unwrap_or_else(|e| panic!("{range}: {e}"))
}

/// One advisory's check: the lines of the incident and the versions where it disagrees.
fn check(name: &str) -> (String, Vec<String>) {
    let text = std::fs::read_to_string(fixtures().join(format!("{name}.md"))).expect("advisory");
    let advisory: rustsec::Advisory = text.parse().expect("a RustSec advisory");
    let krate = name.split('/').next().unwrap_or_default();
    let all: Vec<Version> =
        std::fs::read_to_string(fixtures().join(format!("versions/{krate}.txt")))
            .expect("versions")
            .lines()
            .filter_map(|l| Version::parse(l.trim()).ok())
            .filter(|v| v.pre.is_empty())
            .collect();
    let vulnerable = |v: &Version| advisory.versions.is_vulnerable(v);
    let patched: Vec<String> = advisory
        .versions
        .patched()
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut fixes: Vec<Version> = patched.iter().map(|r| lower_bound(r)).collect();
    fixes.sort();
    let newest_fix = fixes.last().cloned().expect("a patched version");
    // The releases when the newest fix shipped: the vulnerable ones before it, and the unaffected.
    let releases: Vec<Version> = all
        .iter()
        .filter(|v| {
            **v < newest_fix && (vulnerable(v) || !all.iter().any(|o| o < *v && vulnerable(o)))
        })
        .cloned()
        .collect();
    let introduced = releases.iter().find(|v| vulnerable(v)).cloned();
    // Each fix patches the newest vulnerable release below it.
    let patches: Vec<(Version, Version)> = fixes
        .iter()
        .map(|fix| {
            let base = releases
                .iter()
                .filter(|r| *r < fix && vulnerable(r))
                .max()
                .cloned()
                .unwrap_or_else(|| panic!("{name}: no release before {fix}"));
            (base, fix.clone())
        })
        .collect();
    let a = affected::compute_lines(&releases, introduced.as_ref(), &patches)
        .unwrap_or_else(|e| panic!("{name}: {e:#}"));
    let ours_patched: Vec<VersionReq> = a.rustsec_patched().iter().map(|r| req(r)).collect();
    let ours_unaffected: Vec<VersionReq> = a.rustsec_unaffected().iter().map(|r| req(r)).collect();
    let mut mismatches: Vec<String> = all
        .iter()
        .filter(|v| {
            let ours = !ours_patched.iter().any(|r| r.matches(v))
                && !ours_unaffected.iter().any(|r| r.matches(v));
            ours != vulnerable(v)
        })
        .map(|v| format!("{v} (advisory: vulnerable={})", vulnerable(v)))
        .collect();
    // The GitHub advisory's side: each affected release is told to take the lowest fix that
    // `cargo update` reaches from it (`^release` admits it), or none.
    for r in releases.iter().filter(|r| vulnerable(r)) {
        let compatible = req(&format!("^{r}"));
        let expected = fixes
            .iter()
            .filter(|p| *p > r && compatible.matches(p))
            .min();
        let ours = a
            .lines
            .iter()
            .find(|l| l.first <= *r && *r <= l.last)
            .and_then(|l| l.patched.as_ref());
        if ours != expected {
            mismatches.push(format!(
                "{r}: patched by {ours:?}, cargo update reaches {expected:?}"
            ));
        }
    }
    let lines = fixes
        .iter()
        .map(|f| format!("{f} ({})", affected::class_of(f)))
        .collect::<Vec<_>>()
        .join(", ");
    (lines, mismatches)
}

#[test]
fn every_vendored_advisory_agrees_release_by_release() {
    let mut table =
        String::from("| advisory | crate | fixes (class) | result |\n|---|---|---|---|\n");
    let mut failed = Vec::new();
    for name in ADVISORIES {
        let (lines, mismatches) = check(name);
        let (krate, id) = name.split_once('/').unwrap_or_default();
        let result = if mismatches.is_empty() {
            "agrees on every release".to_string()
        } else {
            failed.push(name);
            format!("DIFFERS: {}", mismatches.join(", "))
        };
        table += &format!("| {id} | {krate} | {lines} | {result} |\n");
    }
    println!("{table}");
    assert!(failed.is_empty(), "{table}");
}

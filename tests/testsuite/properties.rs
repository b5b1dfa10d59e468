//! Property tests of the pure editors and of the base-tag choice (proptest).
//!
//! - Cargo.toml: for manifests built from a grammar of comments, spacing, quoting, CRLF, dotted keys,
//!   inline tables and other `version` keys, the bump changes exactly the bytes of the version
//!   string; for any text at all it returns an error or a manifest, never a panic.
//! - CHANGELOG.md and SECURITY.md: for Markdown built from the lines such files hold (headings, list
//!   items, fences, link definitions, blank lines, odd Unicode, LF or CRLF), every original line is
//!   still there, in order and byte for byte; what is added is the section (or entry) in the file's
//!   line ending, blank separators and the compare links, nothing else; the result documents the
//!   version (so a resumed step sees it is done). For any text at all: no panic.
//! - Release tags: on random tag sets, the base equals a plain reference implementation.
//!
//! Each property runs `PROPTEST_CASES` cases (default 2 000, a few seconds). The 100 000-case run
//! recorded in docs/safety.md is `PROPTEST_CASES=100000 cargo test --release --test testsuite properties::`.

use caro_hotfix::logic::changelog::{self, Section};
use caro_hotfix::logic::changelog_style;
use caro_hotfix::logic::manifest;
use caro_hotfix::logic::security_md::{self, Entry};
use caro_hotfix::logic::version::latest_release;
use caro_hotfix::logic::{Incident, Severity};
use proptest::prelude::*;
use semver::Version;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ------------------------------------------------------------------------------------------------
// Cargo.toml
// ------------------------------------------------------------------------------------------------

/// Spacing TOML allows around `=`.
fn space() -> impl Strategy<Value = String> {
    prop_oneof![Just(""), Just(" "), Just("   "), Just("\t"), Just(" \t ")].prop_map(String::from)
}

/// An optional trailing comment (which may itself mention a version).
fn trailing_comment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ -~]{0,20}".prop_map(|c| format!(" # {c}")),
        Just("   # version = \"9.9.9\"".to_string()),
    ]
}

/// A line that may stand anywhere between tables: blank, a comment, or a comment with a version.
fn filler() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ -~]{0,30}".prop_map(|c| format!("#{c}")),
        Just("# version = \"1.0.0\"".to_string()),
        Just("   ".to_string()),
    ]
}

/// Other keys of `[package]`, some holding a `version` that must not change.
fn other_package_keys() -> Vec<String> {
    [
        "edition = \"2021\"",
        "description = '''multi\nversion = \"1.0.0\" line'''",
        "authors = [ \"A <a@example.com>\" , ]",
        "metadata.docs.rs = { version = \"1.0.0\", all-features = true }",
        "license = 'MIT'",
        "keywords = [\"version\", \"1.0.0\"]",
    ]
    .map(String::from)
    .to_vec()
}

/// Other tables, with `version` keys of their own.
fn other_tables() -> Vec<String> {
    [
        "[dependencies]\nserde = { version = \"1.0.0\", features = [\"derive\"] }",
        "[dependencies.tokio]\nversion = \"1.0.0\"",
        "[package.metadata.release]\nversion = \"1.0.0\"",
        "[features]\ndefault = []",
        "[workspace.package]\nversion = \"7.7.7\"",
    ]
    .map(String::from)
    .to_vec()
}

#[derive(Debug, Clone)]
struct ManifestCase {
    /// The manifest with `⟦V⟧` where the version string (quotes included) goes.
    template: String,
    quote: char,
    old: String,
    crlf: bool,
}

fn semver_text() -> impl Strategy<Value = String> {
    (
        0u64..30,
        0u64..30,
        0u64..300,
        prop::option::of("[a-z0-9]{1,6}"),
    )
        .prop_map(|(a, b, c, build)| match build {
            Some(b2) => format!("{a}.{b}.{c}+{b2}"),
            None => format!("{a}.{b}.{c}"),
        })
}

fn manifest_case() -> impl Strategy<Value = ManifestCase> {
    (
        prop::collection::vec(filler(), 0..3),
        prop::sample::subsequence(other_package_keys(), 0..=6).prop_shuffle(),
        0usize..5,
        (space(), space(), space(), trailing_comment()),
        prop::bool::ANY,
        semver_text(),
        (
            prop::sample::subsequence(other_tables(), 0..=3).prop_shuffle(),
            prop::collection::vec(filler(), 3),
        ),
        prop::bool::ANY,
        prop::bool::ANY,
    )
        .prop_map(
            |(
                head,
                mut keys,
                at,
                (lead, before_eq, after_eq, comment),
                single,
                old,
                tables,
                crlf,
                tables_first,
            )| {
                let version_line = format!("{lead}version{before_eq}={after_eq}⟦V⟧{comment}");
                let at = at.min(keys.len());
                keys.insert(at, version_line);
                keys.insert(0, "name = \"caro\"".to_string());
                let package = format!("[package]\n{}\n", keys.join("\n"));
                let (tables, fillers) = tables;
                let others: String = tables
                    .iter()
                    .zip(fillers.iter())
                    .map(|(t, f)| format!("\n{t}\n{f}\n"))
                    .collect();
                let body = if tables_first {
                    format!("{}\n{others}\n{package}", head.join("\n"))
                } else {
                    format!("{}\n{package}{others}", head.join("\n"))
                };
                let template = if crlf {
                    body.replace('\n', "\r\n")
                } else {
                    body
                };
                ManifestCase {
                    template,
                    quote: if single { '\'' } else { '"' },
                    old,
                    crlf,
                }
            },
        )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_version_bump_changes_only_the_version_bytes(case in manifest_case(), new in semver_text()) {
        let q = case.quote;
        let text = case.template.replace("⟦V⟧", &format!("{q}{}{q}", case.old));
        let new = Version::parse(&new).expect("generated semver");
        let out = manifest::set_package_version(&text, &new)
            .unwrap_or_else(|e| panic!("{e:#}\n---\n{text}"));
        prop_assert_eq!(&out, &case.template.replace("⟦V⟧", &format!("{q}{new}{q}")));
        let info = manifest::package_info(&out).expect("reads back");
        prop_assert_eq!(info.version, manifest::PackageVersion::Literal(new));
        prop_assert_eq!(out.contains("\r\n"), case.crlf);
    }

    #[test]
    fn the_manifest_editor_never_panics_on_any_text(text in "\\PC{0,200}", new in semver_text()) {
        let new = Version::parse(&new).expect("generated semver");
        let _ = manifest::package_info(&text);
        let _ = manifest::workspace_version(&text);
        if let Ok(out) = manifest::set_package_version(&text, &new) {
            // Whatever it accepts, it changes in one place only.
            let prefix = text.bytes().zip(out.bytes()).take_while(|(a, b)| a == b).count();
            let suffix = text[prefix..].bytes().rev().zip(out[prefix..].bytes().rev())
                .take_while(|(a, b)| a == b).count();
            prop_assert!(out[prefix..out.len() - suffix].len() <= new.to_string().len() + 2);
        }
        let _ = manifest::set_workspace_version(&text, &new);
        let _ = manifest::update_path_dependency_requirements(&text, "caro", &new, manifest::Requirements::Minimal);
        let _ = manifest::update_path_dependency_requirements(&text, "caro", &new, manifest::Requirements::Upgrade);
    }
}

// ------------------------------------------------------------------------------------------------
// CHANGELOG.md and SECURITY.md
// ------------------------------------------------------------------------------------------------

/// One line of a changelog or security policy as maintainers write them, odd ones included.
fn markdown_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(String::new()),
        1 => Just("# Changelog".to_string()),
        2 => Just("## [Unreleased]".to_string()),
        1 => Just("## Unreleased".to_string()),
        3 => (0u64..3, 0u64..12).prop_map(|(a, b)| format!("## [{a}.{b}.0] - 2024-01-01")),
        1 => (0u64..3, 0u64..12).prop_map(|(a, b)| format!("## v{a}.{b}.0")),
        1 => Just("## [1.0.10] - 2025-01-01".to_string()),
        1 => Just("## About".to_string()),
        2 => Just("### Security".to_string()),
        2 => "[ -~]{0,30}".prop_map(|t| format!("- {t}")),
        2 => "\\PC{0,30}",
        1 => Just("```".to_string()),
        1 => Just("~~~md".to_string()),
        1 => Just("**Upgrade immediately**: old text".to_string()),
        1 => Just("### Known issues".to_string()),
        1 => Just("[Unreleased]: https://github.com/o/r/compare/v1.0.10...HEAD".to_string()),
        1 => Just("[unreleased]: https://github.com/o/r/compare/v2.0.0...main".to_string()),
        1 => (0u64..12).prop_map(|b| format!("[1.0.{b}]: https://github.com/o/r/compare/v1.0.0...v1.0.{b}")),
        1 => Just("[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0".to_string()),
        2 => Just("## Security advisories".to_string()),
        1 => Just("## Security Advisories".to_string()),
        1 => (0u64..12).prop_map(|b| format!("### caro 1.0.{b} — an old problem")),
        1 => Just("### caro-core 1.0.11 — another crate".to_string()),
        1 => Just("# Security Policy".to_string()),
        1 => Just("\t  ".to_string()),
    ]
}

#[derive(Debug, Clone)]
struct Doc {
    text: String,
}

fn markdown_doc() -> impl Strategy<Value = Doc> {
    (
        prop::collection::vec(markdown_line(), 0..30),
        prop_oneof![Just("\n"), Just("\r\n")],
        prop::bool::ANY,
    )
        .prop_map(|(lines, nl, final_newline)| {
            let mut text = lines.join(nl);
            if final_newline && !lines.is_empty() {
                text.push_str(nl);
            }
            Doc { text }
        })
}

fn user_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{1,40}",
        "\\PC{1,40}",
        Just("$(touch pwned) `id` \"q\" 'q'\n## [9.9.9] not a heading\n```".to_string()),
        Just("-rf 🚨 مرحبا\r\nsecond".to_string()),
    ]
}

fn incident() -> impl Strategy<Value = Incident> {
    (
        user_text(),
        prop::option::of(prop_oneof![
            Just(Severity::Critical),
            Just(Severity::High),
            Just(Severity::Medium)
        ]),
        prop_oneof![Just(String::new()), user_text()],
        prop::collection::vec(
            prop_oneof![
                Just("RUSTSEC-2025-0001".to_string()),
                Just("CVE-2025-12345".to_string())
            ],
            0..3,
        ),
        prop_oneof![Just(String::new()), user_text()],
    )
        .prop_map(
            |(description, severity, impact, advisory_ids, credit)| Incident {
                description,
                severity,
                impact,
                advisory_ids,
                credit,
                ..Incident::default()
            },
        )
}

/// Lines with their line endings.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Blank lines and bare fence markers: the separators the editors may add (a code block left open
/// at the end of the file is closed before the new text).
fn separator(line: &str) -> bool {
    matches!(line.trim(), "" | "```" | "~~~")
}

/// The label of a link reference definition line (`[label]: url`).
fn link_label(line: &str) -> Option<&str> {
    line.strip_prefix('[')?.split_once("]:").map(|(l, _)| l)
}

/// Checks that `after` is `before` with lines added, and returns the added lines. A `before` line
/// may come back changed only where `may_change` allows (a moved compare link), and the last line
/// of `before` may have gained a line break.
fn added_lines<'a>(
    before: &str,
    after: &'a str,
    may_change: impl Fn(&str, &str) -> bool,
) -> Result<Vec<&'a str>, String> {
    let old = lines(before);
    let new = lines(after);
    let mut added = Vec::new();
    let mut i = 0;
    for line in &new {
        let Some(want) = old.get(i) else {
            added.push(*line);
            continue;
        };
        let last_gained_break = i + 1 == old.len()
            && !want.ends_with('\n')
            && line.strip_suffix("\r\n").or(line.strip_suffix('\n')) == Some(want);
        if line == want || last_gained_break || may_change(want, line) {
            i += 1;
        } else {
            added.push(*line);
        }
    }
    if i < old.len() {
        return Err(format!(
            "line {} of the original is gone or changed: {:?}",
            i + 1,
            old[i]
        ));
    }
    Ok(added)
}

fn newline_of(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// Every added line uses the file's line ending (the last one may have none).
fn endings_match(nl: &str, added: &[&str]) -> bool {
    added.iter().all(|l| {
        let body = l.strip_suffix(nl).unwrap_or(l);
        !body.contains('\n') && !body.contains('\r')
    })
}

const V: (u64, u64, u64) = (1, 0, 11);

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_changelog_section_is_only_added(doc in markdown_doc(), incident in incident()) {
        let version = Version::new(V.0, V.1, V.2);
        let section = Section {
            version: &version,
            date: "2025-03-04",
            incident: &incident,
            base_tag: "v1.0.10",
            new_tag: "v1.0.11",
            affected: None,
        };
        let Ok(after) = changelog::insert_section(Some(&doc.text), &section) else {
            // Refused only when the version already has a section.
            let again = changelog::insert_section(Some(&doc.text), &section).unwrap_err();
            prop_assert!(again.to_string().contains("already has a section for 1.0.11"));
            return Ok(());
        };
        if doc.text.trim().is_empty() {
            prop_assert!(after.contains(&changelog::render_section(&section)));
            return Ok(());
        }
        let nl = newline_of(&doc.text);
        // The Unreleased compare link may move to start at the new tag; nothing else may change.
        let moved = |old: &str, new: &str| {
            link_label(old).is_some_and(|l| l.eq_ignore_ascii_case("unreleased"))
                && link_label(new) == link_label(old)
                && new.contains("/compare/v1.0.11...")
        };
        let added = added_lines(&doc.text, &after, moved).map_err(|e| {
            TestCaseError::fail(format!("{e}\n--- before\n{}\n--- after\n{after}", doc.text))
        })?;
        prop_assert!(endings_match(nl, &added), "{:?}", added);
        // What was added: the section, blank separators and the new compare link.
        let rendered = changelog::render_section(&section).replace('\n', nl);
        let expected: String = lines(&rendered).into_iter().filter(|l| !separator(l)).collect();
        let link = "[1.0.11]: https://github.com/o/r/compare/v1.0.10...v1.0.11";
        let mut links = 0;
        let without_link: String = added
            .iter()
            .filter(|l| !separator(l))
            .filter(|l| {
                let is_link = l.trim_end() == link;
                links += usize::from(is_link);
                !is_link
            })
            .copied()
            .collect();
        prop_assert!(links <= 1);
        let kept_a_changelog = changelog_style::is_keep_a_changelog(&doc.text);
        let releases = changelog_style::release_headings(&doc.text);
        if !kept_a_changelog && releases.is_empty() {
            // No release heading to follow: the section goes to the top (below a title), whole,
            // and the file's own lines follow unchanged.
            prop_assert!(after.contains(&rendered), "{}", after);
            // (The compare links are kept current, as in every style.)
            let content = |l: &&str| !l.trim().is_empty() && !l.contains("/compare/");
            let rest = after.replacen(&rendered, "", 1);
            let kept: Vec<&str> = rest.lines().filter(content).collect();
            let before: Vec<&str> = doc.text.lines().filter(content).collect();
            prop_assert_eq!(kept, before);
        } else if !kept_a_changelog {
            // The file's own heading style: the heading (and its setext underline) and the level of
            // `### Security` follow the newest release; the entry itself is the same.
            let body = |text: &str| -> String {
                text.lines()
                    .filter(|l| {
                        !l.trim().is_empty()
                            && !l.contains("1.0.11")
                            && !l.trim_start_matches('#').trim().eq("Security")
                            && !l.chars().all(|c| c == '=' || c == '-')
                    })
                    .map(|l| format!("{l}\n"))
                    .collect()
            };
            prop_assert_eq!(body(&without_link), body(&expected));
            prop_assert!(added.iter().any(|l| l.contains("1.0.11")));
        } else {
            // Keep a Changelog: the section as rendered, written in the body style of the file's
            // newest release (issue 26: the heading's form, a blank line after the sub-heading or
            // not, the bullet, the nesting) — the same entry, line for line, up to those.
            let entry = |text: &str| -> Vec<String> {
                text.lines()
                    .filter(|l| !l.trim().is_empty() && !l.contains("1.0.11"))
                    .map(|l| {
                        let t = l.trim_start();
                        t.strip_prefix(['-', '*', '+']).map_or(t, str::trim_start).to_string()
                    })
                    .collect()
            };
            prop_assert_eq!(entry(&without_link), entry(&expected));
            prop_assert_eq!(without_link.lines().filter(|l| l.contains("1.0.11")).count(), 1);
        }
        // Done is done: a resumed step 6 finds the section instead of adding another.
        let again = changelog::insert_section(Some(&after), &section);
        prop_assert!(again.is_err(), "a second insert succeeded:\n{}", after);
    }

    #[test]
    fn the_security_entry_is_only_added(doc in markdown_doc(), incident in incident()) {
        let version = Version::new(V.0, V.1, V.2);
        let entry = Entry {
            crate_name: "caro",
            version: &version,
            date: "2025-03-04",
            incident: &incident,
            affected: None,
        };
        let Ok(after) = security_md::add_entry(Some(&doc.text), &entry) else {
            prop_assert!(security_md::has_entry(&doc.text, "caro", &version));
            return Ok(());
        };
        prop_assert!(security_md::has_entry(&after, "caro", &version), "not found again:\n{}", after);
        prop_assert!(security_md::add_entry(Some(&after), &entry).is_err());
        if doc.text.trim().is_empty() {
            return Ok(());
        }
        let nl = newline_of(&doc.text);
        let added = added_lines(&doc.text, &after, |_, _| false).map_err(|e| {
            TestCaseError::fail(format!("{e}\n--- before\n{}\n--- after\n{after}", doc.text))
        })?;
        prop_assert!(endings_match(nl, &added), "{:?}", added);
        let added_text: String = added.iter().filter(|l| !separator(l)).copied().collect();
        prop_assert!(added_text.starts_with("## Security advisories") || added_text.starts_with("### caro 1.0.11"),
            "{:?}", added_text);
        prop_assert!(added_text.contains("- Patched version: 1.0.11"));
    }

    #[test]
    fn the_markdown_editors_never_panic_on_any_text(
        text in "(\\PC|\r|\n){0,300}",
        incident in incident(),
        findings in prop::collection::vec("\\PC{0,30}", 0..3),
    ) {
        let version = Version::new(V.0, V.1, V.2);
        let section = Section {
            version: &version,
            date: "2025-03-04",
            incident: &incident,
            base_tag: "v1.0.10",
            new_tag: "v1.0.11",
            affected: None,
        };
        if let Ok(after) = changelog::insert_section(Some(&text), &section) {
            let _ = changelog::add_audit_findings(&after, &version, &findings);
        }
        let _ = changelog::add_audit_findings(&text, &version, &findings);
        let entry = Entry { crate_name: "caro", version: &version, date: "2025-03-04", incident: &incident, affected: None };
        let _ = security_md::add_entry(Some(&text), &entry);
        let _ = security_md::has_entry(&text, "caro", &version);
    }
}

// ------------------------------------------------------------------------------------------------
// Release tags
// ------------------------------------------------------------------------------------------------

/// The reference: strip the prefix; `X.Y.Z` with optional `+build` (no pre-release), numbers
/// without leading zeros; highest X.Y.Z wins, then a tag without build metadata, then the first name.
fn reference_base(tags: &[String], prefix: &str) -> Option<String> {
    fn number(s: &str) -> Option<u64> {
        let ok = !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_digit())
            && (s == "0" || !s.starts_with('0'));
        if ok {
            s.parse().ok()
        } else {
            None
        }
    }
    fn identifiers(s: &str) -> bool {
        s.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    }
    let mut best: Option<((u64, u64, u64), bool, String)> = None;
    for raw in tags {
        let tag = raw.trim();
        let Some(rest) = tag.strip_prefix(prefix) else {
            continue;
        };
        let (core, build) = match rest.split_once('+') {
            Some((c, b)) => (c, Some(b)),
            None => (rest, None),
        };
        if build.is_some_and(|b| !identifiers(b)) {
            continue;
        }
        let parts: Vec<&str> = core.split('.').collect();
        if parts.len() != 3 {
            continue;
        }
        let (Some(a), Some(b), Some(c)) = (number(parts[0]), number(parts[1]), number(parts[2]))
        else {
            continue;
        };
        let candidate = ((a, b, c), build.is_none(), tag.to_string());
        let better = match &best {
            None => true,
            Some((v, plain, name)) => {
                (candidate.0, candidate.1) > (*v, *plain)
                    || ((candidate.0, candidate.1) == (*v, *plain) && candidate.2 < *name)
            }
        };
        if better {
            best = Some(candidate);
        }
    }
    best.map(|(_, _, name)| name)
}

fn tag() -> impl Strategy<Value = String> {
    let prefix = prop_oneof![
        4 => Just("v"),
        1 => Just(""),
        1 => Just("V"),
        1 => Just("mycrate-v"),
        1 => Just("other-v")
    ];
    let number = prop_oneof![
        5 => (0u64..12).prop_map(|n| n.to_string()),
        1 => Just("01".to_string()),
        1 => Just("00".to_string()),
        1 => Just("x".to_string())
    ];
    let suffix = prop_oneof![
        6 => Just(String::new()),
        1 => Just("-rc.1".to_string()),
        1 => Just("-beta".to_string()),
        1 => Just("+build.5".to_string()),
        1 => Just("+a".to_string()),
        1 => Just("+".to_string()),
        1 => Just(".0".to_string())
    ];
    let junk = prop_oneof![
        Just("latest".to_string()),
        Just("release-2".to_string()),
        Just("v1.2".to_string()),
        Just("nightly".to_string()),
        "[a-z0-9.+-]{0,8}"
    ];
    prop_oneof![
        8 => (prefix, number.clone(), number.clone(), number, suffix, prop::bool::weighted(0.1))
            .prop_map(|(p, a, b, c, s, pad)| {
                let t = format!("{p}{a}.{b}.{c}{s}");
                if pad { format!(" {t}\r") } else { t }
            }),
        1 => junk,
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_base_tag_matches_the_reference(
        tags in prop::collection::vec(tag(), 0..12),
        prefix in prop_oneof![Just("v"), Just(""), Just("mycrate-v")],
    ) {
        let got = latest_release(tags.iter().map(String::as_str), prefix).map(|r| r.tag);
        prop_assert_eq!(got, reference_base(&tags, prefix), "tags {:?}", tags);
    }
}

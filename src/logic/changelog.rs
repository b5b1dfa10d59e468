//! The hotfix's CHANGELOG.md section (Keep a Changelog layout): rendering it, putting it in the right
//! place, keeping the compare links current, and recording audit findings the release ships with.
//!
//! The section is modelled on the reference's example entry, filled with the real answers. The
//! maintainer's file is never re-rendered: new text is spliced in at line boundaries, so everything
//! else stays byte-for-byte (CRLF files get CRLF lines).

use anyhow::{bail, Result};
use semver::Version;

use super::affected::Affected;
use super::markdown::{self, Line};
use super::{changelog_body, changelog_style};
use super::{Incident, Severity};

/// Everything the section says, borrowed from the hotfix's record.
#[derive(Debug, Clone, Copy)]
pub struct Section<'a> {
    pub version: &'a Version,
    /// `YYYY-MM-DD`, the release date.
    pub date: &'a str,
    pub incident: &'a Incident,
    /// The tag the hotfix starts from, for the compare link (`v1.0.10`).
    pub base_tag: &'a str,
    /// The hotfix's own tag (`v1.0.11`).
    pub new_tag: &'a str,
    /// The affected and patched versions of every line (step 4), when known.
    pub affected: Option<&'a Affected>,
}

/// The sentence that introduces the audit findings recorded with a release.
const AUDIT_NOTE: &str = "Reported by `cargo audit` at release time; not fixed by this hotfix.";

/// The section for the hotfix, ending with a line break.
///
/// User text is inserted literally; multi-line text continues on indented lines so it stays inside
/// its list item.
pub fn render_section(s: &Section) -> String {
    let incident = s.incident;
    let label = incident
        .severity
        .map_or_else(|| "SECURITY".to_string(), |sev| sev.as_str().to_uppercase());
    let mut out = format!(
        "## [{}] - {} [SECURITY HOTFIX]\n\n### Security\n- **{label}**: Fixed {}\n",
        s.version,
        s.date,
        markdown::continued(&incident.description, "  ")
    );
    if !incident.advisory_ids.is_empty() {
        out.push_str(&format!("  - {}\n", incident.advisory_ids.join(" / ")));
    }
    if !incident.impact.trim().is_empty() {
        out.push_str(&format!(
            "  - Impact: {}\n",
            markdown::continued(&incident.impact, "    ")
        ));
    }
    if let Some(severity) = incident.severity {
        out.push_str(&format!("  - Severity: {}\n", severity.title()));
    }
    if let Some(affected) = s.affected {
        out.push_str(&affected_lines(affected));
    }
    if !incident.credit.trim().is_empty() {
        out.push_str(&format!(
            "  - Credit: {}\n",
            markdown::continued(&incident.credit, "    ")
        ));
    }
    let what = match incident.severity {
        Some(Severity::Critical) => "a critical security vulnerability",
        Some(Severity::High) => "a high-severity security vulnerability",
        Some(Severity::Medium) => "a medium-severity security vulnerability",
        Some(Severity::Low) => "a low-severity security vulnerability",
        None => "a security vulnerability",
    };
    out.push_str(&format!(
        "\n**Upgrade immediately**: This release fixes {what}.\n\
         All users should upgrade as soon as possible.\n"
    ));
    out
}

/// The section's lines on versions: each patched line's range and fix, and what stays vulnerable.
fn affected_lines(a: &Affected) -> String {
    let mut out = String::new();
    for l in a.patched() {
        if let Some(p) = &l.patched {
            out.push_str(&format!(
                "  - Affected versions: {} (fixed in {p})\n",
                l.range()
            ));
        }
    }
    for l in a.unpatched() {
        out.push_str(&format!(
            "  - Still vulnerable, no fix in this release: {} ({})\n",
            l.released(),
            l.range()
        ));
    }
    out
}

/// The changelog with the hotfix's section added; `None` creates the file.
///
/// The section goes right after `## [Unreleased]` (the newest released entry comes first), or before
/// the first entry when the file has no Unreleased heading. A file that keeps Unreleased at the end,
/// below its releases, is written oldest-first: there the section goes right before Unreleased. Where the file keeps compare links, the
/// `[Unreleased]` link moves to start at the new tag and a link for the new version is added. Fails
/// when the version already has a section, so nothing is ever recorded twice.
pub fn insert_section(existing: Option<&str>, s: &Section) -> Result<String> {
    let section = render_section(s);
    let text = match existing {
        Some(text) if !text.trim().is_empty() => text,
        _ => {
            return Ok(format!(
            "# Changelog\n\nAll notable changes to this project are documented in this file.\n\n\
                 ## [Unreleased]\n\n{section}"
        ))
        }
    };
    let lines = markdown::lines(text);
    if find_version_heading(&lines, s.version).is_some() {
        bail!("CHANGELOG.md already has a section for {}", s.version);
    }
    // Another style (tokio's `# 1.53.1 (July 20th, 2026)`, regex's setext headings…): its own.
    let links = link_block_start(&lines);
    if !changelog_style::is_keep_a_changelog(text) {
        let (edit, _) = changelog_style::insert_edit(text, &section, s.version, s.date);
        let mut edits = vec![edit];
        edits.extend(link_edits(text, &lines, links, s));
        return Ok(markdown::apply(text, edits));
    }
    let h2 = |i: usize| lines[i].heading(2);
    let unreleased = (0..lines.len()).find(|&i| h2(i).is_some_and(is_unreleased));
    let release = |i: usize| h2(i).is_some_and(|t| is_entry(t) && !is_unreleased(t));
    let at = match unreleased {
        // Releases above Unreleased and none below: the file is oldest-first, so the newest
        // release goes right before Unreleased, after the release it follows.
        Some(u) if (0..u).any(release) && !(u + 1..lines.len()).any(release) => Some(u),
        Some(u) => (u + 1..lines.len())
            .find(|&i| h2(i).is_some())
            .or(links.filter(|&l| l > u)),
        None => (0..lines.len())
            .find(|&i| h2(i).is_some_and(is_entry))
            .or(links),
    };
    let section = restyled(text, &section, s);
    let mut edits = vec![markdown::insert_block(text, &lines, at, &section)];
    edits.extend(link_edits(text, &lines, links, s));
    Ok(markdown::apply(text, edits))
}

/// The Keep a Changelog section in the form of the file's newest release: its heading's form
/// (`[v0.10.74]`, an em dash), its sub-headings' level, bullets and nesting; the sub-heading stays
/// `Security`, a kind of change Keep a Changelog names.
fn restyled(text: &str, section: &str, s: &Section) -> String {
    let Some(mut style) = changelog_style::style_of(text) else {
        return section.to_string();
    };
    // `Security` is one of Keep a Changelog's own kinds of change (and the reference's): kept.
    style.name = "Security".into();
    let (heading, body) = section.split_once('\n').unwrap_or((section, ""));
    let heading = match changelog_style::keep_a_changelog_title(text, s.version, s.date) {
        Some(title) => format!("## {title} [SECURITY HOTFIX]"),
        None => heading.to_string(),
    };
    format!("{heading}\n{}", changelog_body::restyle(body, &style))
}

/// Whether the changelog has a section for `version`, in whatever style it writes headings.
pub fn has_section(changelog: &str, version: &Version) -> bool {
    find_version_heading(&markdown::lines(changelog), version).is_some()
}

/// How the version's section opens, as it reads in the file: its heading, its sub-heading and its
/// first item (`# 1.53.2 (December 8th, 2026)`, `### Fixed`, `- **CRITICAL**: Fixed …`).
pub fn section_opening(changelog: &str, version: &Version) -> Vec<String> {
    let lines = markdown::lines(changelog);
    let Some(at) = find_version_heading(&lines, version) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for line in &lines[at..] {
        let text = line.text.trim_end();
        let underline = !text.is_empty() && text.chars().all(|c| c == '=' || c == '-');
        if line.is_blank() || (underline && out.len() == 1) {
            continue;
        }
        out.push(text.to_string());
        if text.trim_start().starts_with(['-', '*', '+']) {
            break;
        }
        if out.len() == 4 {
            break;
        }
    }
    out
}

/// Records findings of `cargo audit` that the release ships with, as a `### Known issues` list in
/// the version's section, just before its "**Upgrade immediately**" paragraph (or at the end of the
/// section when that paragraph is gone).
///
/// Recording again (a resumed step) adds only findings not listed yet; no findings changes nothing.
pub fn add_audit_findings(
    changelog: &str,
    version: &Version,
    findings: &[String],
) -> Result<String> {
    if findings.is_empty() {
        return Ok(changelog.to_string());
    }
    let lines = markdown::lines(changelog);
    let Some(heading) = find_version_heading(&lines, version) else {
        bail!(
            "CHANGELOG.md has no section for {version}: add the hotfix's section before recording \
             the audit findings"
        );
    };
    let end = if changelog_style::is_keep_a_changelog(changelog) {
        (heading + 1..lines.len()).find(|&i| lines[i].heading(2).is_some())
    } else {
        changelog_style::release_headings(changelog)
            .into_iter()
            .map(|h| h.line)
            .find(|&l| l > heading)
    }
    .or(link_block_start(&lines).filter(|&l| l > heading));
    let body = heading + 1..end.unwrap_or(lines.len());
    // In the file's style: its sub-heading level and bullet (`#### Known issues`, `*` items).
    let style = changelog_style::style_of(changelog)
        .unwrap_or_else(changelog_body::Style::keep_a_changelog);
    let bullet = style.bullet;
    let items: Vec<String> = findings
        .iter()
        .map(|f| format!("{bullet} {}\n", markdown::continued(f, "  ")))
        .collect();

    let known = body.clone().find(|&i| {
        (2..=6).any(|n| {
            lines[i]
                .heading(n)
                .is_some_and(|t| t.eq_ignore_ascii_case("known issues"))
        })
    });
    if let Some(known) = known {
        // Add what is missing after the existing list.
        let listed: Vec<&str> = lines[known + 1..body.end]
            .iter()
            .map(|l| l.text.trim())
            .collect();
        let missing: String = items
            .iter()
            .filter(|item| !listed.contains(&item.lines().next().unwrap_or_default().trim()))
            .map(String::as_str)
            .collect();
        if missing.is_empty() {
            return Ok(changelog.to_string());
        }
        let mut last = None;
        for (i, line) in lines.iter().enumerate().take(body.end).skip(known + 1) {
            let item = line.text.starts_with(&format!("{bullet} "));
            if item || (last.is_some() && line.text.starts_with("  ")) {
                last = Some(i);
            } else if !(line.is_blank() && last.is_none()) {
                break;
            }
        }
        let at = lines[last.unwrap_or(known)].text_end();
        let nl = markdown::newline(changelog);
        let missing = missing.trim_end_matches('\n').replace('\n', nl);
        return Ok(markdown::apply(
            changelog,
            vec![(at..at, format!("{nl}{missing}"))],
        ));
    }

    let level = match style.sub {
        changelog_body::Sub::Atx(n) => n,
        changelog_body::Sub::Label => 3,
    };
    let block = format!(
        "{} Known issues\n{}\n{AUDIT_NOTE}\n",
        "#".repeat(level),
        items.concat()
    );
    let upgrade = body
        .clone()
        .find(|&i| lines[i].text.starts_with("**Upgrade immediately**"));
    let at = upgrade.or(end);
    let edit = markdown::insert_block(changelog, &lines, at, &block);
    Ok(markdown::apply(changelog, vec![edit]))
}

/// The line of `## [X.Y.Z]` (also `## X.Y.Z` and `## [vX.Y.Z]`), or of the version's heading in
/// the file's own style (`# X.Y.Z (date)`, a setext heading).
fn find_version_heading(lines: &[Line<'_>], version: &Version) -> Option<usize> {
    let wanted = version.to_string();
    let text: String = lines
        .iter()
        .map(|l| format!("{}{}", l.text, if l.has_newline { "\n" } else { "" }))
        .collect();
    if !changelog_style::is_keep_a_changelog(&text) {
        return changelog_style::release_headings(&text)
            .into_iter()
            .find(|h| h.version.cmp_precedence(version).is_eq())
            .map(|h| h.line);
    }
    lines.iter().position(|line| {
        line.heading(2).is_some_and(|title| {
            let title = title.strip_prefix('[').unwrap_or(title);
            let title = title.strip_prefix('v').unwrap_or(title);
            title
                .strip_prefix(wanted.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([']', ' ', '\t']))
        })
    })
}

fn is_unreleased(title: &str) -> bool {
    let title = title.strip_prefix('[').unwrap_or(title);
    title
        .get(..10)
        .is_some_and(|t| t.eq_ignore_ascii_case("unreleased"))
}

/// A release entry's heading: `[1.0.0] …`, `1.0.0 …`, `v1.0.0 …` (not `## About`).
fn is_entry(title: &str) -> bool {
    let title = title.strip_prefix('[').unwrap_or(title);
    let title = title.strip_prefix('v').unwrap_or(title);
    title.starts_with(|c: char| c.is_ascii_digit()) || is_unreleased(title)
}

/// `[label]: url` outside code: the label and the url.
fn link_definition<'t>(line: &Line<'t>) -> Option<(&'t str, &'t str)> {
    if line.in_fence {
        return None;
    }
    let rest = line.text.strip_prefix('[')?;
    let (label, url) = rest.split_once("]:")?;
    let url = url.split_whitespace().next()?;
    Some((label, url))
}

/// The first line of the link reference definitions that end the file, if any.
fn link_block_start(lines: &[Line<'_>]) -> Option<usize> {
    let mut start = None;
    for (i, line) in lines.iter().enumerate().rev() {
        if link_definition(line).is_some() {
            start = Some(i);
        } else if !line.is_blank() {
            break;
        }
    }
    start
}

/// The repository URL in a GitHub-style compare or release link.
fn repository_of(url: &str) -> Option<&str> {
    url.rfind("/compare/")
        .or_else(|| url.rfind("/releases/tag/"))
        .map(|i| &url[..i])
}

fn tag_version(tag: &str) -> Option<Version> {
    let start = tag.find(|c: char| c.is_ascii_digit())?;
    Version::parse(&tag[start..]).ok()
}

/// Edits that keep compare links current; none when the file has no such links.
fn link_edits(
    text: &str,
    lines: &[Line<'_>],
    block: Option<usize>,
    s: &Section,
) -> Vec<(std::ops::Range<usize>, String)> {
    let nl = markdown::newline(text);
    let defs: Vec<(usize, &str, &str)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| link_definition(l).map(|(label, url)| (i, label, url)))
        .collect();
    // Labelled as the file labels its releases: `[v0.10.74]` where it writes `[v0.10.73]`.
    let v_labels = defs.iter().any(|(_, label, _)| {
        label
            .strip_prefix('v')
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    });
    let version = if v_labels {
        format!("v{}", s.version)
    } else {
        s.version.to_string()
    };
    if defs.iter().any(|(_, label, _)| *label == version) {
        return Vec::new();
    }
    let unreleased = defs
        .iter()
        .find(|(_, label, url)| is_unreleased(label) && url.contains("/compare/"));
    let Some(repo) = unreleased
        .and_then(|(_, _, url)| repository_of(url))
        .or_else(|| defs.iter().find_map(|(_, _, url)| repository_of(url)))
    else {
        return Vec::new();
    };
    let new_link = format!("[{version}]: {repo}/compare/{}...{}", s.base_tag, s.new_tag);

    let mut edits = Vec::new();
    if let Some(&(i, _, url)) = unreleased {
        let line = &lines[i];
        let (from, to) = url
            .rsplit_once("/compare/")
            .and_then(|(_, range)| range.split_once("..."))
            .unwrap_or(("", "HEAD"));
        // On an older release line the Unreleased link already starts at a newer tag: keep it.
        let newer_line_exists = tag_version(from).is_some_and(|v| v > *s.version);
        if !newer_line_exists {
            let url_at = line.start + line.text.find(url).unwrap_or(0);
            edits.push((
                url_at..url_at + url.len(),
                format!("{repo}/compare/{}...{to}", s.new_tag),
            ));
        }
        if line.has_newline {
            let at = lines.get(i + 1).map_or(text.len(), |next| next.start);
            edits.push((at..at, format!("{new_link}{nl}")));
        } else {
            let at = line.text_end();
            edits.push((at..at, format!("{nl}{new_link}")));
        }
    } else {
        let first = defs
            .iter()
            .find(|(i, label, _)| block.is_some_and(|b| *i >= b) && is_entry(label))
            .or(defs.first())
            .map(|(i, _, _)| *i);
        if let Some(i) = first {
            let at = lines[i].start;
            edits.push((at..at, format!("{new_link}{nl}")));
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident() -> Incident {
        Incident {
            description: "buffer overflow in the parser".into(),
            severity: Some(Severity::Critical),
            impact: "remote code execution".into(),
            advisory_ids: vec!["RUSTSEC-2025-0001".into(), "CVE-2025-12345".into()],
            credit: "Jane Doe".into(),
            ..Incident::default()
        }
    }

    fn section<'a>(version: &'a Version, incident: &'a Incident) -> Section<'a> {
        Section {
            version,
            date: "2025-03-04",
            incident,
            base_tag: "v1.0.10",
            new_tag: "v1.0.11",
            affected: None,
        }
    }

    fn v1011() -> Version {
        Version::new(1, 0, 11)
    }

    const SECTION: &str = "\
## [1.0.11] - 2025-03-04 [SECURITY HOTFIX]

### Security
- **CRITICAL**: Fixed buffer overflow in the parser
  - RUSTSEC-2025-0001 / CVE-2025-12345
  - Impact: remote code execution
  - Severity: Critical
  - Credit: Jane Doe

**Upgrade immediately**: This release fixes a critical security vulnerability.
All users should upgrade as soon as possible.
";

    #[test]
    fn renders_the_reference_entry_with_real_values() {
        let inc = incident();
        assert_eq!(render_section(&section(&v1011(), &inc)), SECTION);
    }

    #[test]
    fn optional_lines_are_omitted() {
        let inc = Incident {
            description: "a data race".into(),
            ..Incident::default()
        };
        assert_eq!(
            render_section(&section(&v1011(), &inc)),
            "## [1.0.11] - 2025-03-04 [SECURITY HOTFIX]\n\n### Security\n\
             - **SECURITY**: Fixed a data race\n\n\
             **Upgrade immediately**: This release fixes a security vulnerability.\n\
             All users should upgrade as soon as possible.\n"
        );
        let high = Incident {
            severity: Some(Severity::High),
            ..inc
        };
        let out = render_section(&section(&v1011(), &high));
        assert!(out.contains("- **HIGH**: Fixed a data race\n  - Severity: High\n\n"));
        assert!(out.contains("fixes a high-severity security vulnerability."));
    }

    #[test]
    fn hostile_text_is_inserted_literally() {
        let inc = Incident {
            description: "$(touch pwned) `rm -rf /` \"quoted\" 'single' \\n [1.0.0] <b>".into(),
            impact: "${HOME} && echo".into(),
            credit: "Robert'); DROP TABLE--".into(),
            ..incident()
        };
        let out = render_section(&section(&v1011(), &inc));
        assert!(
            out.contains("Fixed $(touch pwned) `rm -rf /` \"quoted\" 'single' \\n [1.0.0] <b>\n")
        );
        assert!(out.contains("  - Impact: ${HOME} && echo\n"));
        assert!(out.contains("  - Credit: Robert'); DROP TABLE--\n"));
    }

    #[test]
    fn multi_line_text_stays_inside_its_list_item() {
        let inc = Incident {
            description: "overflow in parser\r\n\r\n## [9.9.9] not a heading\n- not an item".into(),
            impact: "first\n\nsecond".into(),
            ..incident()
        };
        let out = render_section(&section(&v1011(), &inc));
        assert!(out.contains(
            "- **CRITICAL**: Fixed overflow in parser\n  ## [9.9.9] not a heading\n  - not an item\n  - RUSTSEC"
        ));
        assert!(out.contains("  - Impact: first\n    second\n  - Severity"));
        // The rendered section has a single entry heading and no blank line inside the list.
        let existing = format!("# Changelog\n\n{out}");
        let lines = markdown::lines(&existing);
        assert_eq!(lines.iter().filter(|l| l.heading(2).is_some()).count(), 1);
    }

    #[test]
    fn missing_file_is_created() {
        let inc = incident();
        let out = insert_section(None, &section(&v1011(), &inc)).unwrap();
        assert_eq!(
            out,
            format!(
                "# Changelog\n\nAll notable changes to this project are documented in this file.\n\n\
                 ## [Unreleased]\n\n{SECTION}"
            )
        );
    }

    #[test]
    fn goes_right_after_unreleased_and_updates_compare_links() {
        let existing = "\
# Changelog

## [Unreleased]

### Added
- something on main

## [1.0.10] - 2025-01-01

- Fixed things.

[Unreleased]: https://github.com/o/r/compare/v1.0.10...HEAD
[1.0.10]: https://github.com/o/r/compare/v1.0.9...v1.0.10
";
        let inc = incident();
        let out = insert_section(Some(existing), &section(&v1011(), &inc)).unwrap();
        let expected = format!(
            "\
# Changelog

## [Unreleased]

### Added
- something on main

{SECTION}
## [1.0.10] - 2025-01-01

- Fixed things.

[Unreleased]: https://github.com/o/r/compare/v1.0.11...HEAD
[1.0.11]: https://github.com/o/r/compare/v1.0.10...v1.0.11
[1.0.10]: https://github.com/o/r/compare/v1.0.9...v1.0.10
"
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn unreleased_as_the_only_section_goes_before_the_links() {
        let existing = "# Changelog\n\n## [Unreleased]\n- wip\n\n[unreleased]: https://github.com/o/r/compare/v1.0.10...main";
        let inc = incident();
        let out = insert_section(Some(existing), &section(&v1011(), &inc)).unwrap();
        assert_eq!(
            out,
            format!(
                "# Changelog\n\n## [Unreleased]\n- wip\n\n{SECTION}\n\
                 [unreleased]: https://github.com/o/r/compare/v1.0.11...main\n\
                 [1.0.11]: https://github.com/o/r/compare/v1.0.10...v1.0.11"
            )
        );
    }

    #[test]
    fn without_unreleased_goes_before_the_first_entry_and_links_go_on_top() {
        let existing = "\
# Changelog

Some intro.

## 1.0.10 - 2025-01-01

- Fixed things.

[1.0.10]: https://github.com/o/r/compare/v1.0.9...v1.0.10
";
        let inc = incident();
        let out = insert_section(Some(existing), &section(&v1011(), &inc)).unwrap();
        // The file's own heading style (`## X.Y.Z - date`, no brackets) is kept.
        let styled = SECTION.replacen(
            "## [1.0.11] - 2025-03-04 [SECURITY HOTFIX]",
            "## 1.0.11 - 2025-03-04",
            1,
        );
        let expected = format!(
            "\
# Changelog

Some intro.

{styled}
## 1.0.10 - 2025-01-01

- Fixed things.

[1.0.11]: https://github.com/o/r/compare/v1.0.10...v1.0.11
[1.0.10]: https://github.com/o/r/compare/v1.0.9...v1.0.10
"
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn without_links_no_links_are_added_and_no_entries_means_the_top() {
        let existing = "# Changelog\n\nNothing released yet.\n";
        let inc = incident();
        let out = insert_section(Some(existing), &section(&v1011(), &inc)).unwrap();
        assert_eq!(
            out,
            format!("# Changelog\n\n{SECTION}\nNothing released yet.\n")
        );
        assert!(!out.contains("]: "));
    }

    #[test]
    fn headings_inside_code_blocks_are_not_entries() {
        let existing =
            "# Changelog\n\n```md\n## [0.1.0] - example\n```\n\n## [1.0.10] - 2025-01-01\n";
        let inc = incident();
        let out = insert_section(Some(existing), &section(&v1011(), &inc)).unwrap();
        assert_eq!(
            out,
            format!(
                "# Changelog\n\n```md\n## [0.1.0] - example\n```\n\n{SECTION}\n## [1.0.10] - 2025-01-01\n"
            )
        );
    }

    #[test]
    fn hotfix_on_an_older_line_keeps_the_unreleased_link() {
        let existing = "## [Unreleased]\n\n## [2.0.0] - 2025-02-01\n\n[Unreleased]: https://github.com/o/r/compare/v2.0.0...HEAD\n[2.0.0]: https://github.com/o/r/compare/v1.0.10...v2.0.0\n";
        let inc = incident();
        let out = insert_section(Some(existing), &section(&v1011(), &inc)).unwrap();
        assert!(out.contains(
            "[Unreleased]: https://github.com/o/r/compare/v2.0.0...HEAD\n\
             [1.0.11]: https://github.com/o/r/compare/v1.0.10...v1.0.11\n\
             [2.0.0]:"
        ));
    }

    #[test]
    fn unreleased_at_the_end_means_oldest_first() {
        let existing = "# Changelog\n\n## [1.0.9] - 2024-01-01\n- a\n\n## [1.0.10] - 2025-01-01\n- b\n\n## [Unreleased]\n- wip\n\n[Unreleased]: https://github.com/o/r/compare/v1.0.10...HEAD\n";
        let inc = incident();
        let out = insert_section(Some(existing), &section(&v1011(), &inc)).unwrap();
        assert_eq!(
            out,
            format!(
                "# Changelog\n\n## [1.0.9] - 2024-01-01\n- a\n\n## [1.0.10] - 2025-01-01\n- b\n\n{SECTION}\n## [Unreleased]\n- wip\n\n\
                 [Unreleased]: https://github.com/o/r/compare/v1.0.11...HEAD\n\
                 [1.0.11]: https://github.com/o/r/compare/v1.0.10...v1.0.11\n"
            )
        );
        // Unreleased last with nothing released yet: the end of the file, as before.
        let only = "# Changelog\n\nIntro.\n\n## [Unreleased]\n- wip\n";
        let out = insert_section(Some(only), &section(&v1011(), &inc)).unwrap();
        assert_eq!(out, format!("{only}\n{SECTION}"));
    }

    #[test]
    fn the_section_copies_the_newest_releases_form() {
        // rust-openssl's openssl/CHANGELOG.md: `[v0.10.73]`, `### Fixed`, `*` items.
        let existing = "# Change Log\n\n## [Unreleased]\n\n## [v0.10.73] - 2025-05-28\n\n### Fixed\n\n* Fixed building.\n\n### Changed\n\n* Replaced ctest2.\n";
        let inc = incident();
        let version = Version::new(0, 10, 74);
        let out = insert_section(Some(existing), &section(&version, &inc)).unwrap();
        assert_eq!(
            out,
            "# Change Log\n\n## [Unreleased]\n\n## [v0.10.74] - 2025-03-04 [SECURITY HOTFIX]\n\n\
             ### Security\n\n\
             * **CRITICAL**: Fixed buffer overflow in the parser\n  \
             * RUSTSEC-2025-0001 / CVE-2025-12345\n  * Impact: remote code execution\n  \
             * Severity: Critical\n  * Credit: Jane Doe\n\n\
             **Upgrade immediately**: This release fixes a critical security vulnerability.\n\
             All users should upgrade as soon as possible.\n\n\
             ## [v0.10.73] - 2025-05-28\n\n### Fixed\n\n* Fixed building.\n\n### Changed\n\n* Replaced ctest2.\n"
        );
        assert!(has_section(&out, &version));
    }

    #[test]
    fn duplicate_version_is_refused() {
        let inc = incident();
        let version = v1011();
        let s = section(&version, &inc);
        let once = insert_section(None, &s).unwrap();
        let err = insert_section(Some(&once), &s).unwrap_err().to_string();
        assert_eq!(err, "CHANGELOG.md already has a section for 1.0.11");
        // 1.0.1 is not 1.0.11.
        let other = Version::new(1, 0, 1);
        assert!(insert_section(Some(&once), &section(&other, &inc)).is_ok());
    }

    #[test]
    fn crlf_files_get_crlf_lines_and_keep_the_rest() {
        let existing =
            "# Changelog\r\n\r\n## [Unreleased]\r\n\r\n## [1.0.10] - 2025-01-01\r\n- x\r\n";
        let inc = incident();
        let out = insert_section(Some(existing), &section(&v1011(), &inc)).unwrap();
        assert_eq!(
            out,
            format!(
                "# Changelog\r\n\r\n## [Unreleased]\r\n\r\n{}\r\n## [1.0.10] - 2025-01-01\r\n- x\r\n",
                SECTION.replace('\n', "\r\n")
            )
        );
    }

    #[test]
    fn audit_findings_go_before_the_upgrade_paragraph() {
        let inc = incident();
        let version = v1011();
        let s = section(&version, &inc);
        let changelog = insert_section(
            Some("# Changelog\n\n## [Unreleased]\n\n## [1.0.10]\n- old\n"),
            &s,
        )
        .unwrap();
        let findings = vec![
            "RUSTSEC-2099-0001 vulncrate 1.0.0: Buffer overflow (vulnerability; patched: >=1.0.1)"
                .to_string(),
            "RUSTSEC-2099-0002 oldcrate 0.3.0: unmaintained (unmaintained; no patched version)"
                .to_string(),
        ];
        let out = add_audit_findings(&changelog, &v1011(), &findings).unwrap();
        let block = "  - Credit: Jane Doe\n\n### Known issues\n\
                     - RUSTSEC-2099-0001 vulncrate 1.0.0: Buffer overflow (vulnerability; patched: >=1.0.1)\n\
                     - RUSTSEC-2099-0002 oldcrate 0.3.0: unmaintained (unmaintained; no patched version)\n\n\
                     Reported by `cargo audit` at release time; not fixed by this hotfix.\n\n\
                     **Upgrade immediately**";
        assert!(out.contains(block), "{out}");
        assert_eq!(
            out.replace(block, "  - Credit: Jane Doe\n\n**Upgrade immediately**"),
            changelog
        );
        assert!(out.ends_with("## [1.0.10]\n- old\n"));

        // Recording again changes nothing; a new finding is added to the list.
        assert_eq!(add_audit_findings(&out, &v1011(), &findings).unwrap(), out);
        let more = vec![
            findings[0].clone(),
            "yanked 0.1.0: yanked (yanked)".to_string(),
        ];
        let again = add_audit_findings(&out, &v1011(), &more).unwrap();
        assert!(
            again.contains("no patched version)\n- yanked 0.1.0: yanked (yanked)\n\nReported by"),
            "{again}"
        );
    }

    #[test]
    fn audit_findings_without_upgrade_paragraph_end_the_section() {
        let changelog = "## [1.0.11] - 2025-03-04\n\n### Security\n- fixed\n\n## [1.0.10]\n";
        let out = add_audit_findings(changelog, &v1011(), &["a finding".to_string()]).unwrap();
        assert_eq!(
            out,
            "## [1.0.11] - 2025-03-04\n\n### Security\n- fixed\n\n### Known issues\n- a finding\n\n\
             Reported by `cargo audit` at release time; not fixed by this hotfix.\n\n## [1.0.10]\n"
        );
        let at_end =
            add_audit_findings("## [1.0.11]\n- fixed", &v1011(), &["f".to_string()]).unwrap();
        assert_eq!(
            at_end,
            "## [1.0.11]\n- fixed\n\n### Known issues\n- f\n\nReported by `cargo audit` at release time; not fixed by this hotfix.\n"
        );
    }

    #[test]
    fn audit_findings_need_the_section_and_nothing_to_record_changes_nothing() {
        let err = add_audit_findings("# Changelog\n", &v1011(), &["x".to_string()])
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("CHANGELOG.md has no section for 1.0.11"),
            "{err}"
        );
        assert_eq!(
            add_audit_findings("# Changelog\n", &v1011(), &[]).unwrap(),
            "# Changelog\n"
        );
    }
}

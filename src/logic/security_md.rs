//! The hotfix's entry in SECURITY.md (step 4): creating the file when the project has none, and
//! adding the entry, newest first, under `## Security advisories`.
//!
//! The maintainer's policy text is theirs: an existing file is never re-rendered, the entry is
//! spliced in at a line boundary and every other byte is kept. The step resumes safely because an
//! entry for the same crate and version is detected ([`has_entry`]) instead of being added twice.

use anyhow::{bail, Result};
use semver::Version;

use super::affected::Affected;
use super::markdown::{self, Line};
use super::Incident;

/// What the entry says, borrowed from the hotfix's record.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub crate_name: &'a str,
    /// The patched version (the hotfix).
    pub version: &'a Version,
    /// `YYYY-MM-DD`
    pub date: &'a str,
    pub incident: &'a Incident,
    /// The affected and patched versions of every line (step 4), when known.
    pub affected: Option<&'a Affected>,
}

/// The title of the section the entries live in.
const SECTION_TITLE: &str = "Security advisories";

/// A policy for projects that have none: the one thing a reporter must know is to report privately.
const NEW_FILE_HEAD: &str = "\
# Security Policy

## Reporting a vulnerability

Please do not report security vulnerabilities in public issues. Report them privately through
GitHub's private vulnerability reporting (\"Report a vulnerability\" on the repository's Security
tab), so a fix can be released before the problem is public.
";

/// SECURITY.md with the entry added; `None` creates the file.
///
/// Fails when the file already documents this crate and version; the caller treats that as
/// "already done" when resuming (see [`has_entry`]).
pub fn add_entry(existing: Option<&str>, e: &Entry) -> Result<String> {
    let entry = render_entry(e);
    let text = match existing {
        Some(text) if !text.trim().is_empty() => text,
        _ => return Ok(format!("{NEW_FILE_HEAD}\n## {SECTION_TITLE}\n\n{entry}")),
    };
    if has_entry(text, e.crate_name, e.version) {
        bail!(
            "SECURITY.md already documents {} {}",
            e.crate_name,
            e.version
        );
    }
    let lines = markdown::lines(text);
    let section = lines.iter().position(|l| {
        l.heading(2)
            .is_some_and(|t| t.eq_ignore_ascii_case(SECTION_TITLE))
    });
    let edit = match section {
        Some(s) => {
            let end = (s + 1..lines.len())
                .find(|&i| lines[i].heading(1).is_some() || lines[i].heading(2).is_some());
            let first_entry =
                (s + 1..end.unwrap_or(lines.len())).find(|&i| lines[i].heading(3).is_some());
            markdown::insert_block(text, &lines, first_entry.or(end), &entry)
        }
        None => markdown::insert_block(
            text,
            &lines,
            None,
            &format!("## {SECTION_TITLE}\n\n{entry}"),
        ),
    };
    Ok(markdown::apply(text, vec![edit]))
}

/// Whether SECURITY.md has an entry heading for this crate and version (`### caro 1.0.11 — …`).
pub fn has_entry(existing: &str, crate_name: &str, version: &Version) -> bool {
    let wanted = format!("{crate_name} {version}");
    markdown::lines(existing).iter().any(|line: &Line<'_>| {
        line.heading(3).is_some_and(|title| {
            title
                .strip_prefix(wanted.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
        })
    })
}

/// The entry, ending with a line break.
///
/// The heading carries the description's first line; further lines follow as a quote, which keeps
/// anything they contain (`#`, `-`, fences) from becoming structure of the file.
fn render_entry(e: &Entry) -> String {
    let incident = e.incident;
    let description = markdown::continued(&incident.description, "");
    let mut description_lines = description.lines();
    let mut out = format!("### {} {}", e.crate_name, e.version);
    if let Some(first) = description_lines.next() {
        out.push_str(" — ");
        out.push_str(first);
    }
    out.push_str("\n\n");
    let rest: Vec<&str> = description_lines.collect();
    if !rest.is_empty() {
        for line in rest {
            out.push_str("> ");
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    if !incident.advisory_ids.is_empty() {
        out.push_str(&format!(
            "- Advisory: {}\n",
            incident.advisory_ids.join(", ")
        ));
    }
    if let Some(severity) = incident.severity {
        out.push_str(&format!("- Severity: {}\n", severity.title()));
    }
    match e.affected {
        Some(a) => {
            for l in a.patched() {
                out.push_str(&format!("- Affected versions: {}\n", l.range()));
                if let Some(p) = &l.patched {
                    out.push_str(&format!("- Patched version: {p}\n"));
                }
            }
            for l in a.unpatched() {
                out.push_str(&format!(
                    "- Still vulnerable, not patched yet: {} ({})\n",
                    l.released(),
                    l.range()
                ));
            }
        }
        None => {
            out.push_str(&format!("- Affected versions: < {}\n", e.version));
            out.push_str(&format!("- Patched version: {}\n", e.version));
        }
    }
    if !incident.impact.trim().is_empty() {
        out.push_str(&format!(
            "- Impact: {}\n",
            markdown::continued(&incident.impact, "  ")
        ));
    }
    if !incident.credit.trim().is_empty() {
        out.push_str(&format!(
            "- Credit: {}\n",
            markdown::continued(&incident.credit, "  ")
        ));
    }
    out.push_str(&format!("- Date: {}\n", e.date));
    out
}

#[cfg(test)]
mod tests {
    use super::super::Severity;
    use super::*;

    fn incident() -> Incident {
        Incident {
            description: "Buffer overflow in the parser".into(),
            severity: Some(Severity::Critical),
            impact: "remote code execution".into(),
            advisory_ids: vec!["RUSTSEC-2025-0001".into(), "CVE-2025-12345".into()],
            credit: "Jane Doe".into(),
            ..Incident::default()
        }
    }

    fn entry<'a>(version: &'a Version, incident: &'a Incident) -> Entry<'a> {
        Entry {
            crate_name: "caro",
            version,
            date: "2025-03-04",
            incident,
            affected: None,
        }
    }

    const ENTRY: &str = "\
### caro 1.0.11 — Buffer overflow in the parser

- Advisory: RUSTSEC-2025-0001, CVE-2025-12345
- Severity: Critical
- Affected versions: < 1.0.11
- Patched version: 1.0.11
- Impact: remote code execution
- Credit: Jane Doe
- Date: 2025-03-04
";

    #[test]
    fn missing_file_gets_a_policy_and_the_entry() {
        let v = Version::new(1, 0, 11);
        let inc = incident();
        let out = add_entry(None, &entry(&v, &inc)).unwrap();
        assert!(out.starts_with("# Security Policy\n\n## Reporting a vulnerability\n\n"));
        assert!(out.contains("private vulnerability reporting"));
        assert!(out.contains("do not report security vulnerabilities in public issues"));
        assert!(out.ends_with(&format!("tab), so a fix can be released before the problem is public.\n\n## Security advisories\n\n{ENTRY}")));
        assert!(has_entry(&out, "caro", &v));
    }

    #[test]
    fn optional_lines_are_omitted() {
        let v = Version::new(0, 2, 1);
        let inc = Incident {
            description: "data race".into(),
            ..Incident::default()
        };
        let out = render_entry(&entry(&v, &inc));
        assert_eq!(
            out,
            "### caro 0.2.1 — data race\n\n- Affected versions: < 0.2.1\n- Patched version: 0.2.1\n- Date: 2025-03-04\n"
        );
    }

    #[test]
    fn newest_entry_goes_first_and_the_rest_is_kept() {
        let existing = "\
# Security

Email sec@example.com.

## Security Advisories

Past problems:

### caro 1.0.5 — old bug

- Date: 2024-01-01

## Supported versions

Latest only.
";
        let v = Version::new(1, 0, 11);
        let inc = incident();
        let out = add_entry(Some(existing), &entry(&v, &inc)).unwrap();
        assert_eq!(
            out,
            existing.replace("### caro 1.0.5", &format!("{ENTRY}\n### caro 1.0.5"))
        );
    }

    #[test]
    fn empty_section_gets_the_entry_before_the_next_section() {
        let existing = "# Security\n\n## Security advisories\n\n## Contact\nx\n";
        let v = Version::new(1, 0, 11);
        let inc = incident();
        let out = add_entry(Some(existing), &entry(&v, &inc)).unwrap();
        assert_eq!(
            out,
            format!("# Security\n\n## Security advisories\n\n{ENTRY}\n## Contact\nx\n")
        );
    }

    #[test]
    fn file_without_the_section_gets_it_appended() {
        let existing = "# Security Policy\r\n\r\nMail us.";
        let v = Version::new(1, 0, 11);
        let inc = incident();
        let out = add_entry(Some(existing), &entry(&v, &inc)).unwrap();
        assert_eq!(
            out,
            format!(
                "# Security Policy\r\n\r\nMail us.\r\n\r\n## Security advisories\r\n\r\n{}",
                ENTRY.replace('\n', "\r\n")
            )
        );
    }

    #[test]
    fn an_existing_entry_is_refused_and_detected() {
        let v = Version::new(1, 0, 11);
        let inc = incident();
        let once = add_entry(None, &entry(&v, &inc)).unwrap();
        let err = add_entry(Some(&once), &entry(&v, &inc))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "SECURITY.md already documents caro 1.0.11");
        assert!(has_entry(&once, "caro", &v));
        assert!(!has_entry(&once, "caro", &Version::new(1, 0, 1)));
        assert!(!has_entry(&once, "caro-cli", &v));
        assert!(!has_entry("```\n### caro 1.0.11\n```\n", "caro", &v));
        // Another crate's entry for the same version is not this one.
        let other = Entry {
            crate_name: "caro-core",
            ..entry(&v, &inc)
        };
        assert!(add_entry(Some(&once), &other).is_ok());
    }

    #[test]
    fn multi_line_and_hostile_text_cannot_break_the_file() {
        let v = Version::new(1, 0, 11);
        let inc = Incident {
            description: "$(touch pwned) `x` \"q\"\n## Security advisories\n### caro 9.9.9\n```"
                .into(),
            impact: "line one\nline two".into(),
            ..incident()
        };
        let out = add_entry(None, &entry(&v, &inc)).unwrap();
        assert!(out.contains(
            "### caro 1.0.11 — $(touch pwned) `x` \"q\"\n\n> ## Security advisories\n> ### caro 9.9.9\n> ```\n\n- Advisory:"
        ), "{out}");
        assert!(out.contains("- Impact: line one\n  line two\n"));
        assert!(!has_entry(&out, "caro", &Version::new(9, 9, 9)));
        // A second entry still lands at the top of the one real section.
        let next = Version::new(1, 0, 12);
        let inc2 = Incident {
            description: "second".into(),
            ..Incident::default()
        };
        let out2 = add_entry(Some(&out), &entry(&next, &inc2)).unwrap();
        let expected = out.replacen(
            "### caro 1.0.11",
            &format!("{}\n### caro 1.0.11", render_entry(&entry(&next, &inc2))),
            1,
        );
        assert_eq!(out2, expected);
    }
}

//! How a CHANGELOG writes the body of a release, so the hotfix's section reads like its neighbours.
//!
//! tokio's `tokio/CHANGELOG.md` puts `### Fixed` under `# 1.53.1 (…)`, with a blank line and `-`
//! items; hyper's (clog) puts `#### Bug Fixes` under `## v1.11.0 (…)`, with `*` items nested by two
//! spaces; rust-openssl's writes `*` items under `### Fixed`; bitflags's (GitHub's generated notes)
//! `## What's Changed` over `*` items; regex's a `Bug fixes:` line over `*` items. The newest
//! release's body is the model (the file's other releases when it has no sub-heading of its own):
//! the sub-heading's level and whether a blank line follows it, the bullet character, the nested
//! items' indentation. The sub-heading's name is `Security` when the file ever used it, else the
//! file's own name for fixes (`Fixed`, `Bug Fixes`, …), else its catch-all (`What's Changed`), else
//! `Security` — except in a Keep a Changelog file, where `Security` is one of the kinds of change
//! the format names, and stays (the caller decides).
//!
//! [`restyle`] rewrites the section [`super::changelog::render_section`] writes (`### Security`,
//! `-` items nested by two spaces) in that style; nothing else of the file is read or changed here.

use super::markdown::{self, Line};

/// How the file writes a release's sub-headings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sub {
    /// `### Fixed`: an ATX heading of this level.
    Atx(usize),
    /// `Bug fixes:` on a line of its own (regex).
    Label,
}

/// The style of a release's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Style {
    pub sub: Sub,
    /// The sub-heading's name: `Security`, `Fixed`, `Bug Fixes`, `What's Changed`.
    pub name: String,
    /// Whether a blank line follows the sub-heading.
    pub blank_after: bool,
    /// `-`, `*` or `+`.
    pub bullet: char,
    /// The indentation of a nested item (`  `, `    `).
    pub indent: String,
}

impl Style {
    /// Keep a Changelog's, as the section is rendered: `### Security`, `-` items, two spaces.
    pub fn keep_a_changelog() -> Style {
        Style {
            sub: Sub::Atx(3),
            name: "Security".into(),
            blank_after: false,
            bullet: '-',
            indent: "  ".into(),
        }
    }

    /// The sub-heading as the file writes it: `### Fixed`, `Bug fixes:`.
    pub fn heading(&self) -> String {
        match self.sub {
            Sub::Atx(n) => format!("{} {}", "#".repeat(n), self.name),
            Sub::Label => format!("{}:", self.name),
        }
    }
}

/// Names for fixes, as files write them (compared without case).
const FIX_NAMES: [&str; 7] = [
    "fixed",
    "fixes",
    "bug fixes",
    "bugfixes",
    "bug fix",
    "bug-fixes",
    "fix",
];

/// How many releases besides the newest are read for the style.
const MODELS: usize = 30;

/// Catch-all names of generated notes.
const CATCH_ALL: [&str; 2] = ["what's changed", "changes"];

/// The body style of the file whose release headings start at `releases` (line numbers, in file
/// order) at `level`; `newest` is the line of the newest release heading. Each release's body runs
/// from its heading to the next release heading.
pub fn of(text: &str, releases: &[usize], newest: usize, level: usize) -> Style {
    let lines = markdown::lines(text);
    let body_of = |start: usize| {
        let next = releases.partition_point(|&l| l <= start);
        let end = releases.get(next).copied().unwrap_or(lines.len());
        // A setext heading's underline is not body.
        start + 1..end
    };
    // The newest release, then the file's first few others: enough to learn its style, and a
    // file of ten thousand releases is not read through.
    let mut order: Vec<usize> = vec![newest];
    order.extend(
        releases
            .iter()
            .copied()
            .filter(|&l| l != newest)
            .take(MODELS),
    );
    let subs = |start: usize| -> Vec<(usize, usize, &str)> {
        lines[body_of(start)]
            .iter()
            .enumerate()
            .filter_map(|(k, l)| {
                (level + 1..=6).find_map(|n| l.heading(n).map(|t| (start + 1 + k, n, t)))
            })
            .collect()
    };
    let labels = |start: usize| -> Vec<(usize, &str)> {
        body_of(start)
            .filter_map(|i| label(&lines, i).map(|t| (i, t.trim_end_matches(':'))))
            .collect()
    };

    // The sub-heading: the newest release's own, else the first another release has.
    let mut sub = None;
    let mut names: Vec<String> = Vec::new();
    for &start in &order {
        for (i, n, t) in subs(start) {
            names.push(t.to_string());
            if sub.is_none() {
                let blank = lines.get(i + 1).is_some_and(Line::is_blank);
                sub = Some((Sub::Atx(n), blank));
            }
        }
    }
    if sub.is_none() {
        for &start in &order {
            for (i, t) in labels(start) {
                names.push(t.to_string());
                if sub.is_none() {
                    let blank = lines.get(i + 1).is_some_and(Line::is_blank);
                    sub = Some((Sub::Label, blank));
                }
            }
        }
    }
    let (sub, blank_after) = sub.unwrap_or((Sub::Atx((level + 1).min(6)), false));
    let name = pick_name(&names);

    // Bullets and nesting: the newest release's items, else any release's.
    let mut bullet = None;
    let mut indent = None;
    for &start in &order {
        for l in &lines[body_of(start)] {
            if l.in_fence {
                continue;
            }
            let Some((lead, mark)) = item(l.text) else {
                continue;
            };
            if lead.is_empty() {
                bullet.get_or_insert(mark);
            } else if bullet.is_some() && lead.chars().all(|c| c == ' ') {
                indent.get_or_insert(lead.to_string());
            }
        }
        if bullet.is_some() && indent.is_some() {
            break;
        }
    }
    Style {
        sub,
        name,
        blank_after,
        bullet: bullet.unwrap_or('-'),
        indent: indent.unwrap_or_else(|| "  ".into()),
    }
}

/// `Security` when the file uses it, else its name for fixes, else its catch-all, else `Security`.
fn pick_name(names: &[String]) -> String {
    let find = |wanted: &[&str]| {
        names
            .iter()
            .find(|n| wanted.iter().any(|w| n.eq_ignore_ascii_case(w)))
            .cloned()
    };
    find(&["security"])
        .or_else(|| find(&FIX_NAMES))
        .or_else(|| find(&CATCH_ALL))
        .unwrap_or_else(|| "Security".into())
}

/// A list item: its indentation and bullet (`  * text` → `("  ", '*')`).
fn item(text: &str) -> Option<(&str, char)> {
    let trimmed = text.trim_start();
    let lead = &text[..text.len() - trimmed.len()];
    let mark = trimmed.chars().next()?;
    (matches!(mark, '-' | '*' | '+') && trimmed[1..].starts_with(' ')).then_some((lead, mark))
}

/// `Bug fixes:` alone on its line, after a blank line and before a blank line or a list.
fn label<'t>(lines: &[Line<'t>], i: usize) -> Option<&'t str> {
    let l = lines.get(i)?;
    let t = l.text.trim_end();
    let before = i == 0 || lines[i - 1].is_blank();
    let after = lines
        .get(i + 1)
        .is_some_and(|n| n.is_blank() || item(n.text).is_some());
    (!l.in_fence
        && before
        && after
        && t.ends_with(':')
        && !t.starts_with([' ', '-', '*', '+', '#', '['])
        && t.split_whitespace().count() <= 4)
        .then_some(t)
}

/// The rendered section's body (`### Security`, `-` items, two-space nesting) in `style`.
pub fn restyle(body: &str, style: &Style) -> String {
    let mut out = String::new();
    for line in body.split_inclusive('\n') {
        let (text, end) = match line.strip_suffix('\n') {
            Some(t) => (t, "\n"),
            None => (line, ""),
        };
        if text == "### Security" {
            out.push_str(&style.heading());
            out.push_str(end);
            if style.blank_after {
                out.push('\n');
            }
        } else if let Some(rest) = text.strip_prefix("- ") {
            out.push_str(&format!("{} {rest}{end}", style.bullet));
        } else if let Some(rest) = text.strip_prefix("  - ") {
            out.push_str(&format!("{}{} {rest}{end}", style.indent, style.bullet));
        } else if let Some(rest) = text.strip_prefix("    ").filter(|_| style.indent != "  ") {
            // A nested item's continued text follows the nested item's indentation.
            out.push_str(&format!("{}  {rest}{end}", style.indent));
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::changelog_style::release_headings;

    fn style(text: &str) -> Style {
        let headings = release_headings(text);
        let newest = crate::logic::changelog_style::newest(&headings).expect("a release");
        let lines: Vec<usize> = headings.iter().map(|h| h.line).collect();
        let level = newest.kind.level();
        of(text, &lines, newest.line, level)
    }

    const BODY: &str = "### Security\n- **CRITICAL**: Fixed a hole\n  - Impact: all\n    of it\n\n**Upgrade immediately**: now.\n";

    #[test]
    fn tokio_fixed_under_a_level_one_heading() {
        let text = "# 1.53.1 (July 20th, 2026)\n\n### Fixed\n\n- a bug ([#1])\n\n# 1.53.0 (July 1st, 2026)\n\n### Added\n\n- things\n";
        let s = style(text);
        assert_eq!(s.heading(), "### Fixed");
        assert!(s.blank_after);
        assert_eq!(
            restyle(BODY, &s),
            "### Fixed\n\n- **CRITICAL**: Fixed a hole\n  - Impact: all\n    of it\n\n**Upgrade immediately**: now.\n"
        );
    }

    #[test]
    fn hyper_clog_bug_fixes_with_star_bullets() {
        let text = "## v1.11.0 (2026-07-20)\n\n\n#### Bug Fixes\n\n* **http1:**\n  * discard a header\n* **http2:** avoid buffering\n\n\n#### Features\n\n* **rt:** a method\n\n\n### v1.10.1 (2026-05-29)\n";
        let s = style(text);
        assert_eq!(s.heading(), "#### Bug Fixes");
        assert_eq!((s.bullet, s.indent.as_str()), ('*', "  "));
        assert_eq!(
            restyle(BODY, &s),
            "#### Bug Fixes\n\n* **CRITICAL**: Fixed a hole\n  * Impact: all\n    of it\n\n**Upgrade immediately**: now.\n"
        );
    }

    #[test]
    fn security_is_kept_where_the_file_uses_it() {
        let text = "## [1.2.0] - 2026-01-01\n### Fixed\n- x\n\n## [1.1.1] - 2025-12-01\n### Security\n- y\n";
        let s = style(text);
        assert_eq!(s.heading(), "### Security");
        assert!(!s.blank_after);
        assert_eq!(restyle(BODY, &s), BODY);
    }

    #[test]
    fn generated_notes_and_labels() {
        let bitflags = "# 2.13.1\n\n## What's Changed\n* Lower the IR by @b in https://x/pull/492\n\n**Full Changelog**: https://x\n\n# 2.13.0\n";
        let s = style(bitflags);
        assert_eq!((s.heading().as_str(), s.bullet), ("## What's Changed", '*'));
        let regex = "1.10.3 (2024-01-21)\n===================\nThis is a patch release.\n\nBug fixes:\n\n* [BUG #1147](https://x):\nSet a thing.\n\n1.10.2 (2023-10-16)\n===================\n";
        let s = style(regex);
        assert_eq!(s.sub, Sub::Label);
        assert_eq!(s.heading(), "Bug fixes:");
        assert!(restyle(BODY, &s).starts_with("Bug fixes:\n\n* **CRITICAL**"));
    }

    #[test]
    fn four_space_nesting_and_no_model_at_all() {
        let text = "## 0.5.0 — 2026-01-01\n\n- a\n    - b\n";
        let s = style(text);
        assert_eq!(s.heading(), "### Security");
        assert_eq!(s.indent, "    ");
        assert_eq!(
            restyle(BODY, &s),
            "### Security\n- **CRITICAL**: Fixed a hole\n    - Impact: all\n      of it\n\n**Upgrade immediately**: now.\n"
        );
    }
}

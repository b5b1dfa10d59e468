//! CHANGELOG styles other than Keep a Changelog: the file's own release headings, copied.
//!
//! tokio writes `# 1.53.1 (July 20th, 2026)`, regex a setext heading (`1.13.1 (2026-07-15)` over a
//! line of `===`), others `## v1.2.3` or `### 1.2.3 - 2026-07-15`. The newest release heading is
//! the model: the new section takes its level (or underline), its shape with the version replaced,
//! and its date in the same format, and goes right above it. A file with no release heading at all
//! gets the section at the top (below its title), and the caller tells the maintainer.

use semver::Version;

use super::changelog_body;
use super::markdown;

/// How a release heading is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `#`…`######`.
    Atx(usize),
    /// A title line underlined with `=` (level 1) or `-` (level 2).
    Setext(char),
}

impl Kind {
    pub fn level(self) -> usize {
        match self {
            Kind::Atx(n) => n,
            Kind::Setext('=') => 1,
            Kind::Setext(_) => 2,
        }
    }
}

/// A release heading found in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseHeading {
    /// The line the heading starts on (a setext heading's title line).
    pub line: usize,
    pub kind: Kind,
    pub title: String,
    pub version: Version,
}

/// Where the section went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Above the newest release, in its style.
    Above(String),
    /// At the top: the file has no heading that names a release.
    Top,
}

/// The release headings of the file, in file order: ATX headings of level 1–3 and setext headings
/// whose title starts with a version (after an optional `[`, `v` or `Version `).
pub fn release_headings(text: &str) -> Vec<ReleaseHeading> {
    let lines = markdown::lines(text);
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.in_fence {
            continue;
        }
        for level in 1..=3 {
            if let Some(title) = line.heading(level) {
                if let Some(version) = leading_version(title) {
                    out.push(ReleaseHeading {
                        line: i,
                        kind: Kind::Atx(level),
                        title: title.to_string(),
                        version,
                    });
                }
            }
        }
        if let Some(next) = lines.get(i + 1) {
            let under = next.text.trim_end();
            let mark = under.chars().next();
            if let Some(mark @ ('=' | '-')) = mark {
                if under.len() >= 3 && under.chars().all(|c| c == mark) && !line.is_blank() {
                    if let Some(version) = leading_version(line.text.trim()) {
                        out.push(ReleaseHeading {
                            line: i,
                            kind: Kind::Setext(mark),
                            title: line.text.trim().to_string(),
                            version,
                        });
                    }
                }
            }
        }
    }
    out
}

/// The heading of the newest release (the highest version; the first in the file on a tie).
pub fn newest(headings: &[ReleaseHeading]) -> Option<&ReleaseHeading> {
    headings
        .iter()
        .rev()
        .max_by(|a, b| a.version.cmp_precedence(&b.version))
}

/// Whether the file is Keep a Changelog's: its newest release heading is `## [X.Y.Z]…`.
pub fn is_keep_a_changelog(text: &str) -> bool {
    let headings = release_headings(text);
    match newest(&headings) {
        Some(h) => h.kind == Kind::Atx(2) && h.title.starts_with('['),
        None => markdown::lines(text).iter().any(|l| {
            l.heading(2)
                .is_some_and(|t| t.to_ascii_lowercase().contains("unreleased"))
        }),
    }
}

/// Whether the file already has a heading for `version`, in any style.
pub fn has_version(text: &str, version: &Version) -> bool {
    release_headings(text)
        .iter()
        .any(|h| h.version.cmp_precedence(version).is_eq())
}

/// The file with `section` (a Keep a Changelog section from [`super::changelog::render_section`],
/// whose first line is its heading) rewritten in the file's style and put in place.
pub fn insert(text: &str, section: &str, version: &Version, date: &str) -> (String, Placement) {
    let (edit, placement) = insert_edit(text, section, version, date);
    (markdown::apply(text, vec![edit]), placement)
}

/// [`insert`] as an edit of `text`, to be applied with others (the compare links).
pub fn insert_edit(
    text: &str,
    section: &str,
    version: &Version,
    date: &str,
) -> ((std::ops::Range<usize>, String), Placement) {
    let lines = markdown::lines(text);
    let headings = release_headings(text);
    let body = section.split_once('\n').map_or("", |(_, rest)| rest);
    match newest(&headings) {
        Some(model) => {
            let shape = form_model(&headings, model, version);
            let title = retitle(&shape.title, &shape.version, version, date);
            let level = shape.kind.level();
            let heading = match shape.kind {
                Kind::Atx(n) => format!("{} {title}\n", "#".repeat(n)),
                Kind::Setext(mark) => {
                    let width = title.chars().count();
                    format!("{title}\n{}\n", mark.to_string().repeat(width))
                }
            };
            let style = body_style(text, &headings, model, level);
            let block = format!("{heading}{}", changelog_body::restyle(body, &style));
            let edit = markdown::insert_block(text, &lines, Some(model.line), &block);
            (edit, Placement::Above(model.title.clone()))
        }
        None => {
            // Below the file's title, if it starts with one; else at the very top.
            let title = lines.iter().position(|l| !l.is_blank());
            let at = match title {
                Some(t) if lines[t].heading(1).is_some() => {
                    (t + 1..lines.len()).find(|&i| !lines[i].is_blank() && i > t)
                }
                _ => title,
            };
            // No style to copy: the section as Keep a Changelog writes it.
            let edit = markdown::insert_block(text, &lines, at, section);
            (edit, Placement::Top)
        }
    }
}

/// The heading whose form a new patch release copies: the newest patch release's, where the file
/// writes patch releases apart (clog: `## v1.11.0` but `### v1.10.1`), else the newest release's.
fn form_model<'h>(
    headings: &'h [ReleaseHeading],
    newest: &'h ReleaseHeading,
    version: &Version,
) -> &'h ReleaseHeading {
    if version.patch == 0 {
        return newest;
    }
    let patches: Vec<ReleaseHeading> = headings
        .iter()
        .filter(|h| h.version.patch > 0)
        .cloned()
        .collect();
    match self::newest(&patches) {
        Some(p) => headings.iter().find(|h| h.line == p.line).unwrap_or(newest),
        None => newest,
    }
}

/// How the release bodies of the file are written (sub-headings, bullets, nesting).
pub fn body_style(
    text: &str,
    headings: &[ReleaseHeading],
    model: &ReleaseHeading,
    level: usize,
) -> changelog_body::Style {
    let lines: Vec<usize> = headings.iter().map(|h| h.line).collect();
    changelog_body::of(text, &lines, model.line, level)
}

/// The style of the file's release bodies, from its newest release; none without a release.
pub fn style_of(text: &str) -> Option<changelog_body::Style> {
    let headings = release_headings(text);
    let model = newest(&headings)?;
    Some(body_style(text, &headings, model, model.kind.level()))
}

/// A Keep a Changelog heading for `new` in the form of the newest one (`[v0.10.73] - 2025-05-28`,
/// `[1.2.0] — 2026-01-02`): the title up to its date, version and date replaced. None when the
/// newest heading has no date or carries a link (`[1.0.0](https://…) - …`): then the usual form.
pub fn keep_a_changelog_title(text: &str, new: &Version, date: &str) -> Option<String> {
    let headings = release_headings(text);
    let model = newest(&headings)?;
    if model.title.contains("](") || !model.title.starts_with('[') {
        return None;
    }
    let (range, _) = find_date(&model.title)?;
    let head = &model.title[..range.end];
    Some(retitle(head, &model.version, new, date))
}

/// The version a heading title starts with; none for a planned version (`## 5.0.0 - TBD`, clap's
/// section for its next major, is not a release).
fn leading_version(title: &str) -> Option<Version> {
    let lower = title.to_ascii_lowercase();
    if [
        "tbd",
        "unreleased",
        "releasedate",
        "upcoming",
        "not released",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return None;
    }
    let t = title.trim_start_matches('[');
    let t = t.strip_prefix("Version ").unwrap_or(t);
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
    let end = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+')))
        .unwrap_or(t.len());
    let v = Version::parse(&t[..end]).ok()?;
    v.pre.is_empty().then_some(v)
}

/// The model's title with its version replaced and its date (if it has one) written for `date`
/// (`YYYY-MM-DD`) in the same format.
pub fn retitle(model: &str, old: &Version, new: &Version, date: &str) -> String {
    let old_text = old.to_string();
    let replaced = model.replacen(&old_text, &new.to_string(), 1);
    match find_date(&replaced) {
        Some((range, format)) => {
            let mut out = replaced.clone();
            out.replace_range(range, &format.write(date));
            out
        }
        None => replaced,
    }
}

/// Date formats seen in release headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateFormat {
    /// 2026-07-20
    Iso,
    /// July 20th, 2026
    LongOrdinal,
    /// July 20, 2026
    Long,
    /// 20 July 2026
    DayMonth,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl DateFormat {
    /// `date` (`YYYY-MM-DD`) in this format; as given when it cannot be read.
    fn write(self, date: &str) -> String {
        let parts: Vec<u32> = date.split('-').filter_map(|p| p.parse().ok()).collect();
        let [y, m, d] = parts[..] else {
            return date.to_string();
        };
        let Some(month) = MONTHS.get((m as usize).wrapping_sub(1)) else {
            return date.to_string();
        };
        match self {
            DateFormat::Iso => date.to_string(),
            DateFormat::LongOrdinal => format!("{month} {d}{}, {y}", ordinal(d)),
            DateFormat::Long => format!("{month} {d}, {y}"),
            DateFormat::DayMonth => format!("{d} {month} {y}"),
        }
    }
}

fn ordinal(d: u32) -> &'static str {
    match (d % 10, d % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// Where a date sits in a title, and its format.
fn find_date(title: &str) -> Option<(std::ops::Range<usize>, DateFormat)> {
    let b = title.as_bytes();
    // ISO: dddd-dd-dd
    for i in 0..b.len().saturating_sub(9) {
        let w = &b[i..i + 10];
        if w.iter().enumerate().all(|(k, c)| {
            if k == 4 || k == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        }) {
            return Some((i..i + 10, DateFormat::Iso));
        }
    }
    for month in MONTHS {
        let Some(at) = title.find(month) else {
            continue;
        };
        let after = &title[at + month.len()..];
        // "July 20th, 2026" / "July 20, 2026"
        if let Some(rest) = after.strip_prefix(' ') {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                let mut end = at + month.len() + 1 + digits;
                let tail = &title[end..];
                let ordinal = ["st", "nd", "rd", "th"].iter().any(|s| tail.starts_with(s));
                if ordinal {
                    end += 2;
                }
                let tail = &title[end..];
                if let Some(year) = tail.strip_prefix(", ") {
                    if year.bytes().take(4).filter(u8::is_ascii_digit).count() == 4 {
                        let format = if ordinal {
                            DateFormat::LongOrdinal
                        } else {
                            DateFormat::Long
                        };
                        return Some((at..end + 6, format));
                    }
                }
            }
        }
        // "20 July 2026"
        let before = &title[..at];
        let day_digits = before
            .trim_end_matches(' ')
            .bytes()
            .rev()
            .take_while(u8::is_ascii_digit)
            .count();
        if day_digits > 0 && before.ends_with(' ') {
            let start = at - 1 - day_digits;
            if let Some(year) = after.strip_prefix(' ') {
                if year.bytes().take(4).filter(u8::is_ascii_digit).count() == 4 {
                    return Some((start..at + month.len() + 5, DateFormat::DayMonth));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    const SECTION: &str = "## [1.53.2] - 2026-11-13 [SECURITY HOTFIX]\n\n### Security\n- **CRITICAL**: Fixed a hole\n\n**Upgrade immediately**: now.\n";

    #[test]
    fn tokio_headings_level_one_with_a_long_date() {
        let text = "# 1.53.1 (July 20th, 2026)\n\n### Fixed\n\n- a bug\n\n# 1.53.0 (July 1st, 2026)\n\n- things\n";
        let (out, placed) = insert(text, SECTION, &v("1.53.2"), "2026-11-13");
        assert_eq!(placed, Placement::Above("1.53.1 (July 20th, 2026)".into()));
        assert!(
            // The sub-heading as tokio writes it: `### Fixed`, a blank line, `-` items.
            out.starts_with("# 1.53.2 (November 13th, 2026)\n\n### Fixed\n\n- **CRITICAL**: Fixed a hole\n\n**Upgrade immediately**: now.\n\n# 1.53.1 (July 20th, 2026)\n"),
            "{out}"
        );
        assert!(out.ends_with(text));
    }

    #[test]
    fn regex_setext_headings() {
        let text = "1.13.1 (2026-07-15)\n===================\nThis is a patch release.\n\n1.13.0 (2026-07-01)\n===================\nFeatures.\n";
        let (out, _) = insert(text, SECTION, &v("1.13.2"), "2026-11-13");
        assert!(
            out.starts_with("1.13.2 (2026-11-13)\n===================\n\n## Security\n"),
            "{out}"
        );
        assert!(out.ends_with(text));
        assert!(has_version(&out, &v("1.13.2")));
        assert!(!is_keep_a_changelog(text));
    }

    #[test]
    fn a_title_and_prose_above_the_releases_stay_above() {
        let text = "# Changelog\n\nAll changes.\n\n## v0.35.0\n\n- x\n\n## v0.34.0\n";
        let (out, _) = insert(text, SECTION, &v("0.35.1"), "2026-11-13");
        assert!(
            out.starts_with("# Changelog\n\nAll changes.\n\n## v0.35.1\n\n### Security\n"),
            "{out}"
        );
    }

    #[test]
    fn no_release_heading_goes_to_the_top_below_the_title() {
        let text = "# Our changes\n\nSee the git log.\n";
        let (out, placed) = insert(text, SECTION, &v("1.0.1"), "2026-11-13");
        assert_eq!(placed, Placement::Top);
        assert!(
            out.starts_with(&format!("# Our changes\n\n{SECTION}\nSee the git log.\n")),
            "{out}"
        );
        assert!(out.ends_with("See the git log.\n"));
    }

    #[test]
    fn a_planned_version_is_not_the_newest_release() {
        let text = "# Change Log\n\n## 5.0.0 - TBD\n\n*unstable*\n\n<!-- next-header -->\n## [Unreleased] - ReleaseDate\n\n## [4.6.6] - 2026-07-30\n";
        assert!(is_keep_a_changelog(text));
        let headings = release_headings(text);
        assert_eq!(
            newest(&headings).map(|h| h.title.as_str()),
            Some("[4.6.6] - 2026-07-30")
        );
    }

    #[test]
    fn clog_patch_releases_keep_their_own_level() {
        // hyper's CHANGELOG (clog): minor releases `## v1.11.0 (…)`, patch releases `### v1.10.1 (…)`.
        let text = "## v1.11.0 (2026-07-20)\n\n\n#### Bug Fixes\n\n* **http1:** a fix\n\n\n### v1.10.1 (2026-05-29)\n\n\n#### Bug Fixes\n\n* b\n\n\n## v1.10.0 (2026-05-27)\n";
        let (out, placed) = insert(text, SECTION, &v("1.11.1"), "2026-11-13");
        assert_eq!(placed, Placement::Above("v1.11.0 (2026-07-20)".into()));
        assert!(
            out.starts_with("### v1.11.1 (2026-11-13)\n\n#### Bug Fixes\n\n* **CRITICAL**: Fixed a hole\n\n**Upgrade immediately**: now.\n\n## v1.11.0 (2026-07-20)\n"),
            "{out}"
        );
    }

    #[test]
    fn keep_a_changelog_titles_copy_the_v_and_the_dash() {
        let openssl =
            "# Change Log\n\n## [Unreleased]\n\n## [v0.10.73] - 2025-05-28\n\n### Fixed\n\n* x\n";
        assert_eq!(
            keep_a_changelog_title(openssl, &v("0.10.74"), "2026-11-13").as_deref(),
            Some("[v0.10.74] - 2026-11-13")
        );
        let dash = "## [1.2.0] — 2026-01-02 [YANKED]\n";
        assert_eq!(
            keep_a_changelog_title(dash, &v("1.2.1"), "2026-11-13").as_deref(),
            Some("[1.2.1] — 2026-11-13")
        );
        let linked = "## [1.0.0](https://github.com/o/r/compare/v0.9.0...v1.0.0) - 2026-01-01\n";
        assert_eq!(
            keep_a_changelog_title(linked, &v("1.0.1"), "2026-11-13"),
            None
        );
        assert_eq!(
            keep_a_changelog_title("## [1.0.0]\n", &v("1.0.1"), "2026-11-13"),
            None
        );
    }

    #[test]
    fn keep_a_changelog_is_recognised() {
        assert!(is_keep_a_changelog(
            "## [Unreleased]\n\n## [1.0.0] - 2026-01-01\n"
        ));
        assert!(is_keep_a_changelog(
            "<!-- next-header -->\n## [Unreleased] - ReleaseDate\n"
        ));
        assert!(!is_keep_a_changelog("# 1.0.0 (May 1st, 2026)\n"));
        assert!(!is_keep_a_changelog("## v1.0.0\n"));
    }

    #[test]
    fn dates_in_their_own_format() {
        let new = v("2.0.1");
        let old = v("2.0.0");
        for (model, want) in [
            ("2.0.0 - 2026-01-02", "2.0.1 - 2026-11-13"),
            (
                "[2.0.0] (January 2nd, 2026)",
                "[2.0.1] (November 13th, 2026)",
            ),
            ("v2.0.0 — March 3, 2026", "v2.0.1 — November 13, 2026"),
            ("2.0.0 (2 March 2026)", "2.0.1 (13 November 2026)"),
            ("2.0.0", "2.0.1"),
        ] {
            assert_eq!(retitle(model, &old, &new, "2026-11-13"), want);
        }
        assert_eq!(
            DateFormat::LongOrdinal.write("2026-11-01"),
            "November 1st, 2026"
        );
        assert_eq!(
            DateFormat::LongOrdinal.write("2026-11-22"),
            "November 22nd, 2026"
        );
        assert_eq!(
            DateFormat::LongOrdinal.write("2026-11-12"),
            "November 12th, 2026"
        );
    }
}

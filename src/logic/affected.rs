//! Which released versions an incident affects and which version patches each release line: one
//! value, computed once at step 4 from the release tags, the hotfix and `--introduced`, and used by
//! every text that names versions (the GitHub advisory, the RustSec draft, the CHANGELOG, SECURITY.md,
//! the PR body, the announcement, the summary).
//!
//! Every release from the first affected one on is taken to carry the vulnerable code, unless this
//! incident patches its line: hotfixing 0.9 while 1.0.0 exists leaves 1.0.0 vulnerable, and that
//! is said, never left out. A line is `X.Y` (the `--line X.Y` of the product).

use anyhow::{bail, Result};
use semver::Version;
use serde::{Deserialize, Serialize};

/// One release line's part in the incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// `X.Y`.
    pub line: String,
    /// The first affected release of the line.
    pub first: Version,
    /// The newest affected release of the line.
    pub last: Version,
    /// The version of this incident that fixes the line; `None`: the line stays vulnerable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patched: Option<Version>,
}

impl Line {
    /// The vulnerable range in the advisory's syntax: `>= 0.9.0, < 0.9.1` for a patched line,
    /// `>= 1.0.0, <= 1.0.0` (its released versions) for one that stays vulnerable.
    pub fn range(&self) -> String {
        match &self.patched {
            Some(p) => format!(">= {}, < {p}", self.first),
            None => format!(">= {}, <= {}", self.first, self.last),
        }
    }

    /// `1.0.0` or `1.0.0 to 1.0.3`: the released versions this line has in the incident.
    pub fn released(&self) -> String {
        if self.first == self.last {
            self.first.to_string()
        } else {
            format!("{} to {}", self.first, self.last)
        }
    }
}

/// The incident's versions, line by line, oldest line first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Affected {
    /// The first affected release (`--introduced`, else the oldest release).
    pub introduced: Version,
    /// Whether a release older than `introduced` exists (then the RustSec draft names what is unaffected).
    #[serde(default)]
    pub older_releases: bool,
    pub lines: Vec<Line>,
}

impl Affected {
    /// The lines this incident leaves vulnerable.
    pub fn unpatched(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.patched.is_none())
    }

    /// The lines this incident patches.
    pub fn patched(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.patched.is_some())
    }

    /// RustSec's `[versions] patched`: each patched version up to the next line, so that a newer line
    /// left vulnerable does not count as patched (`>= 0.9.1, < 0.10.0`); the newest line is open.
    pub fn rustsec_patched(&self) -> Vec<String> {
        self.lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let p = l.patched.as_ref()?;
                Some(if i + 1 == self.lines.len() {
                    format!(">= {p}")
                } else {
                    format!(">= {p}, < {}", next_line(p))
                })
            })
            .collect()
    }

    /// RustSec's `[versions] unaffected`: what came before the first affected release, if anything.
    pub fn rustsec_unaffected(&self) -> Vec<String> {
        if self.older_releases {
            vec![format!("< {}", self.introduced)]
        } else {
            Vec::new()
        }
    }
}

/// The first version of the line after `v`'s (`0.9.1` → `0.10.0`, `1.2.3` → `1.3.0`).
fn next_line(v: &Version) -> Version {
    Version::new(v.major, v.minor + 1, 0)
}

/// Computes the incident's lines from every release, the base of the hotfix and its version.
///
/// `introduced` must be one of the releases and not newer than the base (the base would not be
/// affected); the error names the releases to choose from.
pub fn compute(
    releases: &[Version],
    introduced: Option<&Version>,
    base: &Version,
    hotfix: &Version,
) -> Result<Affected> {
    compute_lines(releases, introduced, &[(base.clone(), hotfix.clone())])
}

/// [`compute`] for an incident that patches several lines: `(base, hotfix)` of each. `introduced`
/// must not be newer than the oldest base (that line would not be affected).
pub fn compute_lines(
    releases: &[Version],
    introduced: Option<&Version>,
    patches: &[(Version, Version)],
) -> Result<Affected> {
    let Some(base) = patches.iter().map(|(b, _)| b).min() else {
        bail!("no release line to patch");
    };
    let mut releases: Vec<Version> = releases
        .iter()
        .filter(|v| v.pre.is_empty())
        .map(|v| Version::new(v.major, v.minor, v.patch))
        .collect();
    releases.sort();
    releases.dedup();
    let Some(oldest) = releases.first().cloned() else {
        bail!("no releases to compute the affected versions from");
    };
    let introduced = match introduced {
        None => oldest.clone(),
        Some(v) => {
            let v = Version::new(v.major, v.minor, v.patch);
            if !releases.contains(&v) {
                bail!(
                    "--introduced {v} is not a release of this crate: give the first release that has the \
                     vulnerable code, one of {}",
                    list(&releases)
                );
            }
            if &v > base {
                bail!(
                    "--introduced {v} is newer than {base}, the release this hotfix patches: {base} would \
                     not be affected. Give a release up to {base}, one of {}",
                    list(&releases.iter().filter(|r| *r <= base).cloned().collect::<Vec<_>>())
                );
            }
            v
        }
    };
    let mut lines: Vec<Line> = Vec::new();
    for v in releases.iter().filter(|v| **v >= introduced) {
        let key = format!("{}.{}", v.major, v.minor);
        match lines.iter_mut().find(|l| l.line == key) {
            Some(l) => l.last = v.clone(),
            None => lines.push(Line {
                line: key,
                first: v.clone(),
                last: v.clone(),
                patched: None,
            }),
        }
    }
    for (base, hotfix) in patches {
        let hotfix_line = format!("{}.{}", hotfix.major, hotfix.minor);
        match lines.iter_mut().find(|l| l.line == hotfix_line) {
            Some(l) => l.patched = Some(hotfix.clone()),
            None => bail!(
                "the hotfix {hotfix} is on no affected line: its base {base} is not a release from {introduced} on"
            ),
        }
    }
    Ok(Affected {
        older_releases: oldest < introduced,
        introduced,
        lines,
    })
}

fn list(versions: &[Version]) -> String {
    versions
        .iter()
        .map(Version::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    fn vs(list: &[&str]) -> Vec<Version> {
        list.iter().map(|s| v(s)).collect()
    }

    #[test]
    fn an_older_line_hotfix_leaves_the_newer_line_vulnerable_and_says_so() {
        let a = compute(&vs(&["0.9.0", "1.0.0"]), None, &v("0.9.0"), &v("0.9.1")).unwrap();
        assert_eq!(a.lines.len(), 2);
        assert_eq!(a.lines[0].range(), ">= 0.9.0, < 0.9.1");
        assert_eq!(a.lines[0].patched, Some(v("0.9.1")));
        assert_eq!(a.lines[1].range(), ">= 1.0.0, <= 1.0.0");
        assert_eq!(a.lines[1].patched, None);
        let unpatched: Vec<&str> = a.unpatched().map(|l| l.line.as_str()).collect();
        assert_eq!(unpatched, ["1.0"]);
        // 1.0.0 is not patched by 0.9.1 in RustSec's terms either.
        assert_eq!(a.rustsec_patched(), [">= 0.9.1, < 0.10.0"]);
        assert!(a.rustsec_unaffected().is_empty());
    }

    #[test]
    fn the_newest_line_hotfix_names_older_lines_and_is_open_ended() {
        let a = compute(
            &vs(&["0.9.9", "1.0.0", "1.0.10", "1.1.0-beta.1"]),
            None,
            &v("1.0.10"),
            &v("1.0.11"),
        )
        .unwrap();
        let ranges: Vec<String> = a.lines.iter().map(Line::range).collect();
        assert_eq!(ranges, [">= 0.9.9, <= 0.9.9", ">= 1.0.0, < 1.0.11"]);
        assert_eq!(a.lines[1].released(), "1.0.0 to 1.0.10");
        assert_eq!(a.rustsec_patched(), [">= 1.0.11"]);
    }

    #[test]
    fn every_line_patched_in_the_incident_has_its_own_fix() {
        let a = compute_lines(
            &vs(&["0.8.3", "0.9.9", "1.0.0", "1.0.10"]),
            None,
            &[(v("1.0.10"), v("1.0.11")), (v("0.9.9"), v("0.9.10"))],
        )
        .unwrap();
        let ranges: Vec<String> = a.lines.iter().map(Line::range).collect();
        assert_eq!(
            ranges,
            [
                ">= 0.8.3, <= 0.8.3",
                ">= 0.9.9, < 0.9.10",
                ">= 1.0.0, < 1.0.11"
            ]
        );
        assert_eq!(a.rustsec_patched(), [">= 0.9.10, < 0.10.0", ">= 1.0.11"]);
    }

    #[test]
    fn introduced_drops_the_older_releases_and_marks_them_unaffected() {
        let a = compute(
            &vs(&["0.8.0", "0.9.0", "0.9.3", "1.0.0"]),
            Some(&v("0.9.3")),
            &v("0.9.3"),
            &v("0.9.4"),
        )
        .unwrap();
        let ranges: Vec<String> = a.lines.iter().map(Line::range).collect();
        assert_eq!(ranges, [">= 0.9.3, < 0.9.4", ">= 1.0.0, <= 1.0.0"]);
        assert_eq!(a.rustsec_unaffected(), ["< 0.9.3"]);
    }

    #[test]
    fn an_introduced_that_is_no_release_or_newer_than_the_base_is_refused_with_the_choices() {
        let releases = vs(&["0.9.0", "1.0.0"]);
        let e = compute(&releases, Some(&v("0.9.5")), &v("0.9.0"), &v("0.9.1")).unwrap_err();
        assert!(
            e.to_string()
                .contains("--introduced 0.9.5 is not a release of this crate")
                && e.to_string().contains("one of 0.9.0, 1.0.0"),
            "{e}"
        );
        let e = compute(&releases, Some(&v("1.0.0")), &v("0.9.0"), &v("0.9.1")).unwrap_err();
        let both = [(v("1.0.0"), v("1.0.1")), (v("0.9.0"), v("0.9.1"))];
        let e2 = compute_lines(&releases, Some(&v("1.0.0")), &both).unwrap_err();
        assert!(format!("{e2:#}").contains("newer than 0.9.0"), "{e2:#}");
        assert!(e.to_string().contains("newer than 0.9.0"), "{e}");
        assert!(e.to_string().contains("one of 0.9.0"), "{e}");
    }
}

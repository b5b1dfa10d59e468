//! Which released versions an incident affects and which version patches each release line: one
//! value, computed once at step 4 from the release tags, the hotfix and `--introduced`, and used by
//! every text that names versions (the GitHub advisory, the RustSec draft, the CHANGELOG, SECURITY.md,
//! the PR body, the announcement, the summary).
//!
//! Every release from the first affected one on is taken to carry the vulnerable code. Releases
//! group into Cargo's semver compatibility classes (`1.x` for versions >= 1.0.0, `0.Y` for 0.y,
//! `0.0.Z` alone); each affected release is patched by the lowest patched version of this incident
//! above it in its class (`cargo update` reaches it), so 1.0.0 and 1.1.0 are patched by a hotfix
//! 1.2.1. A patch of an older maintained minor (`--line 1.18`, tokio's LTS lines) splits its class:
//! the releases up to its base take it, the newer ones the next patch. A class with no patched
//! version stays vulnerable, and that is said, never left out: hotfixing 0.9 while 1.0.0 exists
//! leaves 1.0.0 vulnerable.

use anyhow::{bail, Result};
use semver::Version;
use serde::{Deserialize, Serialize};

/// One group of releases in the incident: the affected releases of a compatibility class that one
/// patched version fixes, or the rest of a class that none fixes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// The compatibility class (`1.x`, `0.9`, `0.0.3`; see [`class_of`]).
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

    /// RustSec's `[versions] patched`: each patched version up to where the next group of
    /// releases begins, so that releases left vulnerable do not count as patched: the next minor
    /// where its class goes on (tokio's `>= 1.18.4, < 1.19.0`), the end of its class where a newer
    /// class follows (`>= 0.9.1, < 0.10.0`); the newest is open (`>= 1.2.1`).
    pub fn rustsec_patched(&self) -> Vec<String> {
        self.lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let p = l.patched.as_ref()?;
                Some(match self.lines.get(i + 1) {
                    None => format!(">= {p}"),
                    Some(next) if next.line == l.line => format!(">= {p}, < {}", next_minor(p)),
                    Some(_) => format!(">= {p}, < {}", class_end(p)),
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

/// The first version of the minor after `v`'s (`1.18.4` → `1.19.0`): where a split class's older
/// maintained minor ends.
fn next_minor(v: &Version) -> Version {
    Version::new(v.major, v.minor + 1, 0)
}

/// The first version outside `v`'s compatibility class (`0.9.1` → `0.10.0`, `1.2.3` → `2.0.0`,
/// `0.0.4` → `0.0.5`): what `cargo update` cannot reach from `v`.
fn class_end(v: &Version) -> Version {
    if v.major > 0 {
        Version::new(v.major + 1, 0, 0)
    } else if v.minor > 0 {
        Version::new(0, v.minor + 1, 0)
    } else {
        Version::new(0, 0, v.patch + 1)
    }
}

/// Cargo's semver compatibility class of a release: `1.x` for `1.y.z`, `0.9` for `0.9.z`, `0.0.3`
/// alone for `0.0.3` (`^` requirements never leave it).
pub fn class_of(v: &Version) -> String {
    if v.major > 0 {
        format!("{}.x", v.major)
    } else if v.minor > 0 {
        format!("0.{}", v.minor)
    } else {
        format!("0.0.{}", v.patch)
    }
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
    let affected: Vec<&Version> = releases.iter().filter(|v| **v >= introduced).collect();
    let mut patches: Vec<&(Version, Version)> = patches.iter().collect();
    patches.sort();
    for (base, hotfix) in &patches {
        // Build metadata is not part of a version's identity in semver (`1.2.3+build.7` is 1.2.3).
        if !affected.iter().any(|v| v.cmp_precedence(base).is_eq()) {
            bail!(
                "the hotfix {hotfix} is on no affected line: its base {base} is not a release from {introduced} on"
            );
        }
    }
    // Releases are sorted, so each class is one run of them.
    let mut lines: Vec<Line> = Vec::new();
    let mut i = 0;
    while i < affected.len() {
        let class = class_of(affected[i]);
        let mut j = i;
        while j < affected.len() && class_of(affected[j]) == class {
            j += 1;
        }
        let members = &affected[i..j];
        let mut rest = members;
        for (base, hotfix) in patches.iter().filter(|(b, _)| class_of(b) == class) {
            let n = rest.iter().take_while(|r| **r <= base).count();
            if let (Some(first), Some(last)) = (rest.first(), rest[..n].last()) {
                lines.push(Line {
                    line: class.clone(),
                    first: (*first).clone(),
                    last: (*last).clone(),
                    patched: Some(hotfix.clone()),
                });
            }
            rest = &rest[n..];
        }
        if let (Some(first), Some(last)) = (rest.first(), rest.last()) {
            lines.push(Line {
                line: class.clone(),
                first: (*first).clone(),
                last: (*last).clone(),
                patched: None,
            });
        }
        i = j;
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
        assert_eq!(unpatched, ["1.x"]);
        // 1.0.0 is not patched by 0.9.1 in RustSec's terms either.
        assert_eq!(a.rustsec_patched(), [">= 0.9.1, < 0.10.0"]);
        assert!(a.rustsec_unaffected().is_empty());
    }

    #[test]
    fn semver_compatible_releases_are_patched_by_the_newer_fix_of_their_class() {
        // The example: 1.2.1 is what `cargo update` gives users of 1.0.0 and 1.1.0; 0.9.0 is
        // in another class and stays vulnerable.
        let a = compute(
            &vs(&["0.9.0", "1.0.0", "1.1.0", "1.2.0"]),
            None,
            &v("1.2.0"),
            &v("1.2.1"),
        )
        .unwrap();
        let ranges: Vec<String> = a.lines.iter().map(Line::range).collect();
        assert_eq!(ranges, [">= 0.9.0, <= 0.9.0", ">= 1.0.0, < 1.2.1"]);
        assert_eq!(a.lines[1].patched, Some(v("1.2.1")));
        assert_eq!(a.lines[1].released(), "1.0.0 to 1.2.0");
        let unpatched: Vec<&str> = a.unpatched().map(|l| l.line.as_str()).collect();
        assert_eq!(unpatched, ["0.9"]);
        assert_eq!(a.rustsec_patched(), [">= 1.2.1"]);
    }

    #[test]
    fn maintained_older_minors_split_their_class_as_tokio_lts_lines_do() {
        // RUSTSEC-2023-0001 (tokio): patched >= 1.18.4, < 1.19; >= 1.20.3, < 1.21; >= 1.23.1.
        let a = compute_lines(
            &vs(&[
                "1.0.0", "1.18.0", "1.18.3", "1.19.0", "1.20.0", "1.20.2", "1.21.0", "1.23.0",
            ]),
            None,
            &[
                (v("1.23.0"), v("1.23.1")),
                (v("1.18.3"), v("1.18.4")),
                (v("1.20.2"), v("1.20.3")),
            ],
        )
        .unwrap();
        let ranges: Vec<String> = a.lines.iter().map(Line::range).collect();
        assert_eq!(
            ranges,
            [
                ">= 1.0.0, < 1.18.4",
                ">= 1.19.0, < 1.20.3",
                ">= 1.21.0, < 1.23.1"
            ]
        );
        assert_eq!(
            a.rustsec_patched(),
            [">= 1.18.4, < 1.19.0", ">= 1.20.3, < 1.21.0", ">= 1.23.1"]
        );
        // Only the older minor patched: the newer releases of the class stay vulnerable.
        let a = compute_lines(
            &vs(&["1.18.3", "1.19.0", "1.20.0"]),
            None,
            &[(v("1.18.3"), v("1.18.4"))],
        )
        .unwrap();
        let ranges: Vec<String> = a.lines.iter().map(Line::range).collect();
        assert_eq!(ranges, [">= 1.18.3, < 1.18.4", ">= 1.19.0, <= 1.20.0"]);
        assert_eq!(a.rustsec_patched(), [">= 1.18.4, < 1.19.0"]);
    }

    #[test]
    fn each_zero_zero_release_is_its_own_class() {
        let a = compute(&vs(&["0.0.2", "0.0.3"]), None, &v("0.0.3"), &v("0.0.4")).unwrap();
        let ranges: Vec<String> = a.lines.iter().map(Line::range).collect();
        assert_eq!(ranges, [">= 0.0.2, <= 0.0.2", ">= 0.0.3, < 0.0.4"]);
        assert_eq!(a.rustsec_patched(), [">= 0.0.4"]);
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

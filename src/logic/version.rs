//! Release tags and version numbers: which tag the hotfix starts from and what it is called.
//!
//! The reference uses `git describe --tags --abbrev=0`, which returns the *nearest* tag — possibly a
//! pre-release or an old line. We instead look at every tag and take the highest release by semver,
//! so the answer does not depend on where HEAD happens to be.

use anyhow::{anyhow, Result};
use semver::Version;

/// A release tag and the version it names (`v1.0.10` → 1.0.10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub tag: String,
    pub version: Version,
}

/// The highest release among `tags` of the form `{prefix}X.Y.Z`.
///
/// Only releases count: a hotfix is the next patch of what users actually run, so pre-releases
/// (`v1.1.0-beta.1`) and anything that is not strict semver after the prefix (`release-2`, `v1.0`,
/// `vfoo`, `v01.0.0`) are ignored rather than guessed at. Versions are compared by semver, not as
/// strings, so `v1.0.10` beats `v1.0.9`.
///
/// Build metadata does not make a tag less of a release: `v1.2.3+build.5` is release 1.2.3 (semver
/// gives build metadata no precedence, and a registry treats `1.2.3+x` as 1.2.3), so ignoring it
/// would pick an older base and a hotfix version that is already taken. When `v1.2.3` and
/// `v1.2.3+build.5` both exist, the plain tag is the base; among several tags that differ only in
/// build metadata, the one whose name sorts first is, so the answer never depends on tag order.
pub fn latest_release<'a>(
    tags: impl IntoIterator<Item = &'a str>,
    prefix: &str,
) -> Option<Release> {
    tags.into_iter()
        .filter_map(|tag| parse_release_tag(tag.trim(), prefix))
        .max_by(|a, b| {
            a.version
                .cmp_precedence(&b.version)
                .then_with(|| a.version.build.is_empty().cmp(&b.version.build.is_empty()))
                .then_with(|| b.tag.cmp(&a.tag))
        })
}

fn parse_release_tag(tag: &str, prefix: &str) -> Option<Release> {
    let rest = tag.strip_prefix(prefix)?;
    let version = Version::parse(rest).ok()?;
    if !version.pre.is_empty() {
        return None;
    }
    Some(Release {
        tag: tag.to_string(),
        version,
    })
}

/// The hotfix version: the next patch of the base release.
///
/// Pre-release and build parts are dropped because a hotfix is always a plain release.
pub fn next_patch(v: &Version) -> Version {
    Version::new(v.major, v.minor, v.patch + 1)
}

/// Reads a version typed by a person (`rollback --version`), who may or may not write the tag's `v`.
pub fn parse_version_arg(s: &str) -> Result<Version> {
    let trimmed = s.trim();
    let bare = trimmed
        .strip_prefix('v')
        .or_else(|| trimmed.strip_prefix('V'))
        .unwrap_or(trimmed);
    Version::parse(bare).map_err(|e| {
        anyhow!("`{s}` is not a version: expected X.Y.Z such as 1.4.3 or v1.4.3 ({e})")
    })
}

/// A release line as a person types it (`--line 1.4`, `lines = ["0.9"]`): `(major, minor)`.
pub fn parse_line(s: &str) -> Result<(u64, u64)> {
    let trimmed = s.trim();
    let bare = trimmed.strip_prefix('v').unwrap_or(trimmed);
    let parsed = bare
        .split_once('.')
        .and_then(|(major, minor)| Some((major.parse().ok()?, minor.parse().ok()?)))
        .filter(|_| bare.matches('.').count() == 1);
    parsed.ok_or_else(|| anyhow!("`{s}` is not a release line: expected X.Y such as 1.4 or 0.9"))
}

/// The line of a version, `X.Y`.
pub fn line_of(v: &Version) -> String {
    format!("{}.{}", v.major, v.minor)
}

/// The base release of each line asked for (`X.Y` each): its highest release among `tags`, newest
/// line first. `base_tag` (`--base-tag`), when given, is the base of its own line, which must be one
/// of `lines`. Every error is the person's to correct, and names what is there.
pub fn line_bases(
    lines: &[String],
    tags: &[String],
    prefix: &str,
    base_tag: Option<&Release>,
) -> std::result::Result<Vec<Release>, String> {
    let mut seen: Vec<(u64, u64)> = Vec::new();
    for line in lines {
        let parsed = parse_line(line).map_err(|e| format!("--line {line}: {e:#}"))?;
        if seen.contains(&parsed) {
            return Err(format!(
                "--line {}.{} is given twice: name each release line once",
                parsed.0, parsed.1
            ));
        }
        seen.push(parsed);
    }
    let releases: Vec<Release> = tags
        .iter()
        .filter_map(|t| parse_release_tag(t.trim(), prefix))
        .collect();
    let mut all_lines: Vec<(u64, u64)> = releases
        .iter()
        .map(|r| (r.version.major, r.version.minor))
        .collect();
    all_lines.sort();
    all_lines.dedup();
    let known = all_lines
        .iter()
        .rev()
        .map(|(a, b)| format!("{a}.{b}"))
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(base) = base_tag {
        let own = (base.version.major, base.version.minor);
        if !seen.contains(&own) {
            return Err(format!(
                "--base-tag {} is on line {}.{}, which --line does not name ({}): add --line {}.{} or \
                 drop --base-tag",
                base.tag,
                own.0,
                own.1,
                seen.iter()
                    .map(|(a, b)| format!("{a}.{b}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                own.0,
                own.1
            ));
        }
    }
    let mut bases = Vec::new();
    for (major, minor) in &seen {
        let base = match base_tag.filter(|b| b.version.major == *major && b.version.minor == *minor)
        {
            Some(b) => b.clone(),
            None => {
                let highest = latest_release(
                    releases
                        .iter()
                        .filter(|r| r.version.major == *major && r.version.minor == *minor)
                        .map(|r| r.tag.as_str()),
                    prefix,
                );
                highest.ok_or_else(|| {
                    format!(
                        "--line {major}.{minor}: no release of that line is tagged (no tag \
                         {prefix}{major}.{minor}.Z); the lines with releases are: {known}"
                    )
                })?
            }
        };
        bases.push(base);
    }
    bases.sort_by(|a, b| b.version.cmp_precedence(&a.version));
    Ok(bases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_and_their_bases_found_newest_first() {
        assert_eq!(parse_line("1.4").unwrap(), (1, 4));
        assert_eq!(parse_line("v0.9").unwrap(), (0, 9));
        for bad in ["1", "1.4.2", "x.y", "1.", ""] {
            assert!(parse_line(bad).is_err(), "{bad}");
        }
        let tags: Vec<String> = ["v0.9.8", "v0.9.9", "v1.0.0", "v1.0.10", "v1.1.0-beta.1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let lines = vec!["0.9".to_string(), "1.0".to_string()];
        let bases = line_bases(&lines, &tags, "v", None).unwrap();
        let shown: Vec<&str> = bases.iter().map(|b| b.tag.as_str()).collect();
        assert_eq!(shown, ["v1.0.10", "v0.9.9"]);
        let err = line_bases(&["1.1".to_string()], &tags, "v", None).unwrap_err();
        assert!(
            err.contains("no release of that line") && err.contains("1.0, 0.9"),
            "{err}"
        );
        let err = line_bases(&["1.0".into(), "1.0".into()], &tags, "v", None).unwrap_err();
        assert!(err.contains("given twice"), "{err}");
        let base = latest_release(["v0.9.8"], "v");
        let err = line_bases(&["1.0".into()], &tags, "v", base.as_ref()).unwrap_err();
        assert!(
            err.contains("line 0.9, which --line does not name"),
            "{err}"
        );
        let bases = line_bases(&lines, &tags, "v", base.as_ref()).unwrap();
        assert_eq!(bases[1].tag, "v0.9.8");
    }

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn picks_highest_release_ignoring_prereleases_and_non_semver_tags() {
        let tags = ["v1.0.0", "v1.1.0-beta.1", "v0.9.9", "release-2", "v1.0.10"];
        let base = latest_release(tags, "v").unwrap();
        assert_eq!(
            base,
            Release {
                tag: "v1.0.10".into(),
                version: v("1.0.10")
            }
        );
        assert_eq!(next_patch(&base.version), v("1.0.11"));
    }

    #[test]
    fn compares_numerically_not_as_strings() {
        let base = latest_release(["v1.0.9", "v1.0.10", "v1.0.2"], "v").unwrap();
        assert_eq!(base.tag, "v1.0.10");
        let base = latest_release(["v9.0.0", "v10.0.0"], "v").unwrap();
        assert_eq!(base.tag, "v10.0.0");
    }

    #[test]
    fn ignores_short_versions_and_leading_zeros() {
        let tags = [
            "v3.0",
            "vfoo",
            "v01.0.0",
            "v1.02.0",
            "v1.0.0",
            "v4.0.0-rc.1+b",
        ];
        assert_eq!(latest_release(tags, "v").unwrap().tag, "v1.0.0");
    }

    #[test]
    fn build_metadata_is_a_release_and_the_plain_tag_wins_a_tie() {
        let base = latest_release(["v1.0.0", "v2.0.0+build.5"], "v").unwrap();
        assert_eq!(base.tag, "v2.0.0+build.5");
        assert_eq!(next_patch(&base.version), v("2.0.1"));
        for tags in [
            ["v2.0.0+b", "v2.0.0", "v2.0.0+a"],
            ["v2.0.0", "v2.0.0+a", "v2.0.0+b"],
            ["v2.0.0+a", "v2.0.0+b", "v2.0.0"],
        ] {
            assert_eq!(latest_release(tags, "v").unwrap().tag, "v2.0.0");
        }
        for tags in [["v2.0.0+b", "v2.0.0+a"], ["v2.0.0+a", "v2.0.0+b"]] {
            assert_eq!(latest_release(tags, "v").unwrap().tag, "v2.0.0+a");
        }
    }

    #[test]
    fn none_when_no_release_tag() {
        assert_eq!(latest_release(["v1.0.0-rc.1", "nightly", "v1"], "v"), None);
        assert_eq!(latest_release(std::iter::empty(), "v"), None);
    }

    #[test]
    fn empty_prefix_takes_bare_versions_only() {
        let tags = ["1.2.3", "v9.9.9", "1.10.0", "2.0.0-alpha"];
        let base = latest_release(tags, "").unwrap();
        assert_eq!(base.tag, "1.10.0");
        assert_eq!(base.version, v("1.10.0"));
    }

    #[test]
    fn custom_prefix_keeps_full_tag_name() {
        let tags = [
            "mycrate-v0.3.1",
            "othercrate-v9.0.0",
            "mycrate-v0.4.0",
            "v5.0.0",
        ];
        let base = latest_release(tags, "mycrate-v").unwrap();
        assert_eq!(base.tag, "mycrate-v0.4.0");
        assert_eq!(base.version, v("0.4.0"));
    }

    #[test]
    fn tags_with_surrounding_whitespace_are_read() {
        let base = latest_release(["  v1.0.0\r", "v0.1.0"], "v").unwrap();
        assert_eq!(base.tag, "v1.0.0");
    }

    #[test]
    fn next_patch_clears_prerelease_and_build() {
        assert_eq!(next_patch(&v("1.0.10")), v("1.0.11"));
        assert_eq!(next_patch(&v("0.0.0")), v("0.0.1"));
        assert_eq!(next_patch(&v("1.2.3-rc.1+abc")), v("1.2.4"));
    }

    #[test]
    fn version_argument_with_or_without_v() {
        assert_eq!(parse_version_arg("1.4.3").unwrap(), v("1.4.3"));
        assert_eq!(parse_version_arg("v1.4.3").unwrap(), v("1.4.3"));
        assert_eq!(parse_version_arg(" v1.4.3\n").unwrap(), v("1.4.3"));
    }

    #[test]
    fn bad_version_argument_names_the_input() {
        for bad in ["1.4", "latest", "vv1.4.3", "", "1.4.3.1"] {
            let msg = parse_version_arg(bad).unwrap_err().to_string();
            assert!(
                msg.starts_with(&format!("`{bad}` is not a version")),
                "{msg}"
            );
            assert!(msg.contains("1.4.3 or v1.4.3"), "{msg}");
        }
    }
}

//! Which tags are a crate's releases: the tag scheme, found from the tags rather than guessed.
//!
//! Projects tag their releases in many ways: serde `v1.0.228`, regex `1.13.1` for regex and
//! `regex-syntax-0.8.11` for its sibling, tokio `tokio-1.53.1`, clap `v4.6.6` and
//! `clap_complete-v4.6.9`. A scheme is a prefix before `X.Y.Z`; the candidates for a crate are the
//! usual ones with its name filled in. Which candidate is the crate's own is a question for the
//! manifests (a tag is the crate's release only when the crate's manifest at that tag says that
//! version), which the step asks through git; this module only proposes and describes.

use std::collections::BTreeMap;

use crate::logic::version::{latest_release, Release};

/// The usual schemes, `{crate}` standing for the crate's name, most common first.
const PATTERNS: [&str; 10] = [
    "v",
    "",
    "{crate}-v",
    "{crate}-",
    "{crate}/v",
    "{crate}/",
    "{crate}@v",
    "{crate}@",
    "{crate}_v",
    "v/",
];

/// A candidate scheme and the newest release tag it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub prefix: String,
    pub newest: Release,
    /// How many release tags the scheme reads.
    pub count: usize,
}

/// Every usual scheme that reads at least one release tag, in [`PATTERNS`] order.
pub fn candidates(tags: &[String], crate_name: &str) -> Vec<Candidate> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for pattern in PATTERNS {
        let prefix = pattern.replace("{crate}", crate_name);
        if seen.contains(&prefix) {
            continue;
        }
        seen.push(prefix.clone());
        let count = releases(tags, &prefix).len();
        if let Some(newest) = latest_release(tags.iter().map(String::as_str), &prefix) {
            out.push(Candidate {
                prefix,
                newest,
                count,
            });
        }
    }
    out
}

/// The release tags of one scheme, newest first.
pub fn releases(tags: &[String], prefix: &str) -> Vec<Release> {
    let mut all: Vec<Release> = tags
        .iter()
        .filter_map(|t| latest_release([t.as_str()], prefix))
        .collect();
    all.sort_by(|a, b| b.version.cmp_precedence(&a.version));
    all
}

/// The prefix of a tag that ends in a release version (`tokio-1.53.1` → `tokio-`), if it does.
pub fn prefix_of(tag: &str) -> Option<&str> {
    let tag = tag.trim();
    // The version starts at a digit that follows a non-digit (or the start) and runs to the end.
    let bytes = tag.as_bytes();
    (0..bytes.len())
        .filter(|&i| bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit()))
        .find(|&i| latest_release([&tag[i..]], "").is_some())
        .map(|i| &tag[..i])
}

/// The prefixes the repository's tags actually use, with how many tags and the newest of each,
/// most used first: what to show when no scheme fits.
pub fn prefixes_seen(tags: &[String]) -> Vec<(String, usize, String)> {
    let mut by_prefix: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for tag in tags {
        if let Some(prefix) = prefix_of(tag) {
            by_prefix
                .entry(prefix.to_string())
                .or_default()
                .push(tag.trim().to_string());
        }
    }
    let mut out: Vec<(String, usize, String)> = by_prefix
        .into_iter()
        .filter_map(|(prefix, tags)| {
            let newest = latest_release(tags.iter().map(String::as_str), &prefix)?;
            Some((prefix, tags.len(), newest.tag))
        })
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Among the prefixes seen, the one most likely meant for `crate_name`: one that names the crate
/// (the longest such, so `regex-syntax-` beats `regex-` for regex-syntax), else the most used.
pub fn closest_prefix(seen: &[(String, usize, String)], crate_name: &str) -> Option<String> {
    let naming = seen
        .iter()
        .filter(|(p, _, _)| {
            let stem = p.trim_end_matches(['-', '_', '/', '@', 'v']);
            stem == crate_name
        })
        .max_by_key(|(p, n, _)| (*n, p.len()));
    naming.or_else(|| seen.first()).map(|(p, _, _)| p.clone())
}

/// How a scheme is written for a person: `tokio-X.Y.Z`.
pub fn shown(prefix: &str) -> String {
    format!("{prefix}X.Y.Z")
}

/// `--base-tag` that names no release: the tag meant when another scheme has that version
/// (`v0.23.43` for `v/0.23.43`), else which release tags exist near it.
pub fn not_a_release(tag: &str, tags: &[String]) -> String {
    let prefix = prefix_of(tag);
    // The same version under another prefix: the tag meant.
    if let Some(p) = prefix {
        let version = &tag.trim()[p.len()..];
        let mut meant: Vec<&str> = tags
            .iter()
            .map(|t| t.trim())
            .filter(|t| *t != tag && prefix_of(t).is_some_and(|q| &t[q.len()..] == version))
            .collect();
        meant.sort_by_key(|t| (t.len(), *t));
        if let Some(first) = meant.first() {
            let others = if meant.len() > 1 {
                format!(" (also {})", meant[1..].join(", "))
            } else {
                String::new()
            };
            return format!(
                "--base-tag {tag}: no such tag here; release {version} is tagged {first}{others}. \
                 Did you mean --base-tag {first}?"
            );
        }
    }
    let mut near: Vec<Release> = tags
        .iter()
        .filter_map(|t| {
            let p = prefix_of(t)?;
            if prefix.is_some_and(|want| want != p) {
                return None;
            }
            latest_release([t.as_str()], p)
        })
        .collect();
    near.sort_by(|a, b| b.version.cmp_precedence(&a.version));
    let listed: Vec<&str> = near.iter().take(8).map(|r| r.tag.as_str()).collect();
    let seen = prefixes_seen(tags);
    if listed.is_empty() && seen.is_empty() {
        format!(
            "--base-tag {tag}: not a release tag of this repository, and no tag here ends in a version X.Y.Z \
             (`git tag --list` shows them). Pass the tag of the release to patch."
        )
    } else if listed.is_empty() {
        let schemes: Vec<String> = seen
            .iter()
            .take(4)
            .map(|(p, n, newest)| format!("{} ({n}, newest {newest})", shown(p)))
            .collect();
        format!(
            "--base-tag {tag}: not a release tag of this repository. Release tags here: {}. \
             Pass one of them.",
            schemes.join(", ")
        )
    } else {
        format!(
            "--base-tag {tag}: not a release tag of this repository. Release tags{} here: {}. \
             Pass one of them.",
            prefix
                .map(|p| format!(" of the form {}", shown(p)))
                .unwrap_or_default(),
            listed.join(", ")
        )
    }
}

/// The newest release of `base`'s line (same major and minor) under `prefix`, when it is newer than
/// `base`: the release a hotfix of that line starts from.
pub fn newer_in_line(tags: &[String], prefix: &str, base: &Release) -> Option<Release> {
    releases(tags, prefix).into_iter().find(|r| {
        (r.version.major, r.version.minor) == (base.version.major, base.version.minor)
            && r.version.cmp_precedence(&base.version).is_gt()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn candidates_for_a_crate_fill_in_its_name() {
        let t = tags(&[
            "tokio-1.53.1",
            "tokio-1.52.0",
            "tokio-macros-2.5.0",
            "tokio-util-0.7.16",
            "v0.1.0",
        ]);
        let found = candidates(&t, "tokio");
        let prefixes: Vec<&str> = found.iter().map(|c| c.prefix.as_str()).collect();
        assert_eq!(prefixes, ["v", "tokio-"]);
        assert_eq!(found[1].newest.tag, "tokio-1.53.1");
        assert_eq!(found[1].count, 2);
        // `tokio-macros-2.5.0` is not a tokio release: `macros-2.5.0` is no version.
        let macros = candidates(&t, "tokio-macros");
        assert_eq!(macros.len(), 2);
        assert_eq!(macros[1].newest.tag, "tokio-macros-2.5.0");
    }

    #[test]
    fn bare_versions_and_crate_prefixed_tags_are_told_apart() {
        let t = tags(&[
            "1.13.1",
            "1.13.0",
            "regex-syntax-0.8.11",
            "regex-syntax-0.8.10",
        ]);
        let regex: Vec<String> = candidates(&t, "regex")
            .into_iter()
            .map(|c| c.newest.tag)
            .collect();
        assert_eq!(regex, ["1.13.1"]);
        let syntax: Vec<String> = candidates(&t, "regex-syntax")
            .into_iter()
            .map(|c| c.newest.tag)
            .collect();
        assert_eq!(syntax, ["1.13.1", "regex-syntax-0.8.11"]);
    }

    #[test]
    fn prefix_of_a_tag() {
        assert_eq!(prefix_of("tokio-1.53.1"), Some("tokio-"));
        assert_eq!(prefix_of("v1.0.228"), Some("v"));
        assert_eq!(prefix_of("1.13.1"), Some(""));
        assert_eq!(prefix_of("clap_complete-v4.6.9"), Some("clap_complete-v"));
        assert_eq!(prefix_of("regex-syntax-0.8.11"), Some("regex-syntax-"));
        assert_eq!(prefix_of("x264-1.2.3"), Some("x264-"));
        assert_eq!(prefix_of("release-2"), None);
        assert_eq!(prefix_of("v1.1.0-beta.1"), None);
    }

    #[test]
    fn the_closest_prefix_names_the_crate() {
        let t = tags(&[
            "tokio-1.53.1",
            "tokio-1.52.0",
            "tokio-util-0.7.16",
            "tokio-macros-2.5.0",
            "tokio-macros-2.4.0",
            "tokio-macros-2.3.0",
        ]);
        let seen = prefixes_seen(&t);
        assert_eq!(
            seen[0],
            ("tokio-macros-".into(), 3, "tokio-macros-2.5.0".into())
        );
        assert_eq!(closest_prefix(&seen, "tokio").as_deref(), Some("tokio-"));
        assert_eq!(
            closest_prefix(&seen, "tokio-util").as_deref(),
            Some("tokio-util-")
        );
        assert_eq!(
            closest_prefix(&seen, "mio").as_deref(),
            Some("tokio-macros-")
        );
        assert_eq!(closest_prefix(&[], "mio"), None);
    }

    #[test]
    fn a_base_tag_that_is_no_release_names_the_releases_near_it() {
        let t = tags(&[
            "tokio-1.53.1",
            "tokio-1.52.0",
            "tokio-macros-2.5.0",
            "v0.1.0",
        ]);
        let said = not_a_release("tokio-1.53.9", &t);
        assert!(
            said.contains("Release tags of the form tokio-X.Y.Z here: tokio-1.53.1, tokio-1.52.0."),
            "{said}"
        );
        let said = not_a_release("latest", &t);
        assert!(said.contains("tokio-macros-2.5.0"), "{said}");
        assert!(not_a_release("x", &[]).contains("no tag here ends in a version"));
    }

    #[test]
    fn a_base_tag_in_the_wrong_scheme_names_the_tag_meant() {
        // rustls tags `v/0.23.43`.
        let t = tags(&["v/0.23.43", "v/0.23.42", "rustls-post-quantum-v/0.2.2"]);
        assert_eq!(
            not_a_release("v0.23.43", &t),
            "--base-tag v0.23.43: no such tag here; release 0.23.43 is tagged v/0.23.43. \
             Did you mean --base-tag v/0.23.43?"
        );
        let said = not_a_release("v0.23.41", &t);
        assert!(
            said.contains("Release tags here: v/X.Y.Z (2, newest v/0.23.43)"),
            "{said}"
        );
    }

    #[test]
    fn the_newest_release_of_a_line() {
        let t = tags(&["v0.14.30", "v0.14.31", "v0.14.32", "v1.0.0"]);
        let base = latest_release(["v0.14.31"], "v").unwrap();
        assert_eq!(
            newer_in_line(&t, "v", &base).map(|r| r.tag).as_deref(),
            Some("v0.14.32")
        );
        let newest = latest_release(["v0.14.32"], "v").unwrap();
        assert_eq!(newer_in_line(&t, "v", &newest), None);
    }
}

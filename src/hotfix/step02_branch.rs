//! Part of step 2: the release line's maintenance branch, found by what it holds.
//!
//! Projects name these branches every way: tokio `tokio-1.51.x`, hyper `0.14.x`, rustls `rel-0.23`,
//! bitflags `release/1.x`, tracing `v0.1.x`, some a `backports/…` branch for several crates' older
//! lines. So the name is only a hint: a remote branch is the line's when its name mentions the line
//! (`0.23`, `v0.23`, `1.51.x`, `1.x`) or says it holds backports or a maintained line
//! (`backport`, `maint`, `stable`, `lts` in its first word: `backports/…`, not a person's
//! `noah/error-speed-backports`), and its history holds the base release (the line's newest,
//! step 2 checks that first) and, for a branch whose name does not mention the line, no release of
//! a newer line. One such branch is used and said; several are asked about (the first is the
//! default, and the non-interactive choice); none: one is made at step 9, named as the repository
//! names its existing maintenance branches (`1.11.x` beside `0.14.x`), else `release/X.Y` —
//! `release/<crate>-X.Y` where the crate's tags carry its name, so crates of one workspace on the
//! same line never share a branch. `maintenance-branch` (configured) wins over all of this.

use anyhow::Result;
use semver::Version;

use crate::flow::Ctx;
use crate::logic::tag_scheme;
use crate::logic::version::Release;
use crate::record::Hotfix;

/// The usual names of a line's maintenance branch, tried first; `{crate}` is the crate's name.
const USUAL: [&str; 12] = [
    "release/{major}.{minor}",
    "{major}.{minor}.x",
    "v{major}.{minor}.x",
    "{crate}-{major}.{minor}.x",
    "{crate}-v{major}.{minor}.x",
    "{crate}/{major}.{minor}.x",
    "release/{crate}-{major}.{minor}",
    "release-{major}.{minor}",
    "rel-{major}.{minor}",
    "v{major}.{minor}",
    "{major}.{minor}",
    "release/{major}.x",
];

/// Words of branch names that hold older lines.
const MAINTENANCE_WORDS: [&str; 4] = ["backport", "maint", "stable", "lts"];

/// The line's branch: its name, and whether it exists on the remote.
pub fn find(
    ctx: &mut Ctx<Hotfix>,
    remote: &str,
    crate_name: &str,
    prefix: &str,
    base: &Release,
    trunk: &str,
) -> Result<(String, bool)> {
    let v = &base.version;
    if let Some(template) = ctx.settings.maintenance_branch.clone() {
        let name = fill(&template, crate_name, v);
        let refs = vec![format!("refs/heads/{name}")];
        let exists = !ctx.git().remote_refs(remote, &refs)?.is_empty();
        return Ok((name, exists));
    }
    let heads = ctx.git().remote_heads(remote)?;
    let usual: Vec<String> = USUAL.iter().map(|t| fill(t, crate_name, v)).collect();
    let newer = newer_line_release(ctx, prefix, v)?;
    let mut found: Vec<(String, &'static str)> = Vec::new();
    for (name, sha) in &heads {
        if name == trunk || name.starts_with("hotfix/") {
            continue;
        }
        let named = usual.contains(name) || mentions_line(name, v);
        // `backports/…`, `stable-…`: the branch's first word, not a person's `noah/…-backports`.
        let first = name
            .split('/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let worded = MAINTENANCE_WORDS.iter().any(|w| first.contains(w));
        if !named && !worded {
            continue;
        }
        let Some(rev) = local_rev(ctx, remote, name, sha)? else {
            continue;
        };
        if !ctx.git().is_ancestor(&base.tag, &rev)? {
            continue;
        }
        if !named {
            // A `backports/…` branch holds this line only if no newer line was released from it.
            if let Some(newer) = &newer {
                if ctx.git().is_ancestor(newer, &rev)? {
                    continue;
                }
            }
        }
        let why = if named {
            "its name mentions the line"
        } else {
            "its name says it holds older lines"
        };
        found.push((name.clone(), why));
    }
    // The usual names first, then those naming the crate, then by name.
    let rank = |n: &str| {
        (
            !usual.iter().any(|u| u == n),
            !n.contains(crate_name),
            n.to_string(),
        )
    };
    found.sort_by_key(|(n, _)| rank(n));
    let line = format!("{}.{}", v.major, v.minor);
    match found.len() {
        0 => Ok((new_name(&heads, crate_name, prefix, v), false)),
        1 => {
            let (name, why) = &found[0];
            ctx.ui.info(format!(
                "Maintenance branch of the {line} line: {name} on {remote} ({why} and it holds {})",
                base.tag
            ));
            Ok((name.clone(), true))
        }
        _ => {
            let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
            ctx.ui.warn(format!(
                "Several branches on {remote} hold {} and may be the {line} line's: {}. Set \
                 `maintenance-branch` to choose for good.",
                base.tag,
                names.join(", ")
            ));
            let i =
                ctx.prompter
                    .select("Which branch is the line's maintenance branch?", &names, 0)?;
            Ok((found[i].0.clone(), true))
        }
    }
}

/// `tokio-{major}.{minor}.x` → `tokio-1.51.x`.
pub fn fill(template: &str, crate_name: &str, v: &Version) -> String {
    template
        .replace("{crate}", crate_name)
        .replace("{major}", &v.major.to_string())
        .replace("{minor}", &v.minor.to_string())
}

/// The name of a branch to make: the repository's own pattern for maintenance branches (the usual
/// name its existing branches follow most), else `release/X.Y`, or `release/<crate>-X.Y` when the
/// crate's tags carry its name.
fn new_name(heads: &[(String, String)], crate_name: &str, prefix: &str, v: &Version) -> String {
    let own_tags = prefix.contains(crate_name);
    let mut best: Option<(usize, &str)> = None;
    for template in USUAL {
        // With tags of their own, a crate follows only patterns that name it.
        if own_tags != template.contains("{crate}") {
            continue;
        }
        let t = template.replace("{crate}", crate_name);
        let n = heads.iter().filter(|(h, _)| matches(&t, h)).count();
        if n > 0 && best.is_none_or(|(m, _)| n > m) {
            best = Some((n, template));
        }
    }
    let template = match best {
        // `release/{major}.x` holds a whole major line: a new minor line gets its own.
        Some((_, "release/{major}.x")) | None if own_tags => "release/{crate}-{major}.{minor}",
        Some((_, "release/{major}.x")) | None => "release/{major}.{minor}",
        Some((_, t)) => t,
    };
    fill(template, crate_name, v)
}

/// Whether `name` follows `template` (`{major}`/`{minor}` standing for numbers).
fn matches(template: &str, name: &str) -> bool {
    let Some(open) = template.find('{') else {
        return template == name;
    };
    let Some(rest) = name.strip_prefix(&template[..open]) else {
        return false;
    };
    let Some(close) = template[open..].find('}') else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches(&template[open + close + 1..], &rest[digits..])
}

/// Whether a branch name mentions the line `X.Y` (`rel-0.23`, `v0.23`, `1.51.x`, `tokio-1.51.x`),
/// or `X.x` for a line of a major version above 0 (`release/1.x`).
pub fn mentions_line(name: &str, v: &Version) -> bool {
    let line = format!("{}.{}", v.major, v.minor);
    let major = format!("{}.x", v.major);
    let bytes = name.as_bytes();
    let at = |needle: &str, accept_dot: bool| {
        name.match_indices(needle).any(|(i, _)| {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + needle.len()).copied();
            !before.is_some_and(|b| b.is_ascii_digit() || b == b'.')
                && !after.is_some_and(|a| a.is_ascii_digit() || (a == b'.' && !accept_dot))
        })
    };
    at(&line, true) || (v.major > 0 && at(&major, false))
}

/// The oldest release of the crate on a newer line than `v`'s (its tag), if any.
fn newer_line_release(ctx: &mut Ctx<Hotfix>, prefix: &str, v: &Version) -> Result<Option<String>> {
    let tags = ctx.git().tags()?;
    let mut newer: Vec<Release> = tag_scheme::releases(&tags, prefix)
        .into_iter()
        .filter(|r| (r.version.major, r.version.minor) > (v.major, v.minor))
        .collect();
    newer.sort_by(|a, b| a.version.cmp_precedence(&b.version));
    Ok(newer.first().map(|r| r.tag.clone()))
}

/// A commit of the remote branch that is here: its sha when present, else its tracking ref, else
/// fetched.
fn local_rev(ctx: &mut Ctx<Hotfix>, remote: &str, name: &str, sha: &str) -> Result<Option<String>> {
    if ctx.git().has_commit(sha)? {
        return Ok(Some(sha.to_string()));
    }
    let refspec = format!("refs/heads/{name}");
    ctx.git()
        .fetch("read a maintenance branch of the remote", remote, &refspec)?;
    Ok(ctx.git().has_commit(sha)?.then(|| sha.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn branch_names_that_mention_the_line() {
        let line = v("0.23.43");
        for name in [
            "rel-0.23",
            "v0.23",
            "0.23.x",
            "release/0.23",
            "rustls-0.23.x",
        ] {
            assert!(mentions_line(name, &line), "{name}");
        }
        for name in ["rel-0.230", "10.23.x", "0.2", "main", "v1.0.23"] {
            assert!(!mentions_line(name, &line), "{name}");
        }
        assert!(mentions_line("release/1.x", &v("1.3.2")));
        assert!(mentions_line("tokio-1.51.x", &v("1.51.2")));
        assert!(!mentions_line("release/0.x", &v("0.3.2")));
        assert!(!mentions_line("release/11.x", &v("1.3.2")));
    }

    #[test]
    fn a_new_branch_follows_the_repositorys_own_names() {
        let heads = |names: &[&str]| -> Vec<(String, String)> {
            names
                .iter()
                .map(|n| (n.to_string(), String::new()))
                .collect()
        };
        // hyper: `0.14.x` and its elders.
        assert_eq!(
            new_name(
                &heads(&["master", "0.13.x", "0.14.x"]),
                "hyper",
                "v",
                &v("1.11.0")
            ),
            "1.11.x"
        );
        assert_eq!(
            new_name(&heads(&["main"]), "serde", "v", &v("1.0.228")),
            "release/1.0"
        );
        // clap_complete's tags carry its name: so does its branch.
        assert_eq!(
            new_name(
                &heads(&["master", "v3-master"]),
                "clap_complete",
                "clap_complete-v",
                &v("4.6.9")
            ),
            "release/clap_complete-4.6"
        );
        assert_eq!(
            new_name(
                &heads(&["tokio-1.51.x", "tokio-1.47.x"]),
                "tokio",
                "tokio-",
                &v("1.53.1")
            ),
            "tokio-1.53.x"
        );
        // bitflags's `release/1.x` holds the whole 1 line; a 2.13 line gets its own.
        assert_eq!(
            new_name(
                &heads(&["main", "release/1.x"]),
                "bitflags",
                "",
                &v("2.13.1")
            ),
            "release/2.13"
        );
        assert!(matches("{major}.{minor}.x", "0.14.x"));
        assert!(!matches("{major}.{minor}.x", "0.14.y"));
        assert!(!matches("v{major}.{minor}", "v0.1.x"));
    }
}

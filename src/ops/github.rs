//! Which repository on GitHub a hotfix acts on: derived once from the chosen remote's configured URL
//! (before any `insteadOf`) or the `repository` setting, and how gh is told (`--repo`, `GH_REPO`,
//! `--hostname`). gh itself is never left to pick among the remotes.

use std::path::Path;

use anyhow::{bail, Result};

use crate::record::GitHub;
use crate::runner::{Cmd, Runner};

/// A remote URL's GitHub host and `OWNER/NAME`: `https://HOST/O/R(.git)`, `http://…`, `git@HOST:O/R.git`,
/// `ssh://git@HOST[:PORT]/O/R.git`, `git://HOST/O/R`. `None` for anything else (a path, a bundle).
pub fn parse_remote_url(url: &str) -> Option<(String, String)> {
    let url = url.trim();
    let (host, path) = if let Some((scheme, rest)) = url.split_once("://") {
        if !matches!(
            scheme,
            "https" | "http" | "ssh" | "git" | "git+ssh" | "ssh+git"
        ) {
            return None;
        }
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next()?;
        let host = host.split(':').next()?;
        (host.to_string(), path.to_string())
    } else {
        // scp-like: [user@]host:owner/name(.git) — but not a Windows drive or a local path.
        let (left, path) = url.split_once(':')?;
        if left.contains('/') || left.len() < 2 {
            return None;
        }
        let host = left.rsplit('@').next()?;
        (host.to_string(), path.trim_start_matches('/').to_string())
    };
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let mut parts = path.split('/');
    let (owner, name) = (parts.next()?, parts.next()?);
    if parts.next().is_some() || owner.is_empty() || name.is_empty() || host.is_empty() {
        return None;
    }
    Some((host.to_ascii_lowercase(), format!("{owner}/{name}")))
}

/// The `repository` setting: `OWNER/NAME` (github.com) or `HOST/OWNER/NAME`.
pub fn parse_repository_setting(value: &str) -> Option<(String, String)> {
    let v = value.trim().trim_end_matches('/');
    let v = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))
        .unwrap_or(v);
    let parts: Vec<&str> = v.split('/').collect();
    match parts.as_slice() {
        [o, n] if !o.is_empty() && !n.is_empty() => Some((
            "github.com".into(),
            format!("{o}/{}", n.trim_end_matches(".git")),
        )),
        [h, o, n] if !h.is_empty() && !o.is_empty() && !n.is_empty() => Some((
            h.to_ascii_lowercase(),
            format!("{o}/{}", n.trim_end_matches(".git")),
        )),
        _ => None,
    }
}

/// The record's view of a repository on `host`: `OWNER/NAME` and its web URL (plain http only for
/// the `*.localhost` hosts gh itself speaks http to).
pub fn github_at(host: &str, slug: &str) -> GitHub {
    let scheme = if host.ends_with("localhost") {
        "http"
    } else {
        "https"
    };
    GitHub {
        repo: slug.to_string(),
        url: format!("{scheme}://{host}/{slug}"),
    }
}

/// The host of a recorded repository (from its URL).
pub fn host_of(github: &GitHub) -> String {
    github
        .url
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(&github.url)
        .split('/')
        .next()
        .unwrap_or("github.com")
        .to_ascii_lowercase()
}

/// gh's `--repo` value for a recorded repository.
pub fn repo_arg(github: &GitHub) -> String {
    let host = host_of(github);
    if host == "github.com" {
        github.repo.clone()
    } else {
        format!("{host}/{}", github.repo)
    }
}

/// The GitHub repository of `remote`: from the `repository` setting if given, else from the
/// remote's configured URL (`git config remote.NAME.url`, before any `insteadOf`). `None` when
/// the URL names no GitHub-like repository (a local path).
pub fn derive(
    runner: &mut Runner,
    dir: &Path,
    remote: &str,
    setting: Option<&str>,
) -> Result<Option<GitHub>> {
    if let Some(value) = setting {
        let Some((host, slug)) = parse_repository_setting(value) else {
            bail!(
                "repository = \"{value}\" in [package.metadata.hotfix]: expected \"OWNER/NAME\" or \"HOST/OWNER/NAME\""
            );
        };
        return Ok(Some(github_at(&host, &slug)));
    }
    let out = runner.probe(&Cmd::new("git", "read the remote's URL").cwd(dir).args([
        "config",
        "--get",
        &format!("remote.{remote}.url"),
    ]))?;
    if !out.success() {
        bail!("there is no remote `{remote}` (git config remote.{remote}.url is not set)");
    }
    Ok(parse_remote_url(out.stdout.trim()).map(|(host, slug)| github_at(&host, &slug)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_urls_of_every_form() {
        let want = |h: &str, s: &str| Some((h.to_string(), s.to_string()));
        for (url, expected) in [
            (
                "https://github.com/acme/widget.git",
                want("github.com", "acme/widget"),
            ),
            (
                "https://github.com/acme/widget",
                want("github.com", "acme/widget"),
            ),
            (
                "https://user@github.com/acme/widget/",
                want("github.com", "acme/widget"),
            ),
            (
                "git@github.com:acme/widget.git",
                want("github.com", "acme/widget"),
            ),
            (
                "ssh://git@github.com/acme/widget.git",
                want("github.com", "acme/widget"),
            ),
            (
                "ssh://git@ghe.corp.example:2222/team/tool.git",
                want("ghe.corp.example", "team/tool"),
            ),
            (
                "git@GHE.corp.example:team/tool",
                want("ghe.corp.example", "team/tool"),
            ),
            (
                "http://github.localhost/acme/widget.git",
                want("github.localhost", "acme/widget"),
            ),
            ("../origin.git", None),
            ("/srv/git/origin.git", None),
            ("file:///srv/git/origin.git", None),
            ("https://github.com/acme", None),
        ] {
            assert_eq!(parse_remote_url(url), expected, "{url}");
        }
    }

    #[test]
    fn the_repository_setting_and_the_repo_flag() {
        let (h, s) = parse_repository_setting("acme/widget").unwrap();
        let g = github_at(&h, &s);
        assert_eq!(repo_arg(&g), "acme/widget");
        assert_eq!(g.url, "https://github.com/acme/widget");
        let (h, s) = parse_repository_setting("ghe.corp.example/team/tool").unwrap();
        let g = github_at(&h, &s);
        assert_eq!(repo_arg(&g), "ghe.corp.example/team/tool");
        assert_eq!(host_of(&g), "ghe.corp.example");
        assert!(parse_repository_setting("widget").is_none());
    }
}

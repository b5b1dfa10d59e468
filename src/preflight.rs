//! Preflight: every reason the hotfix cannot start, found at once, before anything changes.
//!
//! Checks accumulate instead of stopping at the first failure, so one run shows every problem, each
//! on its own line with what to do about it.

use std::path::Path;

use crate::logic::manifest;
use crate::ops::{gh, git::Git};
use crate::runner::{Cmd, Runner};

/// The oldest gh whose flags caro-hotfix uses (`gh pr checks --watch`, `gh pr merge
/// --match-head-commit`, `gh run watch --exit-status`, `gh api --input`): the version the tests'
/// stand-in models.
pub const MIN_GH: (u64, u64) = (2, 23);

/// The programs the sixteen steps need, and how to get each.
const TOOLS: [(&str, &str); 4] = [
    ("git", "install git (https://git-scm.com/downloads)"),
    ("cargo", "install Rust with rustup (https://rustup.rs)"),
    (
        "gh",
        "install the GitHub CLI (https://cli.github.com) and run `gh auth login`",
    ),
    ("curl", "install curl with your system's package manager"),
];

/// Everything wrong with starting a hotfix in `dir`; empty means go. Files named in `tolerated` (at
/// any depth) may be modified: a resumed hotfix rightly leaves some uncommitted between steps.
/// `host` is the GitHub host of the repository the hotfix acts on (derived from the remote's URL or
/// the `repository` setting), which gh must be logged in to; `None` when the remote names none.
pub fn check(
    runner: &mut Runner,
    dir: &Path,
    remote: &str,
    host: Option<&str>,
    tolerated: &[&str],
) -> Vec<String> {
    let mut problems = Vec::new();

    for (tool, how) in TOOLS {
        if !runner.is_offline(tool) && runner.which(tool).is_none() {
            problems.push(format!("`{tool}` was not found on PATH: {how}."));
        }
    }
    let have_git = runner.which("git").is_some();
    if !runner.is_offline("gh") && runner.which("gh").is_some() {
        match gh::auth_status(runner, dir, host) {
            Ok(out) if out.success() => {}
            Ok(_) | Err(_) => problems.push(match host {
                Some(host) => format!(
                    "gh is not logged in to {host} (`gh auth status --hostname {host}` failed): run \
                     `gh auth login --hostname {host}`."
                ),
                None => {
                    "gh is not logged in to GitHub (`gh auth status` failed): run `gh auth login`."
                        .into()
                }
            }),
        }
        if let Some(old) = old_gh(runner, dir) {
            problems.push(format!(
                "gh {old} is too old: caro-hotfix needs gh {}.{} or later (for `gh pr checks --watch` and \
                 `gh pr merge --match-head-commit`). Upgrade it: https://cli.github.com",
                MIN_GH.0, MIN_GH.1
            ));
        }
    }

    if have_git && !Git::new(runner, dir).is_work_tree() {
        problems.push(if git_says(runner, dir, "--is-bare-repository") {
            format!(
                "{} is a bare repository (it has no work tree to edit): clone it \
                 (`git clone {} <dir>`) and run caro-hotfix in the clone.",
                dir.display(),
                dir.display()
            )
        } else {
            format!(
                "{} is not inside a git work tree: run caro-hotfix from your crate's repository, or pass -C PATH.",
                dir.display()
            )
        });
        return problems;
    }
    if have_git {
        check_repository(runner, dir, remote, tolerated, &mut problems);
    }
    problems
}

/// What to know before starting when the repository is private: GitHub creates no repository
/// security advisories in private repositories (since May 2024; issue 25), so the GitHub advisory of
/// steps 4 and 13 cannot be made; the fix, the release and the RustSec advisory draft still can.
/// `None` when public, unknown, or gh is offline.
pub fn private_repository(
    runner: &mut Runner,
    dir: &Path,
    remote: &str,
    setting: Option<&str>,
) -> Option<String> {
    if runner.is_offline("gh") {
        return None;
    }
    let github = gh::derive(runner, dir, remote, setting).ok().flatten()?;
    if gh::is_private(runner, dir, &gh::repo_arg(&github)) != Some(true) {
        return None;
    }
    Some(format!(
        "{} is a private repository: GitHub creates no repository security advisories in private \
         repositories, so the GitHub advisory (steps 4 and 13) cannot be made there. What still works: \
         the fix, its PR and release, the publish, and the RustSec advisory draft (step 13, for a \
         PR to rustsec/advisory-db, which `cargo audit` reads). To have a GitHub advisory, make the \
         repository public first.",
        github.repo
    ))
}

fn check_repository(
    runner: &mut Runner,
    dir: &Path,
    remote: &str,
    tolerated: &[&str],
    problems: &mut Vec<String>,
) {
    let mut git = Git::new(runner, dir);
    let top = match git.toplevel() {
        Ok(top) => top,
        Err(e) => {
            problems.push(format!("{e:#}"));
            return;
        }
    };
    if git_says(runner, &top, "--is-shallow-repository") {
        problems.push(format!(
            "this is a shallow clone: the base release is chosen from every tag, and the hotfix branch \
             starts at one, so the history must be complete. Run `git fetch --unshallow --tags {remote}`, \
             then run caro-hotfix again."
        ));
    }
    // Commits on a detached HEAD would be left behind when the hotfix branch is checked out. A
    // rehearsal works in a clone and never moves this HEAD.
    if !runner.is_dry_run() {
        let head = runner.probe(&Cmd::new("git", "read the current branch").cwd(&top).args([
            "symbolic-ref",
            "--quiet",
            "HEAD",
        ]));
        if head.is_ok_and(|o| !o.success()) {
            let at = Git::new(runner, &top)
                .head()
                .map(|sha| format!(" at {}", &sha[..sha.len().min(12)]))
                .unwrap_or_default();
            problems.push(format!(
                "HEAD is detached{at}: caro-hotfix switches to the hotfix branch, which would leave \
                 commits made on a detached HEAD behind. Keep them on a branch (`git switch -c <name>`) \
                 or switch to one (`git switch main`), then run caro-hotfix again."
            ));
        }
    }
    let mut git = Git::new(runner, &top);

    match git.status() {
        Ok(lines) => {
            let lines: Vec<String> = lines
                .into_iter()
                .filter(|l| {
                    !l.get(3..).is_some_and(|p| {
                        tolerated
                            .iter()
                            .any(|t| p == *t || p.ends_with(&format!("/{t}")))
                    })
                })
                .collect();
            let staged: Vec<&str> = lines
                .iter()
                .filter(|l| !l.starts_with("??") && !l.starts_with(' '))
                .filter_map(|l| l.get(3..))
                .collect();
            let unstaged: Vec<&str> = lines
                .iter()
                .filter(|l| {
                    l.as_bytes()
                        .get(1)
                        .is_some_and(|b| *b != b' ' && *b != b'?')
                })
                .filter_map(|l| l.get(3..))
                .collect();
            let untracked: Vec<&str> = lines
                .iter()
                .filter(|l| l.starts_with("??"))
                .filter_map(|l| l.get(3..))
                .collect();
            if !staged.is_empty() {
                problems.push(format!(
                    "staged changes: {}. Commit them or `git stash` them first — caro-hotfix never discards work.",
                    list(&staged)
                ));
            }
            if !unstaged.is_empty() {
                problems.push(format!(
                    "uncommitted changes: {}. Commit them or `git stash` them first — caro-hotfix never discards work.",
                    list(&unstaged)
                ));
            }
            if !untracked.is_empty() {
                problems.push(format!(
                    "untracked files: {}. Commit, remove or ignore them (or `git stash -u`) first.",
                    list(&untracked)
                ));
            }
        }
        Err(e) => problems.push(format!("{e:#}")),
    }

    if let Ok(git_dir) = git.git_dir() {
        let in_progress = [
            (
                "MERGE_HEAD",
                "a merge",
                "git merge --continue` or `git merge --abort",
            ),
            (
                "rebase-merge",
                "a rebase",
                "git rebase --continue` or `git rebase --abort",
            ),
            (
                "rebase-apply",
                "a rebase or `git am`",
                "git rebase --abort` or `git am --abort",
            ),
            (
                "CHERRY_PICK_HEAD",
                "a cherry-pick",
                "git cherry-pick --continue` or `git cherry-pick --abort",
            ),
            (
                "REVERT_HEAD",
                "a revert",
                "git revert --continue` or `git revert --abort",
            ),
            ("BISECT_LOG", "a bisect", "git bisect reset"),
        ];
        for (marker, what, how) in in_progress {
            if git_dir.join(marker).exists() {
                problems.push(format!("{what} is in progress: finish it first (`{how}`)."));
            }
        }
    }

    match git.remotes() {
        Ok(remotes) if remotes.iter().any(|r| r == remote) => {
            problems.extend(check_remote_tags(runner, &top, remote));
        }
        Ok(remotes) => problems.push(if remotes.is_empty() {
            format!("unknown remote `{remote}`: this repository has no remotes; add one (`git remote add origin <url>`).")
        } else {
            format!(
                "unknown remote `{remote}` (remotes here: {}): pass --remote NAME.",
                remotes.join(", ")
            )
        }),
        Err(e) => problems.push(format!("{e:#}")),
    }

    let manifest_path = top.join("Cargo.toml");
    match std::fs::read_to_string(&manifest_path) {
        Err(_) => problems.push(
            "no Cargo.toml at the top of the repository: caro-hotfix releases a Rust crate; run it in the crate's repository.".into(),
        ),
        Ok(text) => match text.parse::<toml_edit::DocumentMut>() {
            Err(e) => problems.push(format!(
                "{} is not valid TOML; fix it (cargo reports the same), then run caro-hotfix again:\n{}",
                manifest_path.display(),
                e.to_string().trim_end()
            )),
            Ok(doc) => {
                if let Err(e) = manifest::package_info(&text) {
                    // A virtual workspace is fine when --package picks a member; that is checked
                    // later.
                    let virtual_workspace =
                        doc.contains_key("workspace") && !doc.contains_key("package");
                    if !virtual_workspace {
                        problems.push(format!(
                            "{}: no readable package version: {e:#}",
                            manifest_path.display()
                        ));
                    }
                }
            }
        },
    }
}

/// Whether `git rev-parse <flag>` answers `true` in `dir`.
fn git_says(runner: &mut Runner, dir: &Path, flag: &str) -> bool {
    runner
        .probe(
            &Cmd::new("git", "inspect the repository")
                .cwd(dir)
                .args(["rev-parse", flag]),
        )
        .is_ok_and(|o| o.success() && o.stdout.trim() == "true")
}

/// The remote must answer (a wrong URL, no network or no access is said before anything changes,
/// rather than at step 2), and its release tags must agree with the local ones: `git fetch --tags`
/// refuses to replace a local tag that differs, and caro-hotfix never moves or deletes a tag.
fn check_remote_tags(runner: &mut Runner, dir: &Path, remote: &str) -> Vec<String> {
    let Ok(out) = runner.probe(
        &Cmd::new("git", "read the remote's tags")
            .cwd(dir)
            .env("GIT_TERMINAL_PROMPT", "0")
            .args(["ls-remote", "--quiet", "--tags", remote]),
    ) else {
        return Vec::new();
    };
    if !out.success() {
        let url = Git::new(runner, dir)
            .remote_url(remote)
            .ok()
            .flatten()
            .unwrap_or_default();
        let why = out
            .stderr
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("no answer")
            .to_string();
        return vec![format!(
            "remote `{remote}` ({url}) cannot be reached: {why}. Check its URL (`git remote -v`), the \
             network and your access, then run caro-hotfix again."
        )];
    }
    let Ok(local) = runner.probe(&Cmd::new("git", "list the local tags").cwd(dir).args([
        "for-each-ref",
        "--format=%(refname) %(objectname)",
        "refs/tags",
    ])) else {
        return Vec::new();
    };
    let differing = differing_tags(&local.stdout, &out.stdout);
    if differing.is_empty() {
        return Vec::new();
    }
    let first = &differing[0];
    vec![format!(
        "local tag{} {} differ{} from {remote}'s: `git fetch --tags` will not replace a tag, and \
         caro-hotfix never moves or deletes one. Compare them (`git show {first}`, \
         `git ls-remote {remote} refs/tags/{first}`); if {remote}'s is right, rename yours \
         (`git tag {first}-local {first}` then `git tag -d {first}`), then run caro-hotfix again.",
        if differing.len() == 1 { "" } else { "s" },
        list(&differing.iter().map(String::as_str).collect::<Vec<_>>()),
        if differing.len() == 1 { "s" } else { "" },
    )]
}

/// Tags that exist both here and on the remote with different objects. `local` is
/// `for-each-ref --format='%(refname) %(objectname)'` output, `remote` is `ls-remote --tags` output.
fn differing_tags(local: &str, remote: &str) -> Vec<String> {
    let theirs: std::collections::HashMap<&str, &str> = remote
        .lines()
        .filter_map(|l| {
            let (sha, name) = l.split_once(char::is_whitespace)?;
            let name = name.trim();
            (!name.ends_with("^{}")).then_some((name, sha.trim()))
        })
        .collect();
    let mut out: Vec<String> = local
        .lines()
        .filter_map(|l| {
            let (name, sha) = l.trim().split_once(' ')?;
            let other = theirs.get(name)?;
            (*other != sha.trim())
                .then(|| name.strip_prefix("refs/tags/").unwrap_or(name).to_string())
        })
        .collect();
    out.sort();
    out
}

/// The installed gh's version when it is older than [`MIN_GH`]; `None` when it is recent enough or
/// does not say (an unreadable answer is not a reason to stop).
fn old_gh(runner: &mut Runner, dir: &Path) -> Option<String> {
    let out = runner
        .probe(
            &Cmd::new("gh", "read gh's version")
                .cwd(dir)
                .arg("--version"),
        )
        .ok()?;
    if !out.success() {
        return None;
    }
    let version = gh_version(&out.stdout)?;
    is_older_than_min(&version).then_some(version)
}

/// Whether a gh version (`2.20.2`) is older than [`MIN_GH`]; unreadable versions are not.
fn is_older_than_min(version: &str) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(major), Some(minor)) => (major, minor) < MIN_GH,
        _ => false,
    }
}

/// `2.20.2` from `gh version 2.20.2 (2022-11-08)`.
fn gh_version(stdout: &str) -> Option<String> {
    let line = stdout.lines().find(|l| l.starts_with("gh version "))?;
    let word = line
        .strip_prefix("gh version ")?
        .split_whitespace()
        .next()?;
    Some(word.to_string())
}

/// A few paths, then how many more.
fn list(paths: &[&str]) -> String {
    const SHOWN: usize = 5;
    let mut s = paths
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > SHOWN {
        s.push_str(&format!(" and {} more", paths.len() - SHOWN));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_gh_version_output() {
        let out =
            "gh version 2.20.2 (2022-11-08)\nhttps://github.com/cli/cli/releases/tag/v2.20.2\n";
        assert_eq!(gh_version(out).as_deref(), Some("2.20.2"));
        assert_eq!(gh_version("something else\n"), None);
        assert_eq!(
            gh_version("gh version 2.40.0-pre\n").as_deref(),
            Some("2.40.0-pre")
        );
    }

    #[test]
    fn tags_that_differ_from_the_remote_are_found() {
        let local = "refs/tags/v1.0.0 aaa\nrefs/tags/v1.0.1 bbb\nrefs/tags/only-here ccc\n";
        let remote = "aaa\trefs/tags/v1.0.0\nfff\trefs/tags/v1.0.0^{}\nddd\trefs/tags/v1.0.1\neee\trefs/tags/only-there\n";
        assert_eq!(differing_tags(local, remote), ["v1.0.1"]);
        assert!(differing_tags(local, "").is_empty());
        assert!(differing_tags("", remote).is_empty());
    }

    #[test]
    fn versions_before_2_23_are_too_old() {
        for old in ["2.22.1", "2.0.0", "1.99.0", "0.1"] {
            assert!(is_older_than_min(old), "{old}");
        }
        for ok in ["2.23.0", "2.23", "2.100.0", "3.0.0", "garbage", "", "2"] {
            assert!(!is_older_than_min(ok), "{ok}");
        }
    }
}

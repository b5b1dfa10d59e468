//! Preflight: every reason the hotfix cannot start, found at once, before anything changes.
//!
//! Checks accumulate instead of stopping at the first failure, so one run shows every problem, each
//! on its own line with what to do about it.

use std::path::Path;

use crate::logic::manifest;
use crate::ops::{gh, git::Git};
use crate::runner::Runner;

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

/// Everything wrong with starting a hotfix in `dir`; empty means go. `tolerated` paths may be
/// modified (a resumed hotfix leaves SECURITY.md uncommitted between steps 4 and 6).
pub fn check(runner: &mut Runner, dir: &Path, remote: &str, tolerated: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();

    for (tool, how) in TOOLS {
        if !runner.is_offline(tool) && runner.which(tool).is_none() {
            problems.push(format!("`{tool}` was not found on PATH: {how}."));
        }
    }
    let have_git = runner.which("git").is_some();
    if !runner.is_offline("gh") && runner.which("gh").is_some() {
        match gh::auth_status(runner, dir) {
            Ok(out) if out.success() => {}
            Ok(_) | Err(_) => problems.push(
                "gh is not logged in to GitHub (`gh auth status` failed): run `gh auth login`."
                    .into(),
            ),
        }
    }

    if have_git && !Git::new(runner, dir).is_work_tree() {
        problems.push(format!(
            "{} is not inside a git work tree: run caro-hotfix from your crate's repository, or pass -C PATH.",
            dir.display()
        ));
        return problems;
    }
    if have_git {
        check_repository(runner, dir, remote, tolerated, &mut problems);
    }
    problems
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
    let mut git = Git::new(runner, &top);

    match git.status() {
        Ok(lines) => {
            let lines: Vec<String> = lines
                .into_iter()
                .filter(|l| !l.get(3..).is_some_and(|p| tolerated.contains(&p)))
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
        Ok(remotes) if remotes.iter().any(|r| r == remote) => {}
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
        Ok(text) => {
            if let Err(e) = manifest::package_info(&text) {
                // A virtual workspace is fine when --package picks a member; that is checked later.
                let virtual_workspace = text.contains("[workspace]") && !text.contains("[package]");
                if !virtual_workspace {
                    problems.push(format!("Cargo.toml: no readable package version: {e:#}"));
                }
            }
        }
    }
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

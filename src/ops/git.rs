//! git, as the steps need it: each method is one command with a purpose.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::runner::{Cmd, Effect, Output, Runner};

/// git in one repository directory.
pub struct Git<'a> {
    runner: &'a mut Runner,
    dir: &'a Path,
}

impl<'a> Git<'a> {
    pub fn new(runner: &'a mut Runner, dir: &'a Path) -> Self {
        Git { runner, dir }
    }

    fn cmd(&self, purpose: &str) -> Cmd {
        Cmd::new("git", purpose).cwd(self.dir)
    }

    fn query_line(&mut self, purpose: &str, args: &[&str]) -> Result<String> {
        let out = self.runner.query(&self.cmd(purpose).args(args))?;
        Ok(out.stdout.trim().to_string())
    }

    pub fn is_work_tree(&mut self) -> bool {
        self.runner
            .probe(
                &self
                    .cmd("check for a git work tree")
                    .args(["rev-parse", "--is-inside-work-tree"]),
            )
            .map(|o| o.success() && o.stdout.trim() == "true")
            .unwrap_or(false)
    }

    pub fn toplevel(&mut self) -> Result<PathBuf> {
        self.query_line(
            "find the top of the work tree",
            &["rev-parse", "--show-toplevel"],
        )
        .map(PathBuf::from)
    }

    /// The git directory of this work tree (absolute).
    pub fn git_dir(&mut self) -> Result<PathBuf> {
        self.query_line(
            "find the git directory",
            &["rev-parse", "--path-format=absolute", "--git-dir"],
        )
        .map(PathBuf::from)
    }

    /// The directory shared by all worktrees (absolute): where the hotfix record lives.
    pub fn common_dir(&mut self) -> Result<PathBuf> {
        self.query_line(
            "find the git common directory",
            &["rev-parse", "--path-format=absolute", "--git-common-dir"],
        )
        .map(PathBuf::from)
    }

    /// `git status --porcelain` lines, untracked files included.
    pub fn status(&mut self) -> Result<Vec<String>> {
        let out = self
            .runner
            .query(&self.cmd("read the work tree status").args([
                "status",
                "--porcelain=v1",
                "--untracked-files=all",
            ]))?;
        Ok(out.stdout.lines().map(str::to_string).collect())
    }

    pub fn remote_url(&mut self, remote: &str) -> Result<Option<String>> {
        let out = self.runner.probe(
            &self
                .cmd("read the remote's URL")
                .args(["remote", "get-url", remote]),
        )?;
        Ok(out.success().then(|| out.stdout.trim().to_string()))
    }

    pub fn remotes(&mut self) -> Result<Vec<String>> {
        let out = self
            .runner
            .query(&self.cmd("list the remotes").arg("remote"))?;
        Ok(out.stdout.lines().map(str::to_string).collect())
    }

    pub fn fetch_tags(&mut self, remote: &str) -> Result<()> {
        self.runner.run(
            &self
                .cmd("fetch the release tags")
                .args(["fetch", "--tags", remote]),
        )?;
        Ok(())
    }

    /// Every tag's name, unsorted. `git show-ref --tags` lists them about twice as fast as
    /// `git tag --list`, which sorts them (4.0 against 8.3 ms at 10 000 tags, docs/performance.md);
    /// it exits 1 when there is no tag at all.
    pub fn tags(&mut self) -> Result<Vec<String>> {
        let cmd = self.cmd("list the tags").args(["show-ref", "--tags"]);
        let out = self.runner.probe(&cmd)?;
        if out.code == 1 && out.stdout.trim().is_empty() {
            return Ok(Vec::new());
        }
        let out = crate::runner::checked(&cmd, out)?;
        Ok(out
            .stdout
            .lines()
            .filter_map(|line| line.split_once(' '))
            .filter_map(|(_, name)| name.strip_prefix("refs/tags/"))
            .map(str::to_string)
            .collect())
    }

    /// Which of `refs` (full names) exist on the remote.
    pub fn remote_refs(&mut self, remote: &str, refs: &[String]) -> Result<Vec<String>> {
        let out = self.runner.query(
            &self
                .cmd("look for the hotfix tag and branch on the remote")
                .args(["ls-remote", remote])
                .args(refs),
        )?;
        Ok(out
            .stdout
            .lines()
            .filter_map(|l| l.split_whitespace().nth(1))
            .map(str::to_string)
            .collect())
    }

    /// Every branch of the remote, with the commit it points at.
    pub fn remote_heads(&mut self, remote: &str) -> Result<Vec<(String, String)>> {
        let out = self
            .runner
            .query(&self.cmd("list the remote's branches").args([
                "ls-remote",
                "--heads",
                remote,
            ]))?;
        Ok(out
            .stdout
            .lines()
            .filter_map(|l| {
                let (sha, name) = l.split_once(char::is_whitespace)?;
                let name = name.trim().strip_prefix("refs/heads/")?;
                Some((name.to_string(), sha.to_string()))
            })
            .collect())
    }

    /// The remote's default branch (what its HEAD points at).
    pub fn remote_default_branch(&mut self, remote: &str) -> Result<Option<String>> {
        let out = self
            .runner
            .query(&self.cmd("find the remote's default branch").args([
                "ls-remote",
                "--symref",
                remote,
                "HEAD",
            ]))?;
        Ok(out.stdout.lines().find_map(|l| {
            l.strip_prefix("ref: refs/heads/")
                .and_then(|rest| rest.split_whitespace().next())
                .map(str::to_string)
        }))
    }

    pub fn branch_exists(&mut self, branch: &str) -> Result<bool> {
        let out = self
            .runner
            .probe(&self.cmd("look for a local branch").args([
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("refs/heads/{branch}"),
            ]))?;
        Ok(out.success())
    }

    /// The checked-out branch; `None` on a detached HEAD.
    pub fn current_branch(&mut self) -> Result<Option<String>> {
        let out = self
            .runner
            .probe(&self.cmd("read the current branch").args([
                "symbolic-ref",
                "--short",
                "-q",
                "HEAD",
            ]))?;
        Ok(out
            .success()
            .then(|| out.stdout.trim().to_string())
            .filter(|b| !b.is_empty()))
    }

    pub fn create_branch(&mut self, branch: &str, start: &str) -> Result<()> {
        self.runner.run(
            &self
                .cmd("create the hotfix branch")
                .effect(Effect::Local)
                .args(["checkout", "-b", branch, start]),
        )?;
        Ok(())
    }

    pub fn checkout(&mut self, branch: &str) -> Result<()> {
        self.runner.run(
            &self
                .cmd(&format!("switch to {branch}"))
                .effect(Effect::Local)
                .args(["checkout", branch]),
        )?;
        Ok(())
    }

    /// `git worktree add --detach PATH COMMIT`: a clean checkout of `commit`, sharing this
    /// repository's objects.
    pub fn worktree_add(&mut self, path: &Path, commit: &str) -> Result<()> {
        self.runner.query(
            &self
                .cmd("make a clean worktree of the tag")
                .effect(Effect::Local)
                .arg("worktree")
                .arg("add")
                .arg("--detach")
                .arg(path)
                .arg(commit),
        )?;
        Ok(())
    }

    /// Removes the worktree at `path`, which caro-hotfix made under `.git/caro-hotfix/` (its files
    /// are the tag's and cargo's build, nothing of the maintainer's), then `git worktree prune` to
    /// forget its registration.
    pub fn worktree_remove(&mut self, path: &Path) -> Result<()> {
        if path.exists() {
            std::fs::remove_dir_all(path)
                .with_context(|| format!("could not remove the worktree {}", path.display()))?;
        }
        self.runner.probe(
            &self
                .cmd("forget removed worktrees")
                .effect(Effect::Local)
                .args(["worktree", "prune"]),
        )?;
        Ok(())
    }

    /// The commit a revision names, if it names one.
    pub fn resolve_commit(&mut self, rev: &str) -> Result<Option<String>> {
        let out = self.runner.probe(&self.cmd("resolve a revision").args([
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &format!("{rev}^{{commit}}"),
        ]))?;
        Ok(out.success().then(|| out.stdout.trim().to_string()))
    }

    /// Commits in `range`, oldest first.
    pub fn commits(&mut self, range: &str) -> Result<Vec<String>> {
        let out = self
            .runner
            .query(
                &self
                    .cmd("list the hotfix commits")
                    .args(["rev-list", "--reverse", range]),
            )?;
        Ok(out.stdout.lines().map(str::to_string).collect())
    }

    pub fn log_oneline(&mut self, range: &str) -> Result<String> {
        let out = self
            .runner
            .query(&self.cmd("show the hotfix commits").args([
                "log",
                "--oneline",
                "--no-decorate",
                range,
            ]))?;
        Ok(out.stdout.trim_end().to_string())
    }

    /// The subject and body of a commit.
    pub fn message(&mut self, rev: &str) -> Result<String> {
        let out = self.runner.query(&self.cmd("read a commit message").args([
            "log",
            "-1",
            "--format=%B",
            rev,
        ]))?;
        Ok(out.stdout)
    }

    /// Cherry-picks one commit, recording where it came from; the output tells about conflicts.
    /// `git cherry-pick -x --allow-empty COMMIT`, for `purpose`; the caller reads the outcome.
    pub fn cherry_pick(&mut self, purpose: &str, commit: &str) -> Result<Output> {
        Ok(self
            .runner
            .run_unchecked(&self.cmd(purpose).effect(Effect::Local).args([
                "cherry-pick",
                "-x",
                "--allow-empty",
                commit,
            ]))?)
    }

    /// `git merge --no-edit REV` into what is checked out; the output is returned even on a conflict.
    pub fn merge(&mut self, purpose: &str, rev: &str) -> Result<Output> {
        Ok(self
            .runner
            .run_unchecked(&self.cmd(purpose).effect(Effect::Local).args([
                "merge",
                "--no-edit",
                rev,
            ]))?)
    }

    /// `git merge --abort`: a conflicted trial merge undone.
    pub fn merge_abort(&mut self) -> Result<()> {
        self.runner.run(
            &self
                .cmd("undo the trial merge")
                .effect(Effect::Local)
                .args(["merge", "--abort"]),
        )?;
        Ok(())
    }

    /// The paths a merge or cherry-pick left conflicted (relative to the repository).
    pub fn conflicted(&mut self) -> Result<Vec<String>> {
        Ok(self
            .status()?
            .into_iter()
            .filter(|l| {
                ["UU", "AA", "DU", "UD", "AU", "UA", "DD"]
                    .iter()
                    .any(|p| l.starts_with(p))
            })
            .filter_map(|l| l.get(3..).map(str::to_string))
            .collect())
    }

    pub fn add(&mut self, paths: &[PathBuf]) -> Result<()> {
        self.runner.run(
            &self
                .cmd("stage the edited files")
                .effect(Effect::Local)
                .args(["add", "--"])
                .args(paths.iter().map(|p| p.strip_prefix(self.dir).unwrap_or(p))),
        )?;
        Ok(())
    }

    /// `git format-patch -o DIR RANGE`: one mail-shaped patch per commit; returns the files written.
    pub fn format_patch(&mut self, range: &str, dir: &Path) -> Result<Vec<String>> {
        let out = self.runner.run(
            &self
                .cmd("write the fix as patches (the pre-notification kit)")
                .effect(Effect::Local)
                .args(["format-patch", "-o"])
                .arg(dir)
                .arg(range),
        )?;
        Ok(out
            .stdout
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect())
    }

    /// Commits what is staged; returns the new commit.
    pub fn commit(&mut self, purpose: &str, message: &str, allow_empty: bool) -> Result<String> {
        let mut cmd = self.cmd(purpose).effect(Effect::Local).arg("commit");
        if allow_empty {
            cmd = cmd.arg("--allow-empty");
        }
        self.runner.run(&cmd.args(["-m", message]))?;
        self.head()
    }

    pub fn head(&mut self) -> Result<String> {
        self.query_line("read HEAD", &["rev-parse", "HEAD"])
    }

    pub fn config(&mut self, key: &str) -> Result<Option<String>> {
        let out = self.runner.probe(
            &self
                .cmd("read git configuration")
                .args(["config", "--get", key]),
        )?;
        Ok(out
            .success()
            .then(|| out.stdout.trim().to_string())
            .filter(|v| !v.is_empty()))
    }

    pub fn set_config(&mut self, key: &str, value: &str) -> Result<()> {
        self.runner.query(
            &self
                .cmd("write git configuration")
                .effect(Effect::Local)
                .args(["config", key, value]),
        )?;
        Ok(())
    }

    pub fn is_tracked(&mut self, path: &Path) -> Result<bool> {
        let out = self.runner.probe(
            &self
                .cmd("check whether a file is tracked")
                .args(["ls-files", "--error-unmatch", "--"])
                .arg(path),
        )?;
        Ok(out.success())
    }

    /// Puts one file back as HEAD has it (`git checkout HEAD -- PATH`): only for caro-hotfix's own
    /// uncommitted edit, when the maintainer says so (`abort`).
    pub fn restore_file(&mut self, path: &str) -> Result<()> {
        self.runner.run(
            &self
                .cmd("restore the file as the last commit has it")
                .effect(Effect::Local)
                .args(["checkout", "HEAD", "--", path]),
        )?;
        Ok(())
    }

    /// Paths changed in the work tree or index relative to HEAD, repository-relative.
    pub fn changed_paths(&mut self) -> Result<Vec<String>> {
        Ok(self
            .status()?
            .iter()
            .filter_map(|l| l.get(3..))
            .map(|p| p.rsplit(" -> ").next().unwrap_or(p).to_string())
            .collect())
    }

    /// The sha a remote ref points at (for an annotated tag: the tag object), if it exists.
    pub fn remote_sha(&mut self, remote: &str, refname: &str) -> Result<Option<String>> {
        let out = self
            .runner
            .query(
                &self
                    .cmd("read a ref on the remote")
                    .args(["ls-remote", remote, refname]),
            )?;
        Ok(out
            .stdout
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(refname))
            .and_then(|l| l.split_whitespace().next())
            .map(str::to_string))
    }

    /// The commit a tag on the remote points at (peeled), if the tag exists there.
    pub fn remote_tag_commit(&mut self, remote: &str, tag: &str) -> Result<Option<String>> {
        let refname = format!("refs/tags/{tag}");
        // With a pattern, ls-remote lists the peeled line of an annotated tag only when asked.
        let peeled = format!("{refname}^{{}}");
        let out = self
            .runner
            .query(&self.cmd("look for the tag on the remote").args([
                "ls-remote",
                "--tags",
                remote,
                &refname,
                &peeled,
            ]))?;
        let mut plain = None;
        for line in out.stdout.lines() {
            let mut parts = line.split_whitespace();
            let (Some(sha), Some(name)) = (parts.next(), parts.next()) else {
                continue;
            };
            if name == format!("{refname}^{{}}") {
                return Ok(Some(sha.to_string()));
            }
            if name == refname {
                plain = Some(sha.to_string());
            }
        }
        Ok(plain)
    }

    /// The refs under `prefix` (`refs/remotes/origin/`) whose history holds `commit`.
    pub fn refs_containing(&mut self, commit: &str, prefix: &str) -> Result<Vec<String>> {
        let out = self
            .runner
            .probe(&self.cmd("find the refs holding a commit").args([
                "for-each-ref",
                "--format=%(refname:short)",
                "--contains",
                commit,
                prefix,
            ]))?;
        Ok(out
            .stdout
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.ends_with("/HEAD"))
            .map(str::to_string)
            .collect())
    }

    /// `git push [-u] <remote> <refspec>` — never forced. The hotfix's pushes go through
    /// `Ctx::push_public` (the embargo's leak guard), never straight here.
    pub fn push(
        &mut self,
        purpose: &str,
        remote: &str,
        refspec: &str,
        set_upstream: bool,
    ) -> Result<()> {
        let mut cmd = self.cmd(purpose).effect(Effect::Remote).arg("push");
        if set_upstream {
            cmd = cmd.arg("-u");
        }
        self.runner.run(&cmd.args([remote, refspec]))?;
        Ok(())
    }

    pub fn fetch(&mut self, purpose: &str, remote: &str, refspec: &str) -> Result<()> {
        self.runner
            .run(&self.cmd(purpose).args(["fetch", remote, refspec]))?;
        Ok(())
    }

    /// `git pull --ff-only <remote> <branch>`: never a merge commit of ours, never a rewrite.
    pub fn pull_ff_only(&mut self, remote: &str, branch: &str) -> Result<()> {
        self.runner.run(
            &self
                .cmd(&format!("update {branch} from {remote}"))
                .effect(Effect::Local)
                .args(["pull", "--ff-only", remote, branch]),
        )?;
        Ok(())
    }

    /// Creates a local branch tracking `start` and switches to it.
    pub fn checkout_new_tracking(&mut self, branch: &str, start: &str) -> Result<()> {
        self.runner.run(
            &self
                .cmd(&format!("create {branch}"))
                .effect(Effect::Local)
                .args(["checkout", "-b", branch, start]),
        )?;
        Ok(())
    }

    /// An annotated (or signed) tag on `commit`; the message goes as one argument.
    pub fn tag(&mut self, tag: &str, message: &str, sign: bool, commit: &str) -> Result<()> {
        let kind = if sign { "-s" } else { "-a" };
        self.runner.run(
            &self
                .cmd("create the release tag")
                .effect(Effect::Local)
                .args(["tag", kind, tag, "-m", message, commit]),
        )?;
        Ok(())
    }

    /// Whether the object exists locally.
    pub fn has_commit(&mut self, sha: &str) -> Result<bool> {
        let out = self.runner.probe(&self.cmd("look for a commit").args([
            "cat-file",
            "-e",
            &format!("{sha}^{{commit}}"),
        ]))?;
        Ok(out.success())
    }

    /// The type of a tag object: `tag` for annotated tags, `commit` for lightweight ones.
    pub fn object_type(&mut self, rev: &str) -> Result<Option<String>> {
        let out = self.runner.probe(
            &self
                .cmd("read an object's type")
                .args(["cat-file", "-t", rev]),
        )?;
        Ok(out.success().then(|| out.stdout.trim().to_string()))
    }

    /// How many commits of `range` touch `paths` (all commits when `paths` is empty).
    pub fn count(&mut self, range: &str, paths: &[&str]) -> Result<usize> {
        let mut cmd = self
            .cmd("count commits")
            .args(["rev-list", "--count", range]);
        if !paths.is_empty() {
            cmd = cmd.arg("--").args(paths);
        }
        let out = self.runner.query(&cmd)?;
        Ok(out.stdout.trim().parse().unwrap_or(0))
    }

    /// Whether `ancestor` is reachable from `rev`.
    pub fn is_ancestor(&mut self, ancestor: &str, rev: &str) -> Result<bool> {
        let out = self
            .runner
            .probe(&self.cmd("check a commit's ancestry").args([
                "merge-base",
                "--is-ancestor",
                ancestor,
                rev,
            ]))?;
        Ok(out.success())
    }

    /// A file's content at a revision, if it exists there.
    pub fn show_file(&mut self, rev: &str, path: &str) -> Result<Option<String>> {
        let out = self.runner.probe(
            &self
                .cmd("read a file at a revision")
                .args(["show", &format!("{rev}:{path}")]),
        )?;
        Ok(out.success().then_some(out.stdout))
    }

    /// Every file of a revision's tree with its blob id (`git ls-tree -r --full-tree`), as
    /// `logic::published::parse_ls_tree` reads it.
    pub fn ls_tree(&mut self, rev: &str) -> Result<String> {
        let out = self
            .runner
            .query(&self.cmd("list the files of a revision").args([
                "ls-tree",
                "-r",
                "--full-tree",
                "--end-of-options",
                rev,
            ]))?;
        Ok(out.stdout)
    }

    /// The contents of the blob `id` (a symlink's target text, a manifest), lossily as text.
    pub fn blob(&mut self, id: &str) -> Result<String> {
        let out = self.runner.query(
            &self
                .cmd("read a file of a revision")
                .args(["cat-file", "blob", id]),
        )?;
        Ok(out.stdout)
    }

    /// The tag as `logic::published::compare` needs it (step 12, and any other check of a
    /// published crate): the tree of `commit`, the target of every link (a checkout gives cargo
    /// the files links point at), then the manifests and lock files on the package's way up.
    pub fn published_tag(
        &mut self,
        commit: &str,
        package: &crate::logic::published::Package,
    ) -> Result<crate::logic::published::Tag> {
        use crate::logic::published;
        let mut tag = published::Tag {
            commit: commit.to_string(),
            tree: published::parse_ls_tree(&self.ls_tree(commit)?),
            ..published::Tag::default()
        };
        let ids: std::collections::BTreeSet<String> =
            tag.tree.link_ids().map(str::to_string).collect();
        for id in ids {
            let target = self.blob(&id)?;
            tag.targets.insert(id, target);
        }
        for (path, id) in tag.texts_wanted(package) {
            let text = self.blob(&id)?;
            tag.texts.insert(path, text);
        }
        Ok(tag)
    }

    /// The names of the files directly in `dir` at a revision (none when it has no such directory).
    pub fn files_in(&mut self, rev: &str, dir: &str) -> Result<Vec<String>> {
        let out = self
            .runner
            .probe(&self.cmd("list a directory at a revision").args([
                "ls-tree",
                "--name-only",
                "--end-of-options",
                rev,
                &format!("{}/", dir.trim_end_matches('/')),
            ]))?;
        Ok(if out.success() {
            out.stdout.lines().map(str::to_string).collect()
        } else {
            Vec::new()
        })
    }

    /// Clones `source` into `dest` for a rehearsal: no hard links, so nothing is shared on disk.
    pub fn clone_for_rehearsal(
        runner: &mut Runner,
        source: &Path,
        dest: &Path,
        remote: &str,
    ) -> Result<()> {
        runner
            .run(
                &Cmd::new("git", "clone the repository for the rehearsal")
                    .effect(Effect::Local)
                    .args(["clone", "--quiet", "--no-hardlinks", "--origin", remote])
                    .arg(source)
                    .arg(dest),
            )
            .context("the rehearsal needs a throwaway clone of the repository")?;
        Ok(())
    }

    // -- the RustSec PR (step 13): a scratch repository beside the record, never the project's --

    /// `git init -q DIR` (this Git's directory is where it runs; `dir` is created).
    pub fn init_scratch(&mut self, dir: &Path) -> Result<()> {
        self.runner.run(
            &self
                .cmd("create a scratch repository for the RustSec PR")
                .effect(Effect::Local)
                .args(["init", "-q"])
                .arg(dir),
        )?;
        Ok(())
    }

    /// `git fetch --depth 1 URL BRANCH`: the newest commit of a branch, without its history.
    pub fn fetch_tip(&mut self, purpose: &str, url: &str, branch: &str) -> Result<()> {
        self.runner.run(
            &self
                .cmd(purpose)
                .effect(Effect::Local)
                .args(["fetch", "-q", "--depth", "1", url, branch]),
        )?;
        Ok(())
    }

    /// `git checkout -q -B BRANCH START`.
    pub fn checkout_reset(&mut self, branch: &str, start: &str) -> Result<()> {
        self.runner.run(
            &self
                .cmd(&format!("start the branch {branch}"))
                .effect(Effect::Local)
                .args(["checkout", "-q", "-B", branch, start]),
        )?;
        Ok(())
    }

    /// Commits what is staged as `name <email>` (a scratch repository has no identity of its own:
    /// git's own environment variables give it one, for this command only).
    pub fn commit_as(
        &mut self,
        purpose: &str,
        message: &str,
        name: &str,
        email: &str,
    ) -> Result<()> {
        self.runner.run(
            &self
                .cmd(purpose)
                .effect(Effect::Local)
                .env("GIT_AUTHOR_NAME", name)
                .env("GIT_AUTHOR_EMAIL", email)
                .env("GIT_COMMITTER_NAME", name)
                .env("GIT_COMMITTER_EMAIL", email)
                .args(["commit", "-q", "--no-gpg-sign", "-m", message]),
        )?;
        Ok(())
    }
}

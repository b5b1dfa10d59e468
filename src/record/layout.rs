//! Every path under `.git/caro-hotfix/`, owned by one type.
//!
//! ```text
//! <git common dir>/caro-hotfix/
//! ├── state.toml              the hotfix in progress (its record)
//! ├── state.journal.toml      the commands it ran, appended at every save
//! ├── rollback.toml           the rollback in progress
//! ├── rollback.journal.toml
//! ├── lock                    held by the one run working here (start, resume, rollback, abort)
//! ├── publish/<tag>/         a clean worktree of the tag, where step 12 runs `cargo publish`
//! ├── publish-target/         its build directory (cargo's `CARGO_TARGET_DIR`)
//! ├── pr-body.md, advisory.json, announcement.md, forward-port-<tag>.md, backport-<tag>-<branch>.md,
//! │   rollback-advisory-<version>.md/.json
//! │                           texts a step wrote and handed to gh, kept for the maintainer
//! ├── kit/EMBARGO-NOTICE.md, kit/<X.Y>/NNNN-*.patch
//! │                           the embargo's pre-notification kit (git format-patch per line)
//! ├── rustsec-pr-body.md, rustsec-pr/, release-notes-<tag>.md
//! │                           the RustSec PR's body and scratch repository; notes with a new CVE
//! └── history/<name>.toml     finished hotfixes and rollbacks, record and journal in one file;
//!     history/<version>.md    the incident report (step 16, refreshed by `follow-up`)
//! ```
//!
//! The directory is found through `git rev-parse --git-common-dir`, so every worktree shares it. A
//! rehearsal of a rollback keeps its record in a scratch directory of the same shape.

use std::path::{Path, PathBuf};

/// The `caro-hotfix` directory of one repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    dir: PathBuf,
}

impl Layout {
    /// The directory inside a git common directory (`.git`).
    pub fn in_git_dir(git_common_dir: &Path) -> Layout {
        Layout {
            dir: git_common_dir.join("caro-hotfix"),
        }
    }

    /// The directory itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The record of the hotfix in progress.
    pub fn hotfix(&self) -> PathBuf {
        self.dir.join("state.toml")
    }

    /// The record of the rollback in progress.
    pub fn rollback(&self) -> PathBuf {
        self.dir.join("rollback.toml")
    }

    /// The lock of the run working in this repository (see [`super::lock`]).
    pub fn lock(&self) -> PathBuf {
        self.dir.join("lock")
    }

    /// Finished records.
    pub fn history(&self) -> PathBuf {
        self.dir.join("history")
    }

    /// The embargo's pre-notification kit: `kit/<line>/*.patch` and `kit/EMBARGO-NOTICE.md`.
    pub fn kit(&self) -> PathBuf {
        self.dir.join("kit")
    }

    /// The worktree of `tag` that step 12 publishes from (a tag's `/` spelled `-`).
    pub fn publish_worktree(&self, tag: &str) -> PathBuf {
        self.dir.join("publish").join(tag.replace('/', "-"))
    }

    /// The build directory of the publishing worktrees, outside them.
    pub fn publish_target(&self) -> PathBuf {
        self.dir.join("publish-target")
    }

    /// A text kept for the maintainer (`pr-body.md`, `advisory.json`…).
    pub fn kept(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// The journal of a live record, beside it: `state.toml` → `state.journal.toml`.
pub fn journal_of(record: &Path) -> PathBuf {
    record.with_extension("journal.toml")
}

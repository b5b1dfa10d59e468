//! Every longer text the wizard shows or writes, in one place so a reviewer can read them together.
//!
//! They follow the reference workflow (`caro.release.hotfix`) but carry real values: the crate, the
//! versions, the answers. No `$VARIABLE` placeholder ever reaches a user.

/// Step 1: the emergency warning, followed by the typed-`yes` question.
pub fn warning() -> String {
    "\
⚠️  EMERGENCY HOTFIX WORKFLOW ⚠️

This workflow is for CRITICAL ISSUES ONLY:
  • Security vulnerabilities (RUSTSEC advisories)
  • Data loss or corruption bugs
  • System crashes or panics
  • Actively exploited vulnerabilities

It branches from the latest release tag, takes a minimal fix, and fast-tracks
it through version bump, tests, audit, PR, merge, tag, publish and advisory."
        .to_string()
}

pub const CONFIRM_PROMPT: &str = "Continue with hotfix? (yes/no - must type 'yes')";

/// Step 1 declined: what to do instead.
pub fn declined() -> String {
    "Hotfix cancelled; nothing was changed.\n\
     For non-critical bugs, use the normal release workflow (a regular PR and release, e.g. `cargo release patch`).\n\
     To start the hotfix after all, run caro-hotfix again and type exactly `yes`."
        .to_string()
}

/// Step 5: the guidelines for a minimal fix.
pub fn fix_guidelines(branch: &str, base_tag: &str) -> String {
    format!(
        "\
Apply the MINIMAL fix required to address the issue, on branch {branch}.

Guidelines:
  • Change only what's necessary to fix the issue
  • Avoid refactoring or \"improvements\"
  • Minimize risk of introducing new bugs
  • Focus on stability over elegance

After making changes, commit them:
  git add <files>
  git commit -m \"hotfix: <what the fix does>\"

The fix must be at least one commit on top of {base_tag}, and the work tree clean
(SECURITY.md, edited at step 4, may stay uncommitted: it goes into the version-bump commit)."
    )
}

pub const DONE_PROMPT: &str = "Type 'done' when fix is committed";

/// The one-line footer that replaces the reference's tool credits.
pub fn footer() -> String {
    format!("Prepared with caro-hotfix {}", env!("CARGO_PKG_VERSION"))
}

/// The version-bump commit of step 6.
pub fn bump_commit_message(version: &str, description: &str) -> String {
    format!(
        "chore: Bump version to {version} for security hotfix\n\nHotfix for: {description}\n\n{}",
        footer()
    )
}

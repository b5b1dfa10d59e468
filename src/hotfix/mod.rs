//! The hotfix: sixteen steps, listed here in order, one file each (`stepNN_<name>.rs`; step 2 has
//! two more files, for the strategy and the publishing check, and step 12 one for the check of the
//! published crate), and what they share.
//!
//! Steps read what was asked from the record's [`crate::record::Request`] (through the resolved
//! [`crate::settings::Settings`]) and what earlier steps decided from the record's groups (the
//! [`Plan`] of step 2, the fix, the PR…), never from the command line.

pub mod advisory;
mod embargo;
mod embargo_kit;
mod embargo_private;
pub mod lines;
mod reconcile;
pub mod report;
pub mod rustsec_pr;

pub use step16_summary::approvals;
mod step01_confirm;
mod step02_base;
mod step02_branch;
mod step02_publishing;
mod step02_scheme;
mod step02_ships;
mod step02_strategy;
mod step02_together;
mod step03_branch;
mod step04_document;
mod step05_fix;
mod step06_bump;
mod step07_test;
mod step08_audit;
mod step09_pr;
mod step10_review;
mod step11_merge;
mod step12_ourselves;
mod step12_publish;
mod step12_together;
mod step12_verify;
mod step13_advisory;
mod step14_announce;
mod step15_backport;
mod step16_summary;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub use embargo::status_lines as embargo_status;
pub use reconcile::check as reconcile;
pub use step05_fix::PLACEHOLDER_SUBJECT;

use crate::flow::{Ctx, Step};
use crate::record::lock::{self, RunLock};
use crate::record::{store, GitHub, Hotfix, Layout, Plan, Pr};

/// A step of the hotfix.
pub type HotfixStep = Step<Hotfix>;

/// The sixteen steps, in order.
pub const STEPS: [HotfixStep; 16] = [
    Step {
        number: 1,
        title: "Confirm the emergency",
        run: step01_confirm::run,
    },
    Step {
        number: 2,
        title: "Identify the base version",
        run: step02_base::run,
    },
    Step {
        number: 3,
        title: "Create the hotfix branch",
        run: lines::branches,
    },
    Step {
        number: 4,
        title: "Document the issue",
        run: step04_document::run,
    },
    Step {
        number: 5,
        title: "Apply the minimal fix",
        run: |ctx| lines::each(ctx, 5, fix_or_carry),
    },
    Step {
        number: 6,
        title: "Update version and changelog",
        run: |ctx| lines::each(ctx, 6, step06_bump::run),
    },
    Step {
        number: 7,
        title: "Run the tests",
        run: |ctx| lines::each(ctx, 7, step07_test::run),
    },
    Step {
        number: 8,
        title: "Quick security audit",
        run: |ctx| lines::each(ctx, 8, step08_audit::run),
    },
    Step {
        number: 9,
        title: "Push and open the PR",
        run: |ctx| lines::each(ctx, 9, step09_pr::run),
    },
    Step {
        number: 10,
        title: "Wait for review",
        run: |ctx| lines::each(ctx, 10, step10_review::run),
    },
    Step {
        number: 11,
        title: "Merge and tag",
        run: |ctx| {
            embargo::release_day(ctx)?;
            lines::each(ctx, 11, step11_merge::run)
        },
    },
    Step {
        number: 12,
        title: "Watch the publish",
        run: |ctx| lines::each(ctx, 12, watch_the_publish),
    },
    Step {
        number: 13,
        title: "Publish the security advisory",
        run: step13_advisory::run,
    },
    Step {
        number: 14,
        title: "Announce the hotfix",
        run: step14_announce::run,
    },
    Step {
        number: 15,
        title: "Backport the fix",
        run: step15_backport::run,
    },
    Step {
        number: 16,
        title: "Summary",
        run: step16_summary::run,
    },
];

/// Step 5: the fix is made on the first line; every other line receives it by cherry-pick.
fn fix_or_carry(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    match ctx.rec.focus {
        None => step05_fix::run(ctx),
        Some(_) => lines::carry(ctx),
    }
}

/// Step 12: the hotfixed crate's publish, then the crates released with it.
fn watch_the_publish(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    step12_publish::run(ctx)?;
    step12_together::wait(ctx)
}

/// Steps whose failure forgets the record: before step 3 nothing exists but the record, so the
/// hotfix can simply be started again (with other options).
pub const FORGETTABLE: u8 = 2;

/// Runs every unfinished step of the hotfix.
pub fn drive(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    crate::flow::drive(ctx, &STEPS, FORGETTABLE)
}

/// The moment the hotfix starts (step 1 confirmed): a rehearsal moves into its throwaway clone, and
/// the record is written from now on.
pub fn begin(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    crate::flow::rehearsal::enter_clone(ctx)?;
    let common = ctx.git().common_dir()?;
    let layout = Layout::in_git_dir(&common);
    // One run per repository, from the moment this one changes anything (a start killed at its
    // question leaves nothing behind, not even a lock). A rehearsal changes nothing and locks nothing.
    if !ctx.settings.dry_run && ctx.lock.is_none() {
        let now = ctx.clock.now();
        ctx.lock = Some(RunLock::acquire(
            &layout,
            "start",
            &now,
            lock::doing(&layout),
        )?);
        // Another start may have begun the same hotfix meanwhile, and finished its step 1 first.
        if let Some(existing) = store::load::<Hotfix>(&layout.hotfix())? {
            anyhow::bail!(
                "a hotfix was started meanwhile ({}): continue it with `caro-hotfix resume`; nothing was changed",
                existing.label()
            );
        }
    }
    ctx.record_file = Some(layout.hotfix());
    ctx.layout = Some(layout);
    if ctx.rec.maintainer.is_none() {
        ctx.rec.maintainer = ctx.git().config("user.name")?;
    }
    ctx.save()
}

impl Ctx<Hotfix> {
    /// What step 2 decided.
    pub fn plan(&self) -> Result<&Plan> {
        self.rec
            .plan
            .as_ref()
            .context("the base release is not decided yet (step 2 has not run)")
    }

    /// The hotfix version decided at step 2.
    pub fn version(&self) -> Result<semver::Version> {
        let v = &self.plan()?.version;
        semver::Version::parse(v)
            .with_context(|| format!("the record's version `{v}` is not semver"))
    }

    /// The hotfix PR recorded at step 9.
    pub fn pr(&self) -> Result<&Pr> {
        self.rec
            .pr
            .as_ref()
            .context("the hotfix PR is not recorded (step 9 has not run)")
    }

    /// `owner/name` and URL on GitHub, derived once and recorded: from the `repository` setting, else
    /// from the chosen remote's configured URL — never left to gh, which would pick a fork's
    /// `origin`. A remote that is a plain path (the demo, a local mirror) asks gh, or simulates.
    pub fn github(&mut self) -> Result<GitHub> {
        if let Some(github) = &self.rec.github {
            return Ok(github.clone());
        }
        let remote = self.settings.remote.clone();
        let setting = self.settings.repository.clone();
        let repo = self.repo.clone();
        let derived = crate::ops::gh::derive(&mut self.runner, &repo, &remote, setting.as_deref())?;
        let github = match derived {
            Some(g) => g,
            None => {
                // The demo has no GitHub: its sample answers as if it lived at github.com/example/<crate>.
                let name = self
                    .rec
                    .plan
                    .as_ref()
                    .map(|p| p.crate_name.clone())
                    .unwrap_or_else(|| "crate".into());
                let simulated = format!(
                    r#"{{"nameWithOwner":"example/{name}","url":"https://github.com/example/{name}"}}"#
                );
                let (repo, url) = self.gh().repo_view(&simulated)?;
                GitHub { repo, url }
            }
        };
        self.ui.ok(format!(
            "GitHub repository: {} ({})",
            github.repo, github.url
        ));
        self.rec.github = Some(github.clone());
        Ok(github)
    }

    /// The values the texts of steps 9–16 are filled with: a view of the record (step 9 records the
    /// GitHub repository first).
    pub fn facts(&self) -> Result<crate::texts::Facts> {
        crate::texts::Facts::of(&self.rec, &self.settings)
    }

    /// Says whether the hotfix's tag is on the remote, at the merge commit: what steps 14 and 16
    /// announce must be public. A rehearsal pushed nothing, so it only says what the real run checks.
    pub fn check_tag_is_public(&mut self) -> Result<()> {
        let tag = self.plan()?.tag.clone();
        let remote = self.settings.remote.clone();
        if self.settings.dry_run {
            self.ui.ok(format!(
                "(simulated) The real run checks here that {tag} is on {remote}"
            ));
            return Ok(());
        }
        let merge = self.rec.release.merge_commit.clone();
        match self.git().remote_tag_commit(&remote, &tag)? {
            Some(at) if merge.as_deref().is_none_or(|m| m == at) => self.ui.ok(format!(
                "{tag} is on {remote}, at {}",
                &at[..12.min(at.len())]
            )),
            Some(at) => self.ui.warn(format!(
                "{tag} on {remote} points at {at}, not at the merge commit {}: check the tag before telling anyone",
                merge.unwrap_or_default()
            )),
            None => self.ui.warn(format!(
                "{tag} is not on {remote}: push it (`git push {remote} {tag}`) before telling anyone"
            )),
        }
        Ok(())
    }

    /// An impact left empty at step 4 ("fill in later") is asked for now, before anything public is
    /// written: the PR, the tag message and the advisory carry it. A fire drill has nobody to ask.
    pub fn ensure_impact(&mut self) -> Result<()> {
        while self.rec.incident.impact.trim().is_empty() {
            if self.settings.non_interactive {
                self.rec.incident.impact =
                    "(fire drill: the real run asks for the impact here)".into();
                break;
            }
            self.ui.warn(
                "The impact is still empty; the PR, the tag message and the advisory need it before they go out.",
            );
            self.rec.incident.impact = self
                .prompter
                .text("Impact (who is affected, and how)", None)?;
        }
        self.save()
    }

    /// The package being hotfixed, as cargo sees it now.
    pub fn package(&mut self) -> Result<crate::ops::cargo::Package> {
        let repo = self.repo.clone();
        let meta = crate::ops::cargo::metadata(&mut self.runner, &repo)?;
        Ok(meta
            .select(self.settings.package.as_deref(), &repo.join("Cargo.toml"))?
            .clone())
    }

    /// The CHANGELOG of the package: its own when it keeps one, else the repository's.
    pub fn changelog_path(&mut self) -> Result<PathBuf> {
        let package = self.package()?;
        Ok(self.changelog_of(&package))
    }

    /// [`Ctx::changelog_path`] for a package already read.
    pub fn changelog_of(&self, package: &crate::ops::cargo::Package) -> PathBuf {
        let dir = package
            .manifest_path
            .parent()
            .map(PathBuf::from)
            .unwrap_or_else(|| self.repo.clone());
        [dir.join("CHANGELOG.md"), self.repo.join("CHANGELOG.md")]
            .into_iter()
            .find(|p| p.exists())
            .unwrap_or_else(|| self.repo.join("CHANGELOG.md"))
    }
}

/// SECURITY.md: the one at the top, or `.github/SECURITY.md` when only that exists.
pub fn security_md_path(repo: &Path) -> PathBuf {
    let top = repo.join("SECURITY.md");
    let github = repo.join(".github").join("SECURITY.md");
    if !top.exists() && github.exists() {
        github
    } else {
        top
    }
}

/// A record converted from the format before 0.2 may lack what later versions record as they go:
/// the crate's name (step 2 now records it) and the fix's subjects (step 5 now records them). Read
/// them once from cargo and git.
pub fn complete_converted(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let mut changed = false;
    if ctx
        .rec
        .plan
        .as_ref()
        .is_some_and(|p| p.crate_name.is_empty())
    {
        let name = ctx.package()?.name;
        if let Some(plan) = ctx.rec.plan.as_mut() {
            plan.crate_name = name;
        }
        changed = true;
    }
    if ctx.rec.fix.subjects.len() != ctx.rec.fix.commits.len() {
        let mut subjects = Vec::new();
        for c in ctx.rec.fix.commits.clone() {
            let message = ctx.git().message(&c).unwrap_or_default();
            subjects.push(message.lines().next().unwrap_or("").to_string());
        }
        ctx.rec.fix.subjects = subjects;
        changed = true;
    }
    if ctx.rec.maintainer.is_none() {
        ctx.rec.maintainer = ctx.git().config("user.name")?;
        changed = true;
    }
    if ctx.rec.pr.is_some() && ctx.rec.github.is_none() {
        ctx.github()?;
        changed = true;
    }
    if changed {
        ctx.save()?;
    }
    Ok(())
}

//! Step 6: the version in Cargo.toml (via toml_edit, formatting and comments kept), path-dependency
//! requirements on the crate, Cargo.lock, the CHANGELOG section — and one commit with exactly the
//! files it changed (plus SECURITY.md from step 4).

use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::flow::Ctx;
use crate::fsx;
use crate::logic::{changelog, changelog_style, lockfile, manifest};
use crate::ops::cargo;
use crate::record::Hotfix;
use crate::texts;

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let version = ctx.version()?;
    let subject = format!("chore: Bump version to {version} for security hotfix");
    let head_message = ctx.git().message("HEAD")?;
    if head_message.starts_with(&subject) {
        ctx.rec.fix.bump_commit = Some(ctx.git().head()?);
        ctx.ui.ok(format!(
            "The version bump to {version} is already committed"
        ));
        return Ok(());
    }

    if !ctx.rec.lines.is_empty() {
        // Several lines: each line's branch documents its own version (step 4 wrote nothing).
        super::step04_document::security_md(ctx)?;
    }
    let repo = ctx.repo.clone();
    let meta = cargo::metadata(&mut ctx.runner, &repo)?;
    let package = meta
        .select(ctx.settings.package.as_deref(), &repo.join("Cargo.toml"))?
        .clone();
    let mut changed: Vec<PathBuf> = Vec::new();
    // What each file gets, as shown: `version 4.6.7`, `clap_builder = "=4.6.7"`.
    let mut said: Vec<(PathBuf, String)> = Vec::new();
    // Every crate this hotfix releases: (name, version in the lock file now, new version).
    let mut bumps: Vec<(String, String, semver::Version)> = Vec::new();

    // The package's own version, or the workspace's when the package inherits it.
    let text = read(&package.manifest_path)?;
    let info = manifest::package_info(&text).with_context(|| ctx.shown(&package.manifest_path))?;
    let base_version = ctx.plan()?.base_version.clone();
    let root_manifest = meta.workspace_root.join("Cargo.toml");
    let inherited = info.version == manifest::PackageVersion::Inherited;
    match info.version {
        manifest::PackageVersion::Literal(current) => {
            warn_if_unexpected(ctx, &current, &base_version, &package.manifest_path);
            let new = manifest::set_package_version(&text, &version)?;
            write_if_changed(ctx, &package.manifest_path, &text, &new, &mut changed)?;
            said.push((package.manifest_path.clone(), format!("version {version}")));
        }
        manifest::PackageVersion::Inherited => {
            let root_text = read(&root_manifest)?;
            if let Some(current) = manifest::workspace_version(&root_text)? {
                warn_if_unexpected(ctx, &current, &base_version, &root_manifest);
            }
            let new = manifest::set_workspace_version(&root_text, &version)
                .with_context(|| ctx.shown(&root_manifest))?;
            write_if_changed(ctx, &root_manifest, &root_text, &new, &mut changed)?;
            said.push((
                root_manifest.clone(),
                format!("workspace version {version}"),
            ));
        }
    }
    bumps.push((
        package.name.clone(),
        package.version.clone(),
        version.clone(),
    ));

    // The crates released together (step 2): their own versions.
    for together in ctx.plan()?.together.clone() {
        let Some(member) = meta.packages.iter().find(|p| p.name == together.crate_name) else {
            anyhow::bail!(
                "{} is released with {} (step 2) but is no longer in the workspace",
                together.crate_name,
                package.name
            );
        };
        let new_version = semver::Version::parse(&together.version)?;
        let text = read(&member.manifest_path)?;
        let info =
            manifest::package_info(&text).with_context(|| ctx.shown(&member.manifest_path))?;
        match info.version {
            manifest::PackageVersion::Literal(_) => {
                let new = manifest::set_package_version(&text, &new_version)?;
                write_if_changed(ctx, &member.manifest_path, &text, &new, &mut changed)?;
                said.push((
                    member.manifest_path.clone(),
                    format!("{} version {new_version}", member.name),
                ));
            }
            manifest::PackageVersion::Inherited if inherited => {}
            manifest::PackageVersion::Inherited => anyhow::bail!(
                "{} takes the workspace's version but {} does not: set {}'s version by hand to \
                 {new_version}, commit it, then run `caro-hotfix resume`",
                member.name,
                package.name,
                member.name
            ),
        }
        bumps.push((member.name.clone(), member.version.clone(), new_version));
    }

    // Requirements on the released crates elsewhere in the workspace (`path` + `version` entries):
    // only those the new versions no longer meet, unless `dependent-requirements = "upgrade"`.
    let mode = if ctx.settings.upgrade_requirements {
        manifest::Requirements::Upgrade
    } else {
        manifest::Requirements::Minimal
    };
    let mut manifests: Vec<PathBuf> = meta
        .packages
        .iter()
        .map(|p| p.manifest_path.clone())
        .collect();
    if !manifests.contains(&root_manifest) && root_manifest.exists() {
        manifests.push(root_manifest.clone());
    }
    for path in manifests {
        for (name, _, new_version) in &bumps {
            let text = read(&path)?;
            let (new, did) =
                manifest::update_path_dependency_requirements(&text, name, new_version, mode)
                    .with_context(|| ctx.shown(&path))?;
            if did {
                write_if_changed(ctx, &path, &text, &new, &mut changed)?;
                said.push((
                    path.clone(),
                    format!("requirement on {name} moved to {new_version}"),
                ));
            }
        }
    }
    for (path, what) in &said {
        ctx.ui.ok(format!("{}: {what}", ctx.shown(path)));
    }

    // Cargo.lock, so that `cargo build --locked` passes on the tag: only the released crates' lines.
    let lock = meta.workspace_root.join("Cargo.lock");
    if lock.exists() && ctx.git().is_tracked(&lock)? {
        let before = read(&lock)?;
        let wanted: Vec<(String, String, String)> = bumps
            .iter()
            .map(|(n, o, v)| (n.clone(), o.clone(), v.to_string()))
            .collect();
        let edits: Vec<lockfile::Bump> = wanted
            .iter()
            .map(|(name, old, new)| lockfile::Bump { name, old, new })
            .collect();
        match lockfile::set_versions(&before, &edits) {
            Some(text) if text != before => fsx::write_atomic(&lock, text.as_bytes())?,
            Some(_) => {}
            None => fill_lock(ctx, &repo, &lock)?,
        }
        match cargo::lock_is_current(&mut ctx.runner, &repo) {
            Ok(None) => {}
            Ok(Some(_)) => fill_lock(ctx, &repo, &lock)?,
            Err(e) => ctx.ui.warn(format!(
                "cargo could not check {} offline ({e:#}); only the released crates' versions were changed in it",
                ctx.shown(&lock)
            )),
        }
        let after = read(&lock)?;
        if after != before {
            let lines = lockfile::changed_lines(&before, &after);
            let names: Vec<&str> = bumps.iter().map(|(n, _, _)| n.as_str()).collect();
            let others: Vec<&str> = lines
                .iter()
                .filter(|l| l.starts_with('+') && !l.starts_with("+version = "))
                .filter(|l| !names.iter().any(|n| l.contains(&format!("\"{n} "))))
                .map(String::as_str)
                .collect();
            if others.is_empty() {
                ctx.ui.ok(format!(
                    "{}: the released crates' versions only ({} line{})",
                    ctx.shown(&lock),
                    lines.len() / 2,
                    if lines.len() == 2 { "" } else { "s" }
                ));
            } else {
                ctx.ui.warn(format!(
                    "{} changed beyond the released crates ({}): check `git diff {}` before the PR",
                    ctx.shown(&lock),
                    others.join(", "),
                    ctx.shown(&lock)
                ));
            }
            changed.push(lock);
        }
    }

    // The CHANGELOG section, next to the package when it keeps its own, else at the top.
    let changelog_path = ctx.changelog_of(&package);
    let existing = fsx::read_optional(&changelog_path)?;
    let date = ctx.clock.today();
    let new_tag = ctx.plan()?.tag.clone();
    let base_tag = ctx.plan()?.base_tag.clone();
    // An interrupted run may have inserted the section already (uncommitted): keep it.
    let rel = ctx.shown(&changelog_path);
    let committed = ctx.git().show_file("HEAD", &rel)?;
    let inserted_before = existing
        .as_deref()
        .is_some_and(|t| changelog::has_section(t, &version))
        && !committed
            .as_deref()
            .is_some_and(|t| changelog::has_section(t, &version));
    let public = texts::public_incident(&ctx.rec, &ctx.settings);
    let text = if inserted_before {
        existing.clone().unwrap_or_default()
    } else {
        changelog::insert_section(
            existing.as_deref(),
            &changelog::Section {
                version: &version,
                date: &date,
                incident: &public,
                base_tag: &base_tag,
                new_tag: &new_tag,
                affected: ctx.rec.affected.as_ref(),
            },
        )
        .with_context(|| ctx.shown(&changelog_path))?
    };
    fsx::write_atomic(&changelog_path, text.as_bytes())?;
    let headings = existing
        .as_deref()
        .map(changelog_style::release_headings)
        .unwrap_or_default();
    let model = changelog_style::newest(&headings);
    let kept_a_changelog = existing
        .as_deref()
        .is_none_or(changelog_style::is_keep_a_changelog);
    match (existing.is_some(), model) {
        (false, _) => ctx.ui.ok(format!(
            "{}: section [{version}] - {date} [SECURITY HOTFIX] (file created)",
            ctx.shown(&changelog_path)
        )),
        (true, Some(model)) if !kept_a_changelog => ctx.ui.ok(format!(
            "{}: section {version} above \"{}\", in the file's own heading style",
            ctx.shown(&changelog_path),
            model.title
        )),
        (true, None) if !kept_a_changelog => ctx.ui.warn(format!(
            "{}: no release heading to follow, so the section [{version}] went to the top; \
             move it if the file keeps releases elsewhere",
            ctx.shown(&changelog_path)
        )),
        _ => ctx.ui.ok(format!(
            "{}: section [{version}] - {date} [SECURITY HOTFIX]",
            ctx.shown(&changelog_path)
        )),
    }
    let opening = changelog::section_opening(&text, &version);
    // Said when the section is not in the usual form (`## [X.Y.Z] - date …`, `### Security`, `-`).
    let usual = [
        format!("## [{version}] - {date} [SECURITY HOTFIX]"),
        "### Security".to_string(),
    ];
    let unusual = opening.get(..2) != Some(&usual[..])
        || opening.last().is_some_and(|l| !l.starts_with("- "));
    if !opening.is_empty() && unusual {
        ctx.ui.info(format!("It reads: {}", opening.join(" / ")));
    }
    changed.push(changelog_path);

    // Whatever an interrupted run of this step already edited belongs in the commit too: every
    // manifest, the lock file, and SECURITY.md from step 4, when they differ from HEAD.
    let dirty = ctx.git().changed_paths()?;
    let mut candidates: Vec<PathBuf> = meta
        .packages
        .iter()
        .map(|p| p.manifest_path.clone())
        .collect();
    candidates.push(root_manifest.clone());
    candidates.push(meta.workspace_root.join("Cargo.lock"));
    candidates.push(super::security_md_path(&repo));
    for path in candidates {
        if dirty.contains(&ctx.shown(&path)) && !changed.contains(&path) {
            changed.push(path);
        }
    }

    ctx.git().add(&changed)?;
    let message = texts::bump_commit_message(&version.to_string(), &public.description);
    let commit = ctx
        .git()
        .commit("commit the version bump", &message, false)?;
    ctx.rec.fix.bump_commit = Some(commit.clone());
    let files: Vec<String> = changed.iter().map(|p| ctx.shown(p)).collect();
    ctx.ui.ok(format!(
        "Committed {}: {subject} ({})",
        &commit[..12.min(commit.len())],
        files.join(", ")
    ));
    Ok(())
}

/// cargo fills the lock file in, offline first; when it had to go online, the reason is said.
fn fill_lock(ctx: &mut Ctx<Hotfix>, repo: &std::path::Path, lock: &std::path::Path) -> Result<()> {
    if let cargo::Filled::Online { said } = cargo::fill_lock(&mut ctx.runner, repo)? {
        ctx.ui.warn(format!(
            "{}: cargo could not update it offline ({said}), so it resolved as your cargo is \
             configured (online); check `git diff {}` before the PR",
            ctx.shown(lock),
            ctx.shown(lock)
        ));
    }
    Ok(())
}

fn read(path: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))
}

fn write_if_changed(
    ctx: &Ctx<Hotfix>,
    path: &std::path::Path,
    old: &str,
    new: &str,
    changed: &mut Vec<PathBuf>,
) -> Result<()> {
    if old != new {
        fsx::write_atomic(path, new.as_bytes())
            .with_context(|| format!("could not write {}", ctx.shown(path)))?;
        if !changed.iter().any(|p| p == path) {
            changed.push(path.to_path_buf());
        }
    }
    Ok(())
}

fn warn_if_unexpected(
    ctx: &Ctx<Hotfix>,
    current: &semver::Version,
    base: &str,
    path: &std::path::Path,
) {
    // Build metadata (`1.2.3+build.7` on the tag) does not make another version.
    let same = semver::Version::parse(base)
        .is_ok_and(|b| b.cmp_precedence(current) == std::cmp::Ordering::Equal);
    if !base.is_empty() && !same {
        ctx.ui.warn(format!(
            "{} says version {current}, but the base release is {base}; bumping to the hotfix version anyway",
            ctx.shown(path)
        ));
    }
}

//! Step 12 when caro-hotfix publishes (step 2 decided it: `publish = "caro-hotfix"`, or no workflow
//! publishes on a tag): `cargo publish --locked` from a clean worktree of the tag, never the
//! maintainer's work tree.
//!
//! - Every crate of the release, in publishing order: the crates released together that the
//!   hotfixed one depends on, the hotfixed one, then those that pin it (`clap_builder` before
//!   `clap`). A cargo that publishes several packages in one run (1.90) gets them all at once and
//!   waits for each in the index itself; an older one publishes them one at a time, each next one
//!   only once the one before is visible in the index.
//! - The exact commands are shown, then a typed `yes`.
//! - Never twice: before publishing, the registry is asked about every crate. A version there with
//!   the checksum of the tag's package (`cargo package`, which is reproducible) counts as published;
//!   one with another checksum stops: someone published something else under this version. So a
//!   run killed between two crates publishes, on `resume`, only what is missing.
//! - A publish that fails says what cargo said, and whether trying again can help (network, 5xx,
//!   the token) or cannot (a 4xx: the version exists, the name is taken, an unverified email, a
//!   crate that accepts only trusted publishing). Nothing is tried again by itself.
//! - The token is cargo's: its credential providers, `CARGO_REGISTRY_TOKEN` or
//!   `CARGO_REGISTRIES_<NAME>_TOKEN`. caro-hotfix never reads, prints or records one.
//! - A rehearsal runs `cargo publish --dry-run --locked` for real in the worktree and shows it;
//!   nothing is uploaded.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::flow::registry_watch::{self, Registry, Want};
use crate::flow::Ctx;
use crate::logic::publish_failure::{classify, Failure};
use crate::logic::{published, registry};
use crate::ops::cargo::{self, Upload};
use crate::ops::index::{self, IndexFile};
use crate::ops::registry_api::{self, VersionAnswer};
use crate::record::{Hotfix, Layout};
use crate::runner::Output;

/// One crate of the release.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Crate {
    name: String,
    version: String,
    tag: String,
}

/// The crates published from one tag's worktree, in order.
struct Group {
    tag: String,
    crates: Vec<Crate>,
    worktree: PathBuf,
}

/// What the registry holds of one crate's version.
#[derive(Debug, Clone, PartialEq, Eq)]
enum There {
    Missing,
    /// Published, with this checksum (when the registry says).
    Published(Option<String>),
}

/// Publishes every crate of the release that the registry does not have yet (see the module docs).
pub fn publish(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let groups = groups(ctx)?;
    let upload = upload(ctx);
    let several = cargo::publishes_several(cargo::version(&mut ctx.runner));
    if let Upload::Index(url) = &upload {
        let what = format!(
            "`cargo publish` uploads to a registry by name: with only an index URL ({url}) it wants \
             the token on its command line (`--token`), which caro-hotfix never passes. Name the \
             registry in cargo's configuration (`[registries.NAME] index = \"{url}\"` in \
             .cargo/config.toml, its token with `cargo login --registry NAME`) and pass `--registry \
             NAME`, or publish by hand from the tag"
        );
        if ctx.settings.dry_run {
            ctx.ui
                .warn(format!("Rehearsal: the real run would stop here. {what}."));
            return Ok(());
        }
        bail!("{what}, then resume. Nothing was published.");
    }
    if ctx.settings.dry_run {
        return rehearse(ctx, &groups, &upload, several);
    }
    let main = ctx.plan()?.crate_name.clone();
    let reg = registry_watch::registry(ctx, &main)
        .context("the registry's config.json is needed to ask it before publishing")?;
    let target_dir = layout(ctx)?.publish_target();

    // What is there already (a resumed run, a publish by hand), and is it ours?
    let mut todo: Vec<(usize, Vec<Crate>)> = Vec::new();
    let mut already = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let mut missing = Vec::new();
        let mut published = Vec::new();
        for c in &group.crates {
            match ask(ctx, &reg, c)? {
                There::Missing => missing.push(c.clone()),
                There::Published(sum) => published.push((c.clone(), sum)),
            }
        }
        if !published.is_empty() {
            clean_worktree(ctx, group)?;
            let ours = checksums(ctx, group, &target_dir, &upload)?;
            for (c, sum) in &published {
                same_as_ours(ctx, &reg, c, sum.as_deref(), &ours)?;
                already.push(c.clone());
            }
        }
        if !missing.is_empty() {
            todo.push((g, missing));
        }
    }
    if todo.is_empty() {
        remove_worktrees(ctx, &groups)?;
        return Ok(());
    }

    // The exact commands, then the typed `yes`.
    for (g, _) in &todo {
        clean_worktree(ctx, &groups[*g])?;
    }
    show_commands(ctx, &groups, &todo, &upload, several);
    if !ctx
        .prompter
        .typed("Publish now with these commands? (type 'yes')", "yes")?
    {
        let by_hand = todo
            .iter()
            .map(|(g, crates)| {
                format!(
                    "`git checkout {} && cargo publish --locked -p {}`",
                    groups[*g].tag,
                    names(crates).join(" -p ")
                )
            })
            .collect::<Vec<_>>()
            .join(", then ");
        return Err(crate::error::Declined(format!(
            "Nothing was published. Run `caro-hotfix resume` to be asked again, or publish by hand \
             ({by_hand}) and resume: step 12 then finds the versions on the registry."
        ))
        .into());
    }

    let interval = ctx.poll_interval(DEFAULT_POLL_SECS);
    let timeout = std::time::Duration::from_secs_f64(
        ctx.settings.publish_timeout.unwrap_or(DEFAULT_TIMEOUT_SECS),
    );
    // A crate published before a kill may be in the API but not yet in the index, where cargo
    // resolves the ones that depend on it.
    for c in &already {
        wait_in_index(ctx, &reg, c, interval, timeout)?;
    }
    for (g, crates) in &todo {
        let group = &groups[*g];
        let batches: Vec<Vec<Crate>> = if several {
            vec![crates.clone()]
        } else {
            crates.iter().map(|c| vec![c.clone()]).collect()
        };
        for batch in batches {
            let out = cargo::publish(
                &mut ctx.runner,
                &group.worktree,
                &target_dir,
                &names(&batch),
                &upload,
                false,
            )?;
            show_cargo(ctx, &out);
            if !out.success() {
                return Err(failed(ctx, &reg, &batch, &out)?);
            }
            for c in &batch {
                ctx.note(
                    12,
                    format!("published {} {} with cargo publish", c.name, c.version),
                );
            }
            ctx.save()?;
            // The next one only once this one is visible in the index (cargo waits too when it
            // publishes several; this is the same look, for the last one and for older cargos).
            for c in &batch {
                wait_in_index(ctx, &reg, c, interval, timeout)?;
                ctx.remote_ok(format!(
                    "Published {} {} with `cargo publish`: it is in the registry's index",
                    c.name, c.version
                ));
            }
        }
    }
    remove_worktrees(ctx, &groups)?;
    Ok(())
}

const DEFAULT_POLL_SECS: f64 = 20.0;
const DEFAULT_TIMEOUT_SECS: f64 = 15.0 * 60.0;

/// The release's crates grouped by tag, in publishing order.
fn groups(ctx: &mut Ctx<Hotfix>) -> Result<Vec<Group>> {
    let plan = ctx.plan()?.clone();
    let main = Crate {
        name: plan.crate_name.clone(),
        version: plan.version.clone(),
        tag: plan.tag.clone(),
    };
    let together = |before: bool| {
        plan.together
            .iter()
            .filter(move |t| t.before == before)
            .map(|t| Crate {
                name: t.crate_name.clone(),
                version: t.version.clone(),
                tag: t.tag.clone(),
            })
    };
    let order: Vec<Crate> = together(true)
        .chain(std::iter::once(main))
        .chain(together(false))
        .collect();
    let layout = layout(ctx)?;
    let mut groups: Vec<Group> = Vec::new();
    for c in order {
        match groups.last_mut() {
            Some(last) if last.tag == c.tag => last.crates.push(c),
            _ => groups.push(Group {
                tag: c.tag.clone(),
                worktree: layout.publish_worktree(&c.tag),
                crates: vec![c],
            }),
        }
    }
    Ok(groups)
}

/// The `.git/caro-hotfix/` of the repository the steps act in (the rehearsal's clone in one).
fn layout(ctx: &mut Ctx<Hotfix>) -> Result<Layout> {
    let common = ctx.git().common_dir()?;
    Ok(Layout::in_git_dir(&common))
}

/// Where to upload: `--registry NAME`, else a `--registry-index` of its own, else cargo's default.
fn upload(ctx: &Ctx<Hotfix>) -> Upload {
    match (&ctx.settings.registry, &ctx.settings.registry_index) {
        (Some(name), _) => Upload::Registry(name.clone()),
        (None, Some(url))
            if url.trim_end_matches('/')
                != crate::settings::DEFAULT_INDEX.trim_end_matches('/') =>
        {
            let url = if url.starts_with("sparse+") || url.ends_with(".git") {
                url.clone()
            } else {
                format!("sparse+{url}")
            };
            Upload::Index(url)
        }
        _ => Upload::Default,
    }
}

fn names(crates: &[Crate]) -> Vec<String> {
    crates.iter().map(|c| c.name.clone()).collect()
}

/// Makes sure `group.worktree` is a clean checkout of its tag: made when missing, made again when
/// it is at another commit or has changes.
fn clean_worktree(ctx: &mut Ctx<Hotfix>, group: &Group) -> Result<()> {
    let tag = &group.tag;
    let commit = ctx.git().resolve_commit(tag)?.with_context(|| {
        format!(
            "the tag {tag} is not in this repository: fetch it (`git fetch --tags`), then resume"
        )
    })?;
    let path = group.worktree.clone();
    if path.join(".git").exists() {
        let mut here = crate::ops::git::Git::new(&mut ctx.runner, &path);
        let head = here.resolve_commit("HEAD")?;
        let clean = here.status().map(|s| s.is_empty()).unwrap_or(false);
        if head.as_deref() == Some(commit.as_str()) && clean {
            return Ok(());
        }
    }
    // Gone, at another commit or changed: made again (a stale registration pruned first).
    ctx.git().worktree_remove(&path)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create {}", ctx.shown(parent)))?;
    }
    ctx.git().worktree_add(&path, &commit)?;
    ctx.ui.ok(format!(
        "A clean worktree of {tag} to publish from: {}",
        ctx.shown(&path)
    ));
    Ok(())
}

fn remove_worktrees(ctx: &mut Ctx<Hotfix>, groups: &[Group]) -> Result<()> {
    for group in groups {
        ctx.git().worktree_remove(&group.worktree)?;
    }
    Ok(())
}

/// Asks the registry's API, then its index, whether `c` is there, and with which checksum.
fn ask(ctx: &mut Ctx<Hotfix>, reg: &Registry, c: &Crate) -> Result<There> {
    let api = registry_api::version_info(&mut ctx.runner, &reg.config.api, &c.name, &c.version);
    if let Ok(VersionAnswer::Known { checksum, .. }) = &api {
        if checksum.is_some() {
            return Ok(There::Published(checksum.clone()));
        }
    }
    let url = ctx.index_url(&c.name)?;
    match index::fetch(&mut ctx.runner, &url) {
        Ok(IndexFile::Found(file)) if registry::version_line(&file, &c.version).is_some() => {
            Ok(There::Published(registry::version_cksum(&file, &c.version)))
        }
        _ if matches!(api, Ok(VersionAnswer::Known { .. })) => Ok(There::Published(None)),
        Ok(IndexFile::Found(_) | IndexFile::Missing) => Ok(There::Missing),
        Ok(IndexFile::RateLimited(_)) | Err(_) => match api {
            Ok(VersionAnswer::Unknown) => Ok(There::Missing),
            Ok(_) => bail!(
                "the registry could not be asked whether {} {} is already published (its index \
                 {url} did not answer); nothing was published",
                c.name,
                c.version
            ),
            Err(e) => Err(e.context(format!(
                "the registry could not be asked whether {} {} is already published; nothing was \
                 published",
                c.name, c.version
            ))),
        },
    }
}

/// The sha256 of every crate of the group as `cargo package` makes it from the tag.
fn checksums(
    ctx: &mut Ctx<Hotfix>,
    group: &Group,
    target_dir: &Path,
    upload: &Upload,
) -> Result<Vec<(String, String)>> {
    let out = cargo::package(
        &mut ctx.runner,
        &group.worktree,
        target_dir,
        &names(&group.crates),
        upload,
    )?;
    if !out.success() {
        bail!(
            "`cargo package --locked` of {} at {} failed, so the versions already on the \
             registry cannot be compared with the tag:\n{}",
            names(&group.crates).join(", "),
            group.tag,
            indent(out.stderr.trim())
        );
    }
    let mut sums = Vec::new();
    for c in &group.crates {
        let file = target_dir
            .join("package")
            .join(format!("{}-{}.crate", c.name, c.version));
        let bytes = std::fs::read(&file)
            .with_context(|| format!("cargo package did not make {}", file.display()))?;
        sums.push((c.name.clone(), published::sha256_hex(&bytes)));
    }
    Ok(sums)
}

/// A version already on the registry is done when it is the tag's package; else the step stops.
fn same_as_ours(
    ctx: &mut Ctx<Hotfix>,
    reg: &Registry,
    c: &Crate,
    theirs: Option<&str>,
    ours: &[(String, String)],
) -> Result<()> {
    let ours = ours
        .iter()
        .find(|(name, _)| *name == c.name)
        .map(|(_, sum)| sum.as_str())
        .unwrap_or_default();
    match theirs {
        Some(sum) if sum == ours => {
            ctx.ui.ok(format!(
                "{} {} is already on the registry, with the checksum of the package of {} \
                 ({}…): not published again",
                c.name,
                c.version,
                c.tag,
                &ours[..ours.len().min(12)]
            ));
            ctx.note(
                12,
                format!("{} {} was already published", c.name, c.version),
            );
            Ok(())
        }
        Some(sum) => {
            ctx.note(
                12,
                format!(
                    "{} {} on the registry is not the tag's package",
                    c.name, c.version
                ),
            );
            bail!(
                "{name} {version} is already on the registry ({api}), but with the checksum {sum}, \
                 while `cargo package` of the tag {tag} makes {ours}: someone published another \
                 package under this version. Nothing more was published.\n\
                 Check who published it (the crate's page on the registry lists the publisher of \
                 each version), download it ({api}/api/v1/crates/{name}/{version}/download) and \
                 compare it with {tag}. If it is not your release, yank it (`cargo yank --version \
                 {version} {name}`), report it to the registry (help@crates.io for crates.io), and \
                 release the fix as the next version (`caro-hotfix abort`, then start again).",
                name = c.name,
                version = c.version,
                api = reg.config.api,
                tag = c.tag,
            )
        }
        None => {
            ctx.ui.warn(format!(
                "{} {} is already on the registry, which gives no checksum for it: not published \
                 again; the check of the published crate compares it with {}",
                c.name, c.version, c.tag
            ));
            Ok(())
        }
    }
}

fn show_commands(
    ctx: &mut Ctx<Hotfix>,
    groups: &[Group],
    todo: &[(usize, Vec<Crate>)],
    upload: &Upload,
    several: bool,
) {
    let all: Vec<String> = todo.iter().flat_map(|(_, c)| names(c)).collect();
    ctx.ui.info(format!(
        "caro-hotfix publishes {} now, with cargo's own token (its credential provider, \
         CARGO_REGISTRY_TOKEN or CARGO_REGISTRIES_<NAME>_TOKEN):",
        list(&all)
    ));
    for (g, crates) in todo {
        let group = &groups[*g];
        let dir = ctx.shown(&group.worktree);
        let lines: Vec<Vec<String>> = if several {
            vec![cargo::publish_args(&names(crates), upload, false)]
        } else {
            crates
                .iter()
                .map(|c| cargo::publish_args(std::slice::from_ref(&c.name), upload, false))
                .collect()
        };
        ctx.ui
            .line(format!("  in {dir} (a clean worktree of {}):", group.tag));
        for args in lines {
            ctx.ui.line(format!("    $ cargo {}", args.join(" ")));
        }
    }
    if all.len() > 1 {
        let how = if several {
            "cargo publishes them in this order and waits for each in the index before the next"
        } else {
            "one at a time, each once the one before is visible in the index"
        };
        ctx.ui.info(format!("In dependency order ({how})."));
    }
}

fn list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// cargo's own lines, indented, with paths relative to the repository, so the person sees what it
/// did (never a token: cargo prints none).
fn show_cargo(ctx: &Ctx<Hotfix>, out: &Output) {
    let err = relative(ctx, &out.stderr);
    for line in err.lines().chain(out.stdout.lines()) {
        let line = line.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        ctx.ui
            .line(format!("    │ {}", crate::runner::redact(line)));
    }
}

/// `text` with the repository's absolute path taken out of its paths.
fn relative(ctx: &Ctx<Hotfix>, text: &str) -> String {
    let repo = format!("{}/", ctx.repo.display());
    text.replace(&repo, "")
}

fn wait_in_index(
    ctx: &mut Ctx<Hotfix>,
    reg: &Registry,
    c: &Crate,
    interval: std::time::Duration,
    timeout: std::time::Duration,
) -> Result<String> {
    let reg = Registry {
        config: reg.config.clone(),
        index_url: ctx.index_url(&c.name)?,
    };
    if let Some(file) = registry_watch::seen_now(ctx, &reg, &c.name, &c.version, Want::Published)? {
        return Ok(file);
    }
    registry_watch::wait(
        ctx,
        &reg,
        &c.name,
        &c.version,
        Want::Published,
        interval,
        timeout,
    )
}

/// The error of a failed `cargo publish`: what cargo said, what reached the registry, what to do.
fn failed(
    ctx: &mut Ctx<Hotfix>,
    reg: &Registry,
    batch: &[Crate],
    out: &Output,
) -> Result<anyhow::Error> {
    let mut reached = Vec::new();
    let mut missing = Vec::new();
    for c in batch {
        match ask(ctx, reg, c) {
            Ok(There::Published(_)) => reached.push(format!("{} {}", c.name, c.version)),
            _ => missing.push(format!("{} {}", c.name, c.version)),
        }
    }
    let said = indent(&crate::runner::redact(relative(ctx, &out.stderr).trim()));
    let so_far = if reached.is_empty() {
        format!("Nothing of {} reached the registry.", list(&missing))
    } else if missing.is_empty() {
        format!(
            "{} {} on the registry now all the same: resume checks {} against the tag.",
            list(&reached),
            if reached.len() == 1 { "is" } else { "are" },
            if reached.len() == 1 { "it" } else { "them" }
        )
    } else {
        format!(
            "{} reached the registry; {} did not.",
            list(&reached),
            list(&missing)
        )
    };
    let what = match classify(&out.stderr) {
        Failure::Transient => "The network or the registry failed (trying again can work): when \
             the registry answers again, resume; it publishes only what is missing."
            .to_string(),
        Failure::Token => format!(
            "The registry did not take the token: give cargo one that may publish {} (`cargo \
             login`{}, or CARGO_REGISTRY_TOKEN / CARGO_REGISTRIES_<NAME>_TOKEN in the environment \
             of `caro-hotfix resume`), then resume.",
            list(&missing),
            match &ctx.settings.registry {
                Some(name) => format!(" --registry {name}"),
                None => String::new(),
            }
        ),
        Failure::Refused(code) => format!(
            "The registry refused the publish (HTTP {code}); trying again as it is cannot succeed, \
             so it was not retried. Check what it said above: the version already exists, the name \
             is taken, the account's email is not verified, or the crate accepts only trusted \
             publishing (then publish with a workflow: `publish = \"workflow\"`). Fix that on the \
             registry, then resume; it asks the registry again first."
        ),
    };
    ctx.note(12, format!("cargo publish failed: {}", list(&missing)));
    Ok(anyhow::anyhow!(
        "`cargo publish` failed:\n{said}\n{so_far}\n{what}"
    ))
}

/// The rehearsal: `cargo publish --dry-run --locked` for real in a worktree of the tag (or of the
/// hotfix branch, when the rehearsal made no tag); nothing is uploaded.
fn rehearse(ctx: &mut Ctx<Hotfix>, groups: &[Group], upload: &Upload, several: bool) -> Result<()> {
    let target_dir = layout(ctx)?.publish_target();
    for group in groups {
        if ctx.git().resolve_commit(&group.tag)?.is_none() {
            ctx.ui.warn(format!(
                "Rehearsal: there is no tag {} to publish from; the real run publishes from it",
                group.tag
            ));
            continue;
        }
        clean_worktree(ctx, group)?;
        let batches: Vec<Vec<String>> = if several {
            vec![names(&group.crates)]
        } else {
            group.crates.iter().map(|c| vec![c.name.clone()]).collect()
        };
        for batch in batches {
            let out = cargo::publish(
                &mut ctx.runner,
                &group.worktree,
                &target_dir,
                &batch,
                upload,
                true,
            )?;
            show_cargo(ctx, &out);
            if out.success() {
                ctx.ui.ok(format!(
                    "Rehearsal: `cargo publish --dry-run --locked` of {} passed; nothing was uploaded",
                    list(&batch)
                ));
            } else {
                ctx.ui.warn(format!(
                    "Rehearsal: `cargo publish --dry-run --locked` of {} failed (above): the real \
                     publish would fail the same way",
                    list(&batch)
                ));
            }
        }
    }
    remove_worktrees(ctx, groups)
}

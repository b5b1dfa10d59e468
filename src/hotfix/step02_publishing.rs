//! Step 2, before anything changes: can this hotfix be published at all?
//!
//! crates.io can be set to accept new versions only through trusted publishing (`trustpub_only`:
//! an OIDC token from a GitHub Actions workflow, no API token). Then `cargo publish` from a laptop
//! is refused, and the publish depends on the workflow in the tree that will be tagged. This is
//! learnt here, at 3 a.m. before the branch exists, not at step 12 after the tag.
//!
//! - The registry's API (the `api` of the index's `config.json`): does the crate exist, and does it
//!   accept only trusted publishing? An unreachable API is a warning, not a stop.
//! - The publishing workflow in the tree to be tagged: `publish-workflow`, else a workflow file run
//!   by tag pushes or releases that runs `cargo publish` or a known publishing action; whether it
//!   can get an OIDC token (`id-token: write`) and which environment it uses.
//! - A trusted-publishing-only crate without such a workflow (or whose workflow cannot get a token)
//!   stops here, saying what to add.
//! - Who publishes (`publish`): the workflow found, else caro-hotfix itself at step 12 (`cargo
//!   publish --locked` from a clean worktree of the tag). The choice is said and recorded in the
//!   plan; caro-hotfix publishing a trusted-publishing-only crate stops here.

use anyhow::{bail, Result};

use crate::config::Publisher;
use crate::flow::Ctx;
use crate::logic::registry;
use crate::logic::workflow::{self, Workflow};
use crate::ops::registry_api::{self, CrateAnswer};
use crate::record::Hotfix;

const WORKFLOWS: &str = ".github/workflows";

/// The workflow that will publish the tag, found in the tree to be tagged.
struct Found {
    path: String,
    workflow: Workflow,
}

/// Checks that the hotfix of `crate_name` can be published from the tree that will be tagged: the
/// remote's `branch` (the branch the PR targets), or the base tag when that branch does not exist
/// yet (a maintenance branch made from it at step 9). Returns who publishes it.
pub fn check(
    ctx: &mut Ctx<Hotfix>,
    crate_name: &str,
    base_tag: &str,
    branch: &str,
) -> Result<Publisher> {
    let remote_branch = format!("{}/{branch}", ctx.settings.remote);
    let (rev, tree) = match ctx.git().resolve_commit(&remote_branch)? {
        Some(_) => (remote_branch.clone(), remote_branch),
        None => (base_tag.to_string(), base_tag.to_string()),
    };
    let (rev, tree) = (rev.as_str(), tree.as_str());
    let configured = ctx.settings.publish_workflow.clone();
    let found = find_workflow(ctx, rev, configured.as_deref())?;
    let publisher = ctx.settings.publish.unwrap_or(if found.is_some() {
        Publisher::Workflow
    } else {
        Publisher::CaroHotfix
    });
    let trustpub_only = match ask_registry(ctx, crate_name)? {
        Some(answer) => answer,
        None => return describe(ctx, crate_name, found.as_ref(), tree, false, publisher),
    };
    if trustpub_only && ctx.settings.publish == Some(Publisher::CaroHotfix) {
        bail!(
            "{crate_name} accepts only trusted publishing (the registry's `trustpub_only`), so the \
             `cargo publish` with a token that `publish = \"caro-hotfix\"` asks for would be \
             refused at step 12, after the tag.\n\
             Set `publish = \"workflow\"` in [package.metadata.hotfix] and publish with a workflow \
             run by the tag (it needs `permissions: id-token: write`), or allow token publishing \
             again in the crate's settings on crates.io, then start the hotfix again."
        );
    }
    if trustpub_only {
        let missing = |why: String| -> Result<()> {
            bail!(
                "{crate_name} accepts only trusted publishing (the registry's `trustpub_only`), so \
                 `cargo publish` with a token — from a laptop or a workflow's secret — is refused, \
                 and {why}. This hotfix cannot be published as things are.\n\
                 Add to {tree} (on the branch the hotfix will be tagged on) a workflow such as \
                 {WORKFLOWS}/publish.yml:\n\n{}\n\
                 then add it as a trusted publisher of {crate_name} on crates.io (the crate's \
                 Settings → Trusted Publishing: repository, workflow file name, environment), and \
                 start the hotfix again.",
                example()
            )
        };
        match &found {
            None => {
                let why = match configured {
                    Some(w) => format!("the configured publish-workflow `{w}` is not in {tree}"),
                    None => format!(
                        "{tree} has no workflow run by a tag push or a release that publishes"
                    ),
                };
                missing(why)?;
            }
            Some(f) if !f.workflow.oidc => missing(format!(
                "`{}` in {tree} cannot get an OIDC token (it has no `permissions: id-token: write`)",
                f.path
            ))?,
            Some(_) => {}
        }
    }
    describe(
        ctx,
        crate_name,
        found.as_ref(),
        tree,
        trustpub_only,
        publisher,
    )
}

/// The registry's answer: `Some(trustpub_only)` for a crate it has, `None` when it could not say
/// (not published yet, unreachable, the demo) — each said plainly here.
fn ask_registry(ctx: &mut Ctx<Hotfix>, crate_name: &str) -> Result<Option<bool>> {
    let root = registry::index_root(&ctx.index_url(crate_name)?, crate_name);
    let config = match registry_api::config(&mut ctx.runner, &root) {
        Ok(Some(c)) => c,
        Ok(None) => return Ok(None),
        Err(e) => {
            unreachable_api(ctx, crate_name, &format!("{e:#}"));
            return Ok(None);
        }
    };
    match registry_api::crate_info(&mut ctx.runner, &config.api, crate_name) {
        Ok(CrateAnswer::Found { trustpub_only }) => Ok(Some(trustpub_only.unwrap_or(false))),
        Ok(CrateAnswer::NotFound) => {
            ctx.ui.warn(format!(
                "{crate_name} is not on the registry ({}) yet: this hotfix would be its first \
                 publish. A first publish needs a token (`cargo publish` with one); trusted \
                 publishing can only be set up for a crate that exists.",
                config.api
            ));
            Ok(None)
        }
        Ok(CrateAnswer::RateLimited(_)) => {
            unreachable_api(ctx, crate_name, "it answered 429 Too Many Requests");
            Ok(None)
        }
        Ok(CrateAnswer::Simulated) => Ok(None),
        Err(e) => {
            unreachable_api(ctx, crate_name, &format!("{e:#}"));
            Ok(None)
        }
    }
}

fn unreachable_api(ctx: &Ctx<Hotfix>, crate_name: &str, why: &str) {
    ctx.ui.warn(format!(
        "could not ask the registry's API whether {crate_name} accepts only trusted publishing \
         ({why}); going on. If it does, the publish needs a workflow with `id-token: write`."
    ));
}

/// The configured workflow, else the first workflow file run by a tag push or a release that
/// publishes.
fn find_workflow(
    ctx: &mut Ctx<Hotfix>,
    rev: &str,
    configured: Option<&str>,
) -> Result<Option<Found>> {
    let files = ctx.git().files_in(rev, WORKFLOWS)?;
    let mut candidates: Vec<String> = files
        .into_iter()
        .filter(|f| f.ends_with(".yml") || f.ends_with(".yaml"))
        .collect();
    if let Some(wanted) = configured {
        let name = wanted.rsplit('/').next().unwrap_or(wanted);
        candidates.retain(|f| f.rsplit('/').next() == Some(name));
    }
    for path in candidates {
        let Some(text) = ctx.git().show_file(rev, &path)? else {
            continue;
        };
        let workflow = workflow::read(&text);
        if configured.is_some() || (workflow.on_tag_or_release && workflow.publishes) {
            return Ok(Some(Found { path, workflow }));
        }
    }
    Ok(None)
}

/// One line on how the hotfix will be published (or a warning when nothing will do it).
fn describe(
    ctx: &mut Ctx<Hotfix>,
    crate_name: &str,
    found: Option<&Found>,
    tree: &str,
    trustpub_only: bool,
    publisher: Publisher,
) -> Result<Publisher> {
    if publisher == Publisher::CaroHotfix {
        let why = if ctx.settings.publish.is_some() {
            "`publish = \"caro-hotfix\"`".to_string()
        } else {
            format!("no workflow in {tree} publishes on a tag")
        };
        let to = match &ctx.settings.registry {
            Some(name) => format!(" --registry {name}"),
            None => String::new(),
        };
        ctx.ui.ok(format!(
            "Publishing: caro-hotfix publishes at step 12 ({why}): `cargo publish --locked{to}` \
             from a clean worktree of the tag, every crate of the release in dependency order, \
             after a typed `yes`; your token stays cargo's"
        ));
        if ctx.settings.registry.is_none()
            && ctx.settings.registry_index.as_deref().is_some_and(|u| {
                u.trim_end_matches('/') != crate::settings::DEFAULT_INDEX.trim_end_matches('/')
            })
        {
            ctx.ui.warn(
                "`cargo publish` uploads to a registry by name, not to an index URL alone (it \
                 would want the token on its command line): name it in .cargo/config.toml \
                 (`[registries.NAME] index = …`) and pass --registry NAME, or set `publish = \
                 \"workflow\"` and publish by hand",
            );
        }
        if let Some(f) = found {
            ctx.ui.warn(format!(
                "`{}` publishes on a tag too: the tag's push starts it, and the registry refuses \
                 whichever of the two publishes second. Set `publish = \"workflow\"` to let it \
                 publish, or keep it from running on the hotfix's tag",
                f.path
            ));
        }
        return Ok(publisher);
    }
    let Some(f) = found else {
        match &ctx.settings.publish_workflow {
            Some(w) => ctx.ui.warn(format!(
                "the configured publish-workflow `{w}` is not in {tree}'s {WORKFLOWS}: step 12 \
                 will find no run to watch; publish by hand from the tag then"
            )),
            None => ctx.ui.info(format!(
                "Publishing: no workflow in {tree} publishes on a tag; step 12 waits for \
                 `cargo publish` by hand from the tag (`publish = \"workflow\"`)"
            )),
        }
        return Ok(publisher);
    };
    let w = &f.workflow;
    let how = if w.oidc {
        "with an OIDC token (`id-token: write`)"
    } else {
        "with a token from its secrets (no `id-token: write`)"
    };
    let env = match w.environments.as_slice() {
        [] => String::new(),
        [one] => format!(", environment `{one}`"),
        many => format!(", environments `{}`", many.join("`, `")),
    };
    let only = if trustpub_only {
        format!("{crate_name} accepts only trusted publishing; ")
    } else {
        String::new()
    };
    let trigger = if w.on_tag_or_release {
        "publishes on a tag push or release"
    } else {
        "is the configured publish-workflow but is not run by a tag push or a release"
    };
    ctx.ui.ok(format!(
        "Publishing: {only}`{}` in {tree} {trigger} {how}{env}",
        f.path
    ));
    if !w.on_tag_or_release {
        ctx.ui.warn(format!(
            "`{}` has no `on: push: tags:` or `on: release`: pushing the tag will not start it; \
             start it by hand at step 12",
            f.path
        ));
    }
    if trustpub_only && !w.auth_action {
        ctx.ui.warn(format!(
            "`{}` does not use rust-lang/crates-io-auth-action: check that it exchanges its OIDC \
             token for a crates.io token before `cargo publish`",
            f.path
        ));
    }
    Ok(publisher)
}

/// The smallest trusted-publishing workflow.
fn example() -> &'static str {
    "    on:\n      push:\n        tags: ['v*']\n    jobs:\n      publish:\n        runs-on: ubuntu-latest\n        \
     environment: release\n        permissions:\n          id-token: write\n        steps:\n          \
     - uses: actions/checkout@v4\n          - uses: rust-lang/crates-io-auth-action@v1\n            \
     id: auth\n          - run: cargo publish --locked\n            env:\n              \
     CARGO_REGISTRY_TOKEN: ${{ steps.auth.outputs.token }}\n"
}

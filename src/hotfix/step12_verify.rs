//! Step 12, once the version is visible: is what reached the registry what was tagged?
//!
//! The `.crate` is downloaded from the registry's `dl` template (the sparse-index protocol), its
//! sha256 checked against the index line's `cksum`, unpacked in memory and compared with the tag
//! (`logic::published`: the commit `.cargo_vcs_info.json` names, `Cargo.toml.orig` against the tag's
//! `Cargo.toml`, every other file byte for byte, found in the tag through its symlinks as a checkout
//! gives them to `cargo package`; the normalised `Cargo.toml` and the `Cargo.lock` for what they
//! mean: the released crate and version, the tag's dependencies, the tag's locked packages). A match is one line; a mismatch stops the hotfix
//! before the advisory is published, naming each differing file: a compromised pipeline could ship
//! anything under our version number. Every failure keeps the record; `resume` downloads again.

use anyhow::{bail, Context, Result};

use crate::flow::registry_watch::Registry;
use crate::flow::Ctx;
use crate::logic::{published, registry};
use crate::ops::registry_api;
use crate::record::Hotfix;

/// Checks the published `.crate` of `crate_name` `version` against `tag`; `index_file` is the
/// crate's index file in which the version is visible.
pub fn check(
    ctx: &mut Ctx<Hotfix>,
    reg: &Registry,
    index_file: &str,
    crate_name: &str,
    version: &str,
    tag: &str,
) -> Result<()> {
    let Some(cksum) = registry::version_cksum(index_file, version) else {
        bail!(
            "the registry index ({}) lists {crate_name} {version} without a `cksum`: the download \
             cannot be checked",
            reg.index_url
        );
    };
    let url = registry::download_url(&reg.config.dl, crate_name, version, &cksum);
    let bytes = registry_api::download(&mut ctx.runner, &url)
        .with_context(|| format!("could not download {crate_name} {version} to check it"))?;
    let sha = published::sha256_hex(&bytes);
    if sha != cksum {
        bail!(
            "the download of {crate_name} {version} ({url}, {} bytes) has sha256 {sha}, but the \
             registry index says {cksum}: the download is not the crate the index lists (a proxy \
             or mirror in the way, or a damaged transfer). The advisory is not published.",
            bytes.len()
        );
    }
    let package = published::unpack(&bytes, crate_name, version).map_err(|e| {
        anyhow::anyhow!("the download of {crate_name} {version} ({url}) cannot be checked: {e}")
    })?;
    let commit = ctx
        .git()
        .resolve_commit(tag)?
        .with_context(|| format!("the tag {tag} is not in this repository: fetch it first"))?;
    let tag_tree = ctx.git().published_tag(&commit, &package)?;
    let verdict = published::compare(&package, &tag_tree, crate_name, version);
    let differences = &verdict.differences;
    if differences.is_empty() {
        // "checksum, commit c0ffee, 91 files, manifest (12 dependencies), Cargo.lock (62 packages)
        // match", or "… match; Cargo.lock not checked: the tag commits none".
        let compared = verdict.compared();
        let (matched, note) = match compared.split_once("; ") {
            Some((matched, note)) => (matched.to_string(), format!("; {note}")),
            None => (compared, String::new()),
        };
        ctx.ui.ok(format!(
            "The published {crate_name} {version} is the tagged source {tag}: checksum, commit {}, \
             {matched} match{note}",
            &commit[..commit.len().min(12)],
        ));
        return Ok(());
    }
    let list: Vec<String> = differences.iter().map(|d| format!("  - {d}")).collect();
    ctx.note(12, "the published crate differs from the tag");
    bail!(
        "the published {crate_name} {version} is NOT the tagged source {tag} ({commit}): {} \
         difference{}:\n{}\n\
         This may be a compromised publishing pipeline. The advisory is not published. Compare \
         the crate ({url}) with the tag, and if it is not what you released, yank it \
         (`caro-hotfix rollback`) and report the incident to the registry (help@crates.io for \
         crates.io).",
        differences.len(),
        if differences.len() == 1 { "" } else { "s" },
        list.join("\n")
    )
}

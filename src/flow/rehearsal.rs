//! The moment a rehearsal begins (the first step confirmed): it moves into a throwaway clone, where
//! the local steps run for real, and builds there with the dependencies the maintainer already built.

use anyhow::{Context, Result};

use super::Ctx;
use crate::record::Tracked;

/// Moves a rehearsal into its throwaway clone (once). The clone goes with `ctx.sandbox`; Ctrl-C,
/// which ends the process without destructors, removes it through an exit hook.
pub fn enter_clone<R: Tracked>(ctx: &mut Ctx<R>) -> Result<()> {
    if !ctx.settings.dry_run || ctx.sandbox.is_some() {
        return Ok(());
    }
    let sandbox = crate::sandbox::create(&mut ctx.runner, &ctx.origin_repo, &ctx.settings.remote)?;
    ctx.repo = sandbox.path().to_path_buf();
    ctx.ui.ok(format!(
        "Rehearsal: working in a throwaway clone at {}; the repository and the remote stay untouched",
        ctx.repo.display()
    ));
    let clone = sandbox.path().to_path_buf();
    crate::interrupt::before_exit("rehearsal clone", move || {
        let _ = std::fs::remove_dir_all(&clone);
    });
    ctx.sandbox = Some(sandbox);
    let origin_repo = ctx.origin_repo.clone();
    let Some(dir) = crate::sandbox::share_build_cache(&mut ctx.runner, &ctx.env, &origin_repo)?
    else {
        return Ok(());
    };
    let shown = dir
        .strip_prefix(&origin_repo)
        .unwrap_or(&dir)
        .display()
        .to_string();
    ctx.ui.ok(format!(
        "Rehearsal: the clone builds in {shown}, kept between rehearsals so dependencies are built once"
    ));
    let bar = ctx
        .ui
        .spinner("Reusing the dependencies your own builds compiled");
    let seeded = crate::sandbox::reuse_builds(&mut ctx.runner, &origin_repo, &dir)
        .with_context(|| format!("could not copy your builds into {shown}"));
    bar.finish_and_clear();
    match seeded {
        Ok(seeded) if seeded.entries > 0 => ctx.ui.ok(format!(
            "Rehearsal: reused {} dependency artifacts from your own builds in target/{} (libraries hard-linked, {:.1} MB copied)",
            seeded.entries,
            seeded.profiles.join(", target/"),
            seeded.bytes as f64 / 1_000_000.0,
        )),
        Ok(_) => {}
        Err(err) => ctx.ui.warn(format!(
            "{err:#}; the clone builds its dependencies itself (slower, nothing else changes)"
        )),
    }
    Ok(())
}

//! Part of step 12: the crates released together with the hotfixed one (step 2's plan) must reach
//! the registry too — a clap that pins a clap_builder nobody can download is a broken release. Each
//! one's index file is polled until its new version's line is there, in publishing order.

use anyhow::{bail, Result};

use crate::flow::Ctx;
use crate::logic::registry;
use crate::ops::index::{self, IndexCache, IndexFile};
use crate::record::Hotfix;

const POLLS: u32 = 30;
const DEFAULT_POLL_SECS: f64 = 20.0;

pub fn wait(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let together = ctx.plan()?.together.clone();
    for crate_ in together {
        let (name, version) = (crate_.crate_name, crate_.version);
        let url = ctx.index_url(&name)?;
        if ctx.settings.dry_run {
            ctx.ui.ok(format!(
                "Rehearsal: the real run also waits here for {name} {version} (released together) in {url}"
            ));
            continue;
        }
        let interval = ctx.poll_interval(DEFAULT_POLL_SECS);
        let mut cache = IndexCache::default();
        let mut seen = false;
        for poll in 0..POLLS {
            if let Ok(IndexFile::Found(file)) =
                index::fetch_cached(&mut ctx.runner, &url, &mut cache)
            {
                if registry::version_line(&file, &version).is_some() {
                    seen = true;
                    break;
                }
            }
            if poll + 1 < POLLS {
                ctx.clock.pause(interval);
            }
        }
        if !seen {
            bail!(
                "{name} {version}, released together with {} (tag {}), is not in the registry index \
                 ({url}) after {POLLS} polls: check that its publish ran (`git checkout {} && cargo \
                 publish -p {name}` publishes it by hand)",
                ctx.plan()?.crate_name,
                crate_.tag,
                crate_.tag
            );
        }
        ctx.ui.ok(format!(
            "Published: {name} {version} is in the registry index"
        ));
    }
    Ok(())
}

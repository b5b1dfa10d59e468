//! Step 7: the project's tests — by default `cargo test --lib` and `cargo test --test '*'`, each only
//! when the package has such targets — with the counts from cargo's `test result:` lines.

use anyhow::{bail, Result};

use crate::flow::Ctx;
use crate::logic::test_counts::{self, Counts};
use crate::ops::cargo;
use crate::record::Hotfix;

/// How many lines of a failing run's output to show.
const FAILURE_TAIL: usize = 120;

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let commands = commands(ctx)?;
    if commands.is_empty() {
        ctx.ui
            .warn("The package has no library and no integration-test targets: no tests to run.");
        ctx.note(7, "no test targets");
        return Ok(());
    }
    let repo = ctx.repo.clone();
    let mut lines = Vec::new();
    for (label, argv) in &commands {
        let out = cargo::run_argv(&mut ctx.runner, &repo, argv, "run the tests")?;
        let counts = test_counts::parse(&out.stdout);
        if !out.success() {
            let both = format!("{}{}", out.stdout, out.stderr);
            let all: Vec<&str> = both.lines().collect();
            let tail = &all[all.len().saturating_sub(FAILURE_TAIL)..];
            ctx.ui.blank();
            for line in tail {
                ctx.ui.line(*line);
            }
            ctx.ui.blank();
            let branch = ctx.plan()?.branch.clone();
            bail!(
                "the tests failed: `{}` exited {} ({} passed, {} failed). DO NOT release.\n\
                 Fix the failures on {branch} (commit the fix).",
                argv.join(" "),
                out.code,
                counts.passed,
                counts.failed
            );
        }
        lines.push(format!("{} passed", describe(counts, label)));
    }
    ctx.ui.ok("All tests passed");
    ctx.ui.blank();
    ctx.ui.line("Test summary:");
    for line in &lines {
        ctx.ui.info(format!("• {line}"));
    }
    ctx.rec.tests = Some(lines.join("; "));
    Ok(())
}

/// `1 unit test`, `12 integration tests (2 ignored)`.
fn describe(c: Counts, noun: &str) -> String {
    let passed = crate::ui::count(c.passed as usize, noun);
    if c.ignored > 0 {
        format!("{passed} ({} ignored)", c.ignored)
    } else {
        passed
    }
}

/// `(what the counts are called, argv)` for each test command to run.
fn commands(ctx: &mut Ctx<Hotfix>) -> Result<Vec<(String, Vec<String>)>> {
    if !ctx.settings.test_commands.is_empty() {
        return Ok(ctx
            .settings
            .test_commands
            .iter()
            .map(|argv| ("test".to_string(), argv.clone()))
            .collect());
    }
    let repo = ctx.repo.clone();
    let meta = cargo::metadata(&mut ctx.runner, &repo)?;
    let package = meta
        .select(ctx.settings.package.as_deref(), &repo.join("Cargo.toml"))?
        .clone();
    let scope: Vec<String> = if meta.packages.len() > 1 {
        vec!["-p".into(), package.name.clone()]
    } else {
        Vec::new()
    };
    let mut commands = Vec::new();
    if package.has_lib() {
        let mut argv: Vec<String> = vec!["cargo".into(), "test".into()];
        argv.extend(scope.clone());
        argv.push("--lib".into());
        commands.push(("unit test".to_string(), argv));
    }
    if package.has_integration_tests() {
        let mut argv: Vec<String> = vec!["cargo".into(), "test".into()];
        argv.extend(scope);
        argv.extend(["--test".into(), "*".into()]);
        commands.push(("integration test".to_string(), argv));
    }
    Ok(commands)
}

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
            show_tail(ctx, &format!("{}{}", out.stdout, out.stderr));
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
    // The gate and the commit it ran on: under embargo, the evidence the private review cites.
    let head = ctx.git().head()?;
    ctx.rec.gates.retain(|g| g.what != "tests");
    ctx.rec.gates.push(crate::record::Gate {
        what: "tests".into(),
        commit: head,
        outcome: format!("passed ({})", lines.join("; ")),
    });
    api_check(ctx)
}

/// A patch must not break its line's API: `cargo semver-checks check-release --baseline-rev <base
/// tag>` (the released source itself, offline, any registry) where cargo-semver-checks is installed;
/// a breaking change stops with its report unless a typed `yes` overrides it. Not installed: said,
/// and the hotfix goes on, as the audit does.
fn api_check(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let plan = ctx.plan()?.clone();
    let line = plan.line();
    let argv: Vec<String> = [
        "cargo",
        "semver-checks",
        "check-release",
        "--package",
        &plan.crate_name,
        "--baseline-rev",
        &plan.base_tag,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Not installed: said as skipped, without showing a `$ cargo semver-checks …` that never runs.
    let missing = ctx.runner.which("cargo-semver-checks").is_none();
    let repo = ctx.repo.clone();
    let out = if missing {
        None
    } else {
        Some(cargo::run_argv(
            &mut ctx.runner,
            &repo,
            &argv,
            "check the line's public API",
        )?)
    };
    let not_installed = |o: &crate::runner::Output| {
        o.stderr.contains("no such command") || o.stderr.contains("no such subcommand")
    };
    let out = match out {
        Some(out) if !not_installed(&out) => out,
        _ => {
            ctx.ui.warn(
                "API check skipped: cargo-semver-checks is not installed (install it with `cargo install cargo-semver-checks --locked`)",
            );
            ctx.note(
                7,
                format!("{line}: API check skipped: cargo-semver-checks is not installed"),
            );
            return Ok(());
        }
    };
    if out.success() {
        ctx.ui.ok(format!(
            "No breaking API change against {} (cargo-semver-checks)",
            plan.base_tag
        ));
        ctx.note(
            7,
            format!("{line}: API unchanged against {}", plan.base_tag),
        );
        return Ok(());
    }
    let both = format!("{}{}", out.stdout, out.stderr);
    // Its report names each failed lint (`--- failure …`) and what the change requires.
    let breaking = both.contains("--- failure") || both.contains("semver requires new");
    if !breaking {
        let first = out
            .stderr
            .lines()
            .find(|l| l.trim_start().starts_with("error"))
            .or_else(|| out.stderr.lines().find(|l| !l.trim().is_empty()))
            .unwrap_or("no output")
            .trim()
            .to_string();
        ctx.ui.warn(format!(
            "API check skipped: cargo semver-checks did not complete (exit {}): {first}",
            out.code
        ));
        ctx.note(
            7,
            format!("{line}: API check skipped: cargo semver-checks did not complete"),
        );
        return Ok(());
    }
    show_tail(ctx, &both);
    ctx.ui.warn(format!(
        "cargo semver-checks reports a breaking change against {} (exit {}): users of the {line} \
         line who update get a build failure or changed behaviour.",
        plan.base_tag, out.code
    ));
    let question = format!(
        "Release {} with this API change anyway? (type 'yes')",
        plan.version
    );
    if ctx.prompter.typed(&question, "yes")? {
        ctx.ui.warn(format!(
            "Going on with the API change on the {line} line, as you typed yes"
        ));
        ctx.note(7, format!("{line}: API change released by choice"));
        return Ok(());
    }
    bail!(
        "the patch breaks the {line} line's API (cargo semver-checks against {}). DO NOT release.\n\
         Make the fix compatible on {} (commit it), then run `caro-hotfix resume`.",
        plan.base_tag,
        plan.branch
    )
}

/// The last [`FAILURE_TAIL`] lines of a program's output, between blank lines.
fn show_tail(ctx: &Ctx<Hotfix>, output: &str) {
    let all: Vec<&str> = output.lines().collect();
    ctx.ui.blank();
    for line in &all[all.len().saturating_sub(FAILURE_TAIL)..] {
        ctx.ui.line(*line);
    }
    ctx.ui.blank();
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

//! caro-hotfix's integration tests: one test binary, a module per area (the layout of cargo's and
//! cargo-release's `tests/testsuite/`), so the crate and its dependencies are linked once, not once
//! per file. Run one area with `cargo test --test testsuite first_half::`.
//!
//! - `first_half`: steps 1 to 8 and their failure paths; `second_half`: steps 9 to 16 end to end;
//!   `strategy`: the maintenance strategy, release lines and a project's configuration;
//!   `dry_run`: the rehearsal and the fire drill; `record`: `status`, `abort`, `resume`;
//!   `rollback`: `caro-hotfix rollback`.
//! - `bad_inputs`: one test per row of the bad-input table in docs/safety.md; `properties`: the
//!   editors and the base-tag choice under proptest; `fault_injection`: a kill inside every step,
//!   then `resume`.
//! - `publish_ourselves`: step 12 running the real `cargo publish` from the tag against the test
//!   registry (one crate, two released together, a kill between them, already there, a 503, the
//!   token scan).
//! - `terminal`: the real binary in a pseudo-terminal; `cli`: help, completions, man page, usage.
//! - `real_shapes`: fire drills on workspaces shaped like tokio, regex, clap, serde, jj and rustls
//!   (`support::shapes`: their manifests, tags, pins, CHANGELOG headings, branches, lock files).
//! - `gh_stand_in`: the test doubles themselves (the gh stand-in and the sparse index server).
//! - `support`: the fixture crate with its bare origin, the stand-ins, the scripted prompter and the
//!   builder that runs the wizard (`fx.caro(&args).answers(..).run()`); `support::screen` reads a
//!   pseudo-terminal's run as an 80-column terminal shows it.
//!
//! Snapshots of whole texts are in `snapshots/` (insta); `cargo insta review` or
//! `INSTA_UPDATE=always` updates them after a deliberate change.

// Tests start real programs and read the environment to build their fixtures (clippy.toml bans
// both in the product, outside the runner and io::Env).
#![allow(clippy::disallowed_methods)]

mod support;

mod after_disclosure;
mod bad_inputs;
mod cli;
mod disclosure;
mod dry_run;
mod embargo;
mod fault_injection;
mod first_half;
mod gh_faults;
mod gh_real;
mod gh_stand_in;
mod github_emulator;
mod lines;
mod one_advisory;
mod properties;
mod publish_ourselves;
mod published_crate;
mod published_packaged;
mod publishing;
mod real_shapes;
mod real_shapes_two;
mod record;
mod rollback;
mod rustsec_cross_check;
mod second_half;
mod semver_classes;
mod strategy;
mod terminal;

/// A test file that is not declared above would silently never compile nor run (as in jj's
/// `cli/tests/runner.rs`): every `.rs` file here is a module of this binary.
#[test]
fn every_test_file_is_a_module() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite");
    let main = std::fs::read_to_string(dir.join("main.rs")).expect("read main.rs");
    let declared: Vec<&str> = main
        .lines()
        .filter_map(|l| l.strip_prefix("mod ")?.strip_suffix(';'))
        .collect();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("read tests/testsuite") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let module = if path.is_dir() && path.join("mod.rs").is_file() {
            name.to_string()
        } else if let Some(stem) = name.strip_suffix(".rs") {
            stem.to_string()
        } else {
            continue;
        };
        if module != "main" {
            files.push(module);
        }
    }
    files.sort();
    assert!(files.len() >= 13, "only {files:?} in tests/testsuite");
    let missing: Vec<&String> = files
        .iter()
        .filter(|f| !declared.contains(&f.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "tests/testsuite/{missing:?} not declared in tests/testsuite/main.rs: add `mod <name>;`"
    );
    // And nothing lingers beside the binary as a test target of its own.
    let strays: Vec<String> = std::fs::read_dir(dir.parent().expect("tests/"))
        .expect("read tests/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rs"))
        .collect();
    assert!(
        strays.is_empty(),
        "{strays:?} in tests/ would be separate test binaries: move them into tests/testsuite/"
    );
}

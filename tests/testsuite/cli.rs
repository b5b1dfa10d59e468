//! The command line itself: help, completions, man page, usage errors.

use std::process::Command;

fn caro(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_caro-hotfix"))
        .args(args)
        .stdin(std::process::Stdio::null())
        // --help shows the variable's value: none here, whatever the developer's shell has; and
        // clap wraps help to COLUMNS when it is set (100 columns here, stdout being a pipe).
        .env_remove("CARO_HOTFIX_REGISTRY_INDEX")
        .env_remove("COLUMNS")
        .env_remove("LINES")
        .output()
        .expect("run caro-hotfix")
}

#[test]
fn completions_cover_the_commands_and_options() {
    let out = caro(&["completions", "bash"]);
    assert!(out.status.success());
    let script = String::from_utf8_lossy(&out.stdout);
    for word in [
        "resume",
        "status",
        "abort",
        "rollback",
        "demo",
        "--dry-run",
        "--fix-from",
        "--poll-interval",
    ] {
        assert!(script.contains(word), "completion script lacks {word}");
    }
}

#[test]
fn the_man_page_is_roff_for_caro_hotfix() {
    let out = caro(&["man"]);
    assert!(out.status.success());
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH caro-hotfix 1"), "{page}");
    assert!(page.contains("non\\-interactive"), "{page}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["--severity", "catastrophic", "x"],
        vec!["--poll-interval", "-1", "x"],
        vec!["--non-interactive", "x"],
        vec![],
    ] {
        let out = caro(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn help_shows_the_two_ways_to_call_it() {
    let out = caro(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains(
            "Usage: caro-hotfix [OPTIONS] <DESCRIPTION>\n       caro-hotfix [OPTIONS] <COMMAND>\n"
        ),
        "{help}"
    );
    // Every command is listed, with what it does.
    for command in [
        "resume",
        "status",
        "abort",
        "rollback",
        "demo",
        "completions",
        "man",
    ] {
        assert!(
            help.lines().any(|l| l.trim_start().starts_with(command)),
            "{command} missing from --help:\n{help}"
        );
    }
}

/// `--help` and `help rollback`, whole.
#[test]
fn help_texts() {
    for (name, args) in [
        ("help", vec!["--help"]),
        ("help_rollback", vec!["help", "rollback"]),
    ] {
        let out = caro(&args);
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        crate::support::snapshot::settings().bind(|| insta::assert_snapshot!(name, text));
    }
}

#[test]
fn a_mistyped_command_is_a_usage_error_not_a_hotfix_and_no_arguments_print_the_help() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (typo, meant) in [
        ("staus", "status"),
        ("resmue", "resume"),
        ("rolback", "rollback"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_caro-hotfix"))
            .arg(typo)
            .current_dir(dir.path())
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{typo}: {stderr}");
        assert!(
            stderr.contains(&format!("did you mean `caro-hotfix {meant}`?")),
            "{typo}: {stderr}"
        );
        // Nothing was looked at: no record, no repository needed.
        assert!(!dir.path().join(".git").exists());
    }
    let out = caro(&[]);
    assert_eq!(out.status.code(), Some(2));
    let help = String::from_utf8_lossy(&out.stderr);
    assert!(
        help.contains("Usage: caro-hotfix [OPTIONS] <DESCRIPTION>"),
        "{help}"
    );
    assert!(help.contains("resume"), "{help}");
}

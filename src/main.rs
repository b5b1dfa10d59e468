//! The `caro-hotfix` binary: parse, dispatch, print the error chain, pick the exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = <caro_hotfix::cli::Cli as clap::Parser>::parse();
    let code = caro_hotfix::main_with(cli);
    ExitCode::from(code)
}

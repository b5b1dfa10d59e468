//! Step 12's check of a published crate against its tag, on a crate of about 1 MB:
//! `cargo bench --bench published`.
//!
//! The fixture (made once under `target/bench-fixtures/published-1mb/`, or
//! `$CARO_HOTFIX_BENCH_DIR`): a git repository with a crate of 200 source files of pseudo-random
//! text (2 MB unpacked), tagged `v1.0.0`, and its `.crate` made by the real `cargo package
//! --no-verify` (about 1 MB, gzip). A thread serves that file over HTTP on 127.0.0.1.
//!
//! - `verify_1mb_crate`: everything step 12 does once the version is visible — the download with
//!   curl through the runner, the sha256 against the checksum, unpacking in memory, `git rev-parse`
//!   and `git ls-tree -r` of the tag, and the comparison of every file.
//! - `compare_in_memory`: only the in-process part (sha256, unpack, blob ids, compare).
//!
//! Nothing here asserts a duration; docs/performance.md has the numbers.

// Benches start real programs and read the environment to build their fixtures.
#![allow(clippy::disallowed_methods)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use caro_hotfix::logic::published;
use caro_hotfix::ops::git::Git;
use caro_hotfix::ops::registry_api;
use caro_hotfix::runner::Runner;
use caro_hotfix::ui::Ui;

fn main() {
    divan::main();
}

struct Fixture {
    repo: PathBuf,
    archive: Vec<u8>,
    cksum: String,
    url: String,
}

fn fixtures_dir() -> PathBuf {
    std::env::var_os("CARO_HOTFIX_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-fixtures"))
}

fn run(dir: &Path, program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .expect("program runs");
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The repository and its packaged crate, made once.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let repo = fixtures_dir().join("published-1mb");
        let crate_file = repo.join("target/package/bigcrate-1.0.0.crate");
        if !crate_file.exists() {
            let _ = std::fs::remove_dir_all(&repo);
            std::fs::create_dir_all(repo.join("src")).expect("fixture dir");
            run(&repo, "git", &["init", "-q", "-b", "main"]);
            std::fs::write(
                repo.join("Cargo.toml"),
                "[package]\nname = \"bigcrate\"\nversion = \"1.0.0\"\nedition = \"2021\"\n\
                 description = \"bench\"\nlicense = \"MIT\"\n",
            )
            .expect("manifest");
            std::fs::write(repo.join(".gitignore"), "/target\n").expect("gitignore");
            let mut lib = String::new();
            let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
            for i in 0..200 {
                lib.push_str(&format!("pub mod m{i};\n"));
                let mut text = String::from("// generated\npub const DATA: &[&str] = &[\n");
                while text.len() < 10_000 {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    text.push_str(&format!(
                        "    \"{state:016x}{:016x}\",\n",
                        state.rotate_left(7)
                    ));
                }
                text.push_str("];\n");
                std::fs::write(repo.join(format!("src/m{i}.rs")), text).expect("source");
            }
            std::fs::write(repo.join("src/lib.rs"), lib).expect("lib");
            run(&repo, "git", &["add", "-A"]);
            run(
                &repo,
                "git",
                &[
                    "-c",
                    "user.name=b",
                    "-c",
                    "user.email=b@b",
                    "commit",
                    "-q",
                    "-m",
                    "release",
                ],
            );
            run(
                &repo,
                "git",
                &[
                    "-c",
                    "user.name=b",
                    "-c",
                    "user.email=b@b",
                    "tag",
                    "-a",
                    "v1.0.0",
                    "-m",
                    "v1.0.0",
                ],
            );
            run(
                &repo,
                "cargo",
                &["package", "--no-verify", "--offline", "--allow-dirty"],
            );
        }
        let archive = std::fs::read(&crate_file).expect("the packaged crate");
        let cksum = published::sha256_hex(&archive);
        let url = serve(archive.clone());
        Fixture {
            repo,
            archive,
            cksum,
            url,
        }
    })
}

/// Serves `body` to every request on 127.0.0.1, from a thread that lives as long as the bench.
fn serve(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let _ = stream.write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .as_bytes(),
            );
            let _ = stream.write_all(&body);
        }
    });
    format!("http://{addr}/api/v1/crates/bigcrate/1.0.0/download")
}

/// What step 12 does once the version is visible (see `src/hotfix/step12_verify.rs`).
fn verify(runner: &mut Runner, fx: &Fixture) -> usize {
    let bytes = registry_api::download(runner, &fx.url).expect("download");
    assert_eq!(published::sha256_hex(&bytes), fx.cksum);
    let package = published::unpack(&bytes, "bigcrate", "1.0.0").expect("unpack");
    let mut git = Git::new(runner, &fx.repo);
    let commit = git.resolve_commit("v1.0.0").expect("git").expect("tag");
    let tag = git
        .published_tag(&commit, &package)
        .expect("git reads the tag");
    let differences = published::compare(&package, &tag, "bigcrate", "1.0.0").differences;
    assert!(differences.is_empty(), "{differences:?}");
    package.files.len()
}

#[divan::bench(sample_count = 20)]
fn verify_1mb_crate(bencher: divan::Bencher) {
    let fx = fixture();
    let (ui, _transcript) = Ui::capture();
    let mut runner = Runner::new(ui, false);
    eprintln!(
        "bigcrate-1.0.0.crate: {} bytes, {} files",
        fx.archive.len(),
        verify(&mut runner, fx)
    );
    bencher.bench_local(|| verify(&mut runner, fx));
}

#[divan::bench(sample_count = 20)]
fn compare_in_memory(bencher: divan::Bencher) {
    let fx = fixture();
    let (ui, _transcript) = Ui::capture();
    let mut runner = Runner::new(ui, false);
    let mut git = Git::new(&mut runner, &fx.repo);
    let commit = git.resolve_commit("v1.0.0").expect("git").expect("tag");
    let package = published::unpack(&fx.archive, "bigcrate", "1.0.0").expect("unpack");
    let tag = git
        .published_tag(&commit, &package)
        .expect("git reads the tag");
    bencher.bench_local(|| {
        assert_eq!(published::sha256_hex(&fx.archive), fx.cksum);
        let package = published::unpack(&fx.archive, "bigcrate", "1.0.0").expect("unpack");
        published::compare(&package, &tag, "bigcrate", "1.0.0")
            .differences
            .len()
    });
}

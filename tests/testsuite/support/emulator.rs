//! The GitHub emulator (`tests/testsuite/support/github_emulator.py`) for a [`Fixture`], driven by the REAL gh
//! (Debian's gh 2.23 at /usr/bin/gh): the fixture's remotes get GitHub-style URLs
//! (`http://github.localhost/OWNER/NAME.git`) mapped to bare repositories with `url.<path>.insteadOf`,
//! `bin/gh` becomes the real gh, and [`Emulator::env`] is what the wizard's programs need to reach it.
//!
//! A module of the test support: `crate::support::emulator::Emulator`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

use crate::support::{git, Fixture};

pub const GH: &str = "/usr/bin/gh";
pub const HOST: &str = "github.localhost";

/// A running emulator serving the fixture's bare repositories.
pub struct Emulator {
    child: Child,
    pub port: u16,
    pub state_dir: PathBuf,
    pub config_dir: PathBuf,
    pub home: PathBuf,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let log =
            std::fs::read_to_string(self.state_dir.join("requests.jsonl")).unwrap_or_default();
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            return;
        }
        let bad: Vec<&str> = log
            .lines()
            .filter(|l| l.contains("\"unresolved\"") || l.contains("\"unrouted\""))
            .collect();
        assert!(
            bad.is_empty(),
            "the emulator did not understand all of gh's requests: {bad:#?}"
        );
        // An answer that departs from GitHub's published schema for it is the emulator's bug.
        let mismatched: Vec<&str> = log
            .lines()
            .filter(|l| l.contains("\"schema_mismatch\""))
            .collect();
        assert!(
            mismatched.is_empty(),
            "the emulator answered outside GitHub's published response schema: {mismatched:#?}"
        );
    }
}

/// Fails loudly without the real gh: these tests never pass silently.
pub fn require_gh() {
    assert!(
        Path::new(GH).exists(),
        "{GH} is missing: these tests drive the real GitHub CLI. Install Debian's gh \
         (`apt-get update && apt-get install -y gh`) and run them again."
    );
}

impl Emulator {
    /// Starts the emulator with `repos` (`OWNER/NAME`, bare repository) and points the fixture's
    /// remotes (`remote name`, `OWNER/NAME`) at them with GitHub-style URLs.
    pub fn start(fx: &Fixture, repos: &[(&str, &Path)], remotes: &[(&str, &str)]) -> Emulator {
        require_gh();
        let root = fx.dir.path();
        let state_dir = root.join("emulator");
        let config_dir = root.join("gh-config");
        let home = root.join("home");
        for d in [&state_dir, &config_dir, &home] {
            std::fs::create_dir_all(d).expect("dir");
        }
        std::fs::write(
            config_dir.join("hosts.yml"),
            "github.localhost:\n    oauth_token: gho_emulator\n    user: octo\n    git_protocol: https\n",
        )
        .expect("hosts.yml");
        for (slug, bare) in repos {
            let url = format!("http://{HOST}/{slug}.git");
            let bare = bare.canonicalize().expect("bare path");
            git(
                &fx.work,
                &["config", &format!("url.{}.insteadOf", bare.display()), &url],
            );
        }
        // Repositories the emulator makes later (an advisory's temporary private fork) live under
        // its state directory, at OWNER/NAME.git: git's longest insteadOf wins, so the mappings
        // above keep theirs.
        let forks = state_dir.join("forks");
        std::fs::create_dir_all(&forks).expect("forks dir");
        let forks = forks.canonicalize().expect("forks path");
        git(
            &fx.work,
            &[
                "config",
                &format!("url.{}/.insteadOf", forks.display()),
                &format!("http://{HOST}/"),
            ],
        );
        for (remote, slug) in remotes {
            let url = format!("http://{HOST}/{slug}.git");
            if crate::support::git_ok(&fx.work, &["remote", "get-url", remote]) {
                git(&fx.work, &["remote", "set-url", remote, &url]);
            } else {
                git(&fx.work, &["remote", "add", remote, &url]);
            }
        }
        // The real gh in place of the stand-in.
        let _ = std::fs::remove_file(fx.bin.join("gh"));
        std::os::unix::fs::symlink(GH, fx.bin.join("gh")).expect("symlink gh");

        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/testsuite/support/github_emulator.py");
        // `-S`: no `site` (this machine's pyenv loads certifi there); the standard library only.
        let mut cmd = Command::new(crate::support::python3());
        cmd.arg("-S")
            .arg(&script)
            .args(["--port", "0", "--state"])
            .arg(&state_dir)
            .args(["--user", "octo"]);
        for (slug, bare) in repos {
            cmd.arg("--origin")
                .arg(format!("{slug}={}", bare.canonicalize().unwrap().display()));
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(state_dir.join("stderr.txt")).expect("stderr"))
            .spawn()
            .expect("python3 runs the emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the emulator prints its port");
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| {
                panic!(
                    "the emulator did not start: {line:?} {}",
                    std::fs::read_to_string(state_dir.join("stderr.txt")).unwrap_or_default()
                )
            });
        Emulator {
            child,
            port,
            state_dir,
            config_dir,
            home,
        }
    }

    /// The environment the wizard's programs need (gh reaches the emulator; curl is not proxied:
    /// it ignores the upper-case `HTTP_PROXY`).
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("GH_HOST".into(), HOST.into()),
            (
                "HTTP_PROXY".into(),
                format!("http://127.0.0.1:{}", self.port),
            ),
            (
                "GH_CONFIG_DIR".into(),
                self.config_dir.display().to_string(),
            ),
            ("GH_PROMPT_DISABLED".into(), "1".into()),
            ("GH_NO_UPDATE_NOTIFIER".into(), "1".into()),
            ("NO_COLOR".into(), "1".into()),
            ("HOME".into(), self.home.display().to_string()),
            ("TMPDIR".into(), self.home.display().to_string()),
        ]
    }

    pub fn control(&self, method: &str, path: &str, body: Value) -> Value {
        control_at(self.port, method, path, body)
    }

    pub fn knobs(&self, knobs: Value) {
        self.control("POST", "/_control/knobs", knobs);
    }

    pub fn state(&self) -> Value {
        self.control("GET", "/_control/state", json!({}))
    }

    pub fn repo(&self, slug: &str) -> Value {
        self.state()["repos"][slug].clone()
    }

    pub fn pulls(&self, slug: &str) -> Vec<Value> {
        self.repo(slug)["pulls"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn advisories(&self, slug: &str) -> Vec<Value> {
        self.repo(slug)["advisories"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn requests(&self) -> Vec<Value> {
        self.control("GET", "/_control/requests", json!({}))
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

/// A request to the emulator's control plane on `port`.
pub fn control_at(port: u16, method: &str, path: &str, body: Value) -> Value {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let body = body.to_string();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    let (head, payload) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(head.starts_with("HTTP/1.1 200"), "control {path}: {answer}");
    serde_json::from_str(payload).expect("control answers JSON")
}

/// An advisory's `vulnerabilities[]` as (vulnerable range, patched version or null), in order.
pub fn vulnerability_ranges(advisory: &Value) -> Vec<(String, Value)> {
    advisory["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities")
        .iter()
        .map(|v| {
            (
                v["vulnerable_version_range"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                v["patched_versions"].clone(),
            )
        })
        .collect()
}

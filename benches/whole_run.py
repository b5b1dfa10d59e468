#!/usr/bin/env python3
"""Whole-process measurements of caro-hotfix (Python 3.11+ standard library only); run by benches/run.sh.

    whole_run.py run       --bin PATH [--members N] [--repeat R] [--index-versions V]
        The real sixteen steps, not a rehearsal, on a generated fixture: a crate (or a workspace of N
        members whose first member is hotfixed) in a git repository with a bare origin on disk, the gh
        stand-in of the tests (tests/testsuite/support/gh_stand_in.py), a cargo-audit stand-in replaying a clean
        recording, and a sparse registry served on 127.0.0.1 by this script (config.json, the index
        with ETag / 304, the API and the downloads; 1.0.11 is published from the tag once the tag
        is on the origin), at
        --poll-interval 0. The binary runs on a pseudo-terminal; this script types `yes` and answers
        the questions the moment they appear. Reported: wall time; the time of the child processes
        (the journal's durations, from .git/caro-hotfix/history/<version>.toml); the tool's own
        overhead = wall - children, absolute and as a share; the tool's own CPU time (/proc, its own
        utime+stime without its children); and the bytes of every index request and answer.

    whole_run.py lines     --bin PATH [--lines 1 2 3] [--repeat R] [--fix done|from] [--deps] [--warm]
        The real sixteen steps of one incident on 1, 2 or 3 release lines (`--line 1.0`, then 0.9,
        then 0.8) of a fixture with releases v0.8.3, v0.9.9, v1.0.0 and v1.0.10, as `run` does it
        (stand-ins, the local registry, which publishes each hotfix once its tag is on the origin,
        --poll-interval 0, the fix committed while the wizard waits for `done`). Reported per count:
        wall time; child time by program from the journal; local time = wall - the child time of
        gh and curl (the waits for GitHub and the registry), split into cargo test/build/package,
        git and the rest; and local time as a multiple of the 1-line incident's. --deps gives the crate
        the real dependencies of `rehearsal` (offline, from the local cargo cache) and a library that
        uses them; each run starts with no target/ (cold) unless --warm, which first runs (untimed)
        `cargo test --no-run` and `cargo package --locked` on main, as a maintainer would have.

    whole_run.py drill     --bin PATH [--members N] [--repeat R]
        `--dry-run --non-interactive` (the fire drill) on the same kind of fixture: wall time.

    whole_run.py rehearsal --bin PATH
        The rehearsal's test step, cold and warm: a crate with real dependencies (serde, serde_json,
        anyhow, semver, toml_edit from the local cargo cache, offline), rehearsed (a) with no target/
        in the repository (nothing to share: the clone builds everything), (b) after a normal
        `cargo test --no-run` in the repository (first rehearsal: target/caro-hotfix-rehearsal is
        new), (c) once more (warm).

Nothing here judges a number; it prints them. Everything lives in a temporary directory that is
removed at the end (--keep keeps it).
"""

import argparse
import hashlib
import http.server
import json
import os
import fcntl
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRATE = "minicrate"
CLEAN_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "CARGO_NET_OFFLINE": "true",
    "CARGO_TERM_COLOR": "never",
    "NO_COLOR": "1",
}


# ---------------------------------------------------------------------------------------------------
# Fixtures


def git(cwd, *args, check=True):
    env = dict(os.environ, **CLEAN_ENV)
    out = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check and out.returncode != 0:
        sys.exit(f"git {' '.join(args)} failed in {cwd}: {out.stderr}")
    return out.stdout.strip()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


LIB_RS = """/// Length of a length-prefixed record.
pub fn record_len(input: &[u8]) -> usize {
    input.first().map(|n| *n as usize).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_prefix() {
        assert_eq!(super::record_len(&[3, 1, 2, 3]), 3);
    }
}
"""

FIXED_LIB_RS = LIB_RS.replace(
    "    input.first().map(|n| *n as usize).unwrap_or(0)\n",
    "    let claimed = input.first().map(|n| *n as usize).unwrap_or(0);\n"
    "    claimed.min(input.len().saturating_sub(1))\n",
)

CHANGELOG = """# Changelog

All notable changes to this project will be documented in this file.

## [Unreleased]

### Added
- Work that is not released yet.

## [1.0.10] - 2026-10-01

### Fixed
- A small bug.

## [1.0.0] - 2026-01-01

- First stable release.

[Unreleased]: https://github.com/example/{name}/compare/v1.0.10...HEAD
[1.0.10]: https://github.com/example/{name}/compare/v1.0.0...v1.0.10
[1.0.0]: https://github.com/example/{name}/releases/tag/v1.0.0
"""

# The library of `lines --deps`: LIB_RS plus a function that uses every dependency of DEPS, trivially,
# so that each is compiled and linked into the crate (the fix touches only record_len).
LIB_RS_DEPS = LIB_RS.replace(
    "#[cfg(test)]\n",
    """/// The dependencies, used trivially: a version parsed by semver, written by toml_edit, serialised
/// by serde (derive) and serde_json, errors through anyhow.
pub fn describe(version: &str) -> anyhow::Result<String> {
    #[derive(serde::Serialize)]
    struct Info {
        version: String,
    }
    let parsed = semver::Version::parse(version)?;
    let mut doc = toml_edit::DocumentMut::new();
    doc["version"] = toml_edit::value(parsed.to_string());
    let version = doc["version"].as_str().unwrap_or_default().to_string();
    Ok(serde_json::to_string(&Info { version })?)
}

#[cfg(test)]
""",
    1,
)
FIXED_LIB_RS_DEPS = LIB_RS_DEPS.replace(
    "    input.first().map(|n| *n as usize).unwrap_or(0)\n",
    "    let claimed = input.first().map(|n| *n as usize).unwrap_or(0);\n"
    "    claimed.min(input.len().saturating_sub(1))\n",
)
assert FIXED_LIB_RS_DEPS != LIB_RS_DEPS

METADATA = '\n[package.metadata.hotfix]\nstrategy = "main"\n'


def crate_manifest(name, version, deps=""):
    return (
        f"# The crate of caro-hotfix's benchmarks.\n[package]\nname = \"{name}\"\n"
        f"version = \"{version}\"   # bumped at every release\nedition = \"2021\"\n"
        f"description = \"A tiny crate\"\nlicense = \"MIT\"\n\n[dependencies]\n{deps}{METADATA}"
    )


def workspace_files(version, members):
    """The files of a workspace whose first member, ws-core, is the crate hotfixed."""
    files = {
        "Cargo.toml": (
            '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n\n'
            f'[workspace.package]\nversion = "{version}"\nedition = "2021"\nlicense = "MIT"\n\n'
            '[workspace.metadata.hotfix]\nstrategy = "main"\n'
        ),
        "crates/core/Cargo.toml": (
            f'[package]\nname = "ws-core"\nversion = "{version}"   # bumped at every release\n'
            'edition = "2021"\nlicense = "MIT"\n'
        ),
        "crates/core/src/lib.rs": LIB_RS,
    }
    for i in range(1, members):
        inherit = "version.workspace = true" if i % 2 == 0 else f'version = "{version}"'
        deps = f'ws-core = {{ path = "../core", version = "={version}" }}\n'
        if i > 1:
            deps += f'ws-m{i - 1} = {{ path = "../m{i - 1}", version = "{version}" }}\n'
        files[f"crates/m{i}/Cargo.toml"] = (
            f'[package]\nname = "ws-m{i}"\n{inherit}\nedition.workspace = true\n'
            f"license.workspace = true\n\n[dependencies]\n{deps}"
        )
        files[f"crates/m{i}/src/lib.rs"] = f"pub fn m{i}() -> usize {{ {i} }}\n"
    return files


class Fixture:
    """A work repository with releases v0.9.9, v1.0.0, v1.0.10, unreleased work, a pre-release tag
    and a junk tag, a bare origin with everything pushed, the gh and cargo-audit stand-ins, and a
    prepared fix on the branch `prepared-fix` (for --fix-from)."""

    def __init__(self, root, members=1, deps="", three_lines=False, use_deps=False):
        self.root = root
        # use_deps: the library calls its dependencies (LIB_RS_DEPS), so that each is compiled in.
        self.lib_text = LIB_RS_DEPS if use_deps else LIB_RS
        self.fixed_text = FIXED_LIB_RS_DEPS if use_deps else FIXED_LIB_RS
        self.members = members
        self.work = os.path.join(root, "work")
        self.origin = os.path.join(root, "origin.git")
        self.bin = os.path.join(root, "bin")
        self.name = CRATE if members == 1 else "ws-core"
        self.lib = "src/lib.rs" if members == 1 else "crates/core/src/lib.rs"
        self.deps = deps
        os.makedirs(self.bin)
        git(root, "init", "-q", "--bare", "-b", "main", "origin.git")
        git(root, "init", "-q", "-b", "main", "work")
        for k, v in [
            ("user.name", "Ada Maintainer"),
            ("user.email", "ada@example.com"),
            ("commit.gpgsign", "false"),
            ("tag.gpgsign", "false"),
        ]:
            git(self.work, "config", k, v)
        git(self.work, "remote", "add", "origin", "../origin.git")
        write(os.path.join(self.work, ".gitignore"), "/target\n")
        if three_lines:
            # A third release line, older (tests/testsuite/support/mod.rs: Fixture::three_lines).
            self.commit_version("0.8.3", "release 0.8.3")
            git(self.work, "tag", "-a", "v0.8.3", "-m", "v0.8.3")
        self.commit_version("0.9.9", "release 0.9.9")
        git(self.work, "tag", "-a", "v0.9.9", "-m", "v0.9.9")
        self.commit_version("1.0.0", "release 1.0.0")
        git(self.work, "tag", "-a", "v1.0.0", "-m", "v1.0.0")
        git(self.work, "tag", "release-2")
        write(os.path.join(self.work, "CHANGELOG.md"), CHANGELOG.format(name=self.name))
        self.commit_version("1.0.10", "release 1.0.10")
        git(self.work, "tag", "-a", "v1.0.10", "-m", "v1.0.10")
        # The prepared fix, on a branch of its own from the base tag.
        git(self.work, "checkout", "-q", "-b", "prepared-fix", "v1.0.10")
        write(os.path.join(self.work, self.lib), self.fixed_text)
        git(self.work, "commit", "-q", "-am", "hotfix: bound record_len by the input length")
        self.fix = git(self.work, "rev-parse", "HEAD")
        git(self.work, "checkout", "-q", "main")
        write(os.path.join(self.work, "NOTES.md"), "unreleased work\n")
        git(self.work, "add", "NOTES.md")
        git(self.work, "commit", "-q", "-m", "feat: unreleased work")
        git(self.work, "tag", "-a", "v1.1.0-beta.1", "-m", "beta")
        git(self.work, "push", "-q", "origin", "main", "--tags")
        self.stand_ins()

    def commit_version(self, version, message):
        if self.members == 1:
            write(os.path.join(self.work, "Cargo.toml"), crate_manifest(CRATE, version, self.deps))
            if not os.path.exists(os.path.join(self.work, "src/lib.rs")):
                write(os.path.join(self.work, "src/lib.rs"), self.lib_text)
                write(
                    os.path.join(self.work, "tests/it.rs"),
                    "#[test]\nfn public_api_works() {\n"
                    "    assert_eq!(minicrate::record_len(&[1, 9]), 1);\n}\n",
                )
        else:
            for path, text in workspace_files(version, self.members).items():
                full = os.path.join(self.work, path)
                if path.endswith(".rs") and os.path.exists(full):
                    continue
                write(full, text)
        env = dict(os.environ, **CLEAN_ENV)
        out = subprocess.run(
            ["cargo", "generate-lockfile", "--offline"],
            cwd=self.work,
            env=env,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            sys.exit(f"cargo generate-lockfile failed: {out.stderr}")
        git(self.work, "add", "-A")
        git(self.work, "commit", "-q", "-m", message)

    def stand_ins(self):
        python = shutil.which("python3") or sys.executable
        with open(os.path.join(ROOT, "tests/testsuite/support/gh_stand_in.py")) as f:
            body = f.read().split("\n", 1)[1]
        self.stand_in("gh", f"#!{python}\n{body}")
        os.makedirs(os.path.join(self.root, "gh-state"))
        with open(os.path.join(self.root, "gh-state/config.json"), "w") as f:
            json.dump(
                {
                    "origin": os.path.realpath(self.origin),
                    "owner": "example",
                    "repo": self.name,
                    "default_branch": "main",
                    "labels": ["security", "bug"],
                },
                f,
            )
        clean = os.path.join(ROOT, "tests/fixtures/cargo-audit-0.22.2/clean.stdout.json")
        self.stand_in("cargo-audit", f"#!/bin/sh\ncat '{clean}'\n")

    def stand_in(self, name, text):
        path = os.path.join(self.bin, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o755)

    def path(self):
        dirs = [self.bin]
        for tool in ["git", "cargo", "curl", "rustc", "cat"]:
            found = shutil.which(tool)
            if found and os.path.dirname(found) not in dirs:
                dirs.append(os.path.dirname(found))
        return os.pathsep.join(dirs)

    def env(self):
        env = {k: v for k, v in os.environ.items() if k not in ("CARGO_TARGET_DIR",)}
        env.update(CLEAN_ENV)
        env["PATH"] = self.path()
        env["TERM"] = "dumb"
        return env


# ---------------------------------------------------------------------------------------------------
# The sparse index, with ETag / If-None-Match, counting bytes


def sparse_path(name):
    name = name.lower()
    if len(name) <= 2:
        return f"{len(name)}/{name}"
    if len(name) == 3:
        return f"3/{name[0]}/{name}"
    return f"{name[:2]}/{name[2:4]}/{name}"


def index_line(name, vers, with_deps, cksum=None):
    deps = []
    if with_deps:
        deps = [
            {"name": d, "req": "^1", "features": [], "optional": False, "default_features": True,
             "target": None, "kind": "normal"}
            for d in ("serde", "memchr", "bytes")
        ]
    cksum = cksum or hashlib.sha256(f"{name}\0{vers}".encode()).hexdigest()
    return json.dumps(
        {"name": name, "vers": vers, "deps": deps, "cksum": cksum,
         "features": {"default": ["std"], "std": []}, "yanked": False, "rust_version": "1.70"},
        separators=(",", ":"),
    )


def package(origin, name, tag, version):
    """The `.crate` a publish of `tag` would upload: `cargo package --no-verify` in a clone of the
    origin at the tag (as the tests' registry does, tests/testsuite/support/packaging.rs)."""
    with tempfile.TemporaryDirectory(prefix="caro-hotfix-bench-package-") as tmp:
        checkout = os.path.join(tmp, "src")
        git(tmp, "clone", "-q", "--branch", tag, origin, checkout)
        env = dict(os.environ, **CLEAN_ENV)
        env["CARGO_TARGET_DIR"] = os.path.join(tmp, "target")
        subprocess.run(["cargo", "package", "--no-verify", "--offline", "--package", name],
                       cwd=checkout, env=env, check=True, capture_output=True)
        with open(os.path.join(tmp, "target/package", f"{name}-{version}.crate"), "rb") as f:
            return f.read()


class Index:
    """A sparse registry for `name` on 127.0.0.1, as far as caro-hotfix uses one: `config.json`
    (`dl` and `api` are this server), the index file (with ETag / If-None-Match), the web API
    (`/api/v1/crates/NAME`, `/api/v1/crates/NAME/VERSION`) and the downloads.

    The index file lists `older` made-up versions (0.0.N, for a realistic size) and the `released`
    versions from the start. Each of `hotfixes` (version → tag) is published when its tag reaches the
    origin, as a release workflow triggered by the tag would: the request that first sees the tag
    packages the crate from it (`cargo package`, counted as the registry's time: it is inside that
    request's curl), and the version is visible from the next request on. Records (status, request
    bytes, response bytes) of every request of the index file."""

    def __init__(self, name, origin, released, hotfixes, older=0):
        self.name = name
        self.origin = origin
        self.path = "/" + sparse_path(name)
        old = [f"0.0.{p}" for p in range(older)]
        self.before = "".join(index_line(name, v, True) + "\n" for v in old + list(released))
        self.released = list(released)
        self.pending = dict(hotfixes)  # version -> tag, not yet published
        self.published = {}  # version -> (visible from request n, crate bytes, sha256)
        self.count = 0
        self.requests = []
        self.lock = threading.Lock()
        index = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def send(self, status, body, etag=None, content_type="text/plain"):
                sent = [0]
                raw = self.wfile

                class Counting:
                    def write(self, data):
                        sent[0] += len(data)
                        return raw.write(data)

                    def flush(self):
                        return raw.flush()

                self.wfile = Counting()
                self.send_response(status)
                if etag:
                    self.send_header("ETag", etag)
                if status != 304:
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                if status != 304 and self.command != "HEAD":
                    self.wfile.write(body)
                self.wfile.flush()
                self.wfile = raw
                return sent[0]

            def do_HEAD(self):
                self.do_GET()

            def do_GET(self):
                got = len(self.raw_requestline) + len(self.headers.as_bytes())
                path = self.path.split("?")[0]
                with index.lock:
                    index.count += 1
                    n = index.count
                    index.publish_new_tags(n)
                    visible = {v: p for v, p in index.published.items() if n >= p[0]}
                if path == "/config.json":
                    base = f"http://127.0.0.1:{self.server.server_address[1]}"
                    body = json.dumps({"dl": f"{base}/api/v1/crates", "api": base}).encode()
                    self.send(200, body, content_type="application/json")
                    return
                if path.startswith("/api/v1/crates/"):
                    self.api(path.split("/")[4:], visible)
                    return
                if path != index.path:
                    self.send(404, b"not found\n")
                    return
                body = (index.before + "".join(
                    index_line(index.name, v, True, p[2]) + "\n" for v, p in visible.items()
                )).encode()
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                inm = self.headers.get("If-None-Match")
                status = 304 if inm == etag else 200
                with index.lock:
                    index.requests.append({"status": status, "in": got, "if_none_match": inm})
                    at = len(index.requests) - 1
                sent = self.send(status, body, etag)
                with index.lock:
                    index.requests[at]["out"] = sent

            def api(self, parts, visible):
                def missing(detail):
                    body = json.dumps({"errors": [{"detail": detail}]}).encode()
                    self.send(404, body, content_type="application/json")

                if not parts or parts[0] != index.name:
                    return missing(f"crate `{parts[0] if parts else ''}` does not exist")
                if len(parts) == 1:
                    versions = [{"num": v, "yanked": False} for v in index.released]
                    versions += [{"num": v, "yanked": False, "checksum": p[2]}
                                 for v, p in visible.items()]
                    body = {"crate": {"id": index.name, "name": index.name,
                                      "trustpub_only": False}, "versions": versions}
                    return self.send(200, json.dumps(body).encode(), content_type="application/json")
                version = parts[1]
                if version in visible:
                    _, crate, cksum = visible[version]
                elif version in index.released:
                    crate, cksum = None, hashlib.sha256(f"{index.name}\0{version}".encode()).hexdigest()
                else:
                    return missing(f"crate `{index.name}` does not have a version `{version}`")
                if len(parts) == 2:
                    body = {"version": {"crate": index.name, "num": version, "yanked": False,
                                        "checksum": cksum}}
                    return self.send(200, json.dumps(body).encode(), content_type="application/json")
                if len(parts) == 3 and parts[2] == "download" and crate is not None:
                    return self.send(200, crate, content_type="application/gzip")
                return missing("Not Found")

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def publish_new_tags(self, n):
        """Publishes each pending version whose tag is on the origin now (called under the lock)."""
        for version, tag in list(self.pending.items()):
            out = subprocess.run(["git", "--git-dir", self.origin, "rev-parse", "-q", "--verify",
                                  f"refs/tags/{tag}"], capture_output=True,
                                 env=dict(os.environ, **CLEAN_ENV))
            if out.returncode == 0:
                crate = package(self.origin, self.name, tag, version)
                self.published[version] = (n + 1, crate, hashlib.sha256(crate).hexdigest())
                del self.pending[version]

    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------------------------------------------
# Driving the binary on a pseudo-terminal

ANSWERS = [
    # `must type 'yes'` (step 1), `(type 'yes')` (step 13, CI), `Type 'done'` (step 5).
    (re.compile(r"[Tt]ype '(\w+)'"), None),
    (re.compile(r"\(y/n\)"), "y"),
]


def own_cpu(pid):
    """utime + stime of `pid` itself (not its children), in seconds, and whether it has exited."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None, True
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks, fields[0] == "Z"


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def waiting_prompt(text, match):
    """Whether `match` is in a question waiting for its answer (`? … ›`), not in the line that
    shows it answered (`✔ … · yes`), which would otherwise be answered a second time."""
    start = max(text.rfind("\n", 0, match.start()), text.rfind("\r", 0, match.start())) + 1
    return ANSI.sub("", text[start:match.start()]).startswith("? ")


def drive(argv, cwd, env, log, before_done=None):
    """Runs argv on a pty, answering prompts (a typed word with that word, y/n with y; `before_done`
    runs before `done` is typed); returns (exit code, wall seconds, own CPU seconds)."""
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    transcript = b""
    answered = 0
    cpu = 0.0
    while True:
        try:
            ready, _, _ = select.select([fd], [], [], 0.5)
        except InterruptedError:
            continue
        if not ready:
            c, _ = own_cpu(pid)
            cpu = c if c is not None else cpu
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            break
        transcript += chunk
        text = transcript[answered:].decode("utf-8", "replace")
        for pattern, answer in ANSWERS:
            found = next((m for m in pattern.finditer(text) if waiting_prompt(text, m)), None)
            if found:
                answer = answer or found.group(1)
                if answer == "done" and before_done:
                    before_done()
                os.write(fd, (answer + "\r").encode())
                answered = len(transcript)
                break
    # The child has closed the terminal: read its own CPU time once it is a zombie, then reap it.
    for _ in range(2000):
        c, exited = own_cpu(pid)
        if c is not None:
            cpu = c
        if exited:
            break
        time.sleep(0.001)
    _, status = os.waitpid(pid, 0)
    wall = time.perf_counter() - started
    os.close(fd)
    with open(log, "wb") as f:
        f.write(transcript)
    return os.waitstatus_to_exitcode(status), wall, cpu


def journal_summary(history):
    with open(history, "rb") as f:
        record = tomllib.load(f)
    entries = [e for e in record.get("journal", []) if not e.get("simulated")]
    by_program = {}
    for e in entries:
        prog = os.path.basename(e["argv"][0])
        key = f"{prog} {e['argv'][1]}" if len(e["argv"]) > 1 and prog in ("git", "cargo") else prog
        count, ms = by_program.get(key, (0, 0))
        by_program[key] = (count + 1, ms + e["duration_ms"])
    return entries, by_program


def run_once(args, members, tmp, repeat_no):
    root = tempfile.mkdtemp(prefix=f"run{repeat_no}-", dir=tmp)
    fx = Fixture(root, members=members)
    index = Index(fx.name, fx.origin, ["0.9.9", "1.0.0", "1.0.10"], {"1.0.11": "v1.0.11"},
                  older=args.index_versions)
    argv = [
        args.bin, "-C", fx.work,
        "--poll-interval", "0",
        "--registry-index", index.url(),
        "--severity", "critical",
        "--impact", "A crafted input makes parse() read past the end of its buffer",
        "--advisory", "RUSTSEC-2026-0042",
        "--credit", "Grace Reporter",
        "--fix-from", fx.fix,
    ]
    if members > 1:
        argv += ["--package", "ws-core"]
    argv.append("RUSTSEC-2026-0042 out-of-bounds read in record_len")
    log = os.path.join(root, "transcript.txt")
    if args.wrap:
        argv = args.wrap.split() + argv
    code, wall, cpu = drive(argv, root, fx.env(), log)
    index.stop()
    if code != 0:
        with open(log, "rb") as f:
            sys.stderr.write(f.read().decode("utf-8", "replace")[-4000:])
        sys.exit(f"caro-hotfix exited {code}; transcript: {log}")
    entries, by_program = journal_summary(
        os.path.join(fx.work, ".git/caro-hotfix/history/1.0.11.toml")
    )
    children_ms = sum(e["duration_ms"] for e in entries)
    return {
        "wall_ms": wall * 1000,
        "children_ms": children_ms,
        "commands": len(entries),
        "own_cpu_ms": cpu * 1000,
        "by_program": by_program,
        "polls": index.requests,
    }


def cmd_run(args):
    tmp = tempfile.mkdtemp(prefix="caro-hotfix-bench-")
    results = [run_once(args, args.members, tmp, i) for i in range(args.repeat)]
    print(f"\n## Whole sixteen-step run, {args.members} member(s), {args.repeat} run(s), --poll-interval 0")
    print("| run | wall ms | children ms (journal) | commands | overhead ms | overhead share | "
          "tool's own CPU ms |")
    print("|---|---|---|---|---|---|---|")
    overheads = []
    for i, r in enumerate(results):
        over = r["wall_ms"] - r["children_ms"]
        overheads.append((over, 100 * over / r["wall_ms"]))
        print(f"| {i + 1} | {r['wall_ms']:.0f} | {r['children_ms']:.0f} | {r['commands']} | {over:.0f} | "
              f"{100 * over / r['wall_ms']:.1f}% | {r['own_cpu_ms']:.0f} |")
    overheads.sort()
    median = overheads[len(overheads) // 2]
    print(f"\noverhead: min {overheads[0][0]:.0f} ms ({overheads[0][1]:.1f} %), median {median[0]:.0f} ms "
          f"({median[1]:.1f} %), max {overheads[-1][0]:.0f} ms ({overheads[-1][1]:.1f} %); "
          f"load average {os.getloadavg()[0]:.2f}")
    best = min(results, key=lambda r: r["wall_ms"])
    print("\nChild time by command (fastest run):")
    for key, (count, ms) in sorted(best["by_program"].items(), key=lambda kv: -kv[1][1]):
        print(f"  {key:<28} {count:>4} x  {ms:>8.1f} ms")
    print("\nRegistry index requests (fastest run): status, If-None-Match sent, bytes in / out")
    for i, p in enumerate(best["polls"], 1):
        print(f"  {i}. {p['status']}  {'yes' if p['if_none_match'] else 'no '}  "
              f"{p['in']} B / {p.get('out', 0)} B")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


def cmd_drill(args):
    tmp = tempfile.mkdtemp(prefix="caro-hotfix-bench-")
    print(f"\n## Fire drill (--dry-run --non-interactive), {args.members} member(s)")
    walls = []
    for i in range(args.repeat):
        root = tempfile.mkdtemp(prefix=f"drill{i}-", dir=tmp)
        fx = Fixture(root, members=args.members)
        argv = [args.bin, "-C", fx.work, "--dry-run", "--non-interactive", "--poll-interval", "0",
                "--registry-index", "http://127.0.0.1:9/", "--fix-from", fx.fix]
        if args.members > 1:
            argv += ["--package", "ws-core"]
        argv.append("RUSTSEC-2026-0042 out-of-bounds read in record_len")
        started = time.perf_counter()
        out = subprocess.run(argv, cwd=root, env=fx.env(), capture_output=True, text=True,
                             stdin=subprocess.DEVNULL)
        walls.append((time.perf_counter() - started) * 1000)
        if out.returncode != 0:
            sys.exit(f"the drill exited {out.returncode}:\n{out.stderr[-3000:]}")
    print("wall ms per run: " + ", ".join(f"{w:.0f}" for w in walls))
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


# The release lines of the three-line fixture, newest first: (line, base tag, hotfix version).
LINES = [("1.0", "v1.0.10", "1.0.11"), ("0.9", "v0.9.9", "0.9.10"), ("0.8", "v0.8.3", "0.8.4")]
# Child programs that are waits for GitHub or the registry, not local work.
REMOTE_WAITS = ("gh", "curl")


def lines_once(args, n, tmp, repeat_no):
    """One real sixteen-step run of an incident on the newest `n` lines (`--line` for each)."""
    root = tempfile.mkdtemp(prefix=f"lines{n}-{repeat_no}-", dir=tmp)
    fx = Fixture(root, three_lines=True, deps=DEPS if args.deps else "", use_deps=args.deps)
    chosen = LINES[:n]
    if os.path.exists(os.path.join(fx.work, "target")):
        sys.exit(f"the fixture has a target/ before the run: {fx.work}")
    warmup_ms = 0.0
    if args.warm:
        # The maintainer's usual state: main's tests built, and the pre-tag check's build (step 11's
        # `cargo package --locked` verifies by building the packaged sources in target/) done once.
        started = time.perf_counter()
        for argv in (["cargo", "test", "--no-run", "--quiet"], ["cargo", "package", "--locked", "--quiet"]):
            out = subprocess.run(argv, cwd=fx.work, env=fx.env(), capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"{' '.join(argv)} failed in {fx.work}: {out.stderr[-3000:]}")
        warmup_ms = (time.perf_counter() - started) * 1000
    index = Index(fx.name, fx.origin, ["0.8.3", "0.9.9", "1.0.0", "1.0.10"],
                  {version: f"v{version}" for _, _, version in chosen},
                  older=args.index_versions)
    argv = [
        args.bin, "-C", fx.work,
        "--poll-interval", "0",
        "--registry-index", index.url(),
        "--severity", "critical",
        "--impact", "A crafted input makes parse() read past the end of its buffer",
        "--advisory", "RUSTSEC-2026-0042",
        "--credit", "Grace Reporter",
    ]
    for line, _, _ in chosen:
        argv += ["--line", line]
    before_done = None
    if args.fix == "from":
        argv += ["--fix-from", fx.fix]
    else:
        def before_done():
            # The maintainer commits the fix on the first line's branch, then types `done`.
            write(os.path.join(fx.work, fx.lib), fx.fixed_text)
            # A read-only git of the wizard's (beside its question) may hold the index lock a moment.
            for _ in range(200):
                out = subprocess.run(
                    ["git", "commit", "-q", "-am", "hotfix: bound record_len by the input length"],
                    cwd=fx.work, env=dict(os.environ, **CLEAN_ENV), capture_output=True, text=True)
                if out.returncode == 0:
                    return
                if "index.lock" not in out.stderr:
                    sys.exit(f"committing the fix failed: {out.stderr}")
                time.sleep(0.01)
            sys.exit("committing the fix failed: the index stayed locked")
    argv.append("RUSTSEC-2026-0042 out-of-bounds read in record_len")
    log = os.path.join(root, "transcript.txt")
    code, wall, cpu = drive(argv, root, fx.env(), log, before_done)
    index.stop()
    if code != 0:
        with open(log, "rb") as f:
            sys.stderr.write(f.read().decode("utf-8", "replace")[-6000:])
        sys.exit(f"caro-hotfix exited {code} ({n} line(s)); transcript: {log}")
    history = os.path.join(fx.work, ".git/caro-hotfix/history")
    records = [os.path.join(history, f) for f in os.listdir(history) if f.endswith(".toml")]
    if len(records) != 1:
        sys.exit(f"expected one record in {history}, found {records}")
    entries, by_command = journal_summary(records[0])
    by_program = {}
    for e in entries:
        prog = os.path.basename(e["argv"][0])
        by_program[prog] = by_program.get(prog, 0) + e["duration_ms"]
    cargo_build = sum(ms for key, (_, ms) in by_command.items()
                      if key in ("cargo test", "cargo build", "cargo package"))
    cargo_other = by_program.get("cargo", 0) - cargo_build
    waits = sum(by_program.get(p, 0) for p in REMOTE_WAITS)
    local = wall * 1000 - waits
    git_ms = by_program.get("git", 0)
    tags = git(fx.origin, "tag", "--list")
    for _, _, version in chosen:
        if f"v{version}" not in tags.split():
            sys.exit(f"the run ended without the tag v{version} on the origin; transcript: {log}")
    return {
        "wall_ms": wall * 1000,
        "children_ms": sum(e["duration_ms"] for e in entries),
        "commands": len(entries),
        "own_cpu_ms": cpu * 1000,
        "by_program": by_program,
        "by_command": by_command,
        "waits_ms": waits,
        "local_ms": local,
        "cargo_build_ms": cargo_build,
        "cargo_other_ms": cargo_other,
        "git_ms": git_ms,
        "rest_ms": local - cargo_build - cargo_other - git_ms,
        "warmup_ms": warmup_ms,
    }


def cmd_lines(args):
    tmp = tempfile.mkdtemp(prefix="caro-hotfix-bench-")
    counts = sorted(set(args.lines))
    results = {n: [] for n in counts}
    # Interleaved (1, 2, 3, 1, 2, 3, …), so a change of the machine's load falls on every count.
    for i in range(args.repeat):
        for n in counts:
            results[n].append(lines_once(args, n, tmp, i))
    median = lambda xs: sorted(xs)[len(xs) // 2]
    crate = ("a crate with anyhow, semver, serde (derive), serde_json, toml_edit (offline, from the "
             "local cargo cache)" if args.deps else "the dependency-free crate")
    state = ("warm: `cargo test --no-run` and `cargo package --locked` run on main before the hotfix"
             if args.warm else "cold: no target/ in the repository when the run starts")
    print(f"\n## One incident on 1–3 release lines, {args.repeat} run(s) each, --poll-interval 0, "
          f"fix by {'--fix-from' if args.fix == 'from' else 'a commit and `done`'}")
    print(f"fixture: {crate}; {state}")
    print("local = wall − the child time of " + " and ".join(REMOTE_WAITS) +
          " (the waits for GitHub and the registry); medians over the runs")
    print("| lines | wall ms | gh ms | curl ms | local ms (min–max) | cargo test + package ms | "
          "other cargo ms | git ms | rest ms | tool's own CPU ms | commands | local ÷ 1 line |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    base = median([r["local_ms"] for r in results[counts[0]]]) if counts[0] == 1 else None
    for n in counts:
        rs = results[n]
        local = [r["local_ms"] for r in rs]
        ratio = f"{median(local) / base:.2f}×" if base else "-"
        print(f"| {n} | {median([r['wall_ms'] for r in rs]):.0f} | "
              f"{median([r['by_program'].get('gh', 0) for r in rs]):.0f} | "
              f"{median([r['by_program'].get('curl', 0) for r in rs]):.0f} | "
              f"{median(local):.0f} ({min(local):.0f}–{max(local):.0f}) | "
              f"{median([r['cargo_build_ms'] for r in rs]):.0f} | "
              f"{median([r['cargo_other_ms'] for r in rs]):.0f} | "
              f"{median([r['git_ms'] for r in rs]):.0f} | {median([r['rest_ms'] for r in rs]):.0f} | "
              f"{median([r['own_cpu_ms'] for r in rs]):.0f} | "
              f"{median([r['commands'] for r in rs])} | {ratio} |")
    print("\nrest = local − cargo − git: the tool itself (its CPU is the next column), the pty's "
          "answers, and the fix committed at `done`")
    print("\nEvery run (local ms): " + "; ".join(
        f"{n} line(s): " + ", ".join(f"{r['local_ms']:.0f}" for r in results[n]) for n in counts))
    for n in counts:
        best = min(results[n], key=lambda r: r["local_ms"])
        print(f"\nChild time by command, {n} line(s) (the run with the least local time):")
        for key, (count, ms) in sorted(best["by_command"].items(), key=lambda kv: -kv[1][1])[:14]:
            print(f"  {key:<28} {count:>4} x  {ms:>8.1f} ms")
    if args.warm:
        print("\nThe maintainer's build before each run (not in the local time; cargo test --no-run + "
              "cargo package --locked on main), ms: " + "; ".join(
                  f"{n} line(s): " + ", ".join(f"{r['warmup_ms']:.0f}" for r in results[n]) for n in counts))
    print(f"\nload average {os.getloadavg()[0]:.2f}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


DEPS = (
    'anyhow = "1"\nsemver = "1"\nserde = { version = "1", features = ["derive"] }\n'
    'serde_json = "1"\ntoml_edit = "0.22"\n'
)


def cmd_rehearsal(args):
    tmp = tempfile.mkdtemp(prefix="caro-hotfix-bench-")
    root = os.path.join(tmp, "deps")
    os.makedirs(root)
    fx = Fixture(root, members=1, deps=DEPS)
    env = fx.env()

    def rehearse(label):
        argv = [args.bin, "-C", fx.work, "--dry-run", "--non-interactive", "--poll-interval", "0",
                "--registry-index", "http://127.0.0.1:9/", "--fix-from", fx.fix,
                "RUSTSEC-2026-0042 out-of-bounds read in record_len"]
        started = time.perf_counter()
        out = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True,
                             stdin=subprocess.DEVNULL)
        ms = (time.perf_counter() - started) * 1000
        if out.returncode != 0:
            sys.exit(f"the rehearsal exited {out.returncode}:\n{out.stderr[-3000:]}")
        shared = "target/caro-hotfix-rehearsal" in (out.stdout + out.stderr)
        print(f"| {label} | {ms / 1000:.1f} | {'yes' if shared else 'no'} |")
        return ms

    print("\n## Rehearsal (--dry-run --non-interactive) of a crate with anyhow, semver, serde (derive), "
          "serde_json and toml_edit")
    print("| case | wall s | clone builds in target/caro-hotfix-rehearsal |")
    print("|---|---|---|")
    rehearse("no target/ in the repository (nothing to share: the clone builds everything)")
    started = time.perf_counter()
    subprocess.run(["cargo", "test", "--no-run", "--quiet"], cwd=fx.work, env=env, check=True,
                   capture_output=True)
    print(f"| (the maintainer's own `cargo test --no-run` in the repository) | "
          f"{time.perf_counter() - started:.1f} | - |")
    rehearse("first rehearsal after a normal build (target/caro-hotfix-rehearsal is new: seeded from target/debug)")
    rehearse("second rehearsal (warm)")
    rehearse("third rehearsal (warm)")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("run", "drill", "rehearsal", "lines"):
        p = sub.add_parser(name)
        if name == "lines":
            p.add_argument("--lines", type=int, nargs="+", choices=[1, 2, 3], default=[1, 2, 3],
                           help="how many release lines the incident patches (1.0, 0.9, 0.8)")
            p.add_argument("--fix", choices=["done", "from"], default="done",
                           help="commit the fix at step 5 and type done, or pass --fix-from")
            p.add_argument("--deps", action="store_true",
                           help="give the crate the rehearsal's real dependencies (offline, from the "
                                "local cargo cache), used by the library so that they are compiled")
            p.add_argument("--warm", action="store_true",
                           help="run cargo test --no-run and cargo package --locked on main before "
                                "each hotfix (untimed); default: cold, no target/")
        p.add_argument("--bin", required=True)
        p.add_argument("--members", type=int, default=1)
        p.add_argument("--repeat", type=int, default=3)
        p.add_argument("--index-versions", type=int, default=200,
                       help="older versions in the index file, for a realistic size")
        p.add_argument("--keep", action="store_true")
        p.add_argument("--wrap", default="",
                       help="a command line to run the binary under (e.g. strace), for analysis only")
    args = parser.parse_args()
    args.bin = os.path.abspath(args.bin)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    {"run": cmd_run, "drill": cmd_drill, "rehearsal": cmd_rehearsal, "lines": cmd_lines}[
        args.command](args)


if __name__ == "__main__":
    main()

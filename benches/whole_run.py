#!/usr/bin/env python3
"""Whole-process measurements of caro-hotfix (Python 3.11+ standard library only); run by benches/run.sh.

    whole_run.py run       --bin PATH [--members N] [--repeat R] [--index-versions V]
        The real sixteen steps, not a rehearsal, on a generated fixture: a crate (or a workspace of N
        members whose first member is hotfixed) in a git repository with a bare origin on disk, the gh
        stand-in of the tests (tests/testsuite/support/gh_stand_in.py), a cargo-audit stand-in replaying a clean
        recording, and a sparse index served on 127.0.0.1 by this script (with ETag / 304), at
        --poll-interval 0. The binary runs on a pseudo-terminal; this script types `yes` and answers
        the questions the moment they appear. Reported: wall time; the time of the child processes
        (the journal's durations, from .git/caro-hotfix/history/<version>.toml); the tool's own
        overhead = wall - children, absolute and as a share; the tool's own CPU time (/proc, its own
        utime+stime without its children); and the bytes of every index request and answer.

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

    def __init__(self, root, members=1, deps=""):
        self.root = root
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
        write(os.path.join(self.work, self.lib), FIXED_LIB_RS)
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
                write(os.path.join(self.work, "src/lib.rs"), LIB_RS)
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


def index_line(name, vers, with_deps):
    deps = []
    if with_deps:
        deps = [
            {"name": d, "req": "^1", "features": [], "optional": False, "default_features": True,
             "target": None, "kind": "normal"}
            for d in ("serde", "memchr", "bytes")
        ]
    cksum = hashlib.sha256(f"{name}\0{vers}".encode()).hexdigest()
    return json.dumps(
        {"name": name, "vers": vers, "deps": deps, "cksum": cksum,
         "features": {"default": ["std"], "std": []}, "yanked": False, "rust_version": "1.70"},
        separators=(",", ":"),
    )


class Index:
    """Serves `name`'s index file: `older` versions plus 1.0.10, and 1.0.11 from the `appear_at`-th
    request of the file on (1-based). Records (status, request bytes, response bytes) per request."""

    def __init__(self, name, older=0, appear_at=6):
        self.name = name
        self.path = "/" + sparse_path(name)
        old = [f"0.{m}.{p}" for m in range(older // 10 + 1) for p in range(10)][:older]
        self.before = "".join(index_line(name, v, True) + "\n" for v in old + ["1.0.10"])
        self.after = self.before + index_line(name, "1.0.11", True) + "\n"
        self.appear_at = appear_at
        self.requests = []
        self.lock = threading.Lock()
        index = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def send(self, status, body, etag=None):
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
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)
                self.wfile.flush()
                self.wfile = raw
                return sent[0]

            def do_GET(self):
                got = len(self.raw_requestline) + len(self.headers.as_bytes())
                if self.path != index.path:
                    self.send(404, b"not found\n")
                    return
                with index.lock:
                    n = len(index.requests) + 1
                    body = (index.after if n >= index.appear_at else index.before).encode()
                    etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                    inm = self.headers.get("If-None-Match")
                    status = 304 if inm == etag else 200
                    index.requests.append({"status": status, "in": got, "if_none_match": inm})
                sent = self.send(status, body, etag)
                with index.lock:
                    index.requests[n - 1]["out"] = sent

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------------------------------------------
# Driving the binary on a pseudo-terminal

ANSWERS = [
    (re.compile(r"must type 'yes'"), "yes"),
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


def drive(argv, cwd, env, log):
    """Runs argv on a pty, answering prompts; returns (exit code, wall seconds, own CPU seconds)."""
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
            if pattern.search(text):
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
    index = Index(fx.name, older=args.index_versions, appear_at=6)
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
    for name in ("run", "drill", "rehearsal"):
        p = sub.add_parser(name)
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
    {"run": cmd_run, "drill": cmd_drill, "rehearsal": cmd_rehearsal}[args.command](args)


if __name__ == "__main__":
    main()

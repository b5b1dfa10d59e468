#!/usr/bin/env python3
"""A GitHub API emulator for the REAL gh (Debian's gh 2.23.0), for caro-hotfix's tests. Python 3 stdlib only.

    python3 github_emulator.py --port 0 --state DIR --origin OWNER/NAME=/abs/bare.git [--origin ...]
                               [--user LOGIN] [--log FILE]

Prints `listening 127.0.0.1:PORT` as its first stdout line, then serves until killed.

gh reaches it with GH_HOST=github.localhost (REST at http://api.github.localhost/, GraphQL at
http://api.github.localhost/graphql, plain HTTP) and HTTP_PROXY=http://127.0.0.1:PORT: requests arrive in
absolute-URI form. Requests whose path starts with /_control are the tests' control plane.

Forks (issue 29): POST /repos/O/R/forks clones O/R bare into DIR/forks/USER/R.git and serves it as USER/R; a PR
whose head is "USER:branch" takes the branch from that fork. GET /repos/O/R/contents/PATH[?ref=] reads git.

State (pull requests, reviews, checks, labels, workflow runs, releases, advisories, branch protection)
lives in memory and is mirrored to DIR/state.json after every change; every request is logged to
DIR/requests.jsonl (or --log) with its method, path, GraphQL operation, the head of the query and the
status answered. Each "repository" is a bare git repository on disk: branch heads and tags are read from
it (pushes are seen at the next request), a squash merge writes a real commit to it, and deleting a
branch deletes the ref.

GraphQL: the query is parsed (operation name, fields, aliases, arguments, fragments) and answered by
projecting the requested fields out of a small object model (Repository, PullRequest, Commit, CheckRun,
Label, Release, User) plus a handful of mutations. It is not a GraphQL engine: no validation, no
schema; a field the model does not know answers null and is logged under "unresolved".

Control plane (JSON in, JSON out):
    GET  /_control/state                 the whole state (also in DIR/state.json)
    GET  /_control/knobs                 the knobs
    POST /_control/knobs                 merge keys into the knobs (see KNOBS)
    POST /_control/repo                  {"repo": "o/r", "labels": [...], "default_branch": ..., "private": bool}
    POST /_control/runs                  add a workflow run (see RUNS)
    POST /_control/runs/ID               {"approve": true} or {"status", "conclusion"} (sets it for good)
    POST /_control/releases              {"repo", "tag", "name", "draft", "prerelease", "latest"}
    POST /_control/pulls/N               {"repo", "state": "CLOSED"|"OPEN"|"MERGED"} (closes/reopens a PR, or
                                         merges it as the upstream's maintainers would: the test writes
                                         what the merge brought into the bare repository)
    POST /_control/advisories            {"repo", "advisory": {...}}: a private vulnerability report (triage),
                                         or with its "ghsa_id" an edit made on the advisory's page
    GET  /_control/requests              the request log as a JSON array

KNOBS (POST /_control/knobs; every key optional):
    checks_delay_seconds  checks on a head commit appear this long after the emulator first saw that
                          commit as a branch head (a push) or the PR was created, whichever is later;
                          before that statusCheckRollup is null, as on GitHub right after a push (0)
    checks                "pass" | "fail" | "pending" | "none", or a list of {"name", "outcome",
                          "workflow"}; "none" = no CI at all ("pass")
    checks_pending_seconds  once they appear, checks stay IN_PROGRESS this long, then reach their
                          outcome (0)
    branch_protection     false, true, or {"required_approving_review_count": 1, "required_checks":
                          ["test"], "strict": false}; true = 1 review and every check required (false)
    reviews               list of {"author", "state"} (APPROVED, CHANGES_REQUESTED, COMMENTED,
                          DISMISSED) given to every PR, or {"<number>": [...]} ([])
    merge_state_status    forces mergeStateStatus (unset: computed)
    graphql_page_size     caps `first:` of every connection, to exercise pagination (100)
    rest_page_size        caps per_page of every REST list, to exercise Link pagination (100)
    tag_runs              the runs a newly pushed tag starts: list of {"workflow", "file", "script"}
                          (see RUNS); default one "Release" run of release.yml that succeeds in 2 s
    release_on_tag        a newly pushed tag gets a published GitHub release (true)
    scopes                X-Oauth-Scopes answered by GET / ("repo, read:org, workflow")
    auth                  "ok" | "bad_credentials" (401 everywhere) | "sso" (403 + X-GitHub-SSO)
    advisory_cve_status   status of POST .../security-advisories/GHSA/cve (202)
    unset_latest          what `make_latest: "false"` on the Latest release does, which GitHub does not
                          document: "hand_back" (the highest other release by semver becomes Latest),
                          "keep" (it stays Latest), "none" (no release is Latest) ("hand_back")
    users                 logins that exist on GitHub: a credited login outside the list gets 422 (unset: all)
    cwes                  CWE ids GitHub knows: an advisory naming another gets 422 (unset: all)
    reviews_after_seconds the reviews are given only this long after the PR was opened (0)
    fork_ready_seconds    an advisory's temporary private fork (POST .../security-advisories/GHSA/forks,
                          202) exists this long after it was asked for, API and git alike (0)
    global_advisories     {GHSA: "absent" | "unreviewed" | "reviewed"}: what GitHub's Advisory Database holds of
                          a published repository advisory (GET /advisories/GHSA; unset: absent, 404)
    faults                list of {"method", "path", "operation", "kind", "times", "skip", "status",
                          "retry_after"}: a request matching method (exact), path (substring of the
                          path with its query) and operation (GraphQL operation name) is, after
                          `skip` matches, answered `times` times (default 1; -1 forever) with:
                            "status"      HTTP `status` (default 502), nothing done
                            "rate_limit"  403 (or `status`), x-ratelimit-remaining: 0, x-ratelimit-reset,
                                          nothing done; on GraphQL, unless `status` is given: HTTP 200
                                          with a RATE_LIMITED error, as GitHub answers
                            "retry_after" 429 with Retry-After: `retry_after` (default 1), nothing done
                            "secondary"   403 (or `status`): a secondary rate limit without Retry-After,
                                          nothing done
                            "lost"        the request takes effect, then the connection is closed
                                          without an answer
                          each fault records its "hits" in the knobs.

RUNS: a run is {"id", "repo", "workflow", "file", "head_branch", "head_sha", "event", "script"}. The script
is a list of {"at": seconds, "status": queued|in_progress|waiting|completed, "conclusion": ...,
"environment": NAME}; the run's status is the last entry whose `at` has passed since the run was created.
A "waiting" entry (waiting for an environment's approval) holds until the run is approved (REST POST
.../runs/ID/pending_deployments with state "approved", or POST /_control/runs/ID {"approve": true});
the `at` of the entries after it count from the approval.
"""

import argparse
import base64
import datetime
import json
import os
import random
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_HOST = "api.github.localhost"
WEB = "http://github.localhost"
API = "http://api.github.localhost"
GHSA_ALPHABET = "23456789cfghjmpqrvwx"

DEFAULT_KNOBS = {
    "checks_delay_seconds": 0,
    "checks": "pass",
    "checks_pending_seconds": 0,
    "branch_protection": False,
    "reviews": [],
    "merge_state_status": None,
    "graphql_page_size": 100,
    "rest_page_size": 100,
    "tag_runs": [
        {
            "workflow": "Release",
            "file": "release.yml",
            "script": [
                # Queued, running, done: a real run's shape in a fifth of a second (issue 30);
                # the tests of long or waiting runs give their own scripts.
                {"at": 0, "status": "queued"},
                {"at": 0.05, "status": "in_progress"},
                {"at": 0.2, "status": "completed", "conclusion": "success"},
            ],
        }
    ],
    "release_on_tag": True,
    "scopes": "repo, read:org, workflow",
    "auth": "ok",
    "advisory_cve_status": 202,
    "faults": [],
}

DEFAULT_LABELS = [
    ("bug", "d73a4a", "Something isn't working"),
    ("documentation", "0075ca", "Improvements or additions to documentation"),
    ("duplicate", "cfd3d7", "This issue or pull request already exists"),
    ("enhancement", "a2eeef", "New feature or request"),
    ("good first issue", "7057ff", "Good for newcomers"),
    ("help wanted", "008672", "Extra attention is needed"),
    ("invalid", "e4e669", "This doesn't seem right"),
    ("question", "d876e3", "Further information is requested"),
    ("wontfix", "ffffff", "This will not be worked on"),
]

PULL_REQUEST_FIELDS = [
    "additions", "assignees", "author", "autoMergeRequest", "baseRef", "baseRefName", "body",
    "changedFiles", "closed", "closedAt", "comments", "commits", "createdAt", "deletions", "files",
    "headRef", "headRefName", "headRefOid", "headRepository", "headRepositoryOwner", "id",
    "isCrossRepository", "isDraft", "isInMergeQueue", "isMergeQueueEnabled", "labels",
    "latestReviews", "maintainerCanModify", "mergeCommit", "mergeStateStatus", "mergeable",
    "mergedAt", "mergedBy", "milestone", "number", "potentialMergeCommit", "projectCards",
    "projectItems", "reactionGroups", "reviewDecision", "reviewRequests", "reviews", "state",
    "title", "updatedAt", "url",
]


def now():
    return time.time()


def iso(t):
    if t is None:
        return None
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def cursor(i):
    return base64.b64encode(f"cursor:{i}".encode()).decode()


def uncursor(c):
    if not c:
        return 0
    try:
        return int(base64.b64decode(c).decode().split(":", 1)[1])
    except Exception:
        return 0


class GQLError(Exception):
    def __init__(self, message, type_=None):
        super().__init__(message)
        self.type = type_


class HTTPErr(Exception):
    def __init__(self, status, message, errors=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = headers or {}


class NoRoute(HTTPErr):
    """A request the emulator has no route for: GitHub's 404, logged as "unrouted"."""

    def __init__(self):
        super().__init__(404, "Not Found")


# ------------------------------------------------------------------------------------------------
# GraphQL: a loose parser (documents, selections, arguments, fragments) and a projection resolver.

TOKEN_RE = re.compile(
    r'\s+|,|#[^\n]*|(?P<str>"(?:\\.|[^"\\])*")|(?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)'
    r"|(?P<name>[_A-Za-z][_0-9A-Za-z]*)|(?P<spread>\.\.\.)|(?P<punct>[{}()\[\]:!$=@|&])"
)


def tokenize(text):
    out = []
    pos = 0
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if not m:
            raise GQLError(f"Parse error at {pos}: {text[pos:pos + 20]!r}")
        pos = m.end()
        for kind in ("str", "num", "name", "spread", "punct"):
            if m.group(kind) is not None:
                out.append((kind, m.group(kind)))
                break
    return out


class Parser:
    def __init__(self, text):
        self.toks = tokenize(text)
        self.i = 0

    def peek(self, value=None):
        if self.i >= len(self.toks):
            return None
        tok = self.toks[self.i]
        if value is not None and tok[1] != value:
            return None
        return tok

    def take(self, value=None):
        tok = self.peek()
        if tok is None or (value is not None and tok[1] != value):
            raise GQLError(f"Parse error: expected {value!r}, got {tok!r}")
        self.i += 1
        return tok

    def document(self):
        ops, frags = [], {}
        while self.peek():
            tok = self.peek()
            if tok[1] == "{":
                ops.append({"type": "query", "name": None, "vars": {}, "sel": self.selset()})
            elif tok[1] in ("query", "mutation", "subscription"):
                self.take()
                name = None
                if self.peek() and self.peek()[0] == "name":
                    name = self.take()[1]
                var_defs = self.var_defs() if self.peek("(") else {}
                self.directives()
                ops.append({"type": tok[1], "name": name, "vars": var_defs, "sel": self.selset()})
            elif tok[1] == "fragment":
                self.take()
                name = self.take()[1]
                self.take("on")
                type_ = self.take()[1]
                self.directives()
                frags[name] = {"on": type_, "sel": self.selset()}
            else:
                raise GQLError(f"Parse error: unexpected {tok[1]!r}")
        return ops, frags

    def var_defs(self):
        defs = {}
        self.take("(")
        while not self.peek(")"):
            self.take("$")
            name = self.take()[1]
            self.take(":")
            self.type_ref()
            default = None
            if self.peek("="):
                self.take("=")
                default = self.value()
            defs[name] = default
        self.take(")")
        return defs

    def type_ref(self):
        if self.peek("["):
            self.take("[")
            self.type_ref()
            self.take("]")
        else:
            self.take()
        if self.peek("!"):
            self.take("!")

    def directives(self):
        while self.peek("@"):
            self.take("@")
            self.take()
            if self.peek("("):
                self.args()

    def selset(self):
        self.take("{")
        sels = []
        while not self.peek("}"):
            if self.peek("..."):
                self.take("...")
                if self.peek("on"):
                    self.take("on")
                    type_ = self.take()[1]
                    self.directives()
                    sels.append({"kind": "inline", "on": type_, "sel": self.selset()})
                elif self.peek("{") or self.peek("@"):
                    self.directives()
                    sels.append({"kind": "inline", "on": None, "sel": self.selset()})
                else:
                    name = self.take()[1]
                    self.directives()
                    sels.append({"kind": "spread", "name": name})
                continue
            name = self.take()[1]
            alias = None
            if self.peek(":"):
                self.take(":")
                alias, name = name, self.take()[1]
            args = self.args() if self.peek("(") else {}
            self.directives()
            sub = self.selset() if self.peek("{") else None
            sels.append({"kind": "field", "name": name, "alias": alias, "args": args, "sel": sub})
        self.take("}")
        return sels

    def args(self):
        out = {}
        self.take("(")
        while not self.peek(")"):
            name = self.take()[1]
            self.take(":")
            out[name] = self.value()
        self.take(")")
        return out

    def value(self):
        kind, text = self.take()
        if text == "$":
            return ("var", self.take()[1])
        if kind == "str":
            return json.loads(text)
        if kind == "num":
            return float(text) if any(c in text for c in ".eE") else int(text)
        if text == "[":
            items = []
            while not self.peek("]"):
                items.append(self.value())
            self.take("]")
            return items
        if text == "{":
            obj = {}
            while not self.peek("}"):
                key = self.take()[1]
                self.take(":")
                obj[key] = self.value()
            self.take("}")
            return obj
        if text == "true":
            return True
        if text == "false":
            return False
        if text == "null":
            return None
        return text  # an enum value


def eval_value(v, variables):
    if isinstance(v, tuple) and v and v[0] == "var":
        return variables.get(v[1])
    if isinstance(v, list):
        return [eval_value(x, variables) for x in v]
    if isinstance(v, dict):
        return {k: eval_value(x, variables) for k, x in v.items()}
    return v


INTERFACES = {"Actor", "Node", "RepositoryOwner", "GitObject", "Assignable", "Closable", "Comment",
              "Labelable", "UniformResourceLocatable", "RequirableByPullRequest"}


class Resolver:
    def __init__(self, frags, variables, unresolved):
        self.frags = frags
        self.vars = variables
        self.errors = []
        self.unresolved = unresolved

    def project(self, obj, sels, path):
        if obj is None:
            return None
        out = {}
        for sel in sels:
            if sel["kind"] == "field":
                key = sel["alias"] or sel["name"]
                name = sel["name"]
                if name == "__typename":
                    out[key] = obj.get("__typename")
                    continue
                args = {k: eval_value(v, self.vars) for k, v in sel["args"].items()}
                if name not in obj:
                    self.unresolved.append(".".join(path + [name]))
                    out[key] = None
                    continue
                val = obj[name]
                try:
                    if callable(val):
                        val = val(args)
                except GQLError as e:
                    self.errors.append({"type": e.type or "UNPROCESSABLE", "path": path + [key],
                                        "message": str(e), "locations": [{"line": 1, "column": 1}]})
                    out[key] = None
                    continue
                out[key] = self.complete(val, sel["sel"], path + [key])
            else:
                type_ = sel.get("on")
                if sel["kind"] == "spread":
                    frag = self.frags.get(sel["name"])
                    if frag is None:
                        continue
                    type_, subsel = frag["on"], frag["sel"]
                else:
                    subsel = sel["sel"]
                tn = obj.get("__typename")
                if type_ and tn and type_ != tn and type_ not in INTERFACES:
                    continue
                merge_into(out, self.project(obj, subsel, path))
        return out

    def complete(self, val, sels, path):
        if sels is None or val is None:
            return val
        if isinstance(val, list):
            return [self.complete(v, sels, path + [str(i)]) for i, v in enumerate(val)]
        if isinstance(val, dict):
            return self.project(val, sels, path)
        return val


def merge_into(dst, src):
    for k, v in (src or {}).items():
        if k in dst and isinstance(dst[k], dict) and isinstance(v, dict):
            merge_into(dst[k], v)
        else:
            dst[k] = v


def connection(items, args, cap, total=None):
    """A GraphQL connection over a list, with first/last/after/before and index cursors."""
    start = uncursor(args.get("after")) + 1 if args.get("after") else 0
    end = uncursor(args.get("before")) if args.get("before") else len(items)
    window = list(enumerate(items))[start:end]
    first, last = args.get("first"), args.get("last")
    if first is not None:
        first = min(int(first), cap)
        has_next = len(window) > first
        window = window[:first]
    else:
        has_next = False
    if last is not None:
        last = min(int(last), cap)
        window = window[-last:] if last else []
    nodes = [x for _, x in window]
    return {
        "nodes": nodes,
        "edges": [{"node": x, "cursor": cursor(i)} for i, x in window],
        "totalCount": len(items) if total is None else total,
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": bool(window) and window[0][0] > 0,
            "endCursor": cursor(window[-1][0]) if window else None,
            "startCursor": cursor(window[0][0]) if window else None,
        },
    }


# ------------------------------------------------------------------------------------------------
# The emulated GitHub.


class Git:
    def __init__(self, bare):
        self.bare = bare

    def run(self, *args, env=None, check=True, input_=None):
        full_env = dict(os.environ)
        full_env.update({"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"})
        if env:
            full_env.update(env)
        p = subprocess.run(["git", "--git-dir", self.bare, *args], capture_output=True, text=True,
                           env=full_env, input=input_)
        if check and p.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)}: {p.stderr.strip()}")
        return p

    def refs(self):
        out = self.run("for-each-ref", "--format=%(refname) %(objectname) %(*objectname)",
                       "refs/heads", "refs/tags").stdout
        heads, tags = {}, {}
        for line in out.splitlines():
            parts = line.split(" ")
            ref, oid = parts[0], parts[1]
            peeled = parts[2] if len(parts) > 2 and parts[2] else oid
            if ref.startswith("refs/heads/"):
                heads[ref[len("refs/heads/"):]] = oid
            elif ref.startswith("refs/tags/"):
                tags[ref[len("refs/tags/"):]] = peeled
        return heads, tags

    def rev(self, rev):
        p = self.run("rev-parse", "--verify", "--quiet", rev + "^{commit}", check=False)
        return p.stdout.strip() or None


class Emulator:
    def __init__(self, state_dir, origins, user, log_path):
        self.lock = threading.RLock()
        self.state_dir = state_dir
        self.log_path = log_path
        self.user = user
        self.knobs = json.loads(json.dumps(DEFAULT_KNOBS))
        self.openapi = OpenAPI()
        self.counter = 1000
        self.repos = {}
        self.runs = {}
        self.workflows = {}
        self.unresolved_seen = set()
        for i, (full, path) in enumerate(origins):
            self.add_repo(full, path, i + 1)
        self.save()

    def add_repo(self, full, path, rid, **extra):
        """A repository served from the bare repository at `path`."""
        if True:
            owner, name = full.split("/", 1)
            git = Git(path)
            heads, tags = git.refs()
            head_ref = git.run("symbolic-ref", "--short", "HEAD", check=False).stdout.strip()
            default = head_ref if head_ref in heads else ("main" if "main" in heads else
                                                           (sorted(heads)[0] if heads else "main"))
            self.repos[full.lower()] = {
                "owner": owner, "name": name, "path": path, "git": git, "id": rid,
                "node_id": f"R_kgDO{rid:06d}", "default_branch": default,
                "labels": [self.new_label(n, c, d) for n, c, d in DEFAULT_LABELS],
                "pulls": [], "releases": [], "advisories": [],
                "heads": heads, "tags": tags,
                "sha_seen": {oid: now() for oid in heads.values()},
                "workflows": [
                    {"id": 100 * rid + 1, "name": "Release", "path": ".github/workflows/release.yml",
                     "state": "active"},
                    {"id": 100 * rid + 2, "name": "CI", "path": ".github/workflows/ci.yml",
                     "state": "active"},
                ],
            }
            self.repos[full.lower()].update(extra)

    # -- bookkeeping ---------------------------------------------------------------------------

    def next_id(self):
        self.counter += 1
        return self.counter

    def new_label(self, name, color, description):
        return {"id": f"LA_kwDO{self.next_id()}", "name": name, "color": color,
                "description": description, "created_at": now()}

    def repo(self, owner, name):
        r = self.repos.get(f"{owner}/{name}".lower())
        if r is None:
            raise HTTPErr(404, "Not Found")
        return r

    def page_cap(self):
        return max(1, int(self.knobs.get("graphql_page_size") or 100))

    def snapshot(self):
        def clean_repo(r):
            return {
                "owner": r["owner"], "name": r["name"], "path": r["path"], "id": r["id"],
                "default_branch": r["default_branch"], "heads": r["heads"], "tags": r["tags"],
                "labels": [lb["name"] for lb in r["labels"]],
                "pulls": [{k: v for k, v in p.items() if not k.startswith("_")} for p in r["pulls"]],
                "releases": r["releases"], "advisories": r["advisories"],
                "workflows": r["workflows"],
                "private": bool(r.get("private")), "advisory_fork": r.get("advisory_fork"),
                "branch_protection": self.protection(),
            }
        runs = []
        for run in self.runs.values():
            st = self.run_status(run)
            runs.append(dict(run, status=st["status"], conclusion=st.get("conclusion"),
                             environment=st.get("environment")))
        return {"repos": {k: clean_repo(r) for k, r in self.repos.items()}, "runs": runs,
                "knobs": self.knobs}

    def save(self):
        with self.lock:
            data = json.dumps(self.snapshot(), indent=1, sort_keys=True, default=str)
            tmp = os.path.join(self.state_dir, "state.json.tmp")
            with open(tmp, "w") as f:
                f.write(data)
            os.replace(tmp, os.path.join(self.state_dir, "state.json"))

    def log(self, entry):
        with self.lock:
            with open(self.log_path, "a") as f:
                f.write(json.dumps(entry, default=str) + "\n")

    # -- git-derived state -----------------------------------------------------------------------

    def scan(self):
        """Reads every origin's refs: new branch heads are 'pushes', new tags start workflow runs."""
        changed = False
        for r in self.repos.values():
            heads, tags = r["git"].refs()
            for oid in heads.values():
                if oid not in r["sha_seen"]:
                    r["sha_seen"][oid] = now()
                    changed = True
            for tag, oid in tags.items():
                if tag not in r["tags"]:
                    self.on_tag_push(r, tag, oid)
                    changed = True
            for p in r["pulls"]:
                if p["state"] == "OPEN" and heads.get(p["head"], p["head_oid"]) != p["head_oid"]:
                    p["head_oid"], p["_updated"] = heads[p["head"]], now()
                    changed = True
            if heads != r["heads"] or tags != r["tags"]:
                changed = True
            r["heads"], r["tags"] = heads, tags
        return changed

    def on_tag_push(self, r, tag, oid):
        for tmpl in self.knobs.get("tag_runs") or []:
            self.add_run(r, {"workflow": tmpl.get("workflow"), "file": tmpl.get("file"),
                             "head_branch": tag, "head_sha": oid, "event": "push",
                             "script": tmpl.get("script")})
        if self.knobs.get("release_on_tag"):
            self.add_release(r, {"tag": tag, "target": oid})

    def workflow_for(self, r, name=None, file=None):
        for w in r["workflows"]:
            if (file and w["path"].endswith("/" + file)) or (name and w["name"] == name):
                return w
        w = {"id": 100 * r["id"] + len(r["workflows"]) + 1, "name": name or file,
             "path": f".github/workflows/{file or (name or 'workflow').lower() + '.yml'}",
             "state": "active"}
        r["workflows"].append(w)
        return w

    def add_run(self, r, spec):
        w = self.workflow_for(r, spec.get("workflow"), spec.get("file"))
        rid = int(spec.get("id") or self.next_id() * 10)
        sha = spec.get("head_sha") or r["heads"].get(spec.get("head_branch") or "") or \
            r["tags"].get(spec.get("head_branch") or "") or "0" * 40
        script = spec.get("script")
        if not script:
            script = [{"at": 0, "status": spec.get("status", "completed"),
                       "conclusion": spec.get("conclusion", "success" if spec.get("status", "completed")
                                              == "completed" else None),
                       "environment": spec.get("environment")}]
        run = {"id": rid, "repo": f"{r['owner']}/{r['name']}", "workflow_id": w["id"],
               "workflow": w["name"], "path": w["path"], "head_branch": spec.get("head_branch"),
               "head_sha": sha, "event": spec.get("event", "push"), "script": script,
               "created": now(), "approved_at": None, "forced": None,
               "run_number": len([x for x in self.runs.values() if x["workflow_id"] == w["id"]]) + 1}
        self.runs[rid] = run
        return run

    def run_status(self, run):
        if run.get("forced"):
            return run["forced"]
        t = now()
        base = run["created"]
        status = {"status": "queued", "conclusion": None}
        for e in run["script"]:
            if t < base + float(e.get("at", 0)):
                break
            status = e
            if e.get("status") == "waiting":
                if run["approved_at"] is None:
                    break
                base = run["approved_at"]
        return status

    def add_release(self, r, spec):
        tag = spec["tag"]
        if any(x["tag_name"] == tag for x in r["releases"]):
            return None
        rid = self.next_id()
        draft, pre = bool(spec.get("draft")), bool(spec.get("prerelease"))
        rel = {"id": rid, "node_id": f"RE_kwDO{rid}", "tag_name": tag, "name": spec.get("name") or tag,
               "body": spec.get("body", ""), "draft": draft, "prerelease": pre,
               "target_commitish": spec.get("target") or r["default_branch"],
               "created_at": iso(now()), "published_at": None if draft else iso(now()),
               "latest": False}
        r["releases"].append(rel)
        latest = spec.get("latest", True)
        if latest and not draft and not pre:
            for x in r["releases"]:
                x["latest"] = False
            rel["latest"] = True
        return rel

    def recompute_latest(self, r):
        def key(rel):
            m = re.match(r"^\D*(\d+)\.(\d+)\.(\d+)$", rel["tag_name"])
            return tuple(int(x) for x in m.groups()) if m else (-1,)
        cands = [x for x in r["releases"] if not x["draft"] and not x["prerelease"]]
        for x in r["releases"]:
            x["latest"] = False
        if cands:
            max(cands, key=key)["latest"] = True

    def protection(self):
        p = self.knobs.get("branch_protection")
        if not p:
            return None
        if p is True:
            p = {}
        return {"required_approving_review_count": int(p.get("required_approving_review_count", 1)),
                "required_checks": p.get("required_checks"), "strict": bool(p.get("strict", False))}

    # -- checks, reviews and merge state -----------------------------------------------------------

    def check_specs(self):
        c = self.knobs.get("checks", "pass")
        if c == "none":
            return []
        if isinstance(c, str):
            return [{"name": "test", "outcome": c, "workflow": "CI"}]
        return c

    def checks_for(self, r, sha, pr=None):
        """The check runs on a commit now, or None when none are reported (yet)."""
        specs = self.check_specs()
        # GitHub Actions do not run in an advisory's temporary private fork.
        if not specs or not sha or r.get("advisory_fork"):
            return None
        seen = r["sha_seen"].get(sha)
        if seen is None:
            return None
        start = seen
        if pr is not None:
            start = max(start, pr["_created"]) if pr["head_oid"] == sha else start
        appear = start + float(self.knobs.get("checks_delay_seconds") or 0)
        t = now()
        if t < appear:
            return None
        done = t >= appear + float(self.knobs.get("checks_pending_seconds") or 0)
        prot = self.protection()
        required = None if not prot else prot.get("required_checks")
        out = []
        for i, s in enumerate(specs):
            outcome = s.get("outcome", "pass")
            completed = done and outcome != "pending"
            conclusion = {"pass": "SUCCESS", "fail": "FAILURE", "skip": "SKIPPED",
                          "cancel": "CANCELLED"}.get(outcome, "SUCCESS") if completed else None
            out.append({
                "__typename": "CheckRun",
                "id": f"CR_kwDO{abs(hash((sha, s['name']))) % 10**9}",
                "databaseId": 5000 + i,
                "name": s["name"],
                "status": "COMPLETED" if completed else "IN_PROGRESS",
                "conclusion": conclusion,
                "startedAt": iso(appear),
                "completedAt": iso(appear) if completed else None,
                "detailsUrl": f"{WEB}/{r['owner']}/{r['name']}/actions/runs/{9000 + i}/job/{7000 + i}",
                "checkSuite": {"workflowRun": {"workflow": {"name": s.get("workflow", "CI")}}},
                "isRequired": (lambda a, req=required, n=s["name"]:
                               bool(prot) and (req is None or n in req)),
            })
        return out

    def reviews_for(self, pr):
        k = self.knobs.get("reviews") or []
        if isinstance(k, dict):
            k = k.get(str(pr["number"]), [])
        # A reviewer who answers only a while after the PR is opened (the exposure window's bench).
        if now() < pr["_created"] + float(self.knobs.get("reviews_after_seconds") or 0):
            k = []
        out = []
        for i, rv in enumerate(k):
            out.append({"id": f"PRR_kwDO{pr['number']}{i}", "author": {"login": rv.get("author", "reviewer"),
                                                                     "__typename": "User"},
                        "authorAssociation": "MEMBER", "state": rv.get("state", "APPROVED"),
                        "body": rv.get("body", ""), "submittedAt": iso(pr["_created"] + 1 + i),
                        "commit": {"oid": pr["head_oid"]}, "reactionGroups": []})
        return out

    def latest_reviews(self, pr):
        latest = {}
        for rv in self.reviews_for(pr):
            if rv["state"] in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
                latest[rv["author"]["login"]] = rv
            elif rv["author"]["login"] not in latest:
                latest[rv["author"]["login"]] = rv
        return list(latest.values())

    def review_decision(self, pr):
        prot = self.protection()
        if not prot or prot["required_approving_review_count"] < 1:
            return None
        latest = [rv for rv in self.latest_reviews(pr) if rv["author"]["login"] != pr["author"]]
        if any(rv["state"] == "CHANGES_REQUESTED" for rv in latest):
            return "CHANGES_REQUESTED"
        approvals = sum(1 for rv in latest if rv["state"] == "APPROVED")
        return "APPROVED" if approvals >= prot["required_approving_review_count"] else "REVIEW_REQUIRED"

    def mergeable(self, r, pr):
        if pr["state"] != "OPEN":
            return "UNKNOWN"
        base, head = r["heads"].get(pr["base"]), r["heads"].get(pr["head"])
        if not base or not head:
            return "UNKNOWN"
        p = r["git"].run("merge-tree", "--write-tree", base, head, check=False)
        return "MERGEABLE" if p.returncode == 0 else "CONFLICTING"

    def merge_state(self, r, pr):
        forced = self.knobs.get("merge_state_status")
        if forced:
            return forced
        if pr["state"] != "OPEN":
            return "UNKNOWN"
        if self.mergeable(r, pr) == "CONFLICTING":
            return "DIRTY"
        prot = self.protection()
        checks = self.checks_for(r, pr["head_oid"], pr) or []
        if prot:
            if self.review_decision(pr) not in (None, "APPROVED"):
                return "BLOCKED"
            req = prot.get("required_checks")
            required = [c for c in checks if req is None or c["name"] in req]
            if req is None and not checks and self.check_specs():
                return "BLOCKED"
            if req and len(required) < len(req):
                return "BLOCKED"
            if any(c["conclusion"] != "SUCCESS" for c in required):
                return "BLOCKED"
        if any(c["status"] != "COMPLETED" for c in checks):
            return "UNSTABLE" if not prot else "BLOCKED"
        if any(c["conclusion"] not in ("SUCCESS", "SKIPPED", "NEUTRAL") for c in checks):
            return "UNSTABLE"
        return "CLEAN"

    # -- GraphQL object model ----------------------------------------------------------------------

    def user_obj(self, login=None):
        login = login or self.user
        return {"__typename": "User", "login": login, "id": f"U_kgDO{abs(hash(login)) % 10**6}",
                "name": login.capitalize(), "databaseId": abs(hash(login)) % 10**6}

    def repo_obj(self, r):
        cap = self.page_cap()
        ro = {
            "__typename": "Repository",
            "id": r["node_id"], "databaseId": r["id"], "name": r["name"],
            "nameWithOwner": f"{r['owner']}/{r['name']}",
            "owner": {"__typename": "User", "id": f"U_{r['owner']}", "login": r["owner"]},
            "url": f"{WEB}/{r['owner']}/{r['name']}", "sshUrl": f"git@github.localhost:{r['owner']}/{r['name']}.git",
            "description": "", "homepageUrl": "", "isPrivate": bool(r.get("private")), "isFork": False, "isArchived": False,
            "isEmpty": not r["heads"], "isInOrganization": False, "isMirror": False, "isTemplate": False,
            "visibility": "PRIVATE" if r.get("private") else "PUBLIC", "hasIssuesEnabled": True, "hasWikiEnabled": False,
            "hasProjectsEnabled": False, "hasDiscussionsEnabled": False, "mergeCommitAllowed": True,
            "squashMergeAllowed": True, "rebaseMergeAllowed": True, "deleteBranchOnMerge": False,
            "viewerPermission": "ADMIN", "viewerCanAdminister": True, "viewerDefaultMergeMethod": "MERGE",
            "parent": None, "templateRepository": None,
            "defaultBranchRef": {"name": r["default_branch"],
                                 "target": {"oid": r["heads"].get(r["default_branch"])}},
            "createdAt": iso(0), "pushedAt": iso(now()), "updatedAt": iso(now()),
            "stargazerCount": 0, "forkCount": 0,
            "pullRequest": lambda a: self.pr_obj(r, self.find_pr(r, a.get("number"), gql=True)),
            "pullRequests": lambda a: connection(
                [self.pr_obj(r, p) for p in self.filter_prs(r, a)], a, cap),
            "labels": lambda a: connection(self.label_objs(r, a), a, cap),
            "label": lambda a: next((self.label_obj(lb) for lb in r["labels"]
                                     if lb["name"].lower() == str(a.get("name", "")).lower()), None),
            "release": lambda a: next((self.release_obj(r, x) for x in r["releases"]
                                       if x["tag_name"] == a.get("tagName")), None),
            "releases": lambda a: connection([self.release_obj(r, x) for x in reversed(r["releases"])], a, cap),
            "latestRelease": lambda a: next((self.release_obj(r, x) for x in r["releases"] if x["latest"]), None),
            "assignableUsers": lambda a: connection([self.user_obj()], a, cap),
            "mentionableUsers": lambda a: connection([self.user_obj()], a, cap),
            "milestones": lambda a: connection([], a, cap),
            "projects": lambda a: connection([], a, cap),
            "projectsV2": lambda a: connection([], a, cap),
            "issueTemplates": [], "pullRequestTemplates": [],
            "ref": lambda a: self.ref_obj(r, a.get("qualifiedName")),
        }
        return ro

    def ref_obj(self, r, qualified):
        name = (qualified or "").replace("refs/heads/", "")
        oid = r["heads"].get(name)
        if not oid:
            return None
        return {"__typename": "Ref", "name": name, "prefix": "refs/heads/", "target": {"oid": oid},
                "branchProtectionRule": self.protection_rule()}

    def protection_rule(self):
        p = self.protection()
        if not p:
            return None
        return {"requiresStrictStatusChecks": p["strict"],
                "requiresApprovingReviews": p["required_approving_review_count"] > 0,
                "requiredApprovingReviewCount": p["required_approving_review_count"],
                "requiresStatusChecks": True,
                "requiredStatusCheckContexts": p.get("required_checks") or []}

    def label_obj(self, lb):
        return {"__typename": "Label", "id": lb["id"], "name": lb["name"], "color": lb["color"],
                "description": lb["description"], "createdAt": iso(lb["created_at"]),
                "isDefault": False, "url": ""}

    def label_objs(self, r, a):
        labels = list(r["labels"])
        q = a.get("query")
        if q:
            labels = [lb for lb in labels if q.lower() in lb["name"].lower()]
        order = a.get("orderBy") or {}
        if order.get("field") == "NAME":
            labels.sort(key=lambda lb: lb["name"].lower())
        if order.get("direction") == "DESC":
            labels.reverse()
        return [self.label_obj(lb) for lb in labels]

    def release_obj(self, r, x):
        return {"__typename": "Release", "id": x["node_id"], "databaseId": x["id"], "tagName": x["tag_name"],
                "name": x["name"], "isDraft": x["draft"], "isPrerelease": x["prerelease"],
                "isLatest": x["latest"], "createdAt": x["created_at"], "publishedAt": x["published_at"],
                "url": f"{WEB}/{r['owner']}/{r['name']}/releases/tag/{x['tag_name']}"}

    def filter_prs(self, r, a):
        prs = list(r["pulls"])
        if a.get("headRefName"):
            prs = [p for p in prs if p["head"] == a["headRefName"]]
        if a.get("baseRefName"):
            prs = [p for p in prs if p["base"] == a["baseRefName"]]
        states = a.get("states")
        if states:
            if isinstance(states, str):
                states = [states]
            prs = [p for p in prs if p["state"] in states]
        order = a.get("orderBy") or {}
        if order.get("direction", "DESC") == "DESC":
            prs.reverse()
        return prs

    def find_pr(self, r, number, gql=False):
        for p in r["pulls"]:
            if p["number"] == int(number or 0):
                return p
        if gql:
            raise GQLError(f"Could not resolve to a PullRequest with the number of {number}.", "NOT_FOUND")
        raise HTTPErr(404, "Not Found")

    def pr_commits(self, r, pr):
        if pr.get("_commits") is not None:
            return pr["_commits"]
        base = r["heads"].get(pr["base"])
        head = pr["head_oid"]
        if not head:
            return []
        rng = f"{base}..{head}" if base else head
        out = r["git"].run("log", "--reverse", "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%cI%x1f%s%x1f%b%x1e",
                           rng, check=False).stdout
        commits = []
        for rec in out.split("\x1e"):
            rec = rec.strip("\n")
            if not rec:
                continue
            f = rec.split("\x1f")
            commits.append({"oid": f[0], "authorName": f[1], "authorEmail": f[2], "authoredDate": f[3],
                            "committedDate": f[4], "messageHeadline": f[5], "messageBody": f[6].strip()})
        return commits

    def pr_files(self, r, pr):
        base = r["heads"].get(pr["base"])
        if not base or not pr["head_oid"]:
            return []
        mb = r["git"].run("merge-base", base, pr["head_oid"], check=False).stdout.strip() or base
        out = r["git"].run("diff", "--numstat", mb, pr["head_oid"], check=False).stdout
        files = []
        for line in out.splitlines():
            a, d, path = line.split("\t", 2)
            files.append({"path": path, "additions": int(a) if a.isdigit() else 0,
                          "deletions": int(d) if d.isdigit() else 0})
        return files

    def commit_obj(self, r, c, pr):
        def rollup(a):
            checks = self.checks_for(r, c["oid"], pr)
            if checks is None:
                return None
            states = [x["conclusion"] if x["status"] == "COMPLETED" else "PENDING" for x in checks]
            state = ("FAILURE" if any(s in ("FAILURE", "CANCELLED", "TIMED_OUT") for s in states)
                     else "PENDING" if "PENDING" in states else "SUCCESS")
            return {"__typename": "StatusCheckRollup", "state": state,
                    "contexts": lambda a2: connection(checks, a2, self.page_cap())}
        return {
            "__typename": "Commit", "oid": c["oid"], "abbreviatedOid": c["oid"][:7],
            "messageHeadline": c["messageHeadline"], "messageBody": c["messageBody"],
            "committedDate": c["committedDate"], "authoredDate": c["authoredDate"],
            "authors": lambda a: connection([{"name": c["authorName"], "email": c["authorEmail"],
                                              "user": None}], a, self.page_cap()),
            "statusCheckRollup": rollup,
        }

    def pr_obj(self, r, pr):
        if pr is None:
            return None
        cap = self.page_cap()
        labels = [lb for lb in r["labels"] if lb["id"] in pr["label_ids"]]

        def commits(a):
            return connection([{"__typename": "PullRequestCommit",
                                "commit": self.commit_obj(r, c, pr)} for c in self.pr_commits(r, pr)], a, cap)

        def files(key):
            return lambda a=None: (sum(f[key] for f in self.pr_files(r, pr)))

        return {
            "__typename": "PullRequest",
            "id": pr["node_id"], "number": pr["number"], "title": pr["title"], "body": pr["body"],
            "state": pr["state"], "closed": pr["state"] != "OPEN", "isDraft": pr["draft"],
            "url": f"{WEB}/{r['owner']}/{r['name']}/pull/{pr['number']}",
            "createdAt": iso(pr["_created"]), "updatedAt": iso(pr["_updated"]),
            "closedAt": iso(pr.get("_closed")), "mergedAt": iso(pr.get("_merged")),
            "baseRefName": pr["base"], "headRefName": pr["head"], "headRefOid": pr["head_oid"],
            "baseRef": {"name": pr["base"], "branchProtectionRule": self.protection_rule(),
                        "target": {"oid": r["heads"].get(pr["base"])}},
            "headRef": ({"name": pr["head"], "target": {"oid": pr["head_oid"]}}
                        if pr["head"] in r["heads"] else None),
            "headRepository": {"id": r["node_id"], "name": r["name"],
                               "owner": {"login": r["owner"], "id": f"U_{r['owner']}"},
                               "nameWithOwner": f"{r['owner']}/{r['name']}"},
            "headRepositoryOwner": {"__typename": "User", "id": f"U_{r['owner']}", "login": r["owner"],
                                    "name": r["owner"]},
            "isCrossRepository": False, "maintainerCanModify": pr["maintainer_can_modify"],
            "author": self.user_obj(pr["author"]),
            "mergedBy": self.user_obj(pr["merged_by"]) if pr.get("merged_by") else None,
            "labels": lambda a: connection([self.label_obj(lb) for lb in labels], a, cap),
            "assignees": lambda a: connection([], a, cap),
            "milestone": None, "autoMergeRequest": None,
            "projectCards": lambda a: connection([], a, cap),
            "projectItems": lambda a: connection([], a, cap),
            "reactionGroups": [],
            "comments": lambda a: connection([], a, cap),
            "reviewRequests": lambda a: connection([], a, cap),
            "reviews": lambda a: connection(self.reviews_for(pr), a, cap),
            "latestReviews": lambda a: connection(self.latest_reviews(pr), a, cap),
            "latestOpinionatedReviews": lambda a: connection(
                [x for x in self.latest_reviews(pr) if x["state"] != "COMMENTED"], a, cap),
            "reviewDecision": lambda a: self.review_decision(pr),
            "mergeable": lambda a: self.mergeable(r, pr),
            "mergeStateStatus": lambda a: self.merge_state(r, pr),
            "mergeCommit": {"oid": pr["merge_commit"]} if pr.get("merge_commit") else None,
            "potentialMergeCommit": None,
            "commits": commits,
            "files": lambda a: connection(self.pr_files(r, pr), a, cap),
            "additions": files("additions"), "deletions": files("deletions"),
            "changedFiles": lambda a: len(self.pr_files(r, pr)),
            "isInMergeQueue": False, "isMergeQueueEnabled": False,
            "viewerMergeHeadlineText": lambda a: f"{pr['title']} (#{pr['number']})",
            "viewerMergeBodyText": lambda a: "",
        }

    def node_by_id(self, node_id):
        for r in self.repos.values():
            if r["node_id"] == node_id:
                return r, None
            for p in r["pulls"]:
                if p["node_id"] == node_id:
                    return r, p
        return None, None

    def query_root(self):
        def repository(a):
            r = self.repos.get(f"{a.get('owner')}/{a.get('name')}".lower())
            if r is None:
                raise GQLError(f"Could not resolve to a Repository with the name "
                               f"'{a.get('owner')}/{a.get('name')}'.", "NOT_FOUND")
            return self.repo_obj(r)

        def node(a):
            r, p = self.node_by_id(a.get("id"))
            if r is None:
                raise GQLError(f"Could not resolve to a node with the global id of '{a.get('id')}'",
                               "NOT_FOUND")
            return self.pr_obj(r, p) if p else self.repo_obj(r)

        def type_(a):
            fields = {"PullRequest": PULL_REQUEST_FIELDS}.get(a.get("name"), [])
            return {"name": a.get("name"), "fields": [{"name": f} for f in fields]}

        viewer = dict(self.user_obj(), organizations=lambda a: connection([], a, self.page_cap()))
        return {"repository": repository, "viewer": viewer, "node": node, "__type": type_,
                "user": lambda a: self.user_obj(a.get("login"))}

    # -- mutations ----------------------------------------------------------------------------------

    def mutation_root(self):
        def pr_of(inp):
            r, p = self.node_by_id(inp.get("pullRequestId"))
            if p is None:
                raise GQLError(f"Could not resolve to a node with the global id of "
                               f"'{inp.get('pullRequestId')}'", "NOT_FOUND")
            return r, p

        def create_pr(a):
            inp = a.get("input") or {}
            r, _ = self.node_by_id(inp.get("repositoryId"))
            if r is None:
                raise GQLError("Could not resolve to a Repository", "NOT_FOUND")
            head_ref = inp.get("headRefName") or ""
            head = head_ref.split(":")[-1]
            base = inp.get("baseRefName") or r["default_branch"]
            problems = []
            # A PR from a fork (issue 29): `OWNER:branch`, the branch in OWNER's fork of this repository.
            src = r
            if ":" in head_ref:
                src = self.repos.get(f"{head_ref.split(':')[0]}/{r['name']}".lower(), r)
                if src is not r:
                    src["heads"], src["tags"] = src["git"].refs()
            if head not in src["heads"]:
                problems += ["Head sha can't be blank", "Head ref must be a branch"]
            if base not in r["heads"]:
                problems += ["Base ref must be a branch"]
            if problems:
                raise GQLError(", ".join(problems))
            for p in r["pulls"]:
                if p["head"] == head and p["base"] == base and p["state"] == "OPEN":
                    raise GQLError(f"A pull request already exists for {r['owner']}:{head}.")
            if src is r and r["git"].run("merge-base", "--is-ancestor", r["heads"][head], r["heads"][base],
                                         check=False).returncode == 0:
                raise GQLError(f"No commits between {base} and {head}")
            if not (inp.get("title") or "").strip():
                raise GQLError("Title can't be blank")
            n = 1 + max([p["number"] for p in r["pulls"]] + [0])
            t = now()
            pr = {"number": n, "node_id": f"PR_kwDO{r['id']:03d}{n:05d}", "title": inp.get("title"),
                  "body": inp.get("body") or "", "base": base, "head": head, "head_oid": src["heads"][head],
                  "head_owner": src["owner"],
                  "state": "OPEN", "draft": bool(inp.get("draft")), "author": self.user,
                  "maintainer_can_modify": bool(inp.get("maintainerCanModify")), "label_ids": [],
                  "merge_commit": None, "merged_by": None, "_created": t, "_updated": t}
            r["pulls"].append(pr)
            return {"pullRequest": self.pr_obj(r, pr), "clientMutationId": None}

        def update_pr(a):
            inp = a.get("input") or {}
            r, p = pr_of(inp)
            for lid in inp.get("labelIds") or []:
                if not any(lb["id"] == lid for lb in r["labels"]):
                    raise GQLError(f"Could not resolve to a node with the global id of '{lid}'", "NOT_FOUND")
            if "labelIds" in inp:
                p["label_ids"] = list(inp.get("labelIds") or [])
            for key, field in (("title", "title"), ("body", "body"), ("baseRefName", "base")):
                if inp.get(key) is not None:
                    p[field] = inp[key]
            p["_updated"] = now()
            return {"pullRequest": self.pr_obj(r, p), "clientMutationId": None}

        def add_labels(a):
            inp = a.get("input") or {}
            r, p = self.node_by_id(inp.get("labelableId"))
            if p is None:
                raise GQLError("Could not resolve labelable", "NOT_FOUND")
            for lid in inp.get("labelIds") or []:
                if lid not in p["label_ids"]:
                    p["label_ids"].append(lid)
            return {"labelable": self.pr_obj(r, p), "clientMutationId": None}

        def merge_pr(a):
            inp = a.get("input") or {}
            r, p = pr_of(inp)
            return {"pullRequest": self.pr_obj(r, self.merge(r, p, inp)), "clientMutationId": None}

        def close_pr(a):
            inp = a.get("input") or {}
            r, p = pr_of(inp)
            if p["state"] == "OPEN":
                p["state"], p["_closed"] = "CLOSED", now()
            return {"pullRequest": self.pr_obj(r, p), "clientMutationId": None}

        def request_reviews(a):
            inp = a.get("input") or {}
            r, p = pr_of(inp)
            return {"pullRequest": self.pr_obj(r, p), "clientMutationId": None}

        def auto_merge(a):
            raise GQLError("Auto merge is not allowed for this repository")

        return {"createPullRequest": create_pr, "updatePullRequest": update_pr,
                "addLabelsToLabelable": add_labels, "mergePullRequest": merge_pr,
                "closePullRequest": close_pr, "requestReviews": request_reviews,
                "enablePullRequestAutoMerge": auto_merge, "disablePullRequestAutoMerge": auto_merge}

    def merge(self, r, p, inp):
        if p["state"] == "MERGED":
            raise GQLError("Pull Request is already merged")
        if p["state"] != "OPEN":
            raise GQLError("Pull Request is not mergeable")
        head_oid = r["heads"].get(p["head"])
        expected = inp.get("expectedHeadOid")
        if expected and expected != head_oid:
            raise GQLError("Head branch was modified. Review and try the merge again.")
        status = self.merge_state(r, p)
        if status == "DIRTY":
            raise GQLError("Pull Request is not mergeable")
        if status == "BLOCKED":
            prot = self.protection()
            if self.review_decision(p) not in (None, "APPROVED"):
                n = prot["required_approving_review_count"]
                raise GQLError(f"At least {n} approving review{'s are' if n > 1 else ' is'} required by "
                               "reviewers with write access.")
            raise GQLError("Required status check \"test\" is expected.")
        method = inp.get("mergeMethod") or "MERGE"
        base_oid = r["heads"][p["base"]]
        g = r["git"]
        mt = g.run("merge-tree", "--write-tree", base_oid, head_oid, check=False)
        if mt.returncode != 0:
            raise GQLError("Pull Request is not mergeable")
        tree = mt.stdout.split("\n", 1)[0].strip()
        commits = self.pr_commits(r, p)
        headline = inp.get("commitHeadline") or f"{p['title']} (#{p['number']})"
        if inp.get("commitBody") is not None:
            body = inp["commitBody"]
        else:
            body = "\n\n".join(f"* {c['messageHeadline']}" + (f"\n\n{c['messageBody']}" if c["messageBody"] else "")
                               for c in commits)
        env = {"GIT_AUTHOR_NAME": self.user, "GIT_AUTHOR_EMAIL": f"{self.user}@users.noreply.github.localhost",
               "GIT_COMMITTER_NAME": "GitHub", "GIT_COMMITTER_EMAIL": "noreply@github.localhost"}
        if method == "SQUASH":
            parents = ["-p", base_oid]
        elif method == "MERGE":
            parents = ["-p", base_oid, "-p", head_oid]
            headline = inp.get("commitHeadline") or f"Merge pull request #{p['number']} from {r['owner']}/{p['head']}"
            body = inp.get("commitBody") or p["title"]
        else:
            raise GQLError("Rebase merges are not supported by the emulator")
        msg = headline + ("\n\n" + body if body else "")
        new = g.run("commit-tree", tree, *parents, "-F", "-", env=env, input_=msg).stdout.strip()
        g.run("update-ref", f"refs/heads/{p['base']}", new, base_oid)
        p["_commits"] = commits
        p.update(state="MERGED", merge_commit=new, merged_by=self.user, head_oid=head_oid,
                 _merged=now(), _closed=now(), _updated=now())
        self.scan()
        return p

    # -- REST ------------------------------------------------------------------------------------------

    def rest(self, method, path, query, body, h):
        parts = [urllib.parse.unquote(x) for x in path.strip("/").split("/")] if path.strip("/") else []
        if not parts:
            return 200, {"current_user_url": f"{API}/user"}, {"X-Oauth-Scopes": self.knobs.get("scopes") or ""}
        if parts == ["user"]:
            u = self.user_obj()
            return 200, {"login": u["login"], "id": u["databaseId"], "type": "User", "name": u["name"],
                         "html_url": f"{WEB}/{u['login']}"}, {}
        if parts[0] == "advisories" and len(parts) == 2 and method == "GET":
            return self.rest_global_advisory(parts[1])
        if parts[0] == "repos" and len(parts) >= 3:
            r = self.repo(parts[1], parts[2])
            return self.rest_repo(r, method, parts[3:], query, body, h)
        raise NoRoute()

    def paginate(self, h, path, query, items, cursors=False):
        """One page of a REST list, and its Link header: page numbers, or (`cursors`) `after` cursors."""
        cap = max(1, int(self.knobs.get("rest_page_size") or 100))
        per_page = min(int(query.get("per_page", ["30"])[0]), 100, cap)
        if cursors:
            start = uncursor(query["after"][0]) if "after" in query else 0
            page_items = items[start:start + per_page]
            nxt = start + per_page if start + per_page < len(items) else None
            links = []
            if nxt is not None:
                q = {k: v[0] for k, v in query.items() if k not in ("after", "before")}
                q.update(per_page=str(per_page), after=cursor(nxt))
                links.append(f'<{API}{path}?{urllib.parse.urlencode(q)}>; rel="next"')
        else:
            page = max(1, int(query.get("page", ["1"])[0]))
            start = (page - 1) * per_page
            page_items = items[start:start + per_page]
            last = max(1, (len(items) + per_page - 1) // per_page)
            links = []
            q = {k: v[0] for k, v in query.items() if k != "page"}
            q["per_page"] = str(per_page)

            def link(pg, rel):
                return f'<{API}{path}?{urllib.parse.urlencode(dict(q, page=str(pg)))}>; rel="{rel}"'
            if page < last:
                links += [link(page + 1, "next"), link(last, "last")]
            if page > 1:
                links += [link(1, "first"), link(page - 1, "prev")]
        if links:
            h["Link"] = ", ".join(links)
        return page_items

    def rest_repo(self, r, method, rest, query, body, h):
        base = f"/repos/{r['owner']}/{r['name']}"
        full = f"{r['owner']}/{r['name']}"
        if not rest:
            return 200, {"id": r["id"], "node_id": r["node_id"], "name": r["name"], "full_name": full,
                         "owner": {"login": r["owner"]}, "html_url": f"{WEB}/{full}", "private": bool(r.get("private")),
                         "default_branch": r["default_branch"], "url": f"{API}{base}"}, {}
        head = rest[0]
        if head in ("forks", "contents"):
            return self.rest_after_disclosure(r, method, rest, query, body, h)
        if head == "labels":
            if method == "GET" and len(rest) == 1:
                return 200, self.paginate(h, base + "/labels", query, [self.rest_label(r, lb) for lb in r["labels"]]), h
            if method == "POST" and len(rest) == 1:
                name = (body or {}).get("name") or ""
                if not name:
                    raise HTTPErr(422, "Validation Failed",
                                  [{"resource": "Label", "code": "missing_field", "field": "name"}])
                if any(lb["name"].lower() == name.lower() for lb in r["labels"]):
                    raise HTTPErr(422, "Validation Failed",
                                  [{"resource": "Label", "code": "already_exists", "field": "name"}])
                color = (body.get("color") or "ededed").lstrip("#")
                if not re.fullmatch(r"[0-9a-fA-F]{6}", color):
                    raise HTTPErr(422, "Validation Failed",
                                  [{"resource": "Label", "code": "invalid", "field": "color"}])
                lb = self.new_label(name, color, body.get("description") or "")
                r["labels"].append(lb)
                return 201, self.rest_label(r, lb), {}
            if len(rest) == 2:
                lb = next((x for x in r["labels"] if x["name"].lower() == rest[1].lower()), None)
                if lb is None:
                    raise HTTPErr(404, "Not Found")
                if method == "GET":
                    return 200, self.rest_label(r, lb), {}
                if method == "PATCH":
                    for k in ("color", "description"):
                        if body.get(k) is not None:
                            lb[k] = body[k]
                    if body.get("new_name"):
                        lb["name"] = body["new_name"]
                    return 200, self.rest_label(r, lb), {}
                if method == "DELETE":
                    r["labels"].remove(lb)
                    return 204, None, {}
        if head == "git" and len(rest) >= 4 and rest[1] == "refs" and method == "DELETE":
            kind, name = rest[2], "/".join(rest[3:])
            ref = f"refs/{kind}/{name}"
            if r["git"].run("rev-parse", "--verify", "--quiet", ref, check=False).returncode != 0:
                raise HTTPErr(422, "Reference does not exist")
            r["git"].run("update-ref", "-d", ref)
            self.scan()
            return 204, None, {}
        if head == "branches" and len(rest) >= 2:
            branch = "/".join(rest[1:-1]) if rest[-1] == "protection" else "/".join(rest[1:])
            if branch not in r["heads"]:
                raise HTTPErr(404, "Branch not found")
            prot = self.protection()
            if rest[-1] == "protection":
                if not prot or branch != r["default_branch"]:
                    raise HTTPErr(404, "Branch not protected")
                return 200, self.rest_protection(r, branch, prot), {}
            return 200, {"name": branch, "commit": {"sha": r["heads"][branch]},
                         "protected": bool(prot) and branch == r["default_branch"]}, {}
        if head == "pulls" and method == "GET":
            if len(rest) == 1:
                state = query.get("state", ["open"])[0]
                prs = [p for p in reversed(r["pulls"])
                       if state == "all" or (state == "open") == (p["state"] == "OPEN")]
                if "head" in query:
                    hb = query["head"][0].split(":")[-1]
                    prs = [p for p in prs if p["head"] == hb]
                return 200, self.paginate(h, base + "/pulls", query, [self.rest_pr(r, p) for p in prs]), h
            return 200, self.rest_pr(r, self.find_pr(r, rest[1])), {}
        if head == "actions":
            return self.rest_actions(r, method, rest[1:], query, body, h)
        if head == "commits" and len(rest) >= 3 and rest[-1] in ("check-runs", "status") and method == "GET":
            ref = "/".join(rest[1:-1])
            sha = r["git"].rev(ref) or ref
            pr = next((p for p in r["pulls"] if p["head_oid"] == sha), None)
            checks = self.checks_for(r, sha, pr) or []
            if rest[-1] == "status":
                return 200, {"state": "pending", "sha": sha, "total_count": 0, "statuses": []}, {}
            runs = [{"id": c["databaseId"], "name": c["name"], "head_sha": sha,
                     "status": c["status"].lower(),
                     "conclusion": c["conclusion"].lower() if c["conclusion"] else None,
                     "started_at": c["startedAt"], "completed_at": c["completedAt"],
                     "html_url": c["detailsUrl"], "details_url": c["detailsUrl"],
                     "check_suite": {"id": c["databaseId"] + 100}} for c in checks]
            return 200, {"total_count": len(runs),
                         "check_runs": self.paginate(h, f"{base}/commits/{ref}/check-runs", query, runs)}, h
        if head == "check-runs" and len(rest) == 3 and rest[2] == "annotations":
            return 200, [], {}
        if head == "releases":
            return self.rest_releases(r, method, rest[1:], query, body, h)
        if head == "security-advisories":
            return self.rest_advisories(r, method, rest[1:], query, body, h)
        raise NoRoute()

    def rest_label(self, r, lb):
        return {"id": abs(hash(lb["id"])) % 10**9, "node_id": lb["id"], "name": lb["name"],
                "color": lb["color"], "description": lb["description"], "default": False,
                "url": f"{API}/repos/{r['owner']}/{r['name']}/labels/{urllib.parse.quote(lb['name'])}"}

    def rest_protection(self, r, branch, prot):
        url = f"{API}/repos/{r['owner']}/{r['name']}/branches/{branch}/protection"
        out = {"url": url,
               "required_pull_request_reviews": {
                   "required_approving_review_count": prot["required_approving_review_count"],
                   "dismiss_stale_reviews": False, "require_code_owner_reviews": False},
               "enforce_admins": {"enabled": False}}
        checks = prot.get("required_checks")
        if checks is None:
            checks = [c["name"] for c in self.check_specs()]
        out["required_status_checks"] = {"strict": prot["strict"], "contexts": checks,
                                         "checks": [{"context": c, "app_id": None} for c in checks]}
        return out

    def rest_pr(self, r, p):
        return {"number": p["number"], "node_id": p["node_id"], "state": "open" if p["state"] == "OPEN" else "closed",
                "title": p["title"], "body": p["body"], "merged": p["state"] == "MERGED",
                "merge_commit_sha": p.get("merge_commit"), "draft": p["draft"],
                "html_url": f"{WEB}/{r['owner']}/{r['name']}/pull/{p['number']}",
                "head": {"ref": p["head"], "sha": p["head_oid"], "label": f"{r['owner']}:{p['head']}"},
                "base": {"ref": p["base"], "label": f"{r['owner']}:{p['base']}"},
                "user": {"login": p["author"]}, "created_at": iso(p["_created"]),
                "merged_at": iso(p.get("_merged")), "closed_at": iso(p.get("_closed"))}

    # actions
    def rest_run(self, r, run):
        st = self.run_status(run)
        full = f"{r['owner']}/{r['name']}"
        return {
            "id": run["id"], "name": run["workflow"], "node_id": f"WFR_kwLO{run['id']}",
            "display_title": run["head_branch"] or "", "head_branch": run["head_branch"],
            "head_sha": run["head_sha"], "path": run["path"], "run_number": run["run_number"],
            "run_attempt": 1, "event": run["event"], "status": st.get("status"),
            "conclusion": st.get("conclusion") if st.get("status") == "completed" else None,
            "workflow_id": run["workflow_id"],
            "url": f"{API}/repos/{full}/actions/runs/{run['id']}",
            "html_url": f"{WEB}/{full}/actions/runs/{run['id']}",
            "jobs_url": f"{API}/repos/{full}/actions/runs/{run['id']}/jobs",
            "created_at": iso(run["created"]), "updated_at": iso(now()),
            "run_started_at": iso(run["created"]),
            "head_commit": {"id": run["head_sha"], "message": run["head_branch"] or ""},
            "head_repository": {"name": r["name"], "full_name": full, "owner": {"login": r["owner"]}},
            "repository": {"name": r["name"], "full_name": full, "owner": {"login": r["owner"]}},
            "pull_requests": [],
        }

    def rest_actions(self, r, method, rest, query, body, h):
        full = f"{r['owner']}/{r['name']}"
        runs = sorted((x for x in self.runs.values() if x["repo"].lower() == full.lower()),
                      key=lambda x: (x["created"], x["id"]), reverse=True)

        def runs_payload(items, path):
            if "branch" in query:
                items = [x for x in items if x["head_branch"] == query["branch"][0]]
            if "status" in query:
                items = [x for x in items if self.run_status(x).get("status") == query["status"][0]
                         or self.run_status(x).get("conclusion") == query["status"][0]]
            total = len(items)
            page = self.paginate(h, path, query, [self.rest_run(r, x) for x in items])
            return {"total_count": total, "workflow_runs": page}

        base = f"/repos/{full}/actions"
        if rest == ["runs"] and method == "GET":
            return 200, runs_payload(runs, base + "/runs"), h
        if rest and rest[0] == "workflows":
            if len(rest) == 1:
                return 200, {"total_count": len(r["workflows"]),
                             "workflows": self.paginate(h, base + "/workflows", query,
                                                        [self.rest_workflow(r, w) for w in r["workflows"]])}, h
            sel = rest[1]
            w = next((w for w in r["workflows"] if str(w["id"]) == sel or w["path"].endswith("/" + sel)), None)
            if w is None:
                raise HTTPErr(404, "Not Found")
            if len(rest) == 2:
                return 200, self.rest_workflow(r, w), {}
            if rest[2] == "runs":
                return 200, runs_payload([x for x in runs if x["workflow_id"] == w["id"]],
                                         f"{base}/workflows/{sel}/runs"), h
        if len(rest) >= 2 and rest[0] == "runs":
            run = self.runs.get(int(rest[1])) if rest[1].isdigit() else None
            if run is None or run["repo"].lower() != full.lower():
                raise HTTPErr(404, "Not Found")
            if len(rest) == 2 and method == "GET":
                return 200, self.rest_run(r, run), {}
            if rest[2] == "jobs":
                st = self.run_status(run)
                job = {"id": run["id"] + 1, "run_id": run["id"], "name": "publish",
                       "status": st.get("status"), "conclusion": st.get("conclusion"),
                       "started_at": iso(run["created"]), "completed_at": iso(now()) if st.get("status") == "completed" else None,
                       "html_url": f"{WEB}/{full}/actions/runs/{run['id']}/job/{run['id'] + 1}", "steps": []}
                return 200, {"total_count": 1, "jobs": [job]}, {}
            if rest[2] == "pending_deployments":
                st = self.run_status(run)
                if method == "GET":
                    if st.get("status") != "waiting":
                        return 200, [], {}
                    env = st.get("environment") or "production"
                    return 200, [{"environment": {"id": 1, "name": env, "html_url": f"{WEB}/{full}/deployments/activity_log?environments_filter={env}"},
                                  "wait_timer": 0, "wait_timer_started_at": None,
                                  "current_user_can_approve": True,
                                  "reviewers": [{"type": "User", "reviewer": {"login": self.user}}]}], {}
                if method == "POST":
                    if st.get("status") != "waiting":
                        raise HTTPErr(422, "No pending deployments")
                    if (body or {}).get("state") == "rejected":
                        run["forced"] = {"status": "completed", "conclusion": "failure"}
                    else:
                        run["approved_at"] = now()
                    return 200, [], {}
            if rest[2] == "artifacts":
                return 200, {"total_count": 0, "artifacts": []}, {}
            if rest[2] == "logs":
                raise NoRoute()
        raise NoRoute()

    def rest_workflow(self, r, w):
        full = f"{r['owner']}/{r['name']}"
        return {"id": w["id"], "node_id": f"W_kwDO{w['id']}", "name": w["name"], "path": w["path"],
                "state": w["state"], "url": f"{API}/repos/{full}/actions/workflows/{w['id']}",
                "html_url": f"{WEB}/{full}/blob/{r['default_branch']}/{w['path']}"}

    # releases
    def rest_release(self, r, x):
        full = f"{r['owner']}/{r['name']}"
        return {"id": x["id"], "node_id": x["node_id"], "tag_name": x["tag_name"], "name": x["name"],
                "body": x["body"], "draft": x["draft"], "prerelease": x["prerelease"],
                "target_commitish": x["target_commitish"], "created_at": x["created_at"],
                "published_at": x["published_at"], "author": {"login": self.user},
                "url": f"{API}/repos/{full}/releases/{x['id']}",
                "html_url": f"{WEB}/{full}/releases/tag/{x['tag_name']}",
                "upload_url": f"{API}/repos/{full}/releases/{x['id']}/assets{{?name,label}}",
                "tarball_url": f"{API}/repos/{full}/tarball/{x['tag_name']}",
                "zipball_url": f"{API}/repos/{full}/zipball/{x['tag_name']}", "assets": []}

    def rest_releases(self, r, method, rest, query, body, h):
        full = f"{r['owner']}/{r['name']}"
        if not rest:
            if method == "GET":
                items = [self.rest_release(r, x) for x in reversed(r["releases"])]
                return 200, self.paginate(h, f"/repos/{full}/releases", query, items), h
            if method == "POST":
                tag = (body or {}).get("tag_name")
                if not tag:
                    raise HTTPErr(422, "Validation Failed", [{"resource": "Release", "code": "missing_field",
                                                              "field": "tag_name"}])
                if any(x["tag_name"] == tag for x in r["releases"]):
                    raise HTTPErr(422, "Validation Failed", [{"resource": "Release", "code": "already_exists",
                                                              "field": "tag_name"}])
                rel = self.add_release(r, {"tag": tag, "name": body.get("name"), "body": body.get("body", ""),
                                           "draft": body.get("draft"), "prerelease": body.get("prerelease"),
                                           "latest": body.get("make_latest", "true") != "false"})
                return 201, self.rest_release(r, rel), {}
        if rest == ["latest"]:
            rel = next((x for x in r["releases"] if x["latest"]), None)
            if rel is None:
                raise HTTPErr(404, "Not Found")
            return 200, self.rest_release(r, rel), {}
        if len(rest) >= 2 and rest[0] == "tags":
            tag = "/".join(rest[1:])
            rel = next((x for x in r["releases"] if x["tag_name"] == tag and not x["draft"]), None)
            if rel is None:
                raise HTTPErr(404, "Not Found")
            return 200, self.rest_release(r, rel), {}
        if len(rest) == 1 and rest[0].isdigit():
            rel = next((x for x in r["releases"] if x["id"] == int(rest[0])), None)
            if rel is None:
                raise HTTPErr(404, "Not Found")
            if method == "GET":
                return 200, self.rest_release(r, rel), {}
            if method == "DELETE":
                was_latest = rel["latest"]
                r["releases"].remove(rel)
                if was_latest:
                    self.recompute_latest(r)
                return 204, None, {}
            if method == "PATCH":
                b = body or {}
                for k in ("name", "body", "draft", "prerelease", "tag_name", "target_commitish"):
                    if k in b and b[k] is not None:
                        rel[k] = b[k]
                if "draft" in b and not b["draft"] and rel["published_at"] is None:
                    rel["published_at"] = iso(now())
                ml = b.get("make_latest")
                if ml == "true":
                    for x in r["releases"]:
                        x["latest"] = False
                    rel["latest"] = True
                elif ml == "false" and rel["latest"]:
                    # Undocumented (the REST docs and the description say nothing of the old holder):
                    # knob `unset_latest` picks what happens; the product must read it back.
                    how = self.knobs.get("unset_latest", "hand_back")
                    if how == "hand_back":
                        rel["latest"] = False
                        others = [x for x in r["releases"] if x is not rel and not x["draft"] and not x["prerelease"]]
                        saved = r["releases"]
                        r["releases"] = others
                        self.recompute_latest(r)
                        r["releases"] = saved
                    elif how == "none":
                        rel["latest"] = False
                elif ml == "legacy":
                    self.recompute_latest(r)
                return 200, self.rest_release(r, rel), {}
        raise NoRoute()

    # security advisories
    def new_ghsa(self, r):
        rnd = random.Random(f"{r['id']}-{len(r['advisories'])}-{self.counter}")
        while True:
            ghsa = "GHSA-" + "-".join("".join(rnd.choice(GHSA_ALPHABET) for _ in range(4)) for _ in range(3))
            if not any(a["ghsa_id"] == ghsa for a in r["advisories"]):
                return ghsa

    def validate_advisory_details(self, b):
        """Issue 17: what GitHub checks in an advisory's CVSS vector, CWE ids and credits (422).
        A credited login must be a GitHub user: knob `users` lists them (unset: every login exists)."""
        errors = []

        def error(field, message):
            # GitHub's validation-error shape: errors[] of {resource, field, code, message}.
            errors.append({"resource": "RepositoryAdvisory", "field": field, "code": "invalid", "message": message})
        cvss = b.get("cvss_vector_string")
        if cvss and not re.fullmatch(r"CVSS:(3\.1|4\.0)(/[A-Z]{1,3}:[A-Z])+", cvss):
            error("cvss_vector_string", f"{cvss!r} is not a valid CVSS 3.1 or 4.0 vector")
        cwes = self.knobs.get("cwes")
        for c in b.get("cwe_ids") or []:
            if not re.fullmatch(r"CWE-[0-9]+", str(c)):
                error("cwe_ids", f"{c!r} is not a CWE id")
            elif cwes is not None and c not in cwes:
                error("cwe_ids", f"{c} is not a known CWE")
        users = self.knobs.get("users")
        for c in b.get("credits") or []:
            login = (c or {}).get("login")
            if users is not None and login not in users:
                error("credits", f"the user {login!r} does not exist")
            if (c or {}).get("type") not in ("analyst", "finder", "reporter", "coordinator", "remediation_developer",
                                              "remediation_reviewer", "remediation_verifier", "tool", "sponsor", "other"):
                error("credits", f"type {(c or {}).get('type')!r} is not valid")
        if errors:
            raise HTTPErr(422, "Validation Failed", errors=errors)

    def validate_advisory(self, b, creating):
        self.validate_advisory_details(b)
        errors = []
        if creating:
            for k in ("summary", "description"):
                if not b.get(k):
                    errors.append(f"{k} is missing")
            if "vulnerabilities" not in b:
                errors.append("vulnerabilities is missing")
        if b.get("severity") and b.get("cvss_vector_string"):
            raise HTTPErr(422, "Cannot specify both severity and cvss_vector_string")
        if b.get("severity") and b["severity"] not in ("critical", "high", "medium", "low"):
            errors.append(f"severity {b['severity']!r} is not one of critical, high, medium, low")
        vulns = b.get("vulnerabilities")
        if vulns is not None:
            if not isinstance(vulns, list):
                errors.append("vulnerabilities is not an array")
            else:
                for v in vulns:
                    pkg = (v or {}).get("package") or {}
                    if not pkg.get("ecosystem") or not pkg.get("name"):
                        errors.append("vulnerabilities[].package requires ecosystem and name")
                    elif pkg["ecosystem"] not in ("rubygems", "npm", "pip", "maven", "nuget", "composer",
                                                  "go", "rust", "erlang", "actions", "pub", "other", "swift"):
                        errors.append(f"ecosystem {pkg['ecosystem']!r} is not valid")
        if b.get("state") and b["state"] not in ("published", "closed", "draft"):
            errors.append(f"state {b['state']!r} is not one of published, closed, draft")
        if errors:
            raise HTTPErr(422, "Invalid request.\n\n" + "\n".join(errors))

    def rest_user(self, login):
        """A `simple-user` as the REST API gives it (every field its schema requires)."""
        uid = abs(hash(login)) % 10**6
        base = f"{API}/users/{login}"
        return {"login": login, "id": uid, "node_id": f"U_kgDO{uid}", "avatar_url": f"{WEB}/{login}.png",
                "gravatar_id": "", "url": base, "html_url": f"{WEB}/{login}",
                "followers_url": f"{base}/followers", "following_url": f"{base}/following{{/other_user}}",
                "gists_url": f"{base}/gists{{/gist_id}}", "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
                "subscriptions_url": f"{base}/subscriptions", "organizations_url": f"{base}/orgs",
                "repos_url": f"{base}/repos", "events_url": f"{base}/events{{/privacy}}",
                "received_events_url": f"{base}/received_events", "type": "User", "site_admin": False,
                "user_view_type": "public"}

    def rest_advisory(self, r, a):
        """The held advisory as GitHub answers it (`repository-advisory`): users in full, every
        vulnerability with all four fields, and none of the emulator's bookkeeping (`cve_requested`)."""
        out = {k: v for k, v in a.items() if not k.startswith("_") and k != "cve_requested"}
        for k in ("author", "publisher"):
            if isinstance(out.get(k), dict):
                out[k] = self.rest_user(out[k].get("login") or self.user)
        out["credits_detailed"] = [dict(c, user=self.rest_user((c.get("user") or {}).get("login") or self.user))
                                   for c in out.get("credits_detailed") or []]
        out["vulnerabilities"] = [
            {"package": {"ecosystem": (v.get("package") or {}).get("ecosystem"), "name": (v.get("package") or {}).get("name")},
             "vulnerable_version_range": v.get("vulnerable_version_range"),
             "patched_versions": v.get("patched_versions"),
             "vulnerable_functions": v.get("vulnerable_functions")}
            for v in out.get("vulnerabilities") or []]
        return out

    def control_advisory(self, r, fields):
        """POST /_control/advisories {"repo", "advisory": {...}}: with the `ghsa_id` of an advisory, an
        edit made on its page (the fields given replace the held ones; `cvss_vector_string` sets
        `cvss`, `cwe_ids` sets `cwes`); without, a private vulnerability report as a reporter files
        it: state triage, the reporter its author and credited, `submission.accepted` false."""
        a = next((x for x in r["advisories"] if x["ghsa_id"] == fields.get("ghsa_id")), None)
        if a is None:
            full = f"{r['owner']}/{r['name']}"
            ghsa = self.new_ghsa(r)
            t = iso(now())
            reporter = fields.get("reporter") or "reporter"
            a = {
                "ghsa_id": ghsa, "cve_id": None,
                "url": f"{API}/repos/{full}/security-advisories/{ghsa}",
                "html_url": f"{WEB}/{full}/security/advisories/{ghsa}",
                "summary": "", "description": "", "severity": None,
                "author": {"login": reporter, "type": "User"}, "publisher": None,
                "identifiers": [{"type": "GHSA", "value": ghsa}],
                "state": "triage", "created_at": t, "updated_at": t, "published_at": None,
                "closed_at": None, "withdrawn_at": None, "submission": {"accepted": False},
                "vulnerabilities": [], "cvss": {"vector_string": None, "score": None},
                "cwes": [], "cwe_ids": [],
                "credits": [{"login": reporter, "type": "reporter"}],
                "credits_detailed": [{"user": {"login": reporter}, "type": "reporter", "state": "accepted"}],
                "collaborating_users": None, "collaborating_teams": None, "private_fork": None,
                "cve_requested": False,
            }
            r["advisories"].append(a)
        for k, v in fields.items():
            if k == "cvss_vector_string":
                a["cvss"] = {"vector_string": v, "score": None}
            elif k != "reporter":
                a[k] = v
            if k == "cwe_ids":
                a["cwes"] = [{"cwe_id": c, "name": c} for c in v or []]
        a["updated_at"] = iso(now())
        return dict(a)

    def rest_advisories(self, r, method, rest, query, body, h):
        full = f"{r['owner']}/{r['name']}"
        b = body if isinstance(body, dict) else {}
        if not rest:
            if method == "POST":
                self.validate_advisory(b, True)
                ghsa = self.new_ghsa(r)
                t = iso(now())
                cvss = b.get("cvss_vector_string")
                a = {
                    "ghsa_id": ghsa, "cve_id": b.get("cve_id"),
                    "url": f"{API}/repos/{full}/security-advisories/{ghsa}",
                    "html_url": f"{WEB}/{full}/security/advisories/{ghsa}",
                    "summary": b["summary"], "description": b["description"],
                    "severity": b.get("severity") or ("medium" if cvss else None),
                    "author": {"login": self.user, "type": "User"}, "publisher": None,
                    "identifiers": [{"type": "GHSA", "value": ghsa}] +
                                   ([{"type": "CVE", "value": b["cve_id"]}] if b.get("cve_id") else []),
                    "state": "draft", "created_at": t, "updated_at": t, "published_at": None,
                    "closed_at": None, "withdrawn_at": None, "submission": None,
                    "vulnerabilities": b.get("vulnerabilities") or [],
                    "cvss": {"vector_string": cvss, "score": None} if cvss else {"vector_string": None, "score": None},
                    "cwes": [{"cwe_id": c, "name": c} for c in b.get("cwe_ids") or []],
                    "cwe_ids": b.get("cwe_ids") or [],
                    "credits": b.get("credits") or [],
                    "credits_detailed": [{"user": {"login": c.get("login")}, "type": c.get("type"), "state": "pending"}
                                         for c in b.get("credits") or []],
                    "collaborating_users": None, "collaborating_teams": None, "private_fork": None,
                    "cve_requested": False,
                }
                r["advisories"].append(a)
                return 201, self.rest_advisory(r, a), {}
            if method == "GET":
                items = list(r["advisories"])
                if "state" in query:
                    items = [a for a in items if a["state"] == query["state"][0]]
                sort = query.get("sort", ["created"])[0]
                key = {"created": "created_at", "updated": "updated_at", "published": "published_at"}.get(sort, "created_at")
                items = sorted(enumerate(items), key=lambda ia: ((ia[1].get(key) or ""), ia[0]),
                               reverse=query.get("direction", ["desc"])[0] == "desc")
                items = [self.rest_advisory(r, a) for _, a in items]
                return 200, self.paginate(h, f"/repos/{full}/security-advisories", query, items, cursors=True), h
        ghsa = rest[0] if rest else ""
        a = next((x for x in r["advisories"] if x["ghsa_id"].lower() == ghsa.lower()), None)
        if a is None:
            raise HTTPErr(404, "Not Found")
        if len(rest) == 1:
            if method == "GET":
                return 200, self.rest_advisory(r, a), {}
            if method == "PATCH":
                self.validate_advisory(b, False)
                new_state = b.get("state")
                # update-repository-advisory: "Cannot update severity value when CVSS is set."
                held_cvss = (a.get("cvss") or {}).get("vector_string")
                if b.get("severity") and (b["cvss_vector_string"] if "cvss_vector_string" in b else held_cvss):
                    raise HTTPErr(422, "Cannot update severity value when CVSS is set.")
                # A private vulnerability report (triage) is accepted by PATCH state=draft; it is not
                # published straight from triage.
                if a["state"] == "triage" and new_state == "published":
                    raise HTTPErr(422, "A vulnerability report in triage must be accepted (state draft) before it is published")
                if a["state"] == "published" and new_state in ("draft", "closed"):
                    raise HTTPErr(422, "A published advisory cannot be changed to " + new_state)
                if a["state"] == "closed" and new_state == "published":
                    raise HTTPErr(422, "A closed advisory must be reopened as a draft before publishing")
                for k in ("summary", "description", "severity", "vulnerabilities", "cwe_ids", "credits", "cve_id"):
                    if k in b:
                        a[k] = b[k]
                if "cvss_vector_string" in b:
                    a["cvss"] = {"vector_string": b["cvss_vector_string"], "score": None}
                    if b["cvss_vector_string"]:
                        a["severity"] = a.get("severity") or "medium"
                if "cwe_ids" in b:
                    a["cwes"] = [{"cwe_id": c, "name": c} for c in b["cwe_ids"] or []]
                t = iso(now())
                if new_state and new_state != a["state"]:
                    a["state"] = new_state
                    if new_state == "published":
                        a["published_at"] = t
                        a["publisher"] = {"login": self.user, "type": "User"}
                        self.remove_advisory_fork(a)
                    elif new_state == "closed":
                        a["closed_at"] = t
                    elif new_state == "draft":
                        a["closed_at"] = None
                a["updated_at"] = t
                return 200, self.rest_advisory(r, a), {}
        if len(rest) == 2 and rest[1] == "forks" and method == "POST":
            return self.create_advisory_fork(r, a)
        if len(rest) == 2 and rest[1] == "cve" and method == "POST":
            status = int(self.knobs.get("advisory_cve_status") or 202)
            if status >= 300:
                raise HTTPErr(status, "CVE request failed")
            if a["state"] == "published" or a.get("cve_id"):
                raise HTTPErr(422, "This advisory already has a CVE or is published")
            a["cve_requested"] = True
            return status, {}, {}
        raise NoRoute()

    # -- temporary private forks ----------------------------------------------------------------------

    def create_advisory_fork(self, r, a):
        """security-advisories/create-fork: 202 with the repository to be; GitHub makes it
        asynchronously ("You may have to wait up to 5 minutes before you can access the fork"), so it
        exists (API and git) only `fork_ready_seconds` later. A private repository OWNER/REPO-GHSA-ID
        (lower case), a copy of the repository's branches and tags, where Actions do not run; removed
        when the advisory is published. 403 once published or closed, or when one exists already."""
        if a["state"] not in ("draft", "triage"):
            raise HTTPErr(403, "Cannot add a repository to a security advisory once it is closed or published.")
        if a.get("_fork"):
            raise HTTPErr(403, "A repository already exists for this security advisory.")
        name = f"{r['name']}-{a['ghsa_id'].lower()}"
        full = f"{r['owner']}/{name}"
        path = os.path.join(self.state_dir, "forks", r["owner"], name + ".git")
        a["_fork"] = full
        a["private_fork"] = {"id": self.next_id(), "name": name, "full_name": full,
                             "html_url": f"{WEB}/{full}", "private": True}
        rid = self.next_id()

        def make():
            tmp = path + ".making"
            os.makedirs(os.path.dirname(path), exist_ok=True)
            subprocess.run(["git", "clone", "--quiet", "--bare", r["path"], tmp], check=True,
                           capture_output=True, env=dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null",
                                                         GIT_CONFIG_NOSYSTEM="1"))
            with self.lock:
                if a.get("_fork") != full:
                    shutil.rmtree(tmp, ignore_errors=True)
                    return
                os.rename(tmp, path)
                self.add_repo(full, path, rid, private=True, advisory_fork=a["ghsa_id"], workflows=[])
                self.save()

        delay = float(self.knobs.get("fork_ready_seconds") or 0)
        if delay > 0:
            threading.Timer(delay, make).start()
        else:
            make()
        return 202, {"id": rid, "node_id": f"R_kgDO{rid:06d}", "name": name, "full_name": full,
                     "private": True, "owner": {"login": r["owner"]}, "html_url": f"{WEB}/{full}",
                     "clone_url": f"{WEB}/{full}.git", "url": f"{API}/repos/{full}",
                     "default_branch": r["default_branch"], "fork": True,
                     "visibility": "private"}, {}

    def remove_advisory_fork(self, a):
        full = a.pop("_fork", None)
        if not full:
            return
        fork = self.repos.pop(full.lower(), None)
        a["private_fork"] = None
        if fork:
            shutil.rmtree(fork["path"], ignore_errors=True)
    # -- after disclosure (issue 29): forks, contents, the global Advisory Database -----------------

    def fork_repo(self, r):
        """POST /repos/O/R/forks: the authenticated user's fork, a bare clone of the upstream beside
        the state (DIR/forks/LOGIN/NAME.git), served from then on like any other repository."""
        full = f"{self.user}/{r['name']}"
        if full.lower() in self.repos:
            return self.repos[full.lower()]
        path = os.path.join(self.state_dir, "forks", self.user, r["name"] + ".git")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        subprocess.run(["git", "clone", "-q", "--bare", r["path"], path], check=True,
                       capture_output=True)
        git = Git(path)
        heads, tags = git.refs()
        rid = len(self.repos) + 1
        self.repos[full.lower()] = {
            "owner": self.user, "name": r["name"], "path": path, "git": git, "id": rid,
            "node_id": f"R_kgDO{rid:06d}", "default_branch": r["default_branch"],
            "labels": [], "pulls": [], "releases": [], "advisories": [],
            "heads": heads, "tags": tags, "sha_seen": {oid: now() for oid in heads.values()},
            "workflows": [], "fork_of": f"{r['owner']}/{r['name']}",
        }
        return self.repos[full.lower()]

    def rest_after_disclosure(self, r, method, rest, query, body, h):
        full = f"{r['owner']}/{r['name']}"
        if rest == ["forks"] and method == "POST":
            f = self.fork_repo(r)
            ffull = f"{f['owner']}/{f['name']}"
            t = iso(now())
            return 202, {"id": f["id"], "node_id": f["node_id"], "name": f["name"], "full_name": ffull,
                         "owner": {"login": f["owner"], "type": "User"}, "html_url": f"{WEB}/{ffull}",
                         "clone_url": f"{WEB}/{ffull}.git", "private": False, "fork": True,
                         "default_branch": f["default_branch"], "url": f"{API}/repos/{ffull}",
                         "created_at": t, "updated_at": t, "pushed_at": t,
                         "parent": {"full_name": full}, "source": {"full_name": full}}, {}
        if rest[:1] == ["contents"] and method == "GET":
            path = "/".join(rest[1:]).strip("/")
            ref = query.get("ref", [r["default_branch"]])[0]
            spec = f"{ref}:{path}" if path else f"{ref}:"
            kind = r["git"].run("cat-file", "-t", spec, check=False).stdout.strip()
            if kind == "tree":
                out = r["git"].run("ls-tree", spec).stdout
                items = []
                for line in out.splitlines():
                    meta, name = line.split("\t", 1)
                    _, typ, sha = meta.split()
                    p = f"{path}/{name}" if path else name
                    items.append({"name": name, "path": p, "sha": sha,
                                  "type": "dir" if typ == "tree" else "file",
                                  "url": f"{API}/repos/{full}/contents/{p}"})
                return 200, items, {}
            if kind == "blob":
                data = subprocess.run(["git", "--git-dir", r["path"], "cat-file", "blob", spec],
                                      capture_output=True, check=True).stdout
                return 200, {"name": path.rsplit("/", 1)[-1], "path": path, "type": "file",
                             "encoding": "base64", "size": len(data),
                             "content": base64.b64encode(data).decode(),
                             "url": f"{API}/repos/{full}/contents/{path}"}, {}
            raise HTTPErr(404, "Not Found")
        raise NoRoute()

    def rest_global_advisory(self, ghsa):
        """GET /advisories/GHSA: a published repository advisory as GitHub's Advisory Database holds
        it, in the `global-advisory` schema. What GitHub's curators have done is the control plane's:
        knob `global_advisories` {GHSA: "absent" | "unreviewed" | "reviewed", or {"type", "references"}}
        (unset: absent, 404 — not reviewed into the database yet)."""
        for r in self.repos.values():
            for a in r["advisories"]:
                if a["ghsa_id"].lower() != ghsa.lower() or a["state"] != "published":
                    continue
                spec = (self.knobs.get("global_advisories") or {}).get(a["ghsa_id"], "absent")
                if isinstance(spec, str):
                    spec = {"type": spec}
                if spec.get("type", "absent") == "absent":
                    raise HTTPErr(404, "Not Found")
                full = f"{r['owner']}/{r['name']}"
                reviewed = spec["type"] == "reviewed"
                ids = [{"type": "GHSA", "value": a["ghsa_id"]}]
                if a.get("cve_id"):
                    ids.append({"type": "CVE", "value": a["cve_id"]})
                vulns = [{"package": {"ecosystem": (v.get("package") or {}).get("ecosystem") or "rust",
                                      "name": (v.get("package") or {}).get("name")},
                          "vulnerable_version_range": v.get("vulnerable_version_range"),
                          "first_patched_version": v.get("patched_versions"),
                          "vulnerable_functions": v.get("vulnerable_functions") or []}
                         for v in a.get("vulnerabilities") or []]
                return 200, {
                    "ghsa_id": a["ghsa_id"], "cve_id": a.get("cve_id"),
                    "url": f"{API}/advisories/{a['ghsa_id']}",
                    "html_url": f"{WEB}/advisories/{a['ghsa_id']}",
                    "repository_advisory_url": f"{API}/repos/{full}/security-advisories/{a['ghsa_id']}",
                    "summary": a["summary"], "description": a["description"],
                    "type": spec["type"], "severity": a.get("severity") or "unknown",
                    "source_code_location": f"{WEB}/{full}", "identifiers": ids,
                    "references": [a["html_url"]] + list(spec.get("references") or []),
                    "published_at": a.get("published_at"), "updated_at": a.get("updated_at"),
                    "github_reviewed_at": a.get("published_at") if reviewed else None,
                    "nvd_published_at": None, "withdrawn_at": None, "vulnerabilities": vulns,
                    "cvss": {"vector_string": (a.get("cvss") or {}).get("vector_string"), "score": None},
                    "cwes": [{"cwe_id": c, "name": c} for c in a.get("cwe_ids") or []],
                    "credits": [],
                }, {}
        raise HTTPErr(404, "Not Found")

    # -- faults ---------------------------------------------------------------------------------------

    def match_fault(self, method, path, operation):
        for f in self.knobs.get("faults") or []:
            if f.get("method") and f["method"].upper() != method:
                continue
            if f.get("path") and f["path"] not in path:
                continue
            if f.get("operation") and f["operation"] != operation:
                continue
            times = int(f.get("times", 1))
            f["seen"] = f.get("seen", 0) + 1
            if f["seen"] <= int(f.get("skip", 0)):
                continue
            if times >= 0 and f.get("hits", 0) >= times:
                continue
            f["hits"] = f.get("hits", 0) + 1
            return f
        return None


# ------------------------------------------------------------------------------------------------
# GitHub's published description (tests/fixtures/github-openapi/operations.json, vendored from
# github/rest-api-description): every REST request body is validated against its operation's
# requestBody schema, and every answer against the operation's response schema for its status.

OPENAPI_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures",
                            "github-openapi", "operations.json")


class OpenAPI:
    """The vendored operations: (method, path template) → operation, and a validator of the subset of
    JSON Schema (OpenAPI 3.0) they use: type, nullable, enum, maxLength, required, properties,
    additionalProperties, items, oneOf, allOf, $ref."""

    def __init__(self, path=OPENAPI_PATH):
        with open(path) as f:
            self.doc = json.load(f)
        self.ops = []
        for template, methods in self.doc["paths"].items():
            rx = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
            for method, op in methods.items():
                self.ops.append((method.upper(), rx, template, op))

    def operation(self, method, path):
        for m, rx, template, op in self.ops:
            if m == method and rx.match(path):
                return template, op
        return None, None

    def resolve(self, schema):
        while isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            node = self.doc
            for part in ref.lstrip("#/").split("/"):
                node = node.get(part) if isinstance(node, dict) else None
                if node is None:
                    return None  # not vendored: not checked
            schema = node
        return schema

    TYPES = {"string": str, "boolean": bool, "object": dict, "array": list}

    def errors(self, value, schema, where=""):
        """What is wrong with `value` under `schema`: a list of (field, code, message)."""
        schema = self.resolve(schema)
        if schema is None:
            return []
        if value is None:
            return [] if schema.get("nullable") or "type" not in schema and "oneOf" not in schema and "allOf" not in schema \
                else [(where, "invalid", f"{where or 'the body'} may not be null")]
        if "allOf" in schema:  # e.g. repository-advisory's author: nullable, allOf [simple-user]
            return [e for sub in schema["allOf"] for e in self.errors(value, sub, where)]
        if "oneOf" in schema:
            fits = [s for s in schema["oneOf"] if not self.errors(value, s, where)]
            if len(fits) != 1:
                return [(where, "invalid", f"{where or 'the body'} matches {len(fits)} of the oneOf schemas, not exactly one")]
            return []
        kind = schema.get("type")
        if kind == "integer":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif kind == "number":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        elif kind in self.TYPES:
            ok = isinstance(value, self.TYPES[kind])
        else:
            ok = True
        if not ok:
            return [(where, "invalid", f"{where or 'the body'} is not of type {kind}: {value!r}")]
        out = []
        if "enum" in schema and value not in schema["enum"]:
            out.append((where, "invalid", f"{where} {value!r} is not one of {', '.join(map(str, schema['enum']))}"))
        if isinstance(value, str) and "maxLength" in schema and len(value) > schema["maxLength"]:
            out.append((where, "invalid", f"{where} is longer than {schema['maxLength']} characters"))
        if isinstance(value, dict):
            props = schema.get("properties") or {}
            for key in schema.get("required") or []:
                if key not in value:
                    out.append((f"{where}.{key}".lstrip("."), "missing_field", f"{key} is missing"))
            extra = schema.get("additionalProperties", True)
            for key, v in value.items():
                field = f"{where}.{key}".lstrip(".")
                if key in props:
                    out += self.errors(v, props[key], field)
                elif extra is False:
                    out.append((field, "unprocessable", f"{key!r} is not a permitted key"))
                elif isinstance(extra, dict):
                    out += self.errors(v, extra, field)
        if isinstance(value, list) and "items" in schema:
            for i, v in enumerate(value):
                out += self.errors(v, schema["items"], f"{where}[{i}]")
        return out

    def check_request(self, method, path, body):
        """GitHub's 422 for a body its operation's schema refuses, or None."""
        template, op = self.operation(method, path)
        if not op or "requestBody" not in op:
            return None
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        if body is None or body == "":
            if not op["requestBody"].get("required"):
                return None
            problems = [("", "missing", "a request body is required")]
        elif not isinstance(body, (dict, list)):
            problems = [("", "invalid", "the body is not JSON")]
        else:
            problems = self.errors(body, schema)
        if not problems:
            return None
        resource = op.get("x-resource", "Resource")
        return {"message": "Validation Failed",
                "errors": [{"resource": resource, "field": f, "code": c, "message": m} for f, c, m in problems],
                "documentation_url": op.get("externalDocs", {}).get("url", "https://docs.github.com/rest")}

    def check_response(self, method, path, status, payload):
        """How the emulator's answer departs from the operation's response schema (its own bug)."""
        template, op = self.operation(method, path)
        if not op:
            return []
        response = (op.get("responses") or {}).get(str(status))
        if response is None:
            return [f"{method} {template}: status {status} is not among the documented responses "
                    f"({', '.join(sorted(op.get('responses') or {}))})"]
        response = self.resolve(response)
        if response is None:
            return []  # a shared response (components/responses) not vendored: not checked
        schema = ((response.get("content") or {}).get("application/json") or {}).get("schema")
        if schema is None or self.resolve(schema) is None:
            return []
        return [f"{method} {template} {status}: {m}" for _, _, m in self.errors(payload, schema)]


# ------------------------------------------------------------------------------------------------
# HTTP


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GitHub.localhost"
    sys_version = ""
    emu = None  # set in main

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        self.dispatch()

    do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_GET

    def send(self, status, payload, headers=None, raw=None):
        data = raw if raw is not None else (b"" if payload is None else json.dumps(payload).encode())
        self.send_response(status)
        if raw is None and payload is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.send_header("X-GitHub-Request-Id", f"EMU:{self.emu.counter}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def dispatch(self):
        emu = self.emu
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        host = (url.hostname or self.headers.get("Host", "").split(":")[0]).lower()
        path, query = url.path or "/", urllib.parse.parse_qs(url.query, keep_blank_values=True)
        entry = {"t": round(now(), 3), "method": self.command, "host": host, "path": path, "query": url.query}
        if path.startswith("/_control"):
            return self.control(path, raw)
        body = None
        operation, gql = None, None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode(errors="replace")
        if path == "/graphql" and isinstance(body, dict):
            q = body.get("query") or ""
            m = re.match(r"\s*(?:fragment[^{]*\{[^}]*\}\s*)*(query|mutation)\s+([_A-Za-z][_0-9A-Za-z]*)", q)
            operation = body.get("operationName") or (m.group(2) if m else None)
            if not operation:
                m = re.search(r"\b(query|mutation)\s+([_A-Za-z][_0-9A-Za-z]*)", q)
                operation = m.group(2) if m else None
            gql = body
            entry.update(operation=operation, query_head=" ".join(q.split())[:300],
                         variables=body.get("variables"))
        elif body is not None:
            entry["body"] = body
        with emu.lock:
            fault = emu.match_fault(self.command, path + ("?" + url.query if url.query else ""), operation)
            if fault:
                entry["fault"] = fault.get("kind", "status")
            if emu.scan():
                emu.save()
        kind = fault.get("kind", "status") if fault else None
        if kind == "status":
            status = int(fault.get("status", 502))
            entry["status"] = status
            emu.log(entry)
            emu.save()
            phrase = {502: "Bad Gateway", 503: "Service Unavailable", 500: "Internal Server Error"}.get(status, "Error")
            return self.send(status, None, {"Content-Type": "text/html"},
                             raw=f"<html><body><h1>{status} {phrase}</h1></body></html>".encode())
        if kind == "rate_limit":
            limit_headers = {"x-ratelimit-limit": 5000, "x-ratelimit-remaining": 0, "x-ratelimit-used": 5000,
                             "x-ratelimit-reset": int(now()) + int(fault.get("reset_in", 60)),
                             "x-ratelimit-resource": "graphql" if gql else "core"}
            message = "API rate limit exceeded for user ID 1."
            if gql and "status" not in fault:
                # GraphQL's primary rate limit: HTTP 200 and a RATE_LIMITED error.
                entry["status"] = 200
                emu.log(entry)
                emu.save()
                return self.send(200, {"data": None, "errors": [{"type": "RATE_LIMITED", "message": message}]},
                                 limit_headers)
            status = int(fault.get("status", 403))
            entry["status"] = status
            emu.log(entry)
            emu.save()
            return self.send(status, {"message": message,
                                      "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"},
                             limit_headers)
        if kind == "secondary":
            # GitHub's secondary rate limit without a time to wait: 403 (or `status`), no Retry-After,
            # x-ratelimit-remaining not 0 ("Rate limits for the REST API").
            status = int(fault.get("status", 403))
            entry["status"] = status
            emu.log(entry)
            emu.save()
            return self.send(status, {"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                                      "documentation_url": "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits"},
                             {"x-ratelimit-limit": 5000, "x-ratelimit-remaining": 4990})
        if kind == "retry_after":
            entry["status"] = 429
            emu.log(entry)
            emu.save()
            return self.send(429, {"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                                   "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#secondary-rate-limits"},
                             {"Retry-After": int(fault.get("retry_after", 1))})
        auth = emu.knobs.get("auth", "ok")
        if not self.headers.get("Authorization") or auth == "bad_credentials":
            entry["status"] = 401
            emu.log(entry)
            return self.send(401, {"message": "Bad credentials" if self.headers.get("Authorization")
                                   else "Requires authentication",
                                   "documentation_url": "https://docs.github.com/rest"})
        if auth == "sso" and path != "/":
            entry["status"] = 403
            emu.log(entry)
            return self.send(403, {"message": "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization."},
                             {"X-GitHub-SSO": f"required; url={WEB}/orgs/emu/sso?authorization_request=EMU"})
        with emu.lock:
            try:
                refused = None if path == "/graphql" else emu.openapi.check_request(self.command, path, body)
                if path == "/graphql":
                    status, payload, headers = self.graphql(gql, entry)
                elif refused:
                    entry["refused"] = [e["field"] or e["message"] for e in refused["errors"]]
                    status, payload, headers = 422, refused, {}
                else:
                    h = {}
                    status, payload, headers = emu.rest(self.command, path, query, body, h)
            except HTTPErr as e:
                if isinstance(e, NoRoute):
                    entry["unrouted"] = True
                status = e.status
                payload = {"message": e.message, "documentation_url": "https://docs.github.com/rest"}
                if e.errors:
                    payload["errors"] = e.errors
                headers = e.headers
            except Exception as e:  # an emulator bug: say so loudly
                status, payload, headers = 500, {"message": f"emulator error: {type(e).__name__}: {e}"}, {}
                entry["error"] = repr(e)
            entry["status"] = status
            # A body refused by its schema gets GitHub's generic 422 ("Client errors" in the REST docs),
            # documented or not among the operation's responses (update-release lists none).
            if path != "/graphql" and "refused" not in entry:
                mismatch = emu.openapi.check_response(self.command, path, status, payload)
                if mismatch:
                    entry["schema_mismatch"] = mismatch
            if kind == "lost":
                entry["lost"] = True
            emu.log(entry)
            if self.command != "GET" or kind:
                emu.save()
        if kind == "lost":
            self.close_connection = True
            return
        headers = dict(headers or {})
        headers.setdefault("x-ratelimit-limit", 5000)
        headers.setdefault("x-ratelimit-remaining", 4999)
        self.send(status, payload, headers)

    def graphql(self, body, entry):
        emu = self.emu
        if not isinstance(body, dict) or "query" not in body:
            raise HTTPErr(400, "Problems parsing JSON")
        try:
            ops, frags = Parser(body["query"]).document()
        except GQLError as e:
            return 200, {"errors": [{"message": str(e)}]}, {}
        op = ops[0]
        if body.get("operationName"):
            op = next((o for o in ops if o["name"] == body["operationName"]), op)
        variables = {k: v for k, v in op["vars"].items() if v is not None}
        variables.update(body.get("variables") or {})
        unresolved = []
        res = Resolver(frags, variables, unresolved)
        root = emu.mutation_root() if op["type"] == "mutation" else emu.query_root()
        data = res.project(root, op["sel"], [])
        if unresolved:
            entry["unresolved"] = unresolved
        payload = {"data": data}
        if res.errors:
            payload["errors"] = res.errors
            entry["errors"] = [e["message"] for e in res.errors]
        return 200, payload, {}

    def control(self, path, raw):
        emu = self.emu
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return self.send(400, {"message": "bad JSON"})
        with emu.lock:
            emu.scan()
            parts = path.strip("/").split("/")[1:]
            try:
                result = self.control_route(parts, body)
            except (HTTPErr, KeyError, ValueError) as e:
                return self.send(400, {"message": str(e)})
            if self.command == "POST":
                emu.save()
        return self.send(200, result)

    def control_route(self, parts, body):
        emu = self.emu

        def repo_of(b):
            key = (b.get("repo") or next(iter(emu.repos))).lower()
            return emu.repos[key]
        if parts == ["state"]:
            return emu.snapshot()
        if parts == ["requests"]:
            with open(emu.log_path) as f:
                return [json.loads(line) for line in f if line.strip()]
        if parts == ["knobs"]:
            if self.command == "POST":
                for k, v in body.items():
                    emu.knobs[k] = v
            return emu.knobs
        if parts == ["repo"] and self.command == "POST":
            r = repo_of(body)
            if "labels" in body:
                r["labels"] = [emu.new_label(n, "ededed", "") for n in body["labels"]]
            if "default_branch" in body:
                r["default_branch"] = body["default_branch"]
            if "private" in body:
                r["private"] = bool(body["private"])
            return {"ok": True}
        if parts[:1] == ["runs"] and self.command == "POST":
            if len(parts) == 1:
                r = repo_of(body)
                return {"id": emu.add_run(r, body)["id"]}
            run = emu.runs[int(parts[1])]
            if body.get("approve"):
                run["approved_at"] = now()
            if "status" in body:
                run["forced"] = {"status": body["status"], "conclusion": body.get("conclusion"),
                                 "environment": body.get("environment")}
            return {"ok": True}
        if parts == ["releases"] and self.command == "POST":
            rel = emu.add_release(repo_of(body), body)
            return rel or {"ok": False}
        if parts == ["advisories"] and self.command == "POST":
            return emu.control_advisory(repo_of(body), body.get("advisory") or {})
        if parts[:1] == ["pulls"] and len(parts) == 2 and self.command == "POST":
            r = repo_of(body)
            p = emu.find_pr(r, int(parts[1]))
            if body.get("state") == "CLOSED" and p["state"] == "OPEN":
                p["state"], p["_closed"] = "CLOSED", now()
            elif body.get("state") == "OPEN" and p["state"] == "CLOSED":
                p["state"], p["_closed"] = "OPEN", None
            elif body.get("state") == "MERGED" and p["state"] == "OPEN":
                # Merged by the upstream's maintainers (issue 29: the RustSec PR); the test writes
                # what the merge brought into the bare repository itself.
                p["state"], p["_closed"], p["_merged"], p["merged_by"] = "MERGED", now(), now(), "rustsec-bot"
            return {"ok": True}
        raise HTTPErr(404, "unknown control path")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--state", required=True, help="directory for state.json and requests.jsonl")
    ap.add_argument("--origin", action="append", default=[], help="OWNER/NAME=/abs/path/to/bare.git")
    ap.add_argument("--user", default="octo", help="the login of the authenticated user")
    ap.add_argument("--log", help="request log (default STATE/requests.jsonl)")
    args = ap.parse_args()
    os.makedirs(args.state, exist_ok=True)
    origins = []
    for o in args.origin:
        full, _, path = o.partition("=")
        if "/" not in full or not path:
            ap.error(f"--origin wants OWNER/NAME=/abs/path, got {o!r}")
        origins.append((full, os.path.abspath(path)))
    log_path = args.log or os.path.join(args.state, "requests.jsonl")
    open(log_path, "a").close()
    Handler.emu = Emulator(args.state, origins, args.user, log_path)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"listening 127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

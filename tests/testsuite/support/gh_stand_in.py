#!/usr/bin/env python3
"""A stand-in for the GitHub CLI `gh` 2.23, for caro-hotfix's tests. Python 3 standard library only.

It never touches the network. The "GitHub repository" is a bare git repository on disk (the fixture's
`origin.git`); pull requests, labels, workflow runs, releases and security advisories live as JSON files
in a state directory:

    $GH_STANDIN_STATE, or else <directory of this script>/../gh-state

    config.json   written by the fixture: {"origin": ABS PATH, "owner", "repo", "default_branch", "labels"}
    knobs.json    written by a test (optional, read at every call): see KNOBS below
    prs.json      the pull requests (a JSON array, by number)
    calls.jsonl   one {"argv": [args after `gh`], "cwd": ..., "exit": code} per call, rejected ones too
    labels.json, advisories.json, releases.json, counters.json, runs.json: the rest of the state

Flags are validated against the real flag set of gh 2.23 for every supported subcommand (copied from
the real `gh <sub> --zzz` output), with pflag's parsing rules: `--flag value`, `--flag=value`, `-f value`,
`-fvalue`, grouped short booleans, `--`. An unknown flag exits 1 with `unknown flag: --xyz` and the usage,
like real gh. Calls the stand-in does not model exit 1 with `gh stand-in: unsupported call: ...`.

KNOBS (knobs.json, every key optional):
    version            what `gh --version` reports, default "2.23.0" (that call is not in calls.jsonl)
    logged_in          bool, default true; false: `gh auth status` and every other call fail like real gh
    reviews            list of reviewDecision values handed out one per `pr view` that asks for
                       reviewDecision (the last one stays), or {"<pr number>": [...]}; default ["APPROVED"]
    close_after_polls  int N (or {"<pr number>": N}): views 1..N of the PR see it open, later ones CLOSED
    checks             "pass" | "fail" | "pending" | "none", or a list of those consumed one per
                       `gh pr checks` call (the last one stays); default "pass"
    merge_state        mergeStateStatus: "CLEAN" (default), "BLOCKED", "BEHIND", "DIRTY", "UNSTABLE"
    runs               list of workflow runs ({"databaseId", "workflowName", "headBranch", "status",
                       "conclusion", ...}); default: one successful "release.yml" run per release tag
                       (vX.Y.Z, any prefix) in the origin, databaseId 1000+k in semver order
    releases           list of tags that have a GitHub release; default: every tag with a run
    advisory_status    HTTP status for POST/PATCH on security-advisories (403, 404, 422, 500, ...)
    fail               list of {"match": "pr create", "times": 1, "stderr": "...", "stdout": "",
                       "code": 1}: a call whose argv joined with spaces contains `match` fails, `times`
                       times (negative: always)
    delay              list of {"match": "pr checks", "seconds": 30, "times": 1}: a call whose argv joined
                       with spaces contains `match` first sleeps `seconds` (default 30), before it takes
                       the state lock or does anything, `times` times (default: every time; negative:
                       always). When its sleep starts it appends {"argv", "pid", "seconds"} to
                       delays.jsonl, so a test knows the call is in flight. If the caller dies during the
                       sleep (the parent process changes), the call ends at once with code 129, does
                       nothing and is not logged in calls.jsonl: like a gh hung up with its terminal
                       before its request was sent.
"""

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

# ---------------------------------------------------------------------------------------------------
# The real gh 2.23 usage texts (what `gh <sub> --zzz` prints after `unknown flag: --zzz`).

USAGE = {
    "auth status": "Usage:  gh auth status [flags]\n\nFlags:\n  -h, --hostname string   Check a specific hostname's auth status\n  -t, --show-token        Display the auth token",
    "repo view": 'Usage:  gh repo view [<repository>] [flags]\n\nFlags:\n  -b, --branch string     View a specific branch of the repository\n  -q, --jq expression     Filter JSON output using a jq expression\n      --json fields       Output JSON with the specified fields\n  -t, --template string   Format JSON output using a Go template; see "gh help formatting"\n  -w, --web               Open a repository in the browser',
    "label list": 'Usage:  gh label list [flags]\n\nFlags:\n  -q, --jq expression     Filter JSON output using a jq expression\n      --json fields       Output JSON with the specified fields\n  -L, --limit int         Maximum number of labels to fetch (default 30)\n      --order string      Order of labels returned: {asc|desc} (default "asc")\n  -S, --search string     Search label names and descriptions\n      --sort string       Sort fetched labels: {created|name} (default "created")\n  -t, --template string   Format JSON output using a Go template; see "gh help formatting"\n  -w, --web               List labels in the web browser',
    "label create": "Usage:  gh label create <name> [flags]\n\nFlags:\n  -c, --color string         Color of the label\n  -d, --description string   Description of the label\n  -f, --force                Update the label color and description if label already exists",
    "pr list": 'Usage:  gh pr list [flags]\n\nFlags:\n      --app string        Filter by GitHub App author\n  -a, --assignee string   Filter by assignee\n  -A, --author string     Filter by author\n  -B, --base string       Filter by base branch\n  -d, --draft             Filter by draft state\n  -H, --head string       Filter by head branch\n  -q, --jq expression     Filter JSON output using a jq expression\n      --json fields       Output JSON with the specified fields\n  -l, --label strings     Filter by label\n  -L, --limit int         Maximum number of items to fetch (default 30)\n  -S, --search query      Search pull requests with query\n  -s, --state string      Filter by state: {open|closed|merged|all} (default "open")\n  -t, --template string   Format JSON output using a Go template; see "gh help formatting"\n  -w, --web               List pull requests in the web browser',
    "pr create": 'Usage:  gh pr create [flags]\n\nFlags:\n  -a, --assignee login       Assign people by their login. Use "@me" to self-assign.\n  -B, --base branch          The branch into which you want your code merged\n  -b, --body string          Body for the pull request\n  -F, --body-file file       Read body text from file (use "-" to read from standard input)\n  -d, --draft                Mark pull request as a draft\n  -f, --fill                 Do not prompt for title/body and just use commit info\n  -H, --head branch          The branch that contains commits for your pull request (default: current branch)\n  -l, --label name           Add labels by name\n  -m, --milestone name       Add the pull request to a milestone by name\n      --no-maintainer-edit   Disable maintainer\'s ability to modify pull request\n  -p, --project name         Add the pull request to projects by name\n      --recover string       Recover input from a failed run of create\n  -r, --reviewer handle      Request reviews from people or teams by their handle\n  -t, --title string         Title for the pull request\n  -w, --web                  Open the web browser to create a pull request',
    "pr view": 'Usage:  gh pr view [<number> | <url> | <branch>] [flags]\n\nFlags:\n  -c, --comments          View pull request comments\n  -q, --jq expression     Filter JSON output using a jq expression\n      --json fields       Output JSON with the specified fields\n  -t, --template string   Format JSON output using a Go template; see "gh help formatting"\n  -w, --web               Open a pull request in the browser',
    "pr checks": "Usage:  gh pr checks [<number> | <url> | <branch>] [flags]\n\nFlags:\n  -i, --interval --watch   Refresh interval in seconds when using --watch flag (default 10)\n      --required           Only show checks that are required\n      --watch              Watch checks until they finish\n  -w, --web                Open the web browser to show details about checks",
    "pr merge": 'Usage:  gh pr merge [<number> | <url> | <branch>] [flags]\n\nFlags:\n      --admin                   Use administrator privileges to merge a pull request that does not meet requirements\n  -A, --author-email text       Email text for merge commit author\n      --auto                    Automatically merge only after necessary requirements are met\n  -b, --body text               Body text for the merge commit\n  -F, --body-file file          Read body text from file (use "-" to read from standard input)\n  -d, --delete-branch           Delete the local and remote branch after merge\n      --disable-auto            Disable auto-merge for this pull request\n      --match-head-commit SHA   Commit SHA that the pull request head must match to allow merge\n  -m, --merge                   Merge the commits with the base branch\n  -r, --rebase                  Rebase the commits onto the base branch\n  -s, --squash                  Squash the commits into one commit and merge it into the base branch\n  -t, --subject text            Subject text for the merge commit',
    "run list": 'Usage:  gh run list [flags]\n\nFlags:\n  -b, --branch string     Filter runs by branch\n  -q, --jq expression     Filter JSON output using a jq expression\n      --json fields       Output JSON with the specified fields\n  -L, --limit int         Maximum number of runs to fetch (default 20)\n  -t, --template string   Format JSON output using a Go template; see "gh help formatting"\n  -u, --user string       Filter runs by user who triggered the run\n  -w, --workflow string   Filter runs by workflow',
    "run watch": "Usage:  gh run watch <run-id> [flags]\n\nFlags:\n      --exit-status    Exit with non-zero status if run fails\n  -i, --interval int   Refresh interval in seconds (default 3)",
    "run view": 'Usage:  gh run view [<run-id>] [flags]\n\nFlags:\n      --exit-status       Exit with non-zero status if run failed\n  -j, --job string        View a specific job ID from a run\n  -q, --jq expression     Filter JSON output using a jq expression\n      --json fields       Output JSON with the specified fields\n      --log               View full log for either a run or specific job\n      --log-failed        View the log for any failed steps in a run or specific job\n  -t, --template string   Format JSON output using a Go template; see "gh help formatting"\n  -v, --verbose           Show job steps\n  -w, --web               Open run in the browser',
    "release delete": "Usage:  gh release delete <tag> [flags]\n\nFlags:\n      --cleanup-tag   Delete the specified tag in addition to its release\n  -y, --yes           Skip the confirmation prompt",
    "release edit": 'Usage:  gh release edit <tag>\n\nFlags:\n      --discussion-category string   Start a discussion in the specified category when publishing a draft\n      --draft                        Save the release as a draft instead of publishing it\n      --latest                       Explicitly mark the release as "Latest"\n  -n, --notes string                 Release notes\n  -F, --notes-file file              Read release notes from file (use "-" to read from standard input)\n      --prerelease                   Mark the release as a prerelease\n      --tag string                   The name of the tag\n      --target branch                Target branch or full commit SHA (default: main branch)\n  -t, --title string                 Release title',
    "api": 'Usage:  gh api <endpoint> [flags]\n\nFlags:\n      --cache duration        Cache the response, e.g. "3600s", "60m", "1h"\n  -F, --field key=value       Add a typed parameter in key=value format\n  -H, --header key:value      Add a HTTP request header in key:value format\n      --hostname string       The GitHub hostname for the request (default "github.com")\n  -i, --include               Include HTTP response status line and headers in the output\n      --input file            The file to use as body for the HTTP request (use "-" to read from standard input)\n  -q, --jq string             Query to select values from the response using jq syntax\n  -X, --method string         The HTTP method for the request (default "GET")\n      --paginate              Make additional HTTP requests to fetch all pages of results\n  -p, --preview names         GitHub API preview names to request (without the "-preview" suffix)\n  -f, --raw-field key=value   Add a string parameter in key=value format\n      --silent                Do not print the response body\n  -t, --template string       Format JSON output using a Go template; see "gh help formatting"',
}

# Subcommands that inherit `-R, --repo [HOST/]OWNER/REPO` in gh 2.23.
INHERITS_REPO = {
    "label list", "label create", "pr list", "pr create", "pr view", "pr checks", "pr merge",
    "run list", "run watch", "run view", "release delete", "release edit",
}

# How values accumulate (pflag types): StringSlice (comma-split, repeatable), StringArray (repeatable),
# Int. Everything else with a value is a String (last one wins); without a value, a Bool.
SLICE_FLAGS = {
    ("pr create", "label"), ("pr create", "assignee"), ("pr create", "reviewer"),
    ("pr create", "project"), ("pr list", "label"), ("api", "preview"),
}
ARRAY_FLAGS = {("api", "field"), ("api", "raw-field"), ("api", "header")}
DURATION_FLAGS = {("api", "cache")}
INT_FLAGS = {
    ("label list", "limit"), ("pr list", "limit"), ("run list", "limit"),
    ("pr checks", "interval"), ("run watch", "interval"),
}

# The real `--json` field lists of gh 2.23.
PR_FIELDS = (
    "additions assignees author baseRefName body changedFiles closed closedAt comments commits "
    "createdAt deletions files headRefName headRefOid headRepository headRepositoryOwner id "
    "isCrossRepository isDraft labels latestReviews maintainerCanModify mergeCommit mergeStateStatus "
    "mergeable mergedAt mergedBy milestone number potentialMergeCommit projectCards reactionGroups "
    "reviewDecision reviewRequests reviews state statusCheckRollup title updatedAt url"
).split()
REPO_FIELDS = (
    "assignableUsers codeOfConduct contactLinks createdAt defaultBranchRef deleteBranchOnMerge "
    "description diskUsage forkCount fundingLinks hasDiscussionsEnabled hasIssuesEnabled "
    "hasProjectsEnabled hasWikiEnabled homepageUrl id isArchived isBlankIssuesEnabled isEmpty isFork "
    "isInOrganization isMirror isPrivate isSecurityPolicyEnabled isTemplate "
    "isUserConfigurationRepository issueTemplates issues labels languages latestRelease licenseInfo "
    "mentionableUsers mergeCommitAllowed milestones mirrorUrl name nameWithOwner openGraphImageUrl "
    "owner parent primaryLanguage projects pullRequestTemplates pullRequests pushedAt "
    "rebaseMergeAllowed repositoryTopics securityPolicyUrl squashMergeAllowed sshUrl stargazerCount "
    "templateRepository updatedAt url usesCustomOpenGraphImage viewerCanAdminister "
    "viewerDefaultCommitEmail viewerDefaultMergeMethod viewerHasStarred viewerPermission "
    "viewerPossibleCommitEmails viewerSubscription watchers"
).split()
LABEL_FIELDS = "color createdAt description id isDefault name updatedAt url".split()
RUN_LIST_FIELDS = (
    "conclusion createdAt databaseId displayTitle event headBranch headSha name number startedAt "
    "status updatedAt url workflowDatabaseId workflowName"
).split()
RUN_VIEW_FIELDS = sorted(RUN_LIST_FIELDS + ["jobs"])

JSON_FIELDS = {
    "repo view": REPO_FIELDS, "label list": LABEL_FIELDS, "pr list": PR_FIELDS, "pr view": PR_FIELDS,
    "run list": RUN_LIST_FIELDS, "run view": RUN_VIEW_FIELDS,
}

LOGIN = "ada"
NOT_LOGGED_IN = (
    "To get started with GitHub CLI, please run:  gh auth login\n"
    "Alternatively, populate the GH_TOKEN environment variable with a GitHub API authentication token."
)
NO_GITHUB_REMOTE = (
    "none of the git remotes configured for this repository point to a known GitHub host. "
    "To tell gh about a new GitHub host, please use `gh auth login`"
)
ADVISORY_ECOSYSTEMS = [
    "rubygems", "npm", "pip", "maven", "nuget", "composer", "go", "rust", "erlang", "actions",
    "pub", "other", "swift",
]
GHSA_ALPHABET = "23456789cfghjmpqrvwx"


class GhExit(Exception):
    """Ends the call with `code`, having printed `stderr` (a line) and `stdout` (as is)."""

    def __init__(self, code, stderr="", stdout=""):
        super().__init__(stderr)
        self.code = code
        self.stderr = stderr
        self.stdout = stdout


def unsupported(argv, why=""):
    text = "gh stand-in: unsupported call: " + " ".join(argv)
    if why:
        text += " (" + why + ")"
    return GhExit(1, text)


# ---------------------------------------------------------------------------------------------------
# Output helpers


def out(text):
    sys.stdout.write(text)
    sys.stdout.flush()


def err(text):
    if text and not text.endswith("\n"):
        text += "\n"
    sys.stderr.write(text)
    sys.stderr.flush()


def is_tty():
    try:
        return sys.stdout.isatty()
    except Exception:
        return False


def dumps(value):
    """gh's JSON output: Go's encoder, compact, keys of maps sorted, no HTML escaping."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


# ---------------------------------------------------------------------------------------------------
# State


def state_dir():
    env = os.environ.get("GH_STANDIN_STATE")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "gh-state"))


class State:
    def __init__(self, path):
        self.path = path
        os.makedirs(path, exist_ok=True)

    def file(self, name):
        return os.path.join(self.path, name)

    def load(self, name, default):
        try:
            with open(self.file(name), encoding="utf-8") as f:
                return json.load(f)
        except FileNotFoundError:
            return default

    def save(self, name, value):
        tmp = self.file(name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(value, f, indent=2, ensure_ascii=False)
            f.write("\n")
        os.replace(tmp, self.file(name))

    @property
    def config(self):
        cfg = self.load("config.json", {})
        cfg.setdefault("owner", "example")
        cfg.setdefault("repo", "minicrate")
        cfg.setdefault("default_branch", "main")
        cfg.setdefault("labels", [])
        return cfg

    @property
    def knobs(self):
        return self.load("knobs.json", {})


# ---------------------------------------------------------------------------------------------------
# git


def git_bin():
    return shutil.which("git") or "/usr/bin/git"


def clean_git_env(identity=False):
    env = dict(os.environ)
    for k in [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_PREFIX", "GIT_NAMESPACE",
    ]:
        env.pop(k, None)
    if identity:
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_CONFIG_GLOBAL"] = os.devnull
        env["GIT_AUTHOR_NAME"] = "GitHub"
        env["GIT_AUTHOR_EMAIL"] = "noreply@github.com"
        env["GIT_COMMITTER_NAME"] = "GitHub"
        env["GIT_COMMITTER_EMAIL"] = "noreply@github.com"
    return env


def git(args, cwd=None, git_dir=None, identity=False, env=None):
    cmd = [git_bin()]
    if git_dir:
        cmd += ["--git-dir", git_dir]
    cmd += args
    e = clean_git_env(identity) if git_dir or identity else dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run(cmd, cwd=cwd, env=e, capture_output=True, text=True)


def git_out(args, **kw):
    r = git(args, **kw)
    if r.returncode != 0:
        raise GhExit(1, "gh stand-in: git %s failed: %s" % (" ".join(args), r.stderr.strip()))
    return r.stdout.strip()


class Origin:
    """The bare repository that plays github.com/OWNER/REPO."""

    def __init__(self, path, config_file):
        self._path = path
        self.config_file = config_file

    @property
    def path(self):
        if not self._path:
            raise GhExit(1, "gh stand-in: no \"origin\" in %s" % self.config_file)
        return self._path

    def sha(self, ref):
        r = git(["rev-parse", "--verify", "-q", ref + "^{commit}"], git_dir=self.path)
        return r.stdout.strip() if r.returncode == 0 else None

    def branch_sha(self, branch):
        return self.sha("refs/heads/" + branch)

    def tags(self):
        r = git(
            ["for-each-ref", "--format=%(refname:short)", "refs/tags"], git_dir=self.path
        )
        return [t for t in r.stdout.split("\n") if t]

    def is_ancestor(self, a, b):
        return git(["merge-base", "--is-ancestor", a, b], git_dir=self.path).returncode == 0

    def subject(self, rev):
        r = git(["log", "-1", "--format=%s", rev], git_dir=self.path)
        return r.stdout.strip()


# ---------------------------------------------------------------------------------------------------
# Flag parsing (pflag's rules)


class FlagSpec:
    def __init__(self, long, short, takes_value, kind):
        self.long = long
        self.short = short
        self.takes_value = takes_value
        self.kind = kind  # "bool", "string", "int", "duration", "slice", "array"
        self.choices = None  # an enum flag's valid values

    def display(self):
        if self.short:
            return "-%s, --%s" % (self.short, self.long)
        return "--" + self.long


FLAG_LINE = re.compile(r"^\s+(?:-(\w), )?--([\w-]+)(?: (\S+))?\s{2,}(.*)$")
ENUM = re.compile(r"\{(\w+(?:\|\w+)+)\}")


def flag_table(sub):
    specs = []
    body = USAGE[sub].split("Flags:\n", 1)[1]
    for line in body.split("\n"):
        m = FLAG_LINE.match(line)
        if not m:
            continue
        short, long, typ = m.group(1), m.group(2), m.group(3)
        if (sub, long) in SLICE_FLAGS:
            kind = "slice"
        elif (sub, long) in ARRAY_FLAGS:
            kind = "array"
        elif (sub, long) in INT_FLAGS:
            kind = "int"
        elif (sub, long) in DURATION_FLAGS:
            kind = "duration"
        elif long == "json":
            kind = "slice"
        elif typ:
            kind = "string"
        else:
            kind = "bool"
        spec = FlagSpec(long, short, kind != "bool", kind)
        choices = ENUM.search(m.group(4)) if kind == "string" else None
        if choices:
            spec.choices = choices.group(1).split("|")
        specs.append(spec)
    if sub in INHERITS_REPO:
        specs.append(FlagSpec("repo", "R", True, "string"))
    shorts = {s.short for s in specs if s.short}
    specs.append(FlagSpec("help", None if "h" in shorts else "h", False, "bool"))
    return specs


class Flags:
    def __init__(self):
        self.values = {}
        self.changed = set()

    def get(self, name, default=None):
        return self.values.get(name, default)

    def has(self, name):
        return name in self.changed


def parse_bool(spec, text):
    if text in ("1", "t", "T", "true", "TRUE", "True"):
        return True
    if text in ("0", "f", "F", "false", "FALSE", "False"):
        return False
    raise FlagError(
        'invalid argument "%s" for "%s" flag: strconv.ParseBool: parsing "%s": invalid syntax'
        % (text, spec.display(), text)
    )


class FlagError(Exception):
    pass


def set_flag(flags, spec, value):
    flags.changed.add(spec.long)
    if spec.kind == "bool":
        flags.values[spec.long] = value
    elif spec.kind == "int":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise FlagError(
                'invalid argument "%s" for "%s" flag: strconv.ParseInt: parsing "%s": invalid syntax'
                % (value, spec.display(), value)
            )
        flags.values[spec.long] = int(value)
    elif spec.kind == "duration":
        unit = r"(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|\u00b5s|ms|s|m|h)"
        if not re.fullmatch(r"[+-]?(?:0|(?:%s)+)" % unit, value):
            raise FlagError('invalid argument "%s" for "%s" flag: time: invalid duration "%s"'
                            % (value, spec.display(), value))
        flags.values[spec.long] = value
    elif spec.kind == "slice":
        items = [v.strip() for v in value.split(",")] if value != "" else []
        flags.values.setdefault(spec.long, []).extend(items)
    elif spec.kind == "array":
        flags.values.setdefault(spec.long, []).append(value)
    else:
        if spec.choices and value not in spec.choices:
            raise FlagError('invalid argument "%s" for "%s" flag: valid values are {%s}'
                            % (value, spec.display(), "|".join(spec.choices)))
        flags.values[spec.long] = value


def parse_flags(sub, args):
    specs = flag_table(sub)
    by_long = {s.long: s for s in specs}
    by_short = {s.short: s for s in specs if s.short}
    flags = Flags()
    positional = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            positional.extend(args[i + 1:])
            break
        if a.startswith("--") and len(a) > 2:
            name, eq, val = a[2:].partition("=")
            spec = by_long.get(name)
            if spec is None:
                raise FlagError("unknown flag: --" + name)
            if spec.takes_value:
                if not eq:
                    if i + 1 >= len(args):
                        raise FlagError("flag needs an argument: --" + name)
                    i += 1
                    val = args[i]
                set_flag(flags, spec, val)
            else:
                set_flag(flags, spec, parse_bool(spec, val) if eq else True)
        elif a.startswith("-") and len(a) > 1:
            shorts = a[1:]
            j = 0
            while j < len(shorts):
                c = shorts[j]
                spec = by_short.get(c)
                if spec is None:
                    raise FlagError("unknown shorthand flag: '%s' in -%s" % (c, shorts[j:]))
                rest = shorts[j + 1:]
                if spec.takes_value:
                    if rest.startswith("="):
                        rest = rest[1:]
                    if rest:
                        val = rest
                    elif i + 1 < len(args):
                        i += 1
                        val = args[i]
                    else:
                        raise FlagError("flag needs an argument: '%s' in -%s" % (c, shorts[j:]))
                    set_flag(flags, spec, val)
                    break
                if rest.startswith("="):
                    set_flag(flags, spec, parse_bool(spec, rest[1:]))
                    break
                set_flag(flags, spec, True)
                j += 1
        else:
            positional.append(a)
        i += 1
    return flags, positional


# ---------------------------------------------------------------------------------------------------
# JSON selection, --jq (a small subset), --template (not modelled)


def check_json_fields(requested, available):
    for f in requested:
        if f not in available:
            raise GhExit(
                1,
                'Unknown JSON field: "%s"\nAvailable fields:\n%s'
                % (f, "\n".join("  " + a for a in sorted(available))),
            )


def jq(value, expr, argv):
    """`.`, `.a.b`, `.[]`, `.[N]`, `.a[]`, `.[].a` ...: enough for picking fields. Strings print raw."""
    expr = expr.strip()
    steps = []
    if expr != ".":
        token = re.compile(r"\.([A-Za-z_]\w*)|\.?\[(\d*)\]")
        pos = 0
        while pos < len(expr):
            m = token.match(expr, pos)
            if not m or (pos == 0 and not expr.startswith(".")):
                raise unsupported(argv, "--jq expression %r" % expr)
            steps.append(("key", m.group(1)) if m.group(1) is not None else ("index", m.group(2)))
            pos = m.end()
    results = [value]
    for kind, arg in steps:
        nxt = []
        for v in results:
            if kind == "key":
                if v is not None and not isinstance(v, dict):
                    raise GhExit(1, "Cannot index %s with \"%s\"" % (type(v).__name__, arg))
                nxt.append(v.get(arg) if v is not None else None)
            elif arg == "":
                if isinstance(v, list):
                    nxt.extend(v)
                elif isinstance(v, dict):
                    nxt.extend(v.values())
                else:
                    raise GhExit(1, "Cannot iterate over %s" % ("null" if v is None else type(v).__name__))
            else:
                i = int(arg)
                nxt.append(v[i] if isinstance(v, list) and i < len(v) else None)
        results = nxt
    return "".join((r if isinstance(r, str) else dumps(r)) + "\n" for r in results)


def emit_json(value, flags, argv):
    if flags.get("template") is not None:
        raise unsupported(argv, "--template")
    if flags.get("jq") is not None:
        out(jq(value, flags.get("jq"), argv))
    else:
        out(dumps(value) + "\n")


# ---------------------------------------------------------------------------------------------------
# The call


class Call:
    def __init__(self, argv, sub, flags, positional, state):
        self.argv = argv
        self.sub = sub
        self.flags = flags
        self.pos = positional
        self.state = state
        self.cfg = state.config
        self.knobs = state.knobs
        self.origin = Origin(self.cfg.get("origin"), state.file("config.json"))
        self.owner = self.cfg["owner"]
        self.repo = self.cfg["repo"]
        self.slug = "%s/%s" % (self.owner, self.repo)
        self.html = "https://github.com/" + self.slug

    # --- repository context -------------------------------------------------------------------

    def cwd_git(self, args):
        return git(args, cwd=os.getcwd())

    def in_repo(self):
        return self.cwd_git(["rev-parse", "--is-inside-work-tree"]).returncode == 0

    def remote_for_origin(self):
        """The name of a remote of the cwd's repository that is "GitHub" (points at the origin)."""
        r = self.cwd_git(["config", "--get-regexp", r"^remote\..*\.url$"])
        top = self.cwd_git(["rev-parse", "--show-toplevel"]).stdout.strip() or os.getcwd()
        want = os.path.realpath(self.origin.path)
        gh_urls = {
            "https://github.com/%s" % self.slug.lower(),
            "https://github.com/%s.git" % self.slug.lower(),
            "git@github.com:%s.git" % self.slug.lower(),
            "ssh://git@github.com/%s.git" % self.slug.lower(),
        }
        for line in r.stdout.split("\n"):
            if not line.strip():
                continue
            key, _, url = line.partition(" ")
            name = key[len("remote."):-len(".url")]
            if url.lower() in gh_urls:
                return name
            path = url[len("file://"):] if url.startswith("file://") else url
            if "://" in path or re.match(r"^[\w.-]+@[\w.-]+:", path):
                continue
            if not os.path.isabs(path):
                path = os.path.join(top, path)
            if os.path.realpath(path) == want:
                return name
        return None

    def require_repo(self):
        """What real gh needs to know the repository: -R, or a git repository with a GitHub remote."""
        override = self.flags.get("repo")
        if override is not None:
            name = override
            for prefix in ("https://github.com/", "github.com/"):
                if name.lower().startswith(prefix):
                    name = name[len(prefix):]
            if name.lower().rstrip("/") != self.slug.lower():
                raise GhExit(
                    1,
                    "GraphQL: Could not resolve to a Repository with the name '%s'. (repository)"
                    % name,
                )
            return
        if not self.in_repo():
            raise GhExit(
                1,
                "failed to run git: fatal: not a git repository (or any of the parent directories): .git\n",
            )
        if self.remote_for_origin() is None:
            raise GhExit(1, NO_GITHUB_REMOTE)

    def current_branch(self):
        r = self.cwd_git(["symbolic-ref", "--quiet", "--short", "HEAD"])
        if r.returncode != 0:
            raise GhExit(1, "could not determine current branch: failed to run git: not on any branch")
        return r.stdout.strip()

    # --- pull requests ------------------------------------------------------------------------

    def prs(self):
        return self.state.load("prs.json", [])

    def save_prs(self, prs):
        self.state.save("prs.json", prs)

    def find_pr(self, prs, selector):
        """gh's finder: a number, `#N`, a PR URL, a branch (open PR first), or the current branch."""
        if selector is None:
            if self.flags.get("repo") is not None:
                raise GhExit(1, "argument required when using the --repo flag")
            selector = self.current_branch()
            by_branch = True
        else:
            by_branch = False
        m = re.fullmatch(r"#?(\d+)", selector) if not by_branch else None
        if m is None and not by_branch:
            m = re.fullmatch(r"https?://github\.com/([^/]+)/([^/]+)/pull/(\d+)(?:[/?#].*)?", selector)
            if m:
                if ("%s/%s" % (m.group(1), m.group(2))).lower() != self.slug.lower():
                    raise GhExit(
                        1,
                        "GraphQL: Could not resolve to a Repository with the name '%s/%s'. (repository)"
                        % (m.group(1), m.group(2)),
                    )
                n = int(m.group(3))
            else:
                n = None
        elif m is not None:
            n = int(m.group(1))
        else:
            n = None
        if n is not None:
            for pr in prs:
                if pr["number"] == n:
                    return pr
            raise GhExit(
                1,
                "GraphQL: Could not resolve to a PullRequest with the number of %d. (repository.pullRequest)"
                % n,
            )
        branch = selector.split(":", 1)[1] if ":" in selector else selector
        candidates = [p for p in prs if p["head"] == branch]
        candidates.sort(key=lambda p: p["number"], reverse=True)
        for p in candidates:
            if p["state"] == "OPEN":
                return p
        if candidates:
            return candidates[0]
        raise GhExit(1, 'no pull requests found for branch "%s"' % branch)

    def head_oid(self, pr):
        sha = self.origin.branch_sha(pr["head"]) if pr["state"] == "OPEN" else None
        if sha:
            pr["headRefOid"] = sha
        return pr.get("headRefOid")

    def knob_for(self, name, pr, default):
        v = self.knobs.get(name, default)
        if isinstance(v, dict):
            v = v.get(str(pr["number"]), default)
        return v

    def checks_now(self, consume):
        v = self.knobs.get("checks", "pass")
        if isinstance(v, list):
            counters = self.state.load("counters.json", {})
            i = counters.get("checks", 0)
            value = v[min(i, len(v) - 1)] if v else "pass"
            if consume:
                counters["checks"] = i + 1
                self.state.save("counters.json", counters)
            return value
        return v

    def check_runs(self, value):
        base = self.html + "/actions/runs/%d/jobs/%d"
        if value == "none":
            return []
        if value == "fail":
            return [("build", "pass", "1m2s", base % (1, 1)), ("test (ubuntu)", "fail", "2m5s", base % (1, 2))]
        if value == "pending":
            return [("build", "pass", "1m2s", base % (1, 1)), ("test (ubuntu)", "pending", "0", base % (1, 2))]
        return [("build", "pass", "1m2s", base % (1, 1)), ("test (ubuntu)", "pass", "1m40s", base % (1, 2))]

    def pr_values(self, pr, decision):
        url = "%s/pull/%d" % (self.html, pr["number"])
        author = {"id": "U_ada", "is_bot": False, "login": LOGIN, "name": "Ada Maintainer"}
        merged = pr["state"] == "MERGED"
        checks = [
            {
                "__typename": "CheckRun", "completedAt": pr.get("createdAt"), "conclusion":
                {"pass": "SUCCESS", "fail": "FAILURE", "pending": ""}[b], "detailsUrl": link,
                "name": name, "startedAt": pr.get("createdAt"),
                "status": "IN_PROGRESS" if b == "pending" else "COMPLETED", "workflowName": "CI",
            }
            for name, b, _e, link in self.check_runs(self.checks_now(False))
        ]
        values = {
            "additions": 1, "assignees": [{"id": "U_" + a, "login": a, "name": ""} for a in pr.get("assignees", [])],
            "author": author, "baseRefName": pr["base"], "body": pr["body"], "changedFiles": 1,
            "closed": pr["state"] != "OPEN", "closedAt": pr.get("closedAt"), "comments": [],
            "commits": [], "createdAt": pr["createdAt"], "deletions": 0, "files": [],
            "headRefName": pr["head"], "headRefOid": self.head_oid(pr),
            "headRepository": {"id": "R_1", "name": self.repo},
            "headRepositoryOwner": {"id": "O_1", "login": self.owner},
            "id": "PR_%d" % pr["number"], "isCrossRepository": False, "isDraft": pr.get("isDraft", False),
            "labels": [{"id": "LA_" + n, "name": n, "description": "", "color": "ededed"} for n in pr["labels"]],
            "latestReviews": [], "maintainerCanModify": pr.get("maintainerCanModify", True),
            "mergeCommit": {"oid": pr["mergeCommit"]} if pr.get("mergeCommit") else None,
            "mergeStateStatus": "UNKNOWN" if pr["state"] != "OPEN" else self.knobs.get("merge_state", "CLEAN"),
            "mergeable": "UNKNOWN" if pr["state"] != "OPEN" else "MERGEABLE",
            "mergedAt": pr.get("mergedAt"), "mergedBy": author if merged else None,
            "milestone": {"title": pr["milestone"]} if pr.get("milestone") else None,
            "number": pr["number"], "potentialMergeCommit": None, "projectCards": [],
            "reactionGroups": [], "reviewDecision": decision,
            "reviewRequests": [{"__typename": "User", "login": r} for r in pr.get("reviewers", [])],
            "reviews": [], "state": pr["state"], "statusCheckRollup": checks, "title": pr["title"],
            "updatedAt": pr.get("updatedAt", pr["createdAt"]), "url": url,
        }
        return values

    def pr_view_decision(self, pr, consume):
        seq = self.knob_for("reviews", pr, ["APPROVED"])
        if isinstance(seq, str):
            seq = [seq]
        if not seq:
            return ""
        i = pr.get("reviewPolls", 0)
        if consume:
            pr["reviewPolls"] = i + 1
        return seq[min(i, len(seq) - 1)]

    def pr_json(self, pr, fields, consume_review):
        decision = self.pr_view_decision(pr, consume_review) if "reviewDecision" in fields else None
        values = self.pr_values(pr, decision)
        return {f: values[f] for f in fields}

    # --- commands ---------------------------------------------------------------------------------

    def auth_status(self):
        if not self.knobs.get("logged_in", True):
            raise GhExit(1, "You are not logged into any GitHub hosts. Run gh auth login to authenticate.")
        host = self.flags.get("hostname")
        if host is not None and host != "github.com":
            raise GhExit(1, "Hostname %s not found" % host)
        token = "gho_standinstandinstandin" if self.flags.get("show-token") else "*" * 40
        err(
            "github.com\n"
            "  \u2713 Logged in to github.com as %s (%s)\n"
            "  \u2713 Git operations for github.com configured to use https protocol.\n"
            "  \u2713 Token: %s\n" % (LOGIN, os.path.join(state_dir(), "hosts.yml"), token)
        )
        return 0

    def repo_view(self):
        if len(self.pos) > 1:
            raise GhExit(1, "accepts at most 1 arg(s), received %d" % len(self.pos))
        if self.pos:
            name = self.pos[0]
            for prefix in ("https://github.com/", "github.com/"):
                if name.lower().startswith(prefix):
                    name = name[len(prefix):]
            if name.lower() != self.slug.lower() and name.lower() != self.repo.lower():
                raise GhExit(
                    1, "GraphQL: Could not resolve to a Repository with the name '%s'. (repository)" % name
                )
        else:
            self.require_repo()
        if self.flags.has("web"):
            raise unsupported(self.argv, "--web")
        fields = self.flags.get("json")
        if fields is None:
            out("name:\t%s\ndescription:\t\n--\n" % self.slug)
            return 0
        check_json_fields(fields, REPO_FIELDS)
        default = self.cfg["default_branch"]
        known = {
            "name": self.repo, "nameWithOwner": self.slug, "url": self.html,
            "owner": {"id": "O_1", "login": self.owner},
            "defaultBranchRef": {"name": default}, "description": "", "homepageUrl": "",
            "id": "R_1", "isArchived": False, "isEmpty": False, "isFork": False, "isPrivate": False,
            "isTemplate": False, "isMirror": False, "sshUrl": "git@github.com:%s.git" % self.slug,
            "deleteBranchOnMerge": False, "squashMergeAllowed": True, "mergeCommitAllowed": True,
            "rebaseMergeAllowed": True, "viewerPermission": "ADMIN", "viewerCanAdminister": True,
            "viewerDefaultMergeMethod": "SQUASH", "hasIssuesEnabled": True, "hasWikiEnabled": False,
            "isSecurityPolicyEnabled": True,
            "labels": [{"name": lb["name"]} for lb in self.labels()],
        }
        for f in fields:
            if f not in known:
                raise unsupported(self.argv, "--json field %s" % f)
        emit_json({f: known[f] for f in fields}, self.flags, self.argv)
        return 0

    def labels(self):
        labels = self.state.load("labels.json", None)
        if labels is None:
            labels = [{"name": n, "color": "ededed", "description": ""} for n in self.cfg["labels"]]
        return labels

    def label_list(self):
        self.require_repo()
        if self.flags.has("web"):
            raise unsupported(self.argv, "--web")
        labels = self.labels()
        search = self.flags.get("search")
        if search:
            labels = [lb for lb in labels if search.lower() in (lb["name"] + lb["description"]).lower()]
        if self.flags.get("sort") == "name":
            labels = sorted(labels, key=lambda lb: lb["name"].lower())
        if self.flags.get("order") == "desc":
            labels = list(reversed(labels))
        labels = labels[: self.flags.get("limit", 30)]
        fields = self.flags.get("json")
        if fields is None:
            if not labels:
                raise GhExit(1, "no labels found in %s" % self.slug)
            for lb in labels:
                out("%s\t%s\t#%s\n" % (lb["name"], lb["description"], lb["color"]))
            return 0
        check_json_fields(fields, LABEL_FIELDS)

        def value(lb, f):
            return {
                "name": lb["name"], "color": lb["color"], "description": lb["description"],
                "id": "LA_" + lb["name"], "isDefault": False, "createdAt": "2026-01-01T00:00:00Z",
                "updatedAt": "2026-01-01T00:00:00Z",
                "url": "%s/labels/%s" % (self.html, lb["name"]),
            }[f]

        emit_json([{f: value(lb, f) for f in fields} for lb in labels], self.flags, self.argv)
        return 0

    def label_create(self):
        if len(self.pos) != 1:
            if not self.pos:
                raise GhExit(1, "cannot create label: name argument required\n\n" + USAGE[self.sub] + "\n")
            raise GhExit(1, "accepts 1 arg(s), received %d" % len(self.pos))
        self.require_repo()
        name = self.pos[0]
        labels = self.labels()
        color = (self.flags.get("color") or "ededed").lstrip("#").lower()
        desc = self.flags.get("description") or ""
        for lb in labels:
            if lb["name"].lower() == name.lower():
                if not self.flags.get("force"):
                    raise GhExit(
                        1,
                        'label with name "%s" already exists; use `--force` to update its color and description'
                        % name,
                    )
                if self.flags.has("color"):
                    lb["color"] = color
                if self.flags.has("description"):
                    lb["description"] = desc
                break
        else:
            labels.append({"name": name, "color": color, "description": desc})
        self.state.save("labels.json", labels)
        if is_tty():
            err('\u2713 Label "%s" created in %s' % (name, self.slug))
        return 0

    def pr_list(self):
        self.require_repo()
        if self.pos:
            raise GhExit(1, 'unknown argument "%s"; please quote all values that have spaces' % self.pos[0])
        if self.flags.has("web"):
            raise unsupported(self.argv, "--web")
        state = self.flags.get("state") or "open"
        prs = sorted(self.prs(), key=lambda p: p["number"], reverse=True)
        res = []
        for p in prs:
            if state != "all" and p["state"].lower() != state:
                continue
            if self.flags.get("head") is not None and p["head"] != self.flags.get("head"):
                continue
            if self.flags.get("base") is not None and p["base"] != self.flags.get("base"):
                continue
            want_labels = self.flags.get("label") or []
            if any(w.lower() not in [x.lower() for x in p["labels"]] for w in want_labels):
                continue
            if self.flags.get("draft") and not p.get("isDraft"):
                continue
            res.append(p)
        res = res[: self.flags.get("limit", 30)]
        fields = self.flags.get("json")
        if fields is None:
            for p in res:
                out("%d\t%s\t%s\t%s\t%s\n" % (p["number"], p["title"], p["head"], p["state"], p["createdAt"]))
            if not res and is_tty():
                err("no pull requests match your search in %s" % self.slug)
            return 0
        check_json_fields(fields, PR_FIELDS)
        value = [self.pr_json(p, fields, False) for p in res]
        self.save_prs_updating(res)
        emit_json(value, self.flags, self.argv)
        return 0

    def save_prs_updating(self, changed):
        prs = self.prs()
        by_n = {p["number"]: p for p in changed}
        self.save_prs([by_n.get(p["number"], p) for p in prs])

    def read_body_file(self, path):
        if path == "-":
            return sys.stdin.read()
        try:
            with open(path, encoding="utf-8") as f:
                return f.read()
        except OSError as e:
            raise GhExit(1, "failed to read file %s: %s" % (path, e.strerror))

    def pr_create(self):
        if self.pos:
            raise GhExit(1, 'unknown argument "%s"; please quote all values that have spaces' % self.pos[0])
        f = self.flags
        if f.has("web"):
            raise unsupported(self.argv, "--web")
        if f.has("recover"):
            raise unsupported(self.argv, "--recover")
        if f.has("body") and f.has("body-file"):
            raise GhExit(1, "specify only one of `--body` or `--body-file`\n\n" + USAGE[self.sub] + "\n")
        body_given = f.has("body") or f.has("body-file")
        if not f.get("fill") and not (f.has("title") and body_given) and not is_tty():
            raise GhExit(
                1,
                "must provide `--title` and `--body` (or `--fill`) when not running interactively\n\n"
                + USAGE[self.sub] + "\n",
            )
        self.require_repo()
        base = f.get("base") or self.cfg["default_branch"]
        head = f.get("head")
        if head is None:
            # Without --head, gh needs the current branch pushed as it is (it would offer to push it
            # in a terminal).
            head = self.current_branch()
            local = self.cwd_git(["rev-parse", "HEAD"]).stdout.strip()
            if self.origin.branch_sha(head) != local and not is_tty():
                raise GhExit(1, "aborted: you must first push the current branch to a remote, or use the --head flag")
        if self.in_repo():
            changes = [x for x in self.cwd_git(["status", "--porcelain"]).stdout.split("\n") if x.strip()]
            if changes:
                err("Warning: %d uncommitted change%s" % (len(changes), "" if len(changes) == 1 else "s"))
        if ":" in head:
            head = head.split(":", 1)[1]
        body = f.get("body", "")
        if f.has("body-file"):
            body = self.read_body_file(f.get("body-file"))
        title = f.get("title", "")
        prs = self.prs()
        for p in prs:
            if p["head"] == head and p["base"] == base and p["state"] == "OPEN":
                raise GhExit(
                    1,
                    'a pull request for branch "%s" into branch "%s" already exists:\n%s/pull/%d'
                    % (head, base, self.html, p["number"]),
                )
        # Metadata is resolved before the pull request is created: a missing label creates nothing.
        repo_labels = {lb["name"].lower(): lb["name"] for lb in self.labels()}
        labels = []
        for lb in f.get("label") or []:
            if lb.lower() not in repo_labels:
                raise GhExit(1, "could not add label: '%s' not found" % lb)
            if repo_labels[lb.lower()] not in labels:
                labels.append(repo_labels[lb.lower()])
        if f.has("milestone"):
            milestones = self.cfg.get("milestones", [])
            if f.get("milestone") not in milestones:
                raise GhExit(1, "'%s' not found" % f.get("milestone"))
        head_sha = self.origin.branch_sha(head)
        base_sha = self.origin.branch_sha(base)
        if base_sha is None:
            raise GhExit(1, "pull request create failed: GraphQL: Base ref must be a branch (createPullRequest)")
        if head_sha is None:
            raise GhExit(
                1,
                "pull request create failed: GraphQL: Head sha can't be blank, Base sha can't be blank, "
                "No commits between %s and %s, Head ref must be a branch (createPullRequest)" % (base, head),
            )
        if self.origin.is_ancestor(head_sha, base_sha):
            raise GhExit(
                1, "pull request create failed: GraphQL: No commits between %s and %s (createPullRequest)" % (base, head)
            )
        if f.get("fill"):
            if not f.has("title"):
                title = self.origin.subject(head_sha)
        assignees = [LOGIN if a == "@me" else a for a in (f.get("assignee") or [])]
        n = max([p["number"] for p in prs] + [0]) + 1
        pr = {
            "number": n, "url": "%s/pull/%d" % (self.html, n), "title": title, "body": body,
            "base": base, "head": head, "labels": labels, "state": "OPEN",
            "isDraft": bool(f.get("draft")), "assignees": assignees,
            "reviewers": f.get("reviewer") or [], "projects": f.get("project") or [],
            "milestone": f.get("milestone"), "maintainerCanModify": not f.get("no-maintainer-edit"),
            "headRefOid": head_sha, "mergeCommit": None, "mergedAt": None, "mergeMethod": None,
            "closedAt": None, "createdAt": now_iso(), "views": 0, "reviewPolls": 0,
            "createdFrom": os.getcwd(),
        }
        prs.append(pr)
        self.save_prs(prs)
        if is_tty():
            err("\nCreating pull request for %s into %s in %s\n" % (head, base, self.slug))
        out(pr["url"] + "\n")
        return 0

    def note_view(self, pr):
        """Counts a view; `close_after_polls` closes the PR once it has been viewed N times."""
        pr["views"] = pr.get("views", 0) + 1
        limit = self.knob_for("close_after_polls", pr, None)
        if limit is not None and pr["state"] == "OPEN" and pr["views"] > int(limit):
            pr["state"] = "CLOSED"
            pr["closedAt"] = now_iso()

    def pr_view(self):
        if len(self.pos) > 1:
            raise GhExit(1, "accepts at most 1 arg(s), received %d" % len(self.pos))
        self.require_repo()
        if self.flags.has("web"):
            raise unsupported(self.argv, "--web")
        fields = self.flags.get("json")
        if fields is not None:
            check_json_fields(fields, PR_FIELDS)
        prs = self.prs()
        pr = self.find_pr(prs, self.pos[0] if self.pos else None)
        self.note_view(pr)
        value = self.pr_json(pr, fields, True) if fields is not None else None
        self.save_prs(prs)
        if fields is None:
            out(
                "title:\t%s\nstate:\t%s\nauthor:\t%s\nlabels:\t%s\nassignees:\t%s\nreviewers:\t%s\n"
                "projects:\t\nmilestone:\t%s\nnumber:\t%d\nurl:\t%s\nadditions:\t1\ndeletions:\t0\n"
                "auto-merge:\tdisabled\n--\n%s\n"
                % (
                    pr["title"], pr["state"], LOGIN, ", ".join(pr["labels"]), ", ".join(pr.get("assignees", [])),
                    ", ".join(pr.get("reviewers", [])), pr.get("milestone") or "", pr["number"], pr["url"],
                    pr["body"],
                )
            )
            return 0
        emit_json(value, self.flags, self.argv)
        return 0

    def pr_checks(self):
        if len(self.pos) > 1:
            raise GhExit(1, "accepts at most 1 arg(s), received %d" % len(self.pos))
        if self.flags.has("interval") and not self.flags.get("watch"):
            raise GhExit(1, "cannot use `--interval` flag without `--watch` flag\n\n" + USAGE[self.sub] + "\n")
        self.require_repo()
        if self.flags.has("web"):
            raise unsupported(self.argv, "--web")
        prs = self.prs()
        pr = self.find_pr(prs, self.pos[0] if self.pos else None)
        while True:
            value = self.checks_now(True)
            if value not in ("pass", "fail", "pending", "none"):
                raise unsupported(self.argv, "checks knob %r" % value)
            if value == "none":
                what = "required checks" if self.flags.get("required") else "checks"
                raise GhExit(1, "no %s reported on the '%s' branch" % (what, pr["head"]))
            runs = self.check_runs(value)
            for name, bucket, elapsed, link in runs:
                out("%s\t%s\t%s\t%s\n" % (name, bucket, elapsed, link))
            if value == "pending" and self.flags.get("watch"):
                v = self.knobs.get("checks")
                if not isinstance(v, list):
                    raise unsupported(self.argv, "--watch on checks that stay pending")
                continue
            break
        if value == "fail":
            return 1
        if value == "pending":
            return 8
        return 0

    def pr_merge(self):
        f = self.flags
        if len(self.pos) > 1:
            raise GhExit(1, "accepts at most 1 arg(s), received %d" % len(self.pos))
        if f.has("repo") and not self.pos:
            raise GhExit(1, "argument required when using the --repo flag\n\n" + USAGE[self.sub] + "\n")
        methods = [m for m in ("merge", "rebase", "squash") if f.get(m)]
        if len(methods) > 1:
            raise GhExit(1, "only one of --merge, --rebase, or --squash can be enabled\n\n" + USAGE[self.sub] + "\n")
        if sum(bool(f.get(x)) for x in ("auto", "disable-auto", "admin")) > 1:
            raise GhExit(1, "specify only one of `--auto`, `--disable-auto`, or `--admin`\n\n" + USAGE[self.sub] + "\n")
        if f.has("body") and f.has("body-file"):
            raise GhExit(1, "specify only one of `--body` or `--body-file`\n\n" + USAGE[self.sub] + "\n")
        body_set = f.has("body") or bool(f.get("body-file"))
        body = f.get("body", "")
        if f.get("body-file"):
            body = self.read_body_file(f.get("body-file"))
        self.require_repo()
        prs = self.prs()
        pr = self.find_pr(prs, self.pos[0] if self.pos else None)
        can_delete_local = not f.has("repo")
        local_exists = can_delete_local and self.cwd_git(
            ["rev-parse", "--verify", "-q", "refs/heads/" + pr["head"]]
        ).returncode == 0
        if f.get("disable-auto"):
            pr["autoMerge"] = None
            self.save_prs(prs)
            if is_tty():
                err("\u2713 Auto-merge disabled for pull request #%d" % pr["number"])
            return 0
        was_merged = pr["state"] == "MERGED"
        delete = bool(f.get("delete-branch"))
        auto_pending = False
        if was_merged:
            err("! Pull request #%d was already merged" % pr["number"])
        else:
            if pr["state"] == "CLOSED":
                raise GhExit(1, "GraphQL: Pull request Pull request is closed (mergePullRequest)")
            status = self.knobs.get("merge_state", "CLEAN")
            immediately = status in ("CLEAN", "HAS_HOOKS", "UNSTABLE")
            auto_pending = bool(f.get("auto")) and not immediately
            reason = {
                "BLOCKED": "" if f.get("admin") else "the base branch policy prohibits the merge",
                "BEHIND": "" if f.get("admin") else "the head branch is not up to date with the base branch",
                "DIRTY": "the merge commit cannot be cleanly created",
            }.get(status, "")
            if reason and not auto_pending:
                self.not_mergeable(pr, reason, status)
            if not methods:
                raise GhExit(
                    1, "--merge, --rebase, or --squash required when not running interactively\n\n"
                    + USAGE[self.sub] + "\n"
                )
            method = methods[0]
            head_sha = self.origin.branch_sha(pr["head"])
            if head_sha is None:
                raise GhExit(1, "GraphQL: Head branch does not exist (mergePullRequest)")
            expected = f.get("match-head-commit")
            if expected is not None and expected != head_sha:
                raise GhExit(1, "GraphQL: Head branch was modified. Review and try the merge again. (mergePullRequest)")
            if auto_pending:
                pr["autoMerge"] = method
                self.save_prs(prs)
                if is_tty():
                    via = {"rebase": " via rebase", "squash": " via squash"}.get(method, "")
                    err("\u2713 Pull request #%d will be automatically merged%s when all requirements are met"
                        % (pr["number"], via))
                return 0
            sha = self.merge_into_origin(pr, method, f.get("subject"), body, body_set, f.get("author-email"))
            if sha is None:
                self.not_mergeable(pr, "the merge commit cannot be cleanly created", "DIRTY")
            pr["state"] = "MERGED"
            pr["headRefOid"] = head_sha
            pr["mergeCommit"] = sha
            pr["mergedAt"] = now_iso()
            pr["closedAt"] = pr["mergedAt"]
            pr["mergeMethod"] = method
            self.save_prs(prs)
            if is_tty():
                action = {"rebase": "Rebased and merged", "squash": "Squashed and merged"}.get(method, "Merged")
                err("\u2713 %s pull request #%d (%s)" % (action, pr["number"], pr["title"]))
        # Like gh: the local branch first (switching to the base branch if it is checked out) ...
        if delete and can_delete_local and local_exists and not auto_pending:
            self.delete_local_branch(pr)
        # ... then the remote one, unless the pull request had already been merged before this call.
        if delete and not auto_pending:
            if not was_merged and self.origin.branch_sha(pr["head"]) is not None:
                git_out(["update-ref", "-d", "refs/heads/" + pr["head"]], git_dir=self.origin.path)
            if is_tty():
                err("\u2713 Deleted remote branch %s" % pr["head"])
        return 0

    def not_mergeable(self, pr, reason, status):
        text = "X Pull request #%d is not mergeable: %s.\n" % (pr["number"], reason)
        text += "To have the pull request merged after all the requirements have been met, add the `--auto` flag.\n"
        if status == "DIRTY" and not self.flags.has("repo"):
            remote = self.remote_for_origin() or "origin"
            text += (
                "Run the following to resolve the merge conflicts locally:\n  gh pr checkout %d && git fetch %s %s && git merge %s/%s\n"
                % (pr["number"], remote, pr["base"], remote, pr["base"])
            )
        if status in ("BLOCKED", "BEHIND"):
            text += "To use administrator privileges to immediately merge the pull request, add the `--admin` flag.\n"
        raise GhExit(1, text)

    def merge_into_origin(self, pr, method, subject, body, body_set, author_email):
        """Merges for real into the bare origin, as GitHub would; None when it conflicts."""
        tmp = tempfile.mkdtemp(prefix="gh-standin-merge-")
        env = {}
        if author_email:
            env["GIT_AUTHOR_EMAIL"] = author_email
        try:
            w = os.path.join(tmp, "w")
            r = git(["clone", "-q", "--no-tags", self.origin.path, w], identity=True)
            if r.returncode != 0:
                raise GhExit(1, "gh stand-in: cloning the origin failed: " + r.stderr.strip())

            def g(args):
                return git(args, cwd=w, identity=True, env=env)

            base, head = "origin/" + pr["base"], "origin/" + pr["head"]
            if g(["checkout", "-q", "-B", pr["base"], base]).returncode != 0:
                raise GhExit(1, "GraphQL: Base branch does not exist (mergePullRequest)")
            commits = g(["log", "--reverse", "--format=%B%x00", "%s..%s" % (base, head)]).stdout
            messages = [m.strip() for m in commits.split("\x00") if m.strip()]
            if method == "squash":
                if g(["merge", "--squash", "-q", head]).returncode != 0:
                    return None
                subj = subject or "%s (#%d)" % (pr["title"], pr["number"])
                if not body_set:
                    body = "\n\n".join("* " + m for m in messages)
                msg = subj + ("\n\n" + body if body else "")
                r = g(["commit", "-q", "--allow-empty", "--no-verify", "-m", msg])
            elif method == "merge":
                subj = subject or "Merge pull request #%d from %s/%s" % (pr["number"], self.owner, pr["head"])
                if not body_set:
                    body = pr["title"]
                msg = subj + ("\n\n" + body if body else "")
                r = g(["merge", "-q", "--no-ff", "--no-verify", "-m", msg, head])
                if r.returncode != 0:
                    return None
            else:
                g(["checkout", "-q", "-B", "gh-standin-rebase", head])
                r = g(["rebase", "-q", base])
                if r.returncode != 0:
                    return None
            if r.returncode != 0:
                raise GhExit(1, "gh stand-in: merge commit failed: " + (r.stderr or r.stdout).strip())
            sha = g(["rev-parse", "HEAD"]).stdout.strip()
            r = g(["push", "-q", "origin", "HEAD:refs/heads/" + pr["base"]])
            if r.returncode != 0:
                raise GhExit(1, "gh stand-in: pushing the merge failed: " + r.stderr.strip())
            return sha
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def delete_local_branch(self, pr):
        head = pr["head"]
        switched = ""
        if self.current_branch() == head:
            remote = self.remote_for_origin() or "origin"
            target = pr["base"]
            if self.cwd_git(["rev-parse", "--verify", "-q", "refs/heads/" + target]).returncode == 0:
                r = self.cwd_git(["checkout", target])
            else:
                r = self.cwd_git(["checkout", "-b", target, "--track", "%s/%s" % (remote, target)])
            if r.returncode != 0:
                raise GhExit(1, "failed to run git: " + r.stderr.strip())
            if self.cwd_git(["pull", "--ff-only", remote, target]).returncode != 0:
                err('! warning: not possible to fast-forward to: "%s"' % target)
            switched = " and switched to branch " + target
        r = self.cwd_git(["branch", "-D", head])
        if r.returncode != 0:
            raise GhExit(1, "failed to delete local branch %s: failed to run git: %s" % (head, r.stderr.strip()))
        if is_tty():
            err("\u2713 Deleted local branch %s%s" % (head, switched))

    # --- workflow runs and releases ---------------------------------------------------------------

    def runs(self):
        done = self.state.load("runs.json", {})
        knob = self.knobs.get("runs")
        tags = self.origin.tags()
        tag_shas = {}
        for t in tags:
            tag_shas[t] = self.origin.sha("refs/tags/" + t)
        runs = []
        if knob is None:
            rx = re.compile(r"^(?:.*?)v?(\d+)\.(\d+)\.(\d+)$")
            release_tags = []
            for t in tags:
                m = rx.match(t)
                if m and not re.search(r"\d+\.\d+\.\d+-", t):
                    release_tags.append((tuple(int(x) for x in m.groups()), t))
            release_tags.sort()
            for k, (_v, t) in enumerate(release_tags, start=1):
                runs.append({"databaseId": 1000 + k, "headBranch": t})
        else:
            for i, r in enumerate(knob):
                runs.append(dict(r, databaseId=r.get("databaseId", 2000 + i)))
        full = []
        for r in runs:
            rid = r["databaseId"]
            head = r.get("headBranch", "")
            sha = r.get("headSha") or tag_shas.get(head) or self.origin.branch_sha(head) or ""
            status = r.get("status", "completed")
            conclusion = r.get("conclusion", "success" if status == "completed" else "")
            if str(rid) in done:
                status, conclusion = "completed", done[str(rid)]
            wf = r.get("workflowName", "release.yml")
            full.append({
                "databaseId": rid, "number": r.get("number", rid - 999), "workflowName": wf,
                "workflowFile": r.get("workflowFile", wf if wf.endswith((".yml", ".yaml")) else ""),
                "workflowDatabaseId": r.get("workflowDatabaseId", 77),
                "name": r.get("name", wf), "headBranch": head, "headSha": sha,
                "displayTitle": r.get("displayTitle", self.origin.subject(sha) if sha else head),
                "event": r.get("event", "push"), "status": status, "conclusion": conclusion,
                "createdAt": r.get("createdAt", now_iso()), "startedAt": r.get("startedAt", now_iso()),
                "updatedAt": r.get("updatedAt", now_iso()),
                "url": r.get("url", "%s/actions/runs/%d" % (self.html, rid)),
                "jobs": r.get("jobs"),
            })
        full.sort(key=lambda r: r["databaseId"], reverse=True)
        return full

    def run_value(self, r, f):
        if f == "jobs":
            if r["jobs"] is not None:
                return r["jobs"]
            return [{
                "completedAt": r["updatedAt"], "conclusion": r["conclusion"], "databaseId": r["databaseId"] * 10,
                "name": "publish", "startedAt": r["startedAt"], "status": r["status"],
                "steps": [{"conclusion": r["conclusion"], "name": "cargo publish", "number": 1, "status": r["status"]}],
                "url": "%s/job/%d" % (r["url"], r["databaseId"] * 10),
            }]
        return r[f]

    def find_run(self, rid_text):
        if not re.fullmatch(r"\d+", rid_text):
            raise GhExit(1, 'invalid run ID "%s"' % rid_text)
        for r in self.runs():
            if r["databaseId"] == int(rid_text):
                return r
        raise GhExit(
            1, "HTTP 404: Not Found (https://api.github.com/repos/%s/actions/runs/%s)" % (self.slug, rid_text)
        )

    def run_list(self):
        self.require_repo()
        if self.pos:
            raise GhExit(1, 'unknown argument "%s"' % self.pos[0])
        runs = self.runs()
        wf = self.flags.get("workflow")
        if wf is not None:
            known = {"release.yml", "ci.yml", "CI", "Release"}
            for r in runs:
                known |= {r["workflowName"], r["workflowFile"], os.path.basename(r["workflowFile"])}
            if wf not in known:
                raise GhExit(1, "could not find any workflows named %s" % wf)

            def matches(r):
                return wf in (r["workflowName"], r["workflowFile"], os.path.basename(r["workflowFile"]))

            runs = [r for r in runs if matches(r)]
        if self.flags.get("branch") is not None:
            runs = [r for r in runs if r["headBranch"] == self.flags.get("branch")]
        runs = runs[: self.flags.get("limit", 20)]
        fields = self.flags.get("json")
        if fields is None:
            if not runs:
                raise GhExit(1, "no runs found")
            for r in runs:
                out("%s\t%s\t%s\t%s\t%s\t%s\t%d\t1m0s\t1m\n" % (
                    r["status"], r["conclusion"], r["displayTitle"], r["workflowName"], r["headBranch"],
                    r["event"], r["databaseId"]))
            return 0
        check_json_fields(fields, RUN_LIST_FIELDS)
        emit_json([{f: self.run_value(r, f) for f in fields} for r in runs], self.flags, self.argv)
        return 0

    def run_watch(self):
        if not self.pos:
            raise GhExit(1, "run ID required when not running interactively\n\n" + USAGE[self.sub] + "\n")
        if len(self.pos) > 1:
            raise GhExit(1, "accepts at most 1 arg(s), received %d" % len(self.pos))
        self.require_repo()
        r = self.find_run(self.pos[0])
        if r["status"] == "completed":
            out("Run %s (%d) has already completed with '%s'\n" % (r["workflowName"], r["databaseId"], r["conclusion"]))
        else:
            knob = [k for k in (self.knobs.get("runs") or []) if k.get("databaseId") == r["databaseId"]]
            conclusion = (knob[0].get("conclusion") if knob else None) or "success"
            done = self.state.load("runs.json", {})
            done[str(r["databaseId"])] = conclusion
            self.state.save("runs.json", done)
            r["conclusion"] = conclusion
            icon = "\u2713" if conclusion == "success" else "X"
            out("\n%s Run %s (%d) completed with '%s'\n" % (icon, r["workflowName"], r["databaseId"], conclusion))
        if r["conclusion"] != "success" and self.flags.get("exit-status"):
            return 1
        return 0

    def run_view(self):
        if not self.pos and not self.flags.has("job"):
            raise GhExit(1, "run or job ID required when not running interactively\n\n" + USAGE[self.sub] + "\n")
        if len(self.pos) > 1:
            raise GhExit(1, "accepts at most 1 arg(s), received %d" % len(self.pos))
        self.require_repo()
        if self.flags.has("web") or self.flags.has("job"):
            raise unsupported(self.argv, "--web/--job")
        r = self.find_run(self.pos[0])
        fields = self.flags.get("json")
        failed = r["status"] == "completed" and r["conclusion"] not in ("success", "skipped", "neutral")
        if fields is not None:
            check_json_fields(fields, RUN_VIEW_FIELDS)
            emit_json({f: self.run_value(r, f) for f in fields}, self.flags, self.argv)
        elif self.flags.get("log-failed") or self.flags.get("log"):
            if self.flags.get("log") or failed:
                out("publish\tcargo publish\t%s error: failed to publish to registry\n" % r["updatedAt"])
        else:
            out("%s %s \u00b7 %d\nTriggered via %s about 1 minute ago\n\nJOBS\n%s publish in 1m0s (ID %d)\n" % (
                "X" if failed else "\u2713", r["headBranch"], r["databaseId"], r["event"],
                "X" if failed else "\u2713", r["databaseId"] * 10))
        if failed and self.flags.get("exit-status"):
            return 1
        return 0

    def release_delete(self):
        if len(self.pos) != 1:
            raise GhExit(1, "accepts 1 arg(s), received %d" % len(self.pos))
        self.require_repo()
        tag = self.pos[0]
        rel = self.state.load("releases.json", {"deleted": []})
        knob = self.knobs.get("releases")
        if knob is None:
            tags = set(self.origin.tags())
            existing = [r["headBranch"] for r in self.runs() if r["headBranch"] in tags]
        else:
            existing = list(knob)
        deleted = [d["tag"] for d in rel["deleted"]]
        if tag not in existing or tag in deleted:
            raise GhExit(1, "release not found")
        cleanup = bool(self.flags.get("cleanup-tag"))
        rel["deleted"].append({"tag": tag, "cleanup_tag": cleanup, "yes": bool(self.flags.get("yes"))})
        self.state.save("releases.json", rel)
        if cleanup and self.origin.sha("refs/tags/" + tag):
            git_out(["update-ref", "-d", "refs/tags/" + tag], git_dir=self.origin.path)
        if is_tty():
            err("\u2713 Deleted release %s" % tag)
            if not cleanup:
                err("! Note that the %s git tag still remains in the repository" % tag)
        return 0

    def release_edit(self):
        if len(self.pos) != 1:
            raise GhExit(1, "accepts 1 arg(s), received %d" % len(self.pos))
        self.require_repo()
        tag = self.pos[0]
        rel = self.state.load("releases.json", {"deleted": []})
        knob = self.knobs.get("releases")
        if knob is None:
            tags = set(self.origin.tags())
            existing = [r["headBranch"] for r in self.runs() if r["headBranch"] in tags]
        else:
            existing = list(knob)
        if tag not in existing or tag in [d["tag"] for d in rel["deleted"]]:
            raise GhExit(1, "release not found")
        edit = {"tag": tag}
        if self.flags.get("latest") is not None:
            edit["latest"] = bool(self.flags.get("latest"))
        rel.setdefault("edited", []).append(edit)
        self.state.save("releases.json", rel)
        print("https://github.com/%s/releases/tag/%s" % (self.cfg["owner"] + "/" + self.cfg["repo"], tag))
        return 0

    # --- gh api -----------------------------------------------------------------------------------

    def api(self):
        if len(self.pos) != 1:
            raise GhExit(1, "accepts 1 arg(s), received %d" % len(self.pos))
        f = self.flags
        if f.get("paginate") and f.has("input"):
            raise GhExit(1, "the `--paginate` option is not supported with `--input`\n\n" + USAGE[self.sub] + "\n")
        if sum(bool(x) for x in (f.get("silent"), f.get("jq") is not None, f.get("template") is not None)) > 1:
            raise GhExit(1, "only one of `--template`, `--jq`, or `--silent` may be used\n\n" + USAGE[self.sub] + "\n")
        if f.get("hostname") not in (None, "github.com"):
            raise unsupported(self.argv, "--hostname")
        path = self.pos[0]
        params = {}
        for raw in f.get("raw-field") or []:
            if "=" not in raw:
                raise GhExit(1, "field %s requires a value separated by an '=' sign" % json.dumps(raw))
            k, _, v = raw.partition("=")
            params[k] = v
        for raw in f.get("field") or []:
            if "=" not in raw:
                raise GhExit(1, "field %s requires a value separated by an '=' sign" % json.dumps(raw))
            k, _, v = raw.partition("=")
            if v.startswith("@"):
                params[k] = self.read_body_file(v[1:])
            elif re.fullmatch(r"[+-]?\d+", v):
                params[k] = int(v)
            elif v in ("true", "false"):
                params[k] = v == "true"
            elif v == "null":
                params[k] = None
            else:
                params[k] = self.fill(v)
        path = self.fill(path)
        method = (f.get("method") or "GET").upper()
        if not f.has("method") and (params or f.has("input")):
            method = "POST"
        for prefix in ("https://api.github.com/", "/"):
            if path.startswith(prefix):
                path = path[len(prefix):]
        path = path.split("?", 1)[0].rstrip("/")
        body = None
        if f.has("input"):
            text = self.read_body_file(f.get("input"))
            try:
                body = json.loads(text)
            except ValueError:
                return self.api_answer(400, {"message": "Problems parsing JSON",
                                             "documentation_url": "https://docs.github.com/rest"})
        elif params and method != "GET":
            body = params
        return self.api_route(method, path, body)

    def fill(self, text):
        if not re.search(r"\{(owner|repo|branch)\}|:(owner|repo|branch)\b", text):
            return text
        try:
            self.require_repo()
        except GhExit as e:
            raise GhExit(1, "unable to expand placeholder in path: " + e.stderr.strip())

        def sub(m):
            name = m.group(1) or m.group(2)
            if name == "owner":
                return self.owner
            if name == "repo":
                return self.repo
            return self.current_branch()

        return re.sub(r"\{(owner|repo|branch)\}|:(owner|repo|branch)\b", sub, text)

    def api_answer(self, status, value):
        headers = {
            200: "200 OK", 201: "201 Created", 204: "204 No Content", 400: "400 Bad Request",
            401: "401 Unauthorized", 403: "403 Forbidden", 404: "404 Not Found",
            422: "422 Unprocessable Entity", 500: "500 Internal Server Error",
        }
        if self.flags.get("include"):
            out("HTTP/2.0 %s\r\nContent-Type: application/json; charset=utf-8\r\n\r\n" % headers.get(status, str(status)))
        if status == 204:
            return 0
        if not self.flags.get("silent"):
            if self.flags.get("jq") is not None and status < 400:
                out(jq(value, self.flags.get("jq"), self.argv))
            elif self.flags.get("template") is not None:
                raise unsupported(self.argv, "--template")
            else:
                out(dumps(value))
        if status >= 400:
            message = value.get("message") if isinstance(value, dict) else None
            if not message and isinstance(value, dict) and value.get("errors"):
                message = "\n".join(e.get("message", "") if isinstance(e, dict) else str(e) for e in value["errors"])
            if message:
                err("gh: %s (HTTP %d)" % (message, status))
            else:
                err("gh: HTTP %d" % status)
            return 1
        return 0

    def api_route(self, method, path, body):
        parts = path.split("/")
        if len(parts) >= 3 and parts[0] == "repos":
            if ("%s/%s" % (parts[1], parts[2])).lower() != self.slug.lower():
                return self.api_answer(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})
            rest = parts[3:]
            if not rest and method == "GET":
                return self.api_answer(200, {
                    "id": 1, "name": self.repo, "full_name": self.slug, "private": False,
                    "html_url": self.html, "default_branch": self.cfg["default_branch"],
                    "owner": {"login": self.owner},
                })
            if rest and rest[0] == "security-advisories":
                return self.api_advisories(method, rest[1:], body)
            if rest == ["releases", "latest"] and method == "GET":
                return self.api_latest_release()
        raise unsupported(self.argv, "%s %s" % (method, path))

    def api_latest_release(self):
        """GET repos/O/R/releases/latest: the last release marked `--latest`, else the highest
        release by semver not marked `--latest=false` (the real GitHub's rule for the old holder is
        undocumented; the emulator's `unset_latest` knob varies it)."""
        rel = self.state.load("releases.json", {"deleted": []})
        knob = self.knobs.get("releases")
        if knob is None:
            tags = set(self.origin.tags())
            existing = [r["headBranch"] for r in self.runs() if r["headBranch"] in tags]
        else:
            existing = list(knob)
        deleted = [d["tag"] for d in rel["deleted"]]
        existing = [t for t in existing if t not in deleted]
        marked = [e["tag"] for e in rel.get("edited", []) if e.get("latest") is True and e["tag"] in existing]
        unset = {e["tag"] for e in rel.get("edited", []) if e.get("latest") is False}

        def key(tag):
            m = re.match(r"^\D*(\d+)\.(\d+)\.(\d+)$", tag)
            return tuple(int(x) for x in m.groups()) if m else (-1,)

        if marked:
            latest = marked[-1]
        else:
            cands = [t for t in existing if t not in unset and key(t) != (-1,)]
            latest = max(cands, key=key) if cands else None
        if latest is None:
            return self.api_answer(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest/releases/releases#get-the-latest-release"})
        return self.api_answer(200, {"tag_name": latest, "name": latest, "draft": False, "prerelease": False,
                                     "html_url": "https://github.com/%s/releases/tag/%s" % (self.slug, latest)})

    def api_advisories(self, method, rest, body):
        advisories = self.state.load("advisories.json", [])
        docs = "https://docs.github.com/rest/security-advisories/repository-advisories"
        status = self.knobs.get("advisory_status")
        if method in ("POST", "PATCH") and status is not None and int(status) >= 400:
            messages = {401: "Bad credentials", 403: "Resource not accessible by integration", 404: "Not Found",
                        422: "Validation Failed", 500: "Server Error"}
            return self.api_answer(int(status), {"message": messages.get(int(status), "Error"), "documentation_url": docs})
        if not rest and method == "GET":
            return self.api_answer(200, [a["response"] for a in advisories])
        if not rest and method == "POST":
            problem = self.validate_advisory(body, creating=True)
            if problem:
                return self.api_answer(422, {"message": problem, "documentation_url": docs})
            n = len(advisories) + 1
            digest = hashlib.sha256(("advisory-%d" % n).encode()).digest()
            letters = "".join(GHSA_ALPHABET[b % len(GHSA_ALPHABET)] for b in digest[:12])
            ghsa = "GHSA-%s-%s-%s" % (letters[:4], letters[4:8], letters[8:12])
            response = self.advisory_response(ghsa, body, "draft")
            advisories.append({"ghsa_id": ghsa, "request": body, "response": response, "cwd": os.getcwd()})
            self.state.save("advisories.json", advisories)
            return self.api_answer(201, response)
        if len(rest) == 1:
            for a in advisories:
                if a["ghsa_id"].lower() == rest[0].lower():
                    if method == "GET":
                        return self.api_answer(200, a["response"])
                    if method == "PATCH":
                        problem = self.validate_advisory(body, creating=False)
                        if problem:
                            return self.api_answer(422, {"message": problem, "documentation_url": docs})
                        merged = dict(a["response"])
                        merged.update(body)
                        a.setdefault("updates", []).append(body)
                        a["response"] = self.advisory_response(a["ghsa_id"], merged, merged.get("state", "draft"))
                        self.state.save("advisories.json", advisories)
                        return self.api_answer(200, a["response"])
            return self.api_answer(404, {"message": "Not Found", "documentation_url": docs})
        raise unsupported(self.argv, "%s security-advisories/%s" % (method, "/".join(rest)))

    def validate_advisory(self, body, creating):
        if not isinstance(body, dict):
            return "Invalid request.\n\nInvalid input: object expected."
        strings = ("summary", "description", "cvss_vector_string", "severity", "cve_id")
        if creating:
            for key in ("summary", "description", "vulnerabilities"):
                if key not in body:
                    return 'Invalid request.\n\n"%s" wasn\'t supplied.' % key
        for key in strings:
            if key in body and body[key] is not None and not isinstance(body[key], str):
                return "Invalid request.\n\nFor 'properties/%s', %s is not a string." % (key, json.dumps(body[key]))
        if "vulnerabilities" in body:
            vulns = body["vulnerabilities"]
            if not isinstance(vulns, list):
                return "Invalid request.\n\nFor 'properties/vulnerabilities', %s is not an array." % json.dumps(vulns)
            for v in vulns:
                if not isinstance(v, dict) or not isinstance(v.get("package"), dict):
                    return 'Invalid request.\n\n"package" wasn\'t supplied.'
                eco = v["package"].get("ecosystem")
                if eco not in ADVISORY_ECOSYSTEMS:
                    return "Invalid request.\n\nFor 'properties/ecosystem', %s is not one of %s." % (
                        json.dumps(eco), json.dumps(ADVISORY_ECOSYSTEMS))
        sev, cvss = body.get("severity"), body.get("cvss_vector_string")
        if sev is not None and sev not in ("critical", "high", "medium", "low"):
            return "Invalid request.\n\nFor 'properties/severity', %s is not one of [\"critical\", \"high\", \"medium\", \"low\"]." % json.dumps(sev)
        if creating and sev is None and cvss is None:
            return "Validation Failed: severity or cvss_vector_string must be set"
        if sev is not None and cvss is not None:
            return "Validation Failed: cannot set both severity and cvss_vector_string"
        return None

    def advisory_response(self, ghsa, body, state):
        return {
            "ghsa_id": ghsa, "cve_id": body.get("cve_id"),
            "url": "https://api.github.com/repos/%s/security-advisories/%s" % (self.slug, ghsa),
            "html_url": "%s/security/advisories/%s" % (self.html, ghsa),
            "summary": body.get("summary"), "description": body.get("description"),
            "severity": body.get("severity") or ("high" if body.get("cvss_vector_string") else None),
            "author": {"login": LOGIN}, "publisher": None,
            "identifiers": [{"value": ghsa, "type": "GHSA"}], "state": state,
            "created_at": now_iso(), "updated_at": now_iso(), "published_at": None, "closed_at": None,
            "withdrawn_at": None, "submission": None, "vulnerabilities": body.get("vulnerabilities", []),
            "cvss": {"vector_string": body.get("cvss_vector_string"), "score": None},
            "cwes": [], "cwe_ids": body.get("cwe_ids", []), "credits": body.get("credits", []),
            "credits_detailed": [], "collaborating_users": None, "collaborating_teams": None,
            "private_fork": None,
        }


COMMANDS = {
    "auth status": Call.auth_status,
    "repo view": Call.repo_view,
    "label list": Call.label_list,
    "label create": Call.label_create,
    "pr list": Call.pr_list,
    "pr create": Call.pr_create,
    "pr view": Call.pr_view,
    "pr checks": Call.pr_checks,
    "pr merge": Call.pr_merge,
    "run list": Call.run_list,
    "run watch": Call.run_watch,
    "run view": Call.run_view,
    "release delete": Call.release_delete,
    "release edit": Call.release_edit,
    "api": Call.api,
}


def injected_failure(argv, state):
    rules = state.knobs.get("fail") or []
    if not rules:
        return None
    joined = " ".join(argv)
    counters = state.load("counters.json", {})
    used = counters.setdefault("fail", {})
    for i, rule in enumerate(rules):
        match = rule.get("match", "")
        if match not in joined:
            continue
        key = "%d:%s" % (i, match)
        times = rule.get("times", 1)
        if times >= 0 and used.get(key, 0) >= times:
            continue
        used[key] = used.get(key, 0) + 1
        state.save("counters.json", counters)
        return GhExit(rule.get("code", 1), rule.get("stderr", "gh stand-in: injected failure"), rule.get("stdout", ""))
    return None


def run(argv, state):
    injected = injected_failure(argv, state)
    if injected:
        raise injected
    if argv and argv[0] == "api":
        sub, rest = "api", argv[1:]
    elif len(argv) >= 2 and " ".join(argv[:2]) in COMMANDS:
        sub, rest = " ".join(argv[:2]), argv[2:]
    else:
        raise unsupported(argv)
    try:
        flags, positional = parse_flags(sub, rest)
    except FlagError as e:
        if str(e) == "flag needs an argument: --json" and sub in JSON_FIELDS:
            raise GhExit(1, "Specify one or more comma-separated fields for `--json`:\n%s"
                         % "\n".join("  " + f for f in sorted(JSON_FIELDS[sub])))
        raise GhExit(1, "%s\n\n%s\n" % (e, USAGE[sub]))
    if flags.get("help"):
        out(USAGE[sub] + "\n")
        return 0
    knobs = state.knobs
    if sub != "auth status" and not knobs.get("logged_in", True):
        raise GhExit(4, NOT_LOGGED_IN)
    call = Call(argv, sub, flags, positional, state)
    return COMMANDS[sub](call)


def delay_for(argv, state):
    """The seconds this call must sleep first (the `delay` knob), counting the rule's use."""
    rules = state.knobs.get("delay") or []
    if not rules:
        return 0
    joined = " ".join(argv)
    with open(state.file(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        counters = state.load("counters.json", {})
        used = counters.setdefault("delay", {})
        for i, rule in enumerate(rules):
            match = rule.get("match", "")
            if match not in joined:
                continue
            key = "%d:%s" % (i, match)
            times = rule.get("times", -1)
            if times >= 0 and used.get(key, 0) >= times:
                continue
            used[key] = used.get(key, 0) + 1
            state.save("counters.json", counters)
            seconds = float(rule.get("seconds", 30))
            with open(state.file("delays.jsonl"), "a", encoding="utf-8") as log:
                log.write(json.dumps({"argv": argv, "pid": os.getpid(), "seconds": seconds},
                                     ensure_ascii=False) + "\n")
            return seconds
    return 0


def sleep_unless_orphaned(seconds):
    """Sleeps; returns False as soon as the parent process is gone."""
    parent = os.getppid()
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return True
        time.sleep(min(left, 0.05))
        if os.getppid() != parent:
            return False


def dump_flags():
    table = {}
    for sub in USAGE:
        table[sub] = [
            {"long": s.long, "short": s.short, "value": s.takes_value, "kind": s.kind, "choices": s.choices}
            for s in flag_table(sub) if s.long != "help"
        ]
    out(json.dumps(table, indent=2) + "\n")


def main():
    argv = sys.argv[1:]
    if os.environ.get("GH_STANDIN_DUMP_FLAGS"):
        dump_flags()
        return 0
    state = State(state_dir())
    if argv == ["--version"]:
        # Like gh; not logged in calls.jsonl (preflight asks at every start).
        version = state.knobs.get("version", "2.23.0")
        out("gh version %s (2023-02-08)\nhttps://github.com/cli/cli/releases/tag/v%s\n" % (version, version))
        return 0
    seconds = delay_for(argv, state)
    if seconds > 0 and not sleep_unless_orphaned(seconds):
        return 129
    with open(state.file(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        code = 1
        try:
            try:
                code = run(argv, state)
            except GhExit as e:
                if e.stdout:
                    out(e.stdout)
                if e.stderr:
                    err(e.stderr)
                code = e.code
            except Exception as e:  # a bug in the stand-in: say so loudly
                err("gh stand-in: internal error: %r" % (e,))
                code = 99
        finally:
            with open(state.file("calls.jsonl"), "a", encoding="utf-8") as log:
                log.write(json.dumps({"argv": argv, "cwd": os.getcwd(), "exit": code}, ensure_ascii=False) + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# Whole-process measurements of caro-hotfix; the results and how to read them are in
# docs/performance.md. Each section is one command:
#
#   benches/run.sh machine     the machine the numbers come from
#   benches/run.sh micro       cargo bench --bench hot_paths (tags, bump, CHANGELOG, SECURITY.md)
#   benches/run.sh startup     caro-hotfix --version and --help (hyperfine), release binary size
#   benches/run.sh tags        git's own tag commands on the 10 / 1 000 / 10 000-tag repositories
#   benches/run.sh whole       the real sixteen steps at --poll-interval 0: overhead, index bytes
#   benches/run.sh contended   the same while two busy loops compete for two cores (not in `all`)
#   benches/run.sh bump        the sixteen steps and the fire drill over a 300-member workspace
#   benches/run.sh rehearsal   the rehearsal's test step, cold and warm
#   benches/run.sh lines       one incident on 1, 2 and 3 release lines: local time and its ratio
#   benches/run.sh lines-deps  the same on a crate with real dependencies, cold (no target/) and warm
#                              (main's tests and package built first); offline, from the cargo cache
#   benches/run.sh exposure    the exposure window of a two-line hotfix with and without the embargo's
#                              private phase: the real gh, the GitHub emulator, the test registry (not in
#                              `all`: about a minute; needs /usr/bin/gh)
#   benches/run.sh all         everything above, in that order (about 2 minutes on 2 cores, once built)
#
# Needs git, cargo, curl, python3 (3.11+); hyperfine when installed (`apt-get install hyperfine`),
# else a plain loop with `date +%s%N`. Nothing here judges a number, and no test depends on it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release/caro-hotfix
FIXTURES=${CARO_HOTFIX_BENCH_DIR:-$TARGET/bench-fixtures}
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

release_binary() {
  [[ -x $BIN && -z ${REBUILD:-} ]] || cargo build --release --locked --quiet
}

# time_cmd RUNS CMD...: hyperfine without a shell, or a loop printing the mean in ms.
time_cmd() {
  local runs=$1
  shift
  if command -v hyperfine >/dev/null; then
    hyperfine --shell=none --warmup 5 --runs "$runs" --style basic "$@"
  else
    local cmd
    for cmd in "$@"; do
      local start end
      start=$(date +%s%N)
      for ((i = 0; i < runs; i++)); do $cmd >/dev/null 2>&1 || true; done
      end=$(date +%s%N)
      echo "$cmd: mean $(((end - start) / runs / 1000)) us over $runs runs"
    done
  fi
}

machine() {
  echo "## Machine"
  echo "cores: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB; kernel: $(uname -r)"
  echo "$(git --version); $(cargo --version); $(rustc --version); $(curl --version | head -1 | cut -d' ' -f1-2)"
  command -v hyperfine >/dev/null && hyperfine --version || echo "hyperfine: not installed"
}

micro() {
  echo "## cargo bench --bench hot_paths"
  cargo bench --locked --bench hot_paths
}

startup() {
  release_binary
  echo "## Startup and size"
  time_cmd 200 "$BIN --version" "$BIN --help"
  echo "release binary: $(stat -c %s "$BIN") bytes ($(du -h "$BIN" | cut -f1)) at $BIN"
}

tags() {
  # The repositories are made by the micro benchmark (git fast-import) and kept.
  [[ -e $FIXTURES/tags-10000/.complete ]] || cargo bench --locked --bench hot_paths -- git_describe
  echo "## git on the tag repositories (the tool's own selection is tags::tool_selection in micro)"
  local n
  for n in 10 1000 10000; do
    echo "### $n tags"
    (cd "$FIXTURES/tags-$n" && time_cmd 40 "git tag --list" "git tag --sort=-v:refname" \
      "git describe --tags --abbrev=0")
  done
}

whole() {
  release_binary
  python3 benches/whole_run.py run --bin "$BIN" --members 1 --repeat 10
}

contended() {
  release_binary
  local pids=() i
  for ((i = 0; i < 2; i++)); do
    (while :; do :; done) &
    pids+=($!)
  done
  python3 benches/whole_run.py run --bin "$BIN" --members 1 --repeat 8 || true
  kill "${pids[@]}"
}

bump() {
  release_binary
  python3 benches/whole_run.py run --bin "$BIN" --members 300 --repeat 3
  python3 benches/whole_run.py drill --bin "$BIN" --members 1 --repeat 3
  python3 benches/whole_run.py drill --bin "$BIN" --members 300 --repeat 3
}

rehearsal() {
  release_binary
  python3 benches/whole_run.py rehearsal --bin "$BIN"
}

lines() {
  release_binary
  python3 benches/whole_run.py lines --bin "$BIN" --lines 1 2 3 --repeat "${REPEAT:-5}"
}

lines_deps() {
  release_binary
  python3 benches/whole_run.py lines --bin "$BIN" --deps --lines 1 2 3 --repeat "${REPEAT:-4}"
  python3 benches/whole_run.py lines --bin "$BIN" --deps --warm --lines 1 2 3 --repeat "${REPEAT:-4}"
}

exposure() {
  echo "## exposure window (tests/testsuite/embargo.rs exposure_window_bench)"
  cargo test --locked --test testsuite embargo::exposure_window_bench -- --ignored --nocapture 2>&1 |
    grep -E '^\||^CI '
}

case ${1:-all} in
  machine) machine ;;
  micro) micro ;;
  startup) startup ;;
  tags) tags ;;
  whole) whole ;;
  contended) contended ;;
  bump) bump ;;
  rehearsal) rehearsal ;;
  lines) lines ;;
  lines-deps) lines_deps ;;
  exposure) exposure ;;
  all) machine; micro; startup; tags; whole; bump; rehearsal; lines ;;
  *) echo "usage: $0 [machine|micro|startup|tags|whole|contended|bump|rehearsal|lines|lines-deps|exposure|all]" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Uncached item pages: this build against an earlier commit's (BASELINE_REV, default 94d6ff3: before issue #11's
# page work), both release builds, in one run (wrk). The earlier build is made once in a worktree under bench/work.
set -euo pipefail
cd "$(dirname "$0")/../.."
rev=${BASELINE_REV:-94d6ff3}
swift build -c release --product civic
tools/install-deps.sh wrk
worktree=bench/work/baseline-$rev
[ -d "$worktree" ] || git worktree add --detach "$worktree" "$rev"
(cd "$worktree" && swift build -c release --product civic)
python3 bench/pages/run.py --baseline "$worktree/.build/release/civic" "$@"

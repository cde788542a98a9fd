#!/usr/bin/env sh
# pre-commit hook (seaworthy-synth-drift): re-synthesizes the cdk8s app and fails when the
# committed manifests differ from what the code produces. Usage: synth-drift.sh [DIR] (default dist).
set -eu
dir="${1:-dist}"
npm run -s synth >/dev/null
if [ -n "$(git status --porcelain -- "$dir")" ]; then
  echo "seaworthy: $dir/ differs from what the app synthesizes; stage the regenerated files:" >&2
  git status --porcelain -- "$dir" >&2
  exit 1
fi

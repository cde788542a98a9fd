#!/usr/bin/env bash
# Packs seaworthy, installs the tarball (never a path or workspace link) into a temporary copy of
# examples/app-repo, and runs the example's own synth and tests there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarball="$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -1)"
mkdir -p "$work/examples"
cp -R "$root/examples/app-repo" "$work/examples/app-repo"
mv "$work/$tarball" "$work/seaworthy.tgz"
cd "$work/examples/app-repo"
rm -rf node_modules lib dist
npm install --no-audit --no-fund --loglevel=error
start=$(date +%s%N)
npm run -s synth
end=$(date +%s%N)
echo "example synth: $(( (end - start) / 1000000 )) ms; tarball: $(du -k "$work/seaworthy.tgz" | cut -f1) KiB"
test -s dist/cloud/checkout.k8s.yaml
test -s dist/onprem/checkout.k8s.yaml
npx --no-install seaworthy audit dist/cloud --kubernetes-version 1.35 --fail-on error
npx --no-install seaworthy audit dist/onprem --kubernetes-version 1.28 --fail-on error
# The report from the tarball: Graphviz's WebAssembly ships inside @viz-js/viz, nothing is fetched.
npx --no-install seaworthy report dist/cloud --kubernetes-version 1.35 -o "$work/report.html"
grep -q 'class="traffic' "$work/report.html" && grep -q '<title>seaworthy report</title>' "$work/report.html"
npx --no-install tsc --noEmit
if [ "${UPDATE_EXAMPLE_SNAPSHOT:-}" = "1" ]; then
  # Writes the snapshot the first time (or on purpose) and copies it back into the repository.
  npx --no-install jest --ci=false -u
  mkdir -p "$root/examples/app-repo/test/__snapshots__"
  cp test/__snapshots__/* "$root/examples/app-repo/test/__snapshots__/"
else
  npx --no-install jest --ci
fi

# seaworthy diff as the app repo's pull-request gate: dist/ committed as released, then a change
# (a new checkout-api image) synthesized and committed; `diff --base HEAD~1 dist` must say the
# Pods of both Deployments that run the image restart, and nothing is refused.
printf 'node_modules/\nlib/\n*.tgz\n' > .gitignore
git init -q
commit() { git add -A && git -c user.name=ci -c user.email=ci@example.invalid commit -qm "$1"; }
commit "dist as released"
sed -i 's#ghcr.io/acme/checkout-api:3.2.1#ghcr.io/acme/checkout-api:3.3.0#g' main.ts
npm run -s synth
commit "checkout-api 3.3.0"
npx --no-install seaworthy diff --base HEAD~1 dist --format markdown --fail-on error | tee diff.md
grep -q 'SW-DIFF-020.*Deployment/checkout/checkout-api' diff.md
grep -q 'SW-DIFF-020.*Deployment/checkout/checkout-worker' diff.md
if grep -q 'Will be rejected' diff.md; then echo "example diff: unexpected rejection" >&2; exit 1; fi
echo "example seaworthy diff --base HEAD~1 dist: ok"

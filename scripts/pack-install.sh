#!/bin/sh
# Installs the built project into APP_DIR the way it ships: `npm pack` (exactly the files that
# package.json's "files" lists), the tarball unpacked into APP_DIR, then only the runtime
# dependencies, at the lockfile's versions (`npm ci --omit=dev`). The Dockerfile and
# test/install/production-install.test.ts both run this script, so the image and the test share
# one layout: APP_DIR/bin/run.js, APP_DIR/dist, APP_DIR/node_modules without devDependencies.
# Usage (after `npm run build`): scripts/pack-install.sh APP_DIR
set -eu
app_dir=${1:?usage: scripts/pack-install.sh APP_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
(cd "$root" && npm pack --silent --pack-destination "$work" >/dev/null)
mkdir -p "$app_dir"
tar -xzf "$work"/*.tgz -C "$app_dir" --strip-components=1
cp "$root/package-lock.json" "$app_dir/"
cd "$app_dir"
npm ci --omit=dev --no-audit --no-fund --prefer-offline

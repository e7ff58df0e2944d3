#!/usr/bin/env bash
# One-command setup (README) on a fresh Debian 12 / Ubuntu machine, run as your
# normal user from a checkout:
#
#   scripts/setup.sh
#
# 1. installs the host packages tspod and its tests need (scripts/host-packages.txt;
#    sudo apt-get, only those missing);
# 2. checks Node >= 20 and your subordinate uid/gid ranges (prints the fix);
# 3. npm ci && npm run build;
# 4. starts the demo registry on 127.0.0.1:5000 seeded with busybox
#    (scripts/local-registry.mjs; stop it with `npm run registry -- --stop`);
# 5. pulls the image and runs `echo hello` in it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
say() { printf '%ssetup:%s %s\n' "$bold" "$plain" "$*"; }
die() {
  printf 'setup: %s\n' "$*" >&2
  exit 1
}

[ "$(id -u)" != 0 ] || die "run this as your normal user, not root: tspod is rootless (packages are installed with sudo)"
me=$(id -un)

# --- 1. host packages -------------------------------------------------------
mapfile -t PACKAGES < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' scripts/host-packages.txt)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v sudo >/dev/null || die "missing packages (${missing[*]}) and no sudo: as root, run apt-get install ${missing[*]}"
  say "installing ${missing[*]}"
  sudo apt-get update
  sudo apt-get install -y "${missing[@]}"
else
  say "host packages: all present"
fi

# --- 2. node and subordinate ids --------------------------------------------
command -v node >/dev/null || die "Node.js >= 20 is required (Debian 12 ships 18: use NodeSource or nvm)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js $(node --version) is too old: tspod needs >= 20"

has_range() { grep -Eq "^($me|$(id -u)):[0-9]+:[0-9]+\$" "$1" 2>/dev/null; }
if ! has_range /etc/subuid || ! has_range /etc/subgid; then
  die "$me has no subordinate uid/gid range (rootless containers need one). Fix, then rerun:
    sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 $me
  (pick a range no other user in /etc/subuid and /etc/subgid uses)"
fi
say "subordinate ids: $(grep -E "^($me|$(id -u)):" /etc/subuid | head -1 | cut -d: -f2-) (uid), ok"
if [ ! -r /dev/net/tun ] || [ ! -w /dev/net/tun ]; then
  say "note: /dev/net/tun is not usable by $me, so containers get no network (slirp4netns). Fix: sudo chmod 666 /dev/net/tun"
fi

# --- 3. build -----------------------------------------------------------------
say "npm ci"
npm ci --no-audit --no-fund
say "npm run build"
npm run build

# --- 4. demo registry -------------------------------------------------------
say "starting the demo registry"
image=$(node scripts/local-registry.mjs)
say "demo image: $image"

# --- 5. try it ----------------------------------------------------------------
say "./bin/tspod pull $image"
./bin/tspod pull "$image"
say "./bin/tspod run --rm $image echo hello"
[ "$(./bin/tspod run --rm "$image" echo hello)" = hello ] || die "the container did not print hello"
say "hello from a rootless container"
say "done. Stop the demo registry with: npm run registry -- --stop"

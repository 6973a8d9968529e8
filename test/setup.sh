#!/usr/bin/env bash
# Sets up a fresh machine for keepalived-ts development: Debian packages the tests use
# (keepalived 2.2.7 as the reference implementation, iproute2/nftables/tcpdump for the
# namespace lab) and the npm dependencies, including the native addons.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for p in keepalived:keepalived ip:iproute2 nft:nftables tcpdump:tcpdump nginx:nginx openssl:openssl python3:python3 make:make g++:g++; do
  command -v "${p%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${p%%:*}" ] || need+=("${p##*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# keepalived and nginx packages start their services on some systems; the tests run them by hand.
(systemctl stop keepalived nginx 2>/dev/null || true)
npm ci --no-audit --no-fund
npm run build

#!/usr/bin/env bash
# install-peers.sh — install the peer FTP clients that ftpfs-bench measures
# against, from Debian's own packages (run as root on Debian 12):
#   python3-ftputil (ftputil, run with /usr/bin/python3), rclone, lftp, curl.
# Idempotent: packages already installed are left alone (never upgraded).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
want=(python3-ftputil rclone lftp curl)
missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
	exit 0
fi
echo "[install-peers] apt-get install ${missing[*]}" >&2
if ! apt-get install -y -qq --no-install-recommends --no-upgrade "${missing[@]}" >&2; then
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends --no-upgrade "${missing[@]}" >&2
fi

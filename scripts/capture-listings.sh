#!/usr/bin/env bash
# scripts/capture-listings.sh — rebuild the golden listing fixtures of the
# parsers package from real FTP daemons (see scripts/ftpd.sh).
#
# Usage (as root): [CAPTURE_SERVERS="..."] scripts/capture-listings.sh [OUTDIR]
#   OUTDIR defaults to parsers/testdata/listings next to this script.
#   CAPTURE_SERVERS defaults to "vsftpd pureftpd proftpd"; ftpd.sh's other
#   daemons are pyftpdlib, inetutils and bsdftpd (captured into
#   docs/listings-new/, not into parsers/testdata/listings, whose test
#   wants every capture there in its table).
#
# It starts the daemons with scripts/ftpd.sh if they are not running, builds
# the same tree `golden/` on each daemon's disk (vsftpd, pure-ftpd, proftpd),
# then captures with curl, byte for byte (CRLF kept):
#   <server>-list.txt     LIST  of /golden/          (curl default for a dir URL)
#   <server>-list-a.txt   LIST -a of /golden/        (kept only where it differs)
#   <server>-mlsd.txt     MLSD  of /golden/          (pure-ftpd, proftpd)
#   <server>-mlst.txt     raw control reply to MLST golden/four-k
#   <server>-mlst-link.txt raw control reply to MLST golden/link-to-file
#   <server>-feat.txt     raw control reply to FEAT (for the record)
# Each capture gets a sidecar <name>.now holding the capture instant in
# RFC 3339 UTC, taken right after the capture: the parsing clock for tests.
# It also writes <server>-tree.tsv: the tree as stat(2) sees it on disk
# (find -printf), the ground truth each listing line should parse to:
#   type(find %y)  mode(4 octal digits)  uid  gid  size(lstat)  mtime(unix s)  mtime(RFC 3339 UTC)  name  link-target
# Every mtime is a whole second.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$here/../parsers/testdata/listings}
mkdir -p "$out"
out=$(cd "$out" && pwd)
export TZ=UTC

command -v curl >/dev/null || { apt-get install -y -qq curl >&2 || { apt-get update -qq && apt-get install -y -qq curl; } >&2; }

if ! "$here/ftpd.sh" status >/dev/null 2>&1; then
	"$here/ftpd.sh" start >/dev/null
fi
eval "$("$here/ftpd.sh" env)"
PASS=${FTPFS_PASS:-ftpfs-Secret-42}

log() { printf '[capture] %s\n' "$*" >&2; }

# build_tree ROOT: (re)creates ROOT/golden. Times are UTC.
build_tree() {
	local root=$1 g=$1/golden
	local owner
	owner=$(stat -c %u:%g "$root")
	rm -rf "$g"
	mkdir -p "$g"
	cd "$g"

	# Reference time for "ordinary" entries: the start of the previous hour.
	local base
	base=$(date -u -d "$(date -u +%Y-%m-%dT%H:00:00Z) - 1 hour" +%Y-%m-%dT%H:%M:%SZ)

	# Regular files of several sizes.
	: >empty
	printf 'x' >one-byte
	head -c 4096 /dev/zero | tr '\0' 'a' >four-k
	truncate -s 4294967297 sparse-4g-plus-1 # 2^32 + 1 bytes, sparse
	# Directories.
	mkdir dir empty-dir
	printf 'inner\n' >dir/inner.txt
	# Awkward names.
	printf 'spaces\n' >'with inner spaces.txt'
	printf 'lead\n' >' leading-space'
	printf 'trail\n' >'trailing-space '
	printf 'lead2\n' >'  two-leading-spaces'
	printf 'e\n' >'café-é.txt'
	printf 'ja\n' >'日本語.txt'
	printf 'emoji\n' >'emoji-🎉.txt'
	printf 'arrow\n' >'arrow -> not-a-link'
	printf 'latin1\n' >$'latin1-\xe9.txt' # not valid UTF-8
	printf 'hidden\n' >.hidden
	# Symlinks.
	ln -s four-k link-to-file
	ln -s dir link-to-dir
	ln -s does-not-exist dangling
	ln -s loop-b loop-a
	ln -s loop-a loop-b
	ln -s 'with inner spaces.txt' link-spaces
	ln -s 'arrow -> not-a-link' link-to-arrow
	ln -s /golden/four-k link-absolute
	# Special modes (chown before chmod: chown clears set-id bits).
	local f
	for f in file-4755 file-2755 file-4644 file-2644 file-1666 mode-000; do printf '%s\n' "$f" >"$f"; done
	mkdir dir-1777 dir-2755 dir-1776
	mkfifo fifo
	printf 'other\n' >owned-1234-5678
	printf 'root\n' >owned-root
	# Dated files.
	for f in old-2005 recent future-5min future-months leap-2024-02-29 dec31-last-year; do printf '%s\n' "$f" >"$f"; done

	# Ownership, then modes, then times.
	chown -hR "$owner" "$g"
	chown 1234:5678 owned-1234-5678
	chown 0:0 owned-root
	chmod 4755 file-4755
	chmod 2755 file-2755 dir-2755
	chmod 4644 file-4644
	chmod 2644 file-2644
	chmod 1666 file-1666
	chmod 1777 dir-1777
	chmod 1776 dir-1776
	chmod 000 mode-000

	# Times: everything (links too, with -h) at $base, then the dated ones.
	find "$g" -mindepth 1 -exec touch -h -d "$base" {} +
	touch -d '2005-05-26 14:03' old-2005
	touch -d "$(date -u -d '-60 days' +%Y-%m-%d) 09:15" recent
	touch -d "@$(($(date +%s) + 300))" future-5min # whole seconds
	touch -d "$(date -u -d '+3 months' +%Y-%m-%d) 08:30" future-months
	touch -d '2024-02-29 12:34' leap-2024-02-29
	touch -d "$(($(date -u +%Y) - 1))-12-31 23:59" dec31-last-year
	touch -d "$base" "$g"
	cd - >/dev/null
}

write_tree_tsv() { # root file
	(
		cd "$1/golden"
		printf '# type\tmode\tuid\tgid\tsize\tmtime_unix\tmtime_utc\tname\tlink_target\n'
		find . -mindepth 1 -maxdepth 1 -printf '%y\t%m\t%U\t%G\t%s\t%T@\t%TY-%Tm-%TdT%TH:%TM:%TS\t%P\t%l\n' |
			awk -F'\t' -v OFS='\t' '{ $2 = sprintf("%04d", $2); sub(/\..*/, "", $6); sub(/\..*/, "Z", $7); print }' |
			LC_ALL=C sort -t $'\t' -k8
	) >"$2"
}

stamp() { date -u +%Y-%m-%dT%H:%M:%SZ >"$1.now"; }

# A minimal FTP client on bash's /dev/tcp, so that the stored bytes are
# exactly what the server sent. (curl is no good for this: it always lists
# in TYPE A and then turns CRLF into LF.) Control connection on fd 3, data
# connection on fd 4. Plain FTP, passive mode, TYPE A like real clients.
ctl_open() { # port
	exec 3<>"/dev/tcp/127.0.0.1/$1"
	ctl_expect 220 >/dev/null
	ctl_cmd "USER ftpfs" 331 >/dev/null
	ctl_cmd "PASS $PASS" 230 >/dev/null
}
ctl_close() {
	printf 'QUIT\r\n' >&3
	ctl_read >/dev/null || true
	exec 3<&- 3>&-
}
# ctl_read: one whole reply (multi-line aware), raw lines with their CR.
ctl_read() {
	local line buf="" code=""
	while IFS= read -r -t 10 line <&3; do
		buf+=$line$'\n'
		if [[ -z $code ]]; then
			code=${line:0:3}
			[[ $line =~ ^[0-9]{3}- ]] || break
		elif [[ $line == "$code "* ]]; then
			break
		fi
	done
	[[ -n $buf ]] || return 1
	printf '%s' "$buf"
}
ctl_expect() { # code
	local r
	r=$(ctl_read) || { log "no reply (wanted $1)"; return 1; }
	[[ $r == "$1"* ]] || { log "unexpected reply (wanted $1): ${r%%$'\r'*}"; return 1; }
	printf '%s' "$r"
}
ctl_cmd() { # command code
	printf '%s\r\n' "$1" >&3
	ctl_expect "$2"
}

# raw_data PORT DIR COMMAND FILE: CWD DIR, then stores the data-connection
# bytes of COMMAND (the way curl and most clients list: CWD, then LIST).
raw_data() {
	local port=$1 dir=$2 cmd=$3 file=$4 r hp
	ctl_open "$port"
	ctl_cmd "CWD $dir" 250 >/dev/null
	ctl_cmd "TYPE A" 200 >/dev/null
	r=$(ctl_cmd PASV 227)
	hp=$(sed -n 's/.*(\([0-9]*\),\([0-9]*\),\([0-9]*\),\([0-9]*\),\([0-9]*\),\([0-9]*\)).*/\1.\2.\3.\4 \5 \6/p' <<<"$r")
	read -r h p1 p2 <<<"$hp"
	exec 4<"/dev/tcp/$h/$((p1 * 256 + p2))"
	printf '%s\r\n' "$cmd" >&3
	r=$(ctl_read)
	[[ $r == 1[0-9][0-9]* ]] || { log "$cmd: ${r%%$'\r'*}"; exit 1; }
	cat <&4 >"$out/$file"
	exec 4<&-
	stamp "$out/$file"
	ctl_expect 226 >/dev/null
	ctl_close
	log "$file: $(wc -l <"$out/$file") lines, $(tr -cd '\r' <"$out/$file" | wc -c) CR"
}

# check_curl FILE URL curl-args: curl must see the same listing (minus CRs).
check_curl() {
	local file=$1 url=$2
	shift 2
	if ! cmp -s <(curl -sS --fail "$@" "$url") <(tr -d '\r' <"$out/$file"); then
		log "warning: curl's view of $file differs beyond CRLF"
	fi
}

# ctl_capture PORT COMMAND FILE: the raw control-connection reply to COMMAND
# (MLST answers on the control connection, so curl cannot capture it).
ctl_capture() {
	local port=$1 cmd=$2 file=$3
	ctl_open "$port"
	printf '%s\r\n' "$cmd" >&3
	ctl_read >"$out/$file"
	stamp "$out/$file"
	ctl_close
	log "$file: $(tr -d '\r' <"$out/$file" | sed -n 2p)"
}

# CAPTURE_SERVERS: which of ftpd.sh's daemons to capture (default: the
# three whose captures parsers/testdata/listings holds). The others:
# pyftpdlib (MLSD), inetutils and bsdftpd (LIST only; they do not chroot,
# so their URLs name the root by absolute path and golden/ is reached by
# its absolute path too).
read -r -a SERVERS <<<"${CAPTURE_SERVERS:-vsftpd pureftpd proftpd}"
declare -A URL ROOT PORT BASE
for s in "${SERVERS[@]}"; do
	v=${s^^}
	u=FTPFS_${v}_URL r=FTPFS_${v}_ROOT
	[[ -n ${!u:-} && -n ${!r:-} ]] || { log "no $u/$r: is ftpd.sh's $s running?"; exit 1; }
	URL[$s]=${!u}
	ROOT[$s]=${!r}
	hostport=${URL[$s]#*@}
	hostport=${hostport%%/*}
	PORT[$s]=${hostport##*:}
	path=/${URL[$s]#*://*/}
	path=${path%/}
	case $path in
	/%2F* | /%2f*) BASE[$s]=/${path:4}/ ;; # absolute
	*) BASE[$s]="" ;;                      # relative to the login directory
	esac
done
declare -A HAS_MLSD=([pureftpd]=1 [proftpd]=1 [pyftpdlib]=1)

for s in "${SERVERS[@]}"; do
	log "building tree on $s (${ROOT[$s]})"
	build_tree "${ROOT[$s]}"
	write_tree_tsv "${ROOT[$s]}" "$out/$s-tree.tsv"
	p=${PORT[$s]}
	g=${BASE[$s]}golden
	raw_data "$p" "$g" LIST "$s-list.txt"
	check_curl "$s-list.txt" "${URL[$s]}golden/"
	raw_data "$p" "$g" 'LIST -a' "$s-list-a.txt"
	check_curl "$s-list-a.txt" "${URL[$s]}golden/" -X 'LIST -a'
	if cmp -s "$out/$s-list.txt" "$out/$s-list-a.txt"; then
		log "$s: LIST -a same as LIST; not kept"
		rm -f "$out/$s-list-a.txt" "$out/$s-list-a.txt.now"
	fi
	if [[ -n ${HAS_MLSD[$s]:-} ]]; then
		raw_data "$p" "$g" MLSD "$s-mlsd.txt"
		check_curl "$s-mlsd.txt" "${URL[$s]}golden/" -X MLSD
		ctl_capture "$p" "MLST $g/four-k" "$s-mlst.txt"
		ctl_capture "$p" "MLST $g/link-to-file" "$s-mlst-link.txt"
	fi
	ctl_capture "$p" FEAT "$s-feat.txt"
done
log "done: $out"

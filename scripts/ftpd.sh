#!/usr/bin/env bash
# scripts/ftpd.sh — real FTP daemons on loopback for ftpfs's integration tests.
#
# Usage (as root, on Debian 12 "bookworm"):
#   eval "$(scripts/ftpd.sh start)"   # install if needed, (re)start, print exports
#   scripts/ftpd.sh env                # print the same export lines again (ports and
#                                      # password as `start` used them: $FTPD_STATE/config.env)
#   scripts/ftpd.sh stop               # stop what `start` started (idempotent)
#   scripts/ftpd.sh status             # which daemons are running
#
# What it does:
#   * Installs nothing system-wide but shared libraries, pyftpdlib and one
#     PAM file: the C daemons conflict with each other as Debian packages
#     (Provides/Conflicts: ftp-server), so vsftpd, pure-ftpd, proftpd,
#     inetutils-ftpd and ftpd-ssl are fetched with `apt-get download` and
#     unpacked with `dpkg -x` into a private prefix ($FTPD_STATE/prefix).
#     Their shared library dependencies (lib* entries of the packages'
#     Depends) are installed with `apt-get install --no-upgrade`, and every
#     binary is checked with ldd. pyftpdlib is a Python library, no daemon
#     and no conflict: python3, python3-pyftpdlib and python3-openssl are
#     installed with apt-get, and run by Debian's /usr/bin/python3 (not
#     whatever `python3` is first on PATH). `apt-get update` is run first if
#     /var/lib/apt/lists holds no package lists (or a download fails on
#     stale lists). No maintainer scripts run, so no service is started and
#     /etc/ is not touched beyond the three items below. After the first run
#     the unpacked prefix is reused and a restart takes a few seconds.
#   * Creates (or updates) the system user `ftpfs` (home = the vsftpd root,
#     password $FTPFS_PASS, shell /bin/sh) and a PAM service
#     /etc/pam.d/ftpfs-ftpd (pam_unix) for vsftpd. pure-ftpd (PureDB) and
#     proftpd (AuthUserFile) use virtual users named `ftpfs` mapped to the
#     same uid/gid, each with its own root directory; pyftpdlib a
#     DummyAuthorizer user `ftpfs` (perms elradfmwMT) with the same
#     password. The inetd-style daemons log the system user in: inetutils
#     ftpd through /etc/passwd+shadow, in.ftpd through the PAM service
#     `ftp`, which needs pam_ftp first (else USER gets "550 Authentication
#     failure"): /etc/pam.d/ftp is written when missing, with ftpd-ssl's own
#     stack. `start` fails if /etc/ftpusers denies `ftpfs` or /etc/ftpchroot
#     lists it.
#   * Roots: vsftpd, pure-ftpd and proftpd chroot the user into its root;
#     pyftpdlib confines it to its root (a virtual "/", no chroot(2)).
#     inetutils ftpd and in.ftpd chroot only users in /etc/ftpchroot, into
#     their home (the vsftpd root, shared): they do NOT chroot here, the
#     user sees the whole filesystem, logs in to its home, and their URLs
#     name their roots by absolute path (RFC 1738 %2F):
#       ftp://ftpfs:PASS@127.0.0.1:2126/%2Ftmp/ftpfs-ftpd/inetutils/root/
#     so that FTPFS_<X>_ROOT on disk is the URL's base directory (hence
#     FTPD_STATE must be made of [A-Za-z0-9/._-]).
#   * Generates a self-signed CA and a server certificate for 127.0.0.1 /
#     localhost (IP SAN 127.0.0.1, DNS SAN localhost) in $FTPD_STATE/tls
#     (kept across restarts while valid; the CA is $FTPFS_TEST_CA).
#   * Writes one config file per daemon instance and runs each in the
#     foreground mode of the daemon, in its own session (setsid), as a
#     background process of this script; PID files in $FTPD_STATE/<name>/.
#     inetutils ftpd and in.ftpd are inetd-style (one process per session,
#     the socket as stdin/stdout): scripts/inetd.py, a minimal accept loop,
#     execs one per connection (stderr to $FTPD_STATE/<name>/sessions.log).
#     Every daemon listens on 127.0.0.1 only:
#       vsftpd    3.0.3  port 2121, PASV 30000-30099  LIST only (no MLSD);
#                        explicit FTPS optional (AUTH TLS), require_ssl_reuse=YES (default)
#       pure-ftpd 1.0.50 port 2122, PASV 30100-30199  MLSD, explicit FTPS optional (-Y 1)
#       proftpd   1.3.8  port 2123, PASV 30200-30299  MLSD, SITE CHMOD, MFMT,
#                        explicit FTPS optional (TLSRequired off; session reuse required, the default)
#       vsftpd    implicit FTPS  port 2990, PASV 30300-30399 (same root as vsftpd)
#       proftpd   implicit FTPS  port 2991, PASV 30400-30499 (same root as proftpd)
#       pyftpdlib 1.5.7  port 2124, PASV 30500-30599  MLSD, MFMT, SITE CHMOD; no TLS
#                        (FTPHandler, scripts/pyftpd.py)
#       pyftpdlib explicit FTPS  port 2125, PASV 30600-30699 (TLS_FTPHandler,
#                        TLS optional; same root as pyftpdlib)
#       inetutils ftpd 2.4  port 2126  LIST (ls), no MLSD/MFMT, no TLS; PASV
#                        ports are the kernel's (it has no option for a range)
#       in.ftpd (ftpd-ssl, Linux-ftpd 0.17)  port 2127  LIST (/bin/ls), no
#                        FEAT/MLSD/MFMT; PASV ports the kernel's. Its AUTH TLS
#                        answers 234 but every handshake fails (it never loads
#                        a certificate: docs/dialects-found.md), so no TLS.
#     All daemons run with TZ=UTC and list times in UTC.
#   * `start` stops any instance it started before, wipes and recreates each
#     daemon's root directory (fresh, empty, owned by ftpfs), starts every
#     daemon, waits (bounded by $FTPD_WAIT seconds each) until it answers
#     with its 220 greeting (through TLS for the implicit ones), prints the
#     log tail of any daemon that does not and fails, and finally prints the
#     `export` lines (stdout; progress goes to stderr).
#   * `stop` signals only the process groups whose leaders are in its PID
#     files (after checking the PID still runs the expected binary; for the
#     Python-run instances, a python3* binary); that ends the sessions of
#     the inetd-style daemons too.
#
# Environment (all optional):
#   FTPD_STATE (/tmp/ftpfs-ftpd)  FTPFS_PASS (ftpfs-Secret-42)  FTPD_WAIT (20)
#   VSFTPD_PORT (2121) VSFTPD_PASV (30000-30099)
#   PUREFTPD_PORT (2122) PUREFTPD_PASV (30100-30199)
#   PROFTPD_PORT (2123) PROFTPD_PASV (30200-30299)
#   VSFTPD_IMPLICIT_PORT (2990) VSFTPD_IMPLICIT_PASV (30300-30399)
#   PROFTPD_IMPLICIT_PORT (2991) PROFTPD_IMPLICIT_PASV (30400-30499)
#   PYFTPDLIB_PORT (2124) PYFTPDLIB_PASV (30500-30599)
#   PYFTPDLIB_TLS_PORT (2125) PYFTPDLIB_TLS_PASV (30600-30699)
#   INETUTILS_PORT (2126) BSDFTPD_PORT (2127)
#
# Printed exports: FTPFS_VSFTPD_URL, FTPFS_VSFTPD_ROOT, FTPFS_VSFTPD_IMPLICIT_URL,
# FTPFS_PUREFTPD_URL, FTPFS_PUREFTPD_ROOT, FTPFS_PROFTPD_URL, FTPFS_PROFTPD_ROOT,
# FTPFS_PROFTPD_IMPLICIT_URL, FTPFS_PYFTPDLIB_URL, FTPFS_PYFTPDLIB_FTPES_URL
# (ftpes://, the TLS instance), FTPFS_PYFTPDLIB_ROOT, FTPFS_INETUTILS_URL,
# FTPFS_INETUTILS_ROOT, FTPFS_BSDFTPD_URL, FTPFS_BSDFTPD_ROOT, FTPFS_TEST_CA,
# FTPFS_FTPD_STATE.
set -euo pipefail

STATE=$(realpath -m "${FTPD_STATE:-/tmp/ftpfs-ftpd}")
USER_NAME=ftpfs
PASS=${FTPFS_PASS:-ftpfs-Secret-42}
HOST=127.0.0.1
WAIT=${FTPD_WAIT:-20}

VSFTPD_PORT=${VSFTPD_PORT:-2121}
VSFTPD_PASV=${VSFTPD_PASV:-30000-30099}
PUREFTPD_PORT=${PUREFTPD_PORT:-2122}
PUREFTPD_PASV=${PUREFTPD_PASV:-30100-30199}
PROFTPD_PORT=${PROFTPD_PORT:-2123}
PROFTPD_PASV=${PROFTPD_PASV:-30200-30299}
VSFTPD_IMPLICIT_PORT=${VSFTPD_IMPLICIT_PORT:-2990}
VSFTPD_IMPLICIT_PASV=${VSFTPD_IMPLICIT_PASV:-30300-30399}
PROFTPD_IMPLICIT_PORT=${PROFTPD_IMPLICIT_PORT:-2991}
PROFTPD_IMPLICIT_PASV=${PROFTPD_IMPLICIT_PASV:-30400-30499}
PYFTPDLIB_PORT=${PYFTPDLIB_PORT:-2124}
PYFTPDLIB_PASV=${PYFTPDLIB_PASV:-30500-30599}
PYFTPDLIB_TLS_PORT=${PYFTPDLIB_TLS_PORT:-2125}
PYFTPDLIB_TLS_PASV=${PYFTPDLIB_TLS_PASV:-30600-30699}
INETUTILS_PORT=${INETUTILS_PORT:-2126}
BSDFTPD_PORT=${BSDFTPD_PORT:-2127}

# What `start` used, saved in $STATE/config.env so that `env` prints the
# exports of the running instances whatever the caller's environment.
CONFIG_VARS=(PASS VSFTPD_PORT VSFTPD_PASV PUREFTPD_PORT PUREFTPD_PASV PROFTPD_PORT PROFTPD_PASV
	VSFTPD_IMPLICIT_PORT VSFTPD_IMPLICIT_PASV PROFTPD_IMPLICIT_PORT PROFTPD_IMPLICIT_PASV
	PYFTPDLIB_PORT PYFTPDLIB_PASV PYFTPDLIB_TLS_PORT PYFTPDLIB_TLS_PASV INETUTILS_PORT BSDFTPD_PORT)

PREFIX=$STATE/prefix
TLS=$STATE/tls
PAM_SERVICE=ftpfs-ftpd
PACKAGES=(vsftpd pure-ftpd proftpd-core proftpd-mod-crypto inetutils-ftpd ftpd-ssl)
# name -> binary (relative to $PREFIX), used for install checks and for stop.
BINARIES=(usr/sbin/vsftpd usr/sbin/pure-ftpd usr/bin/pure-pw usr/sbin/proftpd usr/lib/proftpd/mod_tls.so
	usr/sbin/ftpd usr/sbin/in.ftpd)
# Installed system-wide (libraries, no daemon, no conflict): pyftpdlib and
# what its TLS handler needs, for Debian's own python3.
PY_PACKAGES=(python3 python3-pyftpdlib python3-openssl)
PYTHON=/usr/bin/python3
SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PAM_FTP=/etc/pam.d/ftp
# instance name -> binary basename (a glob: python3.11 runs the python ones)
declare -A INSTANCE_BIN=(
	[vsftpd]=vsftpd [vsftpd-implicit]=vsftpd
	[pureftpd]=pure-ftpd
	[proftpd]=proftpd [proftpd-implicit]=proftpd
	[pyftpdlib]='python3*' [pyftpdlib-tls]='python3*'
	[inetutils]='python3*' [bsdftpd]='python3*'
)
INSTANCES=(vsftpd vsftpd-implicit pureftpd proftpd proftpd-implicit pyftpdlib pyftpdlib-tls inetutils bsdftpd)

export TZ=UTC
export DEBIAN_FRONTEND=noninteractive

log() { printf '[ftpd.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- install --

apt_lists_present() {
	compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null
}

apt_update_once() {
	if [[ -z ${APT_UPDATED:-} ]]; then
		log "apt-get update"
		apt-get update -qq >&2
		APT_UPDATED=1
	fi
}

# apt_install PKG... installs those not yet installed, never upgrading others.
apt_install() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	((${#missing[@]})) || return 0
	apt_lists_present || apt_update_once
	log "apt-get install ${missing[*]}"
	if ! apt-get install -y -qq --no-install-recommends --no-upgrade "${missing[@]}" >&2; then
		apt_update_once
		apt-get install -y -qq --no-install-recommends --no-upgrade "${missing[@]}" >&2
	fi
}

installed_ok() {
	local b
	for b in "${BINARIES[@]}"; do
		[[ -e $PREFIX/$b ]] || return 1
		if LD_LIBRARY_PATH='' ldd "$PREFIX/$b" 2>&1 | grep -q 'not found'; then
			return 1
		fi
	done
	command -v openssl >/dev/null || return 1
	"$PYTHON" -c 'import pyftpdlib, OpenSSL' 2>/dev/null || return 1
	return 0
}

install_daemons() {
	[[ $(id -u) == 0 ]] || die "must run as root"
	if installed_ok; then
		return 0
	fi
	log "installing daemons into $PREFIX"
	apt_install openssl ca-certificates "${PY_PACKAGES[@]}"
	local debs=$STATE/debs
	rm -rf "$debs" "$PREFIX"
	mkdir -p "$debs" "$PREFIX"
	chmod 755 "$STATE" "$debs"
	apt_lists_present || apt_update_once
	# apt-get download as root into a dir _apt cannot write warns; silence that line.
	if ! (cd "$debs" && apt-get download -qq "${PACKAGES[@]}" 2> >(grep -v 'unsandboxed' >&2)); then
		apt_update_once
		(cd "$debs" && apt-get download -qq "${PACKAGES[@]}" 2> >(grep -v 'unsandboxed' >&2))
	fi
	local deb deps=()
	for deb in "$debs"/*.deb; do
		dpkg -x "$deb" "$PREFIX"
		# lib* dependencies only (first alternative, version constraint dropped).
		mapfile -t -O "${#deps[@]}" deps < <(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
			sed -e 's/([^)]*)//g' -e 's/|.*//' -e 's/[[:space:]]//g' | grep '^lib' || true)
	done
	mapfile -t deps < <(printf '%s\n' "${deps[@]}" libpam-modules passwd | sort -u)
	apt_install "${deps[@]}"
	local b bad=0
	for b in "${BINARIES[@]}"; do
		if ldd "$PREFIX/$b" 2>&1 | grep 'not found' >&2; then
			log "missing libraries for $b"
			bad=1
		fi
	done
	((bad == 0)) || die "unresolved shared libraries (see above)"
	# Remember versions for the record.
	for deb in "$debs"/*.deb; do
		printf '%s %s\n' "$(dpkg-deb -f "$deb" Package)" "$(dpkg-deb -f "$deb" Version)"
	done >"$PREFIX/VERSIONS"
	dpkg-query -W -f='${Package} ${Version}\n' python3-pyftpdlib >>"$PREFIX/VERSIONS"
	log "installed: $(tr '\n' ' ' <"$PREFIX/VERSIONS")"
}

# -------------------------------------------------------------- user, TLS --

setup_user() {
	local home=$STATE/vsftpd/root
	if ! getent passwd "$USER_NAME" >/dev/null; then
		getent group "$USER_NAME" >/dev/null || groupadd "$USER_NAME"
		useradd -M -d "$home" -s /bin/sh -g "$USER_NAME" -c "ftpfs test user" "$USER_NAME"
	elif [[ $(getent passwd "$USER_NAME" | cut -d: -f6) != "$home" ]]; then
		usermod -d "$home" "$USER_NAME"
	fi
	echo "$USER_NAME:$PASS" | chpasswd
	UID_NUM=$(id -u "$USER_NAME")
	GID_NUM=$(id -g "$USER_NAME")
	local pam=/etc/pam.d/$PAM_SERVICE
	local want
	want=$'# written by ftpfs scripts/ftpd.sh (test FTP daemons)\nauth\trequired\tpam_unix.so\naccount\trequired\tpam_unix.so\nsession\trequired\tpam_permit.so'
	if [[ ! -f $pam || $(<"$pam") != "$want" ]]; then
		printf '%s\n' "$want" >"$pam"
	fi
}

setup_tls() {
	mkdir -p "$TLS"
	chmod 755 "$TLS"
	if [[ -s $TLS/ca.pem && -s $TLS/server.pem && -s $TLS/server.key ]] &&
		openssl x509 -checkend 86400 -noout -in "$TLS/server.pem" >/dev/null 2>&1 &&
		openssl verify -CAfile "$TLS/ca.pem" "$TLS/server.pem" >/dev/null 2>&1; then
		return 0
	fi
	log "generating test CA and server certificate in $TLS"
	(
		cd "$TLS"
		rm -f ./*.pem ./*.key ./*.csr ./*.srl ./*.ext
		openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
			-keyout ca.key -out ca.pem -subj "/O=ftpfs tests/CN=ftpfs test CA" \
			-addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
		openssl req -newkey rsa:2048 -nodes -sha256 -keyout server.key -out server.csr \
			-subj "/O=ftpfs tests/CN=localhost" 2>/dev/null
		printf '%s\n' "basicConstraints=critical,CA:FALSE" \
			"keyUsage=critical,digitalSignature,keyEncipherment" \
			"extendedKeyUsage=serverAuth" \
			"subjectAltName=IP:127.0.0.1,DNS:localhost" >server.ext
		openssl x509 -req -sha256 -days 825 -in server.csr -CA ca.pem -CAkey ca.key \
			-CAcreateserial -extfile server.ext -out server.pem 2>/dev/null
		cat server.pem server.key >server-combined.pem
		chmod 600 ca.key server.key server-combined.pem
		chmod 644 ca.pem server.pem
		rm -f server.csr
	)
}

# The inetd-style daemons (inetutils ftpd, ftpd-ssl's in.ftpd) log the
# system user ftpfs in through /etc/passwd + /etc/shadow (inetutils) or the
# PAM service "ftp" (in.ftpd). in.ftpd runs pam_authenticate at USER and
# needs pam_ftp first in the stack to answer "331 Password required"
# (with only /etc/pam.d/other it replies "550 Authentication failure"), so
# /etc/pam.d/ftp is written when missing, with ftpd-ssl's own stack.
setup_inetd_auth() {
	if [[ -f /etc/ftpusers ]] && grep -qx "[[:space:]]*$USER_NAME[[:space:]]*" /etc/ftpusers; then
		die "/etc/ftpusers denies $USER_NAME: remove it from there"
	fi
	if [[ -f /etc/ftpchroot ]] && grep -qx "[[:space:]]*$USER_NAME[[:space:]]*" /etc/ftpchroot; then
		die "/etc/ftpchroot lists $USER_NAME: the inetd-style daemons must not chroot it (see the header)"
	fi
	if [[ ! -f $PAM_FTP ]]; then
		log "writing $PAM_FTP (ftpd-ssl's PAM stack)"
		cat >"$PAM_FTP" <<'EOF'
# written by ftpfs scripts/ftpd.sh: ftpd-ssl's /etc/pam.d/ftp
auth	required	pam_listfile.so item=user sense=deny file=/etc/ftpusers onerr=succeed
auth	sufficient	pam_ftp.so
@include common-account
@include common-session
@include common-auth
auth	required	pam_shells.so
EOF
	elif ! grep -q pam_ftp "$PAM_FTP"; then
		log "warning: $PAM_FTP has no pam_ftp: in.ftpd may refuse USER with 550"
	fi
	grep -qx "$(getent passwd "$USER_NAME" | cut -d: -f7)" /etc/shells ||
		die "the shell of $USER_NAME is not in /etc/shells (in.ftpd and pam_shells require it)"
}

# ----------------------------------------------------------------- configs --

fresh_root() { # dir
	rm -rf "$1"
	mkdir -p "$1"
	chown "$UID_NUM:$GID_NUM" "$1"
	chmod 755 "$1"
}

write_vsftpd_conf() { # instance port pasv implicit(YES|NO) root
	local inst=$1 port=$2 pasv=$3 implicit=$4 root=$5 dir=$STATE/$1
	mkdir -p "$dir/empty"
	chmod 555 "$dir/empty"
	cat >"$dir/vsftpd.conf" <<EOF
# written by ftpfs scripts/ftpd.sh
listen=YES
listen_ipv6=NO
listen_address=$HOST
listen_port=$port
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_umask=022
chmod_enable=YES
chroot_local_user=YES
allow_writeable_chroot=YES
local_root=$root
pam_service_name=$PAM_SERVICE
secure_chroot_dir=$dir/empty
nopriv_user=nobody
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
use_localtime=NO
connect_from_port_20=NO
pasv_enable=YES
pasv_min_port=${pasv%-*}
pasv_max_port=${pasv#*-}
xferlog_enable=YES
xferlog_std_format=NO
log_ftp_protocol=YES
vsftpd_log_file=$dir/vsftpd.log
ftpd_banner=ftpfs test vsftpd ($inst)
max_clients=50
max_per_ip=50
ssl_enable=YES
implicit_ssl=$implicit
allow_anon_ssl=NO
force_local_logins_ssl=NO
force_local_data_ssl=NO
ssl_tlsv1=YES
ssl_sslv2=NO
ssl_sslv3=NO
ssl_ciphers=HIGH
ssl_request_cert=NO
require_cert=NO
rsa_cert_file=$TLS/server.pem
rsa_private_key_file=$TLS/server.key
EOF
}

write_pureftpd_db() { # root
	local dir=$STATE/pureftpd root=$1
	rm -f "$dir/pureftpd.passwd" "$dir/pureftpd.pdb"
	printf '%s\n%s\n' "$PASS" "$PASS" |
		"$PREFIX/usr/bin/pure-pw" useradd "$USER_NAME" -u "$UID_NUM" -g "$GID_NUM" \
			-d "$root" -f "$dir/pureftpd.passwd" >/dev/null
	# pure-pw hashes with argon2id at t=1023, which makes every login take
	# ~7 s here; pure-ftpd checks any crypt(3) hash, so use SHA-512 crypt.
	local hash
	hash=$(openssl passwd -6 "$PASS")
	awk -F: -v OFS=: -v h="$hash" -v u="$USER_NAME" '$1 == u { $2 = h } { print }' \
		"$dir/pureftpd.passwd" >"$dir/pureftpd.passwd.new"
	mv "$dir/pureftpd.passwd.new" "$dir/pureftpd.passwd"
	chmod 600 "$dir/pureftpd.passwd"
	"$PREFIX/usr/bin/pure-pw" mkdb "$dir/pureftpd.pdb" -f "$dir/pureftpd.passwd" >/dev/null
}

write_proftpd_conf() { # instance port pasv implicit(on|off) root
	local inst=$1 port=$2 pasv=$3 implicit=$4 root=$5 dir=$STATE/$1
	local hash
	hash=$(openssl passwd -6 "$PASS")
	printf '%s:%s:%s:%s:ftpfs test user:%s:/bin/sh\n' "$USER_NAME" "$hash" "$UID_NUM" "$GID_NUM" "$root" >"$dir/ftpd.passwd"
	printf '%s:x:%s:\n' "$USER_NAME" "$GID_NUM" >"$dir/ftpd.group"
	chmod 600 "$dir/ftpd.passwd"
	chmod 644 "$dir/ftpd.group"
	local tlsopts=""
	[[ $implicit == on ]] && tlsopts="TLSOptions UseImplicitSSL"
	cat >"$dir/proftpd.conf" <<EOF
# written by ftpfs scripts/ftpd.sh
ServerName          "ftpfs test proftpd ($inst)"
ServerType          standalone
ServerIdent         on "ftpfs test proftpd ($inst)"
DefaultServer       on
UseIPv6             off
DefaultAddress      $HOST
SocketBindTight     on
Port                $port
PassivePorts        ${pasv%-*} ${pasv#*-}
User                nobody
Group               nogroup
Umask               022
MaxInstances        50
AllowOverwrite      on
RequireValidShell   off
UseReverseDNS       off
UseSendfile         off
WtmpLog             off
DelayEngine         off
TimesGMT            on
DefaultRoot         ~
AuthPAM             off
AuthOrder           mod_auth_file.c mod_auth_unix.c
AuthUserFile        $dir/ftpd.passwd
AuthGroupFile       $dir/ftpd.group
PidFile             $dir/proftpd.pid.daemon
ScoreboardFile      $dir/proftpd.scoreboard
SystemLog           $dir/proftpd.log
TransferLog         $dir/xfer.log
ExtendedLog         $dir/commands.log ALL
ModulePath          $PREFIX/usr/lib/proftpd
ModuleControlsACLs  insmod,rmmod allow user root
LoadModule          mod_tls.c
LoadModule          mod_site_misc.c
<IfModule mod_ctrls.c>
  ControlsEngine    off
</IfModule>
<IfModule mod_tls.c>
  TLSEngine                 on
  TLSLog                    $dir/tls.log
  TLSProtocol               TLSv1.2 TLSv1.3
  TLSRSACertificateFile     $TLS/server.pem
  TLSRSACertificateKeyFile  $TLS/server.key
  TLSVerifyClient           off
  TLSRequired               off
  TLSRenegotiate            none
  $tlsopts
</IfModule>
EOF
}

# ------------------------------------------------------------ run and wait --

pidfile() { echo "$STATE/$1/$1.pid"; }

is_ours() { # instance pid -> 0 if pid runs the instance's binary
	local exe
	exe=$(readlink "/proc/$2/exe" 2>/dev/null) || return 1
	# shellcheck disable=SC2053 # the right side is a glob on purpose
	[[ ${exe##*/} == ${INSTANCE_BIN[$1]} ]]
}

stop_instance() { # instance
	local pf pid i
	pf=$(pidfile "$1")
	[[ -f $pf ]] || return 0
	pid=$(<"$pf")
	if [[ $pid =~ ^[0-9]+$ ]] && is_ours "$1" "$pid"; then
		log "stopping $1 (pid $pid)"
		kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			is_ours "$1" "$pid" || break
			sleep 0.1
		done
		if is_ours "$1" "$pid"; then
			kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
			sleep 0.2
		fi
	fi
	rm -f "$pf"
}

launch() { # instance cmd...
	local inst=$1 dir=$STATE/$1
	shift
	: >"$dir/daemon.log"
	: >"$dir/stdin.log"
	# setsid: own process group, so stop can signal the daemon and its sessions.
	# stdin is a writable log file: vsftpd writes its "500 OOPS" errors to fd 0.
	setsid "$@" 0<>"$dir/stdin.log" >>"$dir/daemon.log" 2>&1 &
	echo $! >"$(pidfile "$inst")"
}

logs_of() { # instance
	local f
	for f in "$STATE/$1"/*.log; do
		[[ -s $f ]] || continue
		echo "----- $f (last 30 lines)"
		tail -n 30 "$f"
	done
}

greeting_plain() { # port -> prints first line
	# shellcheck disable=SC2016 # $0/$1 expand in the inner bash
	timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1; IFS= read -r -t 2 line <&3 && printf "%s\n" "$line"' "$HOST" "$1" 2>/dev/null
}

greeting_implicit() { # port -> prints first line read through TLS
	local line=""
	coproc OSSL { exec timeout 5 openssl s_client -connect "$HOST:$1" -CAfile "$TLS/ca.pem" \
		-verify_return_error -quiet </dev/null 2>/dev/null; }
	IFS= read -r -t 4 line <&"${OSSL[0]}" || true
	kill "$OSSL_PID" 2>/dev/null || true
	wait "$OSSL_PID" 2>/dev/null || true
	printf '%s\n' "$line"
}

wait_ready() { # instance port plain|implicit
	local inst=$1 port=$2 kind=$3 deadline line pid
	deadline=$((SECONDS + WAIT))
	pid=$(<"$(pidfile "$inst")")
	while ((SECONDS < deadline)); do
		if ! is_ours "$inst" "$pid"; then
			log "$inst exited during startup"
			logs_of "$inst" >&2
			return 1
		fi
		if [[ $kind == plain ]]; then line=$(greeting_plain "$port" || true); else line=$(greeting_implicit "$port" || true); fi
		if [[ $line == 220* ]]; then
			log "$inst ready on $HOST:$port: ${line%$'\r'}"
			return 0
		fi
		sleep 0.2
	done
	log "$inst did not greet on $HOST:$port within ${WAIT}s"
	logs_of "$inst" >&2
	return 1
}

# ---------------------------------------------------------------- commands --

save_config() {
	local v
	for v in "${CONFIG_VARS[@]}"; do printf '%s=%q\n' "$v" "${!v}"; done >"$STATE/config.env.new"
	chmod 600 "$STATE/config.env.new"
	mv "$STATE/config.env.new" "$STATE/config.env"
}

load_config() {
	# shellcheck disable=SC1091 # written by save_config
	if [[ -f $STATE/config.env ]]; then source "$STATE/config.env"; fi
}

url() { printf 'ftp%s://%s:%s@%s:%s/' "$1" "$USER_NAME" "$PASS" "$HOST" "$2"; }

print_env() {
	cat <<EOF
export FTPFS_VSFTPD_URL='$(url "" "$VSFTPD_PORT")'
export FTPFS_VSFTPD_ROOT='$STATE/vsftpd/root'
export FTPFS_VSFTPD_PIDFILE='$(pidfile vsftpd)'
export FTPFS_VSFTPD_IMPLICIT_URL='$(url s "$VSFTPD_IMPLICIT_PORT")'
export FTPFS_PUREFTPD_URL='$(url "" "$PUREFTPD_PORT")'
export FTPFS_PUREFTPD_ROOT='$STATE/pureftpd/root'
export FTPFS_PUREFTPD_PIDFILE='$(pidfile pureftpd)'
export FTPFS_PROFTPD_URL='$(url "" "$PROFTPD_PORT")'
export FTPFS_PROFTPD_ROOT='$STATE/proftpd/root'
export FTPFS_PROFTPD_PIDFILE='$(pidfile proftpd)'
export FTPFS_PROFTPD_IMPLICIT_URL='$(url s "$PROFTPD_IMPLICIT_PORT")'
export FTPFS_PYFTPDLIB_URL='$(url "" "$PYFTPDLIB_PORT")'
export FTPFS_PYFTPDLIB_FTPES_URL='$(url es "$PYFTPDLIB_TLS_PORT")'
export FTPFS_PYFTPDLIB_ROOT='$STATE/pyftpdlib/root'
export FTPFS_INETUTILS_URL='$(url "" "$INETUTILS_PORT")%2F${STATE#/}/inetutils/root/'
export FTPFS_INETUTILS_ROOT='$STATE/inetutils/root'
export FTPFS_BSDFTPD_URL='$(url "" "$BSDFTPD_PORT")%2F${STATE#/}/bsdftpd/root/'
export FTPFS_BSDFTPD_ROOT='$STATE/bsdftpd/root'
export FTPFS_TEST_CA='$TLS/ca.pem'
export FTPFS_FTPD_STATE='$STATE'
EOF
}

cmd_stop() {
	local inst
	for inst in "${INSTANCES[@]}"; do stop_instance "$inst"; done
}

cmd_start() {
	[[ $(id -u) == 0 ]] || die "must run as root"
	# The inetd-style daemons' URLs carry $STATE unescaped.
	[[ $STATE =~ ^[A-Za-z0-9/._-]+$ ]] || die "FTPD_STATE must be made of [A-Za-z0-9/._-] only: $STATE"
	mkdir -p "$STATE"
	chmod 755 "$STATE"
	cmd_stop
	install_daemons
	setup_user
	setup_inetd_auth
	setup_tls
	local inst
	for inst in "${INSTANCES[@]}"; do
		mkdir -p "$STATE/$inst"
		rm -f "$STATE/$inst"/*.log
	done
	fresh_root "$STATE/vsftpd/root"
	fresh_root "$STATE/pureftpd/root"
	fresh_root "$STATE/proftpd/root"
	fresh_root "$STATE/pyftpdlib/root"
	fresh_root "$STATE/inetutils/root"
	fresh_root "$STATE/bsdftpd/root"
	(umask 077 && printf '%s\n' "$PASS" >"$STATE/pyftpdlib/password")

	write_vsftpd_conf vsftpd "$VSFTPD_PORT" "$VSFTPD_PASV" NO "$STATE/vsftpd/root"
	write_vsftpd_conf vsftpd-implicit "$VSFTPD_IMPLICIT_PORT" "$VSFTPD_IMPLICIT_PASV" YES "$STATE/vsftpd/root"
	write_pureftpd_db "$STATE/pureftpd/root"
	write_proftpd_conf proftpd "$PROFTPD_PORT" "$PROFTPD_PASV" off "$STATE/proftpd/root"
	write_proftpd_conf proftpd-implicit "$PROFTPD_IMPLICIT_PORT" "$PROFTPD_IMPLICIT_PASV" on "$STATE/proftpd/root"

	launch vsftpd "$PREFIX/usr/sbin/vsftpd" "$STATE/vsftpd/vsftpd.conf"
	launch vsftpd-implicit "$PREFIX/usr/sbin/vsftpd" "$STATE/vsftpd-implicit/vsftpd.conf"
	# pure-ftpd runs in the foreground unless -B. -Y 1: TLS optional.
	# -E: no anonymous, -A: chroot everyone, -H: no DNS, -P: PASV address.
	launch pureftpd "$PREFIX/usr/sbin/pure-ftpd" \
		-S "$HOST,$PUREFTPD_PORT" -p "${PUREFTPD_PASV/-/:}" -P "$HOST" \
		-l "puredb:$STATE/pureftpd/pureftpd.pdb" -E -A -H -u 1 -U 133:022 \
		-Y 1 -2 "$TLS/server.pem,$TLS/server.key" \
		-O "clf:$STATE/pureftpd/xfer.log" -c 50 -C 50 -d
	launch proftpd "$PREFIX/usr/sbin/proftpd" -n -c "$STATE/proftpd/proftpd.conf"
	launch proftpd-implicit "$PREFIX/usr/sbin/proftpd" -n -c "$STATE/proftpd-implicit/proftpd.conf"
	# pyftpdlib: plain FTPHandler, and TLS_FTPHandler (AUTH TLS optional)
	# on its own port, both over the same root.
	launch pyftpdlib "$PYTHON" "$SCRIPTS/pyftpd.py" --host "$HOST" --port "$PYFTPDLIB_PORT" \
		--pasv "$PYFTPDLIB_PASV" --root "$STATE/pyftpdlib/root" --user "$USER_NAME" \
		--password-file "$STATE/pyftpdlib/password" --log "$STATE/pyftpdlib/pyftpdlib.log" \
		--banner "ftpfs test pyftpdlib (pyftpdlib)"
	launch pyftpdlib-tls "$PYTHON" "$SCRIPTS/pyftpd.py" --host "$HOST" --port "$PYFTPDLIB_TLS_PORT" \
		--pasv "$PYFTPDLIB_TLS_PASV" --root "$STATE/pyftpdlib/root" --user "$USER_NAME" \
		--password-file "$STATE/pyftpdlib/password" --log "$STATE/pyftpdlib-tls/pyftpdlib.log" \
		--tls "$TLS/server.pem" "$TLS/server.key" --banner "ftpfs test pyftpdlib (pyftpdlib-tls)"
	# inetd-style daemons behind scripts/inetd.py, one process per session.
	# -u 022: umask as the other daemons (in.ftpd's default is 027).
	launch inetutils "$PYTHON" "$SCRIPTS/inetd.py" "$HOST" "$INETUTILS_PORT" \
		"$STATE/inetutils/sessions.log" "$PREFIX/usr/sbin/ftpd" -u 022
	launch bsdftpd "$PYTHON" "$SCRIPTS/inetd.py" "$HOST" "$BSDFTPD_PORT" \
		"$STATE/bsdftpd/sessions.log" "$PREFIX/usr/sbin/in.ftpd" -4 -u 022

	local failed=0
	save_config
	wait_ready vsftpd "$VSFTPD_PORT" plain || failed=1
	wait_ready vsftpd-implicit "$VSFTPD_IMPLICIT_PORT" implicit || failed=1
	wait_ready pureftpd "$PUREFTPD_PORT" plain || failed=1
	wait_ready proftpd "$PROFTPD_PORT" plain || failed=1
	wait_ready proftpd-implicit "$PROFTPD_IMPLICIT_PORT" implicit || failed=1
	wait_ready pyftpdlib "$PYFTPDLIB_PORT" plain || failed=1
	wait_ready pyftpdlib-tls "$PYFTPDLIB_TLS_PORT" plain || failed=1
	wait_ready inetutils "$INETUTILS_PORT" plain || failed=1
	wait_ready bsdftpd "$BSDFTPD_PORT" plain || failed=1
	if ((failed)); then
		cmd_stop
		die "some daemons failed to start (logs above)"
	fi
	print_env
}

cmd_status() {
	local inst pf pid st=0
	for inst in "${INSTANCES[@]}"; do
		pf=$(pidfile "$inst")
		if [[ -f $pf ]] && pid=$(<"$pf") && is_ours "$inst" "$pid"; then
			echo "$inst running (pid $pid)"
		else
			echo "$inst stopped"
			st=1
		fi
	done
	return $st
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
env)
	load_config
	print_env
	;;
status) cmd_status ;;
*)
	echo "usage: $0 start|stop|env|status" >&2
	exit 2
	;;
esac

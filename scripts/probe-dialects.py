#!/usr/bin/python3
"""scripts/probe-dialects.py — raw FTP exchanges that tell server dialects apart.

Usage (as root, daemons of scripts/ftpd.sh running, its exports in the
environment): scripts/probe-dialects.py [SERVER...] > out.txt

SERVER is a name of ftpd.sh's exports (vsftpd, pureftpd, proftpd,
pyftpdlib, inetutils, bsdftpd); default: all whose FTPFS_<X>_URL is set.
For each it builds the tree probe/ on the server's disk (FTPFS_<X>_ROOT):

  probe/file.txt            "hello\\n"
  probe/with space/x.txt    "x\\n"
  probe/dir/inner.txt       "in\\n"
  probe/to-dir -> dir       probe/to-file -> file.txt
  probe/dangling -> nowhere probe/loop-a <-> probe/loop-b

then logs in and sends fixed probes (listings with and without -a, of
missing paths, of names with spaces and of symbolic links; MLSD/MLST with
and without OPTS MLST; replies for missing paths; MKD of a path whose
parent is missing; SIZE/MDTM/MFMT/SITE CHMOD/APPE; AUTH TLS without
going on with the handshake), printing every command, every reply line
and every data-connection line verbatim (repr, so CR, LF and odd bytes
show). Passive mode (PASV), TYPE A for listings as most clients do.
Python standard library only; no TLS.
"""

import os
import re
import shutil
import socket
import sys
import urllib.parse

SERVERS = ["vsftpd", "pureftpd", "proftpd", "pyftpdlib", "inetutils", "bsdftpd"]


class Raw:
    def __init__(self, host, port, out):
        self.s = socket.create_connection((host, port), timeout=10)
        self.f = self.s.makefile("rb")
        self.out = out
        self.reply("(greeting)")

    def line(self):
        b = self.f.readline()
        if not b:
            raise EOFError("control connection closed")
        return b

    def reply(self, label=None):
        first = self.line()
        lines = [first]
        code = first[:3]
        if first[3:4] == b"-":
            while True:
                ln = self.line()
                lines.append(ln)
                if ln[:3] == code and ln[3:4] == b" ":
                    break
        for ln in lines:
            self.out.write(f"  < {ln!r}\n")
        return code.decode("latin-1"), b"".join(lines).decode("latin-1")

    def send(self, cmd, shown=None):
        self.out.write(f"  > {shown or cmd!r}\n")
        self.s.sendall(cmd.encode("utf-8", "surrogateescape") + b"\r\n")

    def cmd(self, cmd, shown=None):
        self.send(cmd, shown)
        return self.reply()

    def data(self, cmd, limit=40, upload=None):
        code, text = self.cmd("PASV")
        if code != "227":
            return code
        m = re.search(r"(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)", text)
        h = ".".join(m.group(i) for i in range(1, 5))
        p = int(m.group(5)) * 256 + int(m.group(6))
        d = socket.create_connection((h, p), timeout=10)
        self.send(cmd)
        code, _ = self.reply()
        if code[0] != "1":
            d.close()
            return code
        if upload is not None:
            d.sendall(upload)
            d.close()
            self.out.write(f"  | (sent {upload!r})\n")
            code, _ = self.reply()
            return code
        buf = b""
        while True:
            chunk = d.recv(65536)
            if not chunk:
                break
            buf += chunk
        d.close()
        lines = buf.splitlines(keepends=True)
        for ln in lines[:limit]:
            self.out.write(f"  | {ln!r}\n")
        if len(lines) > limit:
            self.out.write(f"  | ... {len(lines) - limit} more lines\n")
        if not lines:
            self.out.write("  | (no data)\n")
        code, _ = self.reply()
        return code

    def close(self):
        try:
            self.cmd("QUIT")
        except Exception:  # noqa: BLE001
            pass
        self.s.close()


def build_tree(root):
    p = os.path.join(root, "probe")
    shutil.rmtree(p, ignore_errors=True)
    os.makedirs(os.path.join(p, "with space"))
    os.makedirs(os.path.join(p, "dir"))
    for name, content in {"file.txt": "hello\n", "with space/x.txt": "x\n", "dir/inner.txt": "in\n"}.items():
        with open(os.path.join(p, name), "w") as f:
            f.write(content)
    for link, target in {"to-dir": "dir", "to-file": "file.txt", "dangling": "nowhere", "loop-a": "loop-b", "loop-b": "loop-a"}.items():
        os.symlink(target, os.path.join(p, link))
    st = os.stat(root)
    for dirpath, dirnames, filenames in os.walk(p):
        for n in [dirpath] + [os.path.join(dirpath, x) for x in dirnames + filenames]:
            os.lchown(n, st.st_uid, st.st_gid)
    for n in ["to-dir", "to-file", "dangling", "loop-a", "loop-b"]:
        os.lchown(os.path.join(p, n), st.st_uid, st.st_gid)


def probe(name, out):
    url = os.environ.get(f"FTPFS_{name.upper()}_URL")
    root = os.environ.get(f"FTPFS_{name.upper()}_ROOT")
    if not url or not root:
        return
    u = urllib.parse.urlsplit(url)
    base = urllib.parse.unquote(u.path)
    if u.path.lower().startswith("/%2f"):
        base = base[1:]  # absolute
    elif base in ("", "/"):
        base = ""
    base = base.rstrip("/")
    build_tree(root)
    P = f"{base}/probe" if base else "probe"
    out.write(f"\n======== {name} ({u.hostname}:{u.port}); probe dir = {P!r}\n")
    c = Raw(u.hostname, u.port, out)

    def section(title):
        out.write(f"\n-- {title}\n")

    section("login")
    c.cmd(f"USER {urllib.parse.unquote(u.username)}")
    c.cmd(f"PASS {urllib.parse.unquote(u.password)}", shown="'PASS ****'")
    section("identity")
    c.cmd("SYST")
    c.cmd("FEAT")
    c.cmd("PWD")
    c.cmd("OPTS UTF8 ON")
    c.cmd("TYPE A")
    section("LIST forms on an existing directory")
    c.data(f"LIST {P}")
    c.data(f"LIST -a {P}")
    c.data(f"LIST -la {P}")
    c.cmd(f"CWD {P}")
    c.data("LIST -a")
    c.data("LIST")
    c.cmd("CWD /" if not base else f"CWD {base}")
    section("LIST of a name with a space")
    c.data(f"LIST {P}/with space")
    c.data(f"LIST -a {P}/with space")
    section("LIST of a missing path")
    c.data(f"LIST {P}/missing")
    c.data(f"LIST -a {P}/missing")
    c.data(f"NLST {P}/missing")
    section("LIST of a symbolic link to a directory (and with a trailing slash)")
    c.data(f"LIST -a {P}/to-dir")
    c.data(f"LIST -a {P}/to-dir/")
    c.data(f"LIST {P}/to-file")
    section("MLSD / MLST")
    c.data(f"MLSD {P}")
    c.data(f"MLSD {P}/missing")
    c.data(f"MLSD {P}/to-dir")
    c.cmd(f"MLST {P}/file.txt")
    c.cmd(f"MLST {P}/to-file")
    c.cmd(f"MLST {P}/dangling")
    c.cmd(f"MLST {P}/missing")
    c.cmd("OPTS MLST type;size;modify;perm;unique;unix.mode;unix.owner;unix.group;unix.uid;unix.gid;")
    c.data(f"MLSD {P}")
    section("replies for missing paths")
    for cmd in ("SIZE", "MDTM", "RETR", "CWD", "DELE", "RMD", "RNFR"):
        if cmd == "RETR":
            c.data(f"RETR {P}/missing")
        else:
            c.cmd(f"{cmd} {P}/missing")
    c.data(f"STOR {P}/missing-dir/new.txt", upload=b"new\n")
    section("MKD of a path whose parent is missing; MKD of an existing name")
    c.cmd(f"MKD {P}/no/such/parent")
    c.cmd(f"MKD {P}/dir")
    c.cmd(f"MKD {P}/file.txt")
    section("SIZE, MDTM, MFMT, SITE CHMOD, APPE")
    c.cmd("TYPE I")
    c.cmd(f"SIZE {P}/file.txt")
    c.cmd(f"SIZE {P}/dir")
    c.cmd(f"MDTM {P}/file.txt")
    c.cmd(f"MFMT 20210304050607 {P}/file.txt")
    c.cmd(f"MDTM 20210304050607 {P}/file.txt")
    c.cmd(f"SITE CHMOD 640 {P}/file.txt")
    c.data(f"APPE {P}/file.txt", upload=b"more\n")
    c.cmd(f"DELE {P}/dangling")
    c.cmd(f"DELE {P}/loop-a")
    c.cmd("STAT")
    c.close()
    section("AUTH TLS (before login; the handshake is not attempted)")
    c = Raw(u.hostname, u.port, out)
    c.cmd("AUTH TLS")
    c.s.close()
    tls_url = os.environ.get(f"FTPFS_{name.upper()}_FTPES_URL")
    if tls_url:
        t = urllib.parse.urlsplit(tls_url)
        out.write(f"\n-- AUTH TLS on the TLS instance {t.hostname}:{t.port}\n")
        c = Raw(t.hostname, t.port, out)
        c.cmd("AUTH TLS")
        c.s.close()
    shutil.rmtree(os.path.join(root, "probe"), ignore_errors=True)


def main():
    names = sys.argv[1:] or SERVERS
    for n in names:
        try:
            probe(n, sys.stdout)
        except Exception as e:  # noqa: BLE001
            print(f"  !! {n}: {e!r}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""scripts/pyftpd.py — a pyftpdlib FTP server for scripts/ftpd.sh.

Usage:
  pyftpd.py --port PORT --pasv LOW-HIGH --root DIR --user NAME --password-file FILE
            [--tls CERT KEY] [--log FILE] [--host 127.0.0.1]

One user with full permissions ("elradfmwMT") rooted at DIR (pyftpdlib's
DummyAuthorizer: the root is a virtual chroot, enforced by the library,
not by chroot(2)). With --tls the handler is TLS_FTPHandler: explicit
FTPS (AUTH TLS) offered but not required, on control and data. Runs in
the foreground with pyftpdlib's default asynchronous FTPServer; times are
listed in UTC (use_gmt_times, pyftpdlib's default). Uses Debian's
python3-pyftpdlib (and python3-openssl for --tls) under /usr/bin/python3.
"""

import argparse
import logging
import os
import sys


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pasv", required=True, help="LOW-HIGH")
    ap.add_argument("--root", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password-file", required=True, help="file holding the password (not on the command line)")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--log")
    ap.add_argument("--banner", default="ftpfs test pyftpdlib")
    a = ap.parse_args()

    logging.basicConfig(
        filename=a.log,
        level=logging.DEBUG,
        format="%(asctime)s %(levelname)s %(message)s",
    )

    import pyftpdlib
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.servers import FTPServer

    if a.tls:
        from pyftpdlib.handlers import TLS_FTPHandler as Handler

        Handler.certfile = a.tls[0]
        Handler.keyfile = a.tls[1]
        Handler.tls_control_required = False
        Handler.tls_data_required = False
    else:
        from pyftpdlib.handlers import FTPHandler as Handler

    with open(a.password_file) as f:
        password = f.read().strip("\r\n")
    auth = DummyAuthorizer()
    auth.add_user(a.user, password, os.path.realpath(a.root), perm="elradfmwMT")
    Handler.authorizer = auth
    low, high = (int(x) for x in a.pasv.split("-"))
    Handler.passive_ports = range(low, high + 1)
    Handler.banner = f"{a.banner} (pyftpdlib {pyftpdlib.__ver__})"
    Handler.use_gmt_times = True
    Handler.permit_foreign_addresses = False

    server = FTPServer((a.host, a.port), Handler)
    server.max_cons = 256
    server.max_cons_per_ip = 256
    print(f"pyftpd.py: listening on {a.host}:{a.port} tls={bool(a.tls)}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.close_all()
    sys.exit(0)


if __name__ == "__main__":
    main()

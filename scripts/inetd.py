#!/usr/bin/python3
"""scripts/inetd.py — a minimal inetd for one service, for scripts/ftpd.sh.

Usage: inetd.py HOST PORT LOGFILE PROGRAM [ARG...]

Listens on HOST:PORT and, for every connection, forks and execs PROGRAM
with the connected socket as its stdin and stdout (inetd's "nowait"
stream service) and stderr appended to LOGFILE. It is what inetd-style
FTP daemons (GNU inetutils ftpd, the BSD ftpd of ftpd-ssl) need: they
read getsockname/getpeername of fd 0 to learn both ends.

Children are reaped as they exit. On SIGTERM or SIGINT the loop closes
the listener, sends SIGTERM to the sessions still running and exits.
Standard library only (Debian's /usr/bin/python3).
"""

import os
import signal
import socket
import sys


def main() -> None:
    if len(sys.argv) < 5:
        sys.stderr.write(__doc__)
        sys.exit(2)
    host, port, logfile, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]

    children = set()

    def reap(*_):
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            children.discard(pid)

    def stop(*_):
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        os._exit(0)

    signal.signal(signal.SIGCHLD, reap)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, port))
    ls.listen(64)
    print(f"inetd.py: listening on {host}:{port} for {' '.join(argv)}", flush=True)

    while True:
        try:
            conn, peer = ls.accept()
        except InterruptedError:
            continue
        pid = os.fork()
        if pid == 0:
            try:
                ls.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                fd = conn.fileno()
                os.dup2(fd, 0)
                os.dup2(fd, 1)
                log = os.open(logfile, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                os.dup2(log, 2)
                for f in (fd, log):
                    if f > 2:
                        os.close(f)
                os.set_inheritable(0, True)
                os.set_inheritable(1, True)
                os.set_inheritable(2, True)
                os.execv(argv[0], argv)
            except BaseException as e:  # noqa: BLE001 - the child must never return
                os.write(2, f"inetd.py: exec {argv[0]}: {e}\n".encode())
            os._exit(127)
        children.add(pid)
        conn.close()


if __name__ == "__main__":
    main()

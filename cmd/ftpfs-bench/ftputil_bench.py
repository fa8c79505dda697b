"""ftputil side of ftpfs-bench: one workload per run, run by /usr/bin/python3
(Debian's python3-ftputil). Usage:

    ftputil_bench.py HOST PORT USER PASSWORD MODE ARGS...

    walk DIR                 walk DIR, lstat every file; print the file count
    download REMOTE LOCAL    download one file
    upload LOCAL REMOTE      upload one file
    upload-tree LOCAL REMOTE upload every file of a local tree (makedirs first)
    upload-if-newer LOCAL REMOTE
                             upload_if_newer for every file of a local tree;
                             print how many were uploaded
The password comes from the FTPFS_BENCH_PASS environment variable when
PASSWORD is "-".
"""

import os
import sys

import ftputil
import ftputil.session


def local_files(top):
    for dirpath, _dirnames, filenames in os.walk(top):
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            yield path, os.path.relpath(path, top)


def main():
    host, port, user, password, mode = sys.argv[1:6]
    args = sys.argv[6:]
    if password == "-":
        password = os.environ["FTPFS_BENCH_PASS"]
    factory = ftputil.session.session_factory(port=int(port))
    with ftputil.FTPHost(host, user, password, session_factory=factory) as ftp:
        if mode == "walk":
            count = 0
            for dirpath, _dirnames, filenames in ftp.walk(args[0]):
                for name in filenames:
                    ftp.lstat(ftp.path.join(dirpath, name))
                    count += 1
            print(count)
        elif mode == "download":
            ftp.download(args[0], args[1])
        elif mode == "upload":
            ftp.upload(args[0], args[1])
        elif mode in ("upload-tree", "upload-if-newer"):
            uploaded = 0
            made = set()
            for path, rel in local_files(args[0]):
                target = ftp.path.join(args[1], *rel.split(os.sep))
                parent = ftp.path.dirname(target)
                if mode == "upload-tree":
                    if parent not in made:
                        ftp.makedirs(parent, exist_ok=True)
                        made.add(parent)
                    ftp.upload(path, target)
                    uploaded += 1
                elif ftp.upload_if_newer(path, target):
                    uploaded += 1
            print(uploaded)
        else:
            sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Turn model folders into git repositories laid out the way olah serves offline mirrors.

    make_repos.py OUT_DIR ORG/NAME=FOLDER [ORG/NAME=FOLDER ...]

Each FOLDER becomes OUT_DIR/models/ORG/NAME, a git repository whose large files
(*.safetensors, *.bin, *.ckpt, *.zip, *.mlmodel, and anything >= 10 MiB) are Git LFS
pointer files, with the objects stored under .git/lfs/objects/{oid[0:2]}/{oid[2:4]}/{oid}
as git-lfs itself stores them. Running it again on an existing repository adds a new
commit when the folder changed, so tests can move a branch forward.
"""
import hashlib
import os
import shutil
import subprocess
import sys

LFS_SUFFIXES = (".safetensors", ".bin", ".ckpt", ".zip", ".mlmodel", ".pt", ".onnx")
LFS_MIN_SIZE = 10 * 1024 * 1024


def git(repo, *args):
    env = dict(os.environ,
               GIT_AUTHOR_NAME="depot fixtures", GIT_AUTHOR_EMAIL="fixtures@depot.invalid",
               GIT_COMMITTER_NAME="depot fixtures", GIT_COMMITTER_EMAIL="fixtures@depot.invalid")
    return subprocess.run(["git", "-C", repo, *args], check=True, env=env,
                          capture_output=True, text=True).stdout.strip()


def is_lfs(path, size):
    return path.endswith(LFS_SUFFIXES) or size >= LFS_MIN_SIZE


def store_lfs_object(repo, source):
    digest = hashlib.sha256()
    with open(source, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    oid = digest.hexdigest()
    target = os.path.join(repo, ".git", "lfs", "objects", oid[0:2], oid[2:4], oid)
    if not os.path.exists(target):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(source, target + ".tmp")
        os.replace(target + ".tmp", target)
    return oid


def sync_repo(repo, folder, message):
    if not os.path.isdir(os.path.join(repo, ".git")):
        os.makedirs(repo, exist_ok=True)
        git(repo, "init", "-q", "-b", "main")
    for entry in os.listdir(repo):
        if entry != ".git":
            target = os.path.join(repo, entry)
            shutil.rmtree(target) if os.path.isdir(target) and not os.path.islink(target) else os.remove(target)
    patterns = set()
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            source = os.path.join(root, name)
            rel = os.path.relpath(source, folder)
            dest = os.path.join(repo, rel)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            size = os.path.getsize(source)
            if is_lfs(rel, size):
                oid = store_lfs_object(repo, source)
                with open(dest, "w") as f:
                    f.write(f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n")
                patterns.add(rel)
            else:
                shutil.copyfile(source, dest)
    with open(os.path.join(repo, ".gitattributes"), "w") as f:
        for pattern in sorted(patterns):
            f.write(f"{pattern} filter=lfs diff=lfs merge=lfs -text\n")
    git(repo, "add", "-A")
    if git(repo, "status", "--porcelain"):
        git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out = argv[1]
    for spec in argv[2:]:
        repo_id, _, folder = spec.partition("=")
        if "/" not in repo_id or not os.path.isdir(folder):
            sys.exit(f"make_repos.py: expected ORG/NAME=FOLDER with an existing folder, got {spec!r}")
        org, name = repo_id.split("/", 1)
        commit = sync_repo(os.path.join(out, "models", org, name), folder, f"Sync {repo_id}")
        print(f"{repo_id} {commit}")


if __name__ == "__main__":
    main(sys.argv)

#!/usr/bin/env python3
"""depot's own Hugging Face Hub for tests and benchmarks (stdlib only).

Serves ROOT/{org}/{name}/... as model repositories at one commit per repo:
  GET  /api/models/{org}/{name}/revision/{rev}            -> {"id", "sha", "siblings": [{"rfilename"}]}
  GET  /api/models/{org}/{name}/tree/{rev}[/{path}]        -> entries, paginated with Link: <...>; rel="next"
  HEAD|GET /{org}/{name}/resolve/{rev}/{path}              -> X-Repo-Commit, ETag, X-Linked-Etag/Size, Range (206/416)
Files of --lfs-threshold bytes or more, or with a weights suffix, are LFS files (sha256 oid).
An optional ROOT/{org}/{name}/.testhub.json holds {"refs": [...], "private": bool, "gated": bool}.
Bodies go out with sendfile, so the hub is not the bottleneck of a benchmark.

Faults, consumed one per matching request:
  POST /_control/faults  (or GET /_control/faults?plan=JSON)  [{"kind": K, "path": P, "method": "GET", "times": 1, ...}]
    kinds: reset (after=N bytes, then TCP RST), short (after=N, then FIN), corrupt (at=offset),
           stall (after=N, seconds=S), ignore_range, status (status=S, headers={...}),
           redirect (location=URL)
    path: the file path for resolve, or "revision:*", "tree:*", "*"; host (optional): only requests
          whose Host header is this (a redirect to another host name then ends there)
  GET  /_control/log     requests served: method, kind, path, range, status, authorized, fault
  POST /_control/reset   clears faults and log
Prints "PORT <n>" once listening on 127.0.0.1; exits after --max-seconds or when its parent dies.
"""
import argparse
import hashlib
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LFS_SUFFIXES = (".safetensors", ".bin", ".ckpt", ".pt", ".pth", ".onnx", ".msgpack", ".h5", ".zip", ".mlmodel")


class Repos:
    """The repositories under root, with file hashes cached by (size, mtime)."""

    def __init__(self, root, lfs_threshold):
        self.root = root
        self.lfs_threshold = lfs_threshold
        self.cache = {}
        self.lock = threading.Lock()

    def repo_dir(self, repo):
        path = os.path.join(self.root, *repo.split("/"))
        return path if repo.count("/") == 1 and os.path.isdir(path) else None

    def settings(self, repo):
        try:
            with open(os.path.join(self.repo_dir(repo), ".testhub.json")) as handle:
                return json.load(handle)
        except (OSError, ValueError):
            return {}

    def files(self, repo):
        base = self.repo_dir(repo)
        out = []
        for directory, dirs, names in os.walk(base):
            dirs.sort()
            for name in sorted(names):
                full = os.path.join(directory, name)
                relative = os.path.relpath(full, base).replace(os.sep, "/")
                if relative != ".testhub.json" and not name.endswith(".resume.json"):
                    out.append(relative)
        return sorted(out)

    def info(self, repo, path):
        full = os.path.join(self.repo_dir(repo), *path.split("/"))
        stat = os.stat(full)
        key = (full, stat.st_size, stat.st_mtime_ns)
        with self.lock:
            cached = self.cache.get(key)
        if cached:
            return cached
        sha256 = hashlib.sha256()
        sha1 = hashlib.sha1(b"blob %d\0" % stat.st_size)
        with open(full, "rb") as handle:
            while True:
                block = handle.read(8 << 20)
                if not block:
                    break
                sha256.update(block)
                sha1.update(block)
        lfs = stat.st_size >= self.lfs_threshold or path.endswith(LFS_SUFFIXES)
        info = {"full": full, "size": stat.st_size, "sha256": sha256.hexdigest(), "git": sha1.hexdigest(), "lfs": lfs}
        if lfs:
            pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n" % (info["sha256"], stat.st_size)
            info["pointer_size"] = len(pointer)
            info["git"] = hashlib.sha1(b"blob %d\0%s" % (len(pointer), pointer.encode())).hexdigest()
        with self.lock:
            self.cache[key] = info
        return info

    def commit(self, repo):
        digest = hashlib.sha1()
        base = self.repo_dir(repo)
        for path in self.files(repo):
            stat = os.stat(os.path.join(base, *path.split("/")))
            digest.update(("%s\0%d\0%d\n" % (path, stat.st_size, stat.st_mtime_ns)).encode())
        return digest.hexdigest()

    def resolve(self, repo, revision):
        commit = self.commit(repo)
        refs = ["main"] + list(self.settings(repo).get("refs", []))
        return commit if revision in refs or revision == commit else None


class Faults:
    def __init__(self):
        self.plan = []
        self.log = []
        self.lock = threading.Lock()

    def take(self, method, kind, path, host):
        with self.lock:
            for fault in self.plan:
                if fault.get("times", 1) <= 0:
                    continue
                if fault.get("host") not in (None, host):
                    continue
                if fault.get("method", "GET") not in (method, "*"):
                    continue
                target = fault.get("path", "*")
                if target in ("*", path, kind + ":*"):
                    fault["times"] = fault.get("times", 1) - 1
                    return dict(fault)
        return None

    def record(self, entry):
        with self.lock:
            self.log.append(entry)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "testhub/1"

    def log_message(self, format, *args):
        if self.server.verbose:
            sys.stderr.write("testhub: " + format % args + "\n")

    # --- plumbing -------------------------------------------------------------------------------
    def send_json(self, status, payload, headers=None):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return status

    def send_error_code(self, status, code, message):
        headers = {"X-Error-Code": code, "X-Error-Message": message} if code else {"X-Error-Message": message}
        return self.send_json(status, {"error": message}, headers)

    def authorized(self):
        return self.headers.get("Authorization") == "Bearer %s" % self.server.token if self.server.token else False

    def check_access(self, repo):
        if self.server.repos.repo_dir(repo) is None:
            return self.send_error_code(401, "RepoNotFound", "Repository not found")
        settings = self.server.repos.settings(repo)
        if settings.get("private") and not self.authorized():
            return self.send_error_code(401, "RepoNotFound", "Repository not found")
        if settings.get("gated") and not self.authorized():
            return self.send_error_code(403, "GatedRepo", "Access to this model is restricted")
        return None

    def do_HEAD(self):
        self.dispatch()

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        if self.path == "/_control/faults":
            with self.server.faults.lock:
                self.server.faults.plan.extend(json.loads(body or b"[]"))
            return self.send_json(200, {"ok": True})
        if self.path == "/_control/reset":
            with self.server.faults.lock:
                self.server.faults.plan = []
                self.server.faults.log = []
            return self.send_json(200, {"ok": True})
        return self.send_json(404, {"error": "no such control"})

    def dispatch(self):
        raw_path, _, query = self.path.partition("?")
        segments = raw_path.strip("/").split("/")
        entry = {"method": self.command, "path": urllib.parse.unquote(raw_path), "range": self.headers.get("Range"),
                 "authorized": "Authorization" in self.headers, "fault": None, "kind": None}
        status = 500
        if not raw_path.startswith("/_control/"):
            self.server.faults.record(entry)  # logged on arrival: a stalled request shows up at once
        try:
            if raw_path == "/_control/log":
                status = 200
                with self.server.faults.lock:
                    log = list(self.server.faults.log)
                return self.send_json(200, log)
            if raw_path == "/_control/faults":
                plan = urllib.parse.parse_qs(query).get("plan", ["[]"])[0]
                with self.server.faults.lock:
                    self.server.faults.plan.extend(json.loads(plan))
                return self.send_json(200, {"ok": True})
            if len(segments) >= 6 and segments[0] == "api" and segments[1] == "models" and segments[4] in ("revision", "tree"):
                repo = "/".join(urllib.parse.unquote(s) for s in segments[2:4])
                kind = segments[4]
                entry["kind"] = kind
                fault = self.server.faults.take(self.command, kind, "*", self.headers.get("Host"))
                if fault:
                    entry["fault"] = fault["kind"]
                    status = self.apply_simple_fault(fault)
                    if status:
                        return
                if kind == "revision":
                    revision = urllib.parse.unquote("/".join(segments[5:]))
                    status = self.revision(repo, revision)
                else:
                    revision = urllib.parse.unquote(segments[5])
                    subpath = urllib.parse.unquote("/".join(segments[6:]))
                    status = self.tree(repo, revision, subpath, urllib.parse.parse_qs(query))
                return
            if len(segments) >= 5 and segments[2] == "resolve":
                repo = "/".join(urllib.parse.unquote(s) for s in segments[0:2])
                revision = urllib.parse.unquote(segments[3])
                path = urllib.parse.unquote("/".join(segments[4:]))
                entry["kind"] = "resolve"
                fault = self.server.faults.take(self.command, "resolve", path, self.headers.get("Host"))
                if fault:
                    entry["fault"] = fault["kind"]
                status = self.resolve(repo, revision, path, fault)
                return
            status = self.send_error_code(404, None, "Not found")
        finally:
            entry["status"] = status

    def apply_simple_fault(self, fault):
        if fault["kind"] == "status":
            headers = dict({"X-Error-Message": "injected"}, **fault.get("headers", {}))
            return self.send_json(fault.get("status", 503), {"error": "injected"}, headers)
        if fault["kind"] == "redirect":
            self.send_response(302)
            self.send_header("Location", fault["location"])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return 302
        return None

    # --- endpoints ------------------------------------------------------------------------------
    def revision(self, repo, revision):
        denied = self.check_access(repo)
        if denied:
            return denied
        commit = self.server.repos.resolve(repo, revision)
        if commit is None:
            return self.send_error_code(404, "RevisionNotFound", "Invalid rev id: %s" % revision)
        siblings = [{"rfilename": path} for path in self.server.repos.files(repo)]
        return self.send_json(200, {"id": repo, "modelId": repo, "sha": commit, "siblings": siblings})

    def tree(self, repo, revision, subpath, query):
        denied = self.check_access(repo)
        if denied:
            return denied
        commit = self.server.repos.resolve(repo, revision)
        if commit is None:
            return self.send_error_code(404, "RevisionNotFound", "Invalid rev id: %s" % revision)
        paths = [p for p in self.server.repos.files(repo) if not subpath or p.startswith(subpath.rstrip("/") + "/")]
        entries, seen_dirs = [], set()
        for path in paths:
            parts = path.split("/")
            for depth in range(1, len(parts)):
                directory = "/".join(parts[:depth])
                if directory not in seen_dirs:
                    seen_dirs.add(directory)
                    entries.append({"type": "directory", "oid": hashlib.sha1(directory.encode()).hexdigest(), "size": 0, "path": directory})
            info = self.server.repos.info(repo, path)
            item = {"type": "file", "oid": info["git"], "size": info["size"], "path": path}
            if info["lfs"]:
                item["lfs"] = {"oid": info["sha256"], "size": info["size"], "pointerSize": info["pointer_size"]}
            entries.append(item)
        cursor = int(query.get("cursor", ["0"])[0])
        page = self.server.page_size
        headers = {}
        if cursor + page < len(entries):
            host = self.headers.get("Host", "127.0.0.1:%d" % self.server.server_port)
            raw = self.path.partition("?")[0]
            headers["Link"] = '<http://%s%s?recursive=true&expand=false&cursor=%d>; rel="next"' % (host, raw, cursor + page)
        return self.send_json(200, entries[cursor:cursor + page], headers)

    def resolve(self, repo, revision, path, fault):
        if fault:
            status = self.apply_simple_fault(fault)
            if status:
                return status
        denied = self.check_access(repo)
        if denied:
            return denied
        commit = self.server.repos.resolve(repo, revision)
        if commit is None:
            return self.send_error_code(404, "RevisionNotFound", "Invalid rev id: %s" % revision)
        if path not in self.server.repos.files(repo):
            return self.send_error_code(404, "EntryNotFound", "Entry not found")
        info = self.server.repos.info(repo, path)
        size = info["size"]
        start, end, status = 0, size - 1, 200
        range_header = self.headers.get("Range")
        if range_header and not (fault and fault["kind"] == "ignore_range"):
            spec = range_header.strip().lower()
            first, _, last = spec[len("bytes="):].partition("-") if spec.startswith("bytes=") else ("", "", "")
            if first.isdigit():
                start = int(first)
                end = min(int(last), size - 1) if last.isdigit() else size - 1
                if start >= size or start > end:
                    self.send_response(416)
                    self.send_header("Content-Range", "bytes */%d" % size)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return 416
                status = 206
        self.send_response(status)
        self.send_header("X-Repo-Commit", commit)
        self.send_header("Accept-Ranges", "bytes")
        if info["lfs"]:
            self.send_header("ETag", '"%s"' % info["sha256"])
            self.send_header("X-Linked-Etag", '"%s"' % info["sha256"])
            self.send_header("X-Linked-Size", str(size))
        else:
            self.send_header("ETag", 'W/"%s"' % info["git"])
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        if self.command == "HEAD":
            return status
        self.send_body(info["full"], start, end + 1, fault)
        return status

    def send_body(self, full, start, stop, fault):
        kind = fault["kind"] if fault else None
        cut = stop
        if kind in ("reset", "short", "stall"):
            cut = min(stop, start + int(fault.get("after", 0)))
        with open(full, "rb") as handle:
            descriptor = handle.fileno()
            if kind == "corrupt" and start <= int(fault.get("at", 0)) < stop:
                at = int(fault.get("at", 0))
                self.sendfile(descriptor, start, at)
                byte = os.pread(descriptor, 1, at)
                self.connection.sendall(bytes([byte[0] ^ 0xFF]))
                self.sendfile(descriptor, at + 1, stop)
                return
            self.sendfile(descriptor, start, cut)
        if cut == stop:
            return
        self.close_connection = True
        if kind == "stall":
            deadline = time.time() + float(fault.get("seconds", 5))
            while time.time() < deadline and not self.server.stopping.is_set():
                time.sleep(0.05)
            self.connection.shutdown(socket.SHUT_RDWR)
        elif kind == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        else:
            self.connection.shutdown(socket.SHUT_RDWR)

    def sendfile(self, descriptor, start, stop):
        out = self.connection.fileno()
        offset = start
        while offset < stop:
            sent = os.sendfile(out, descriptor, offset, min(stop - offset, 1 << 30))
            if sent == 0:
                raise ConnectionError("peer closed")
            offset += sent


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        if self.verbose:
            super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", help="directory holding {org}/{name}/ repositories")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default=None, help="the token private and gated repos accept")
    parser.add_argument("--tree-page-size", type=int, default=1000)
    parser.add_argument("--lfs-threshold", type=int, default=10 << 20)
    parser.add_argument("--max-seconds", type=float, default=900)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    # A parent that spawned us from a thread with blocked signals passes that mask on.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])

    server = Server(("127.0.0.1", args.port), Handler)
    server.repos = Repos(os.path.abspath(args.root), args.lfs_threshold)
    server.faults = Faults()
    server.token = args.token
    server.page_size = max(1, args.tree_page_size)
    server.verbose = args.verbose
    server.stopping = threading.Event()
    parent = os.getppid()

    def watchdog():
        deadline = time.time() + args.max_seconds
        while time.time() < deadline and os.getppid() == parent:
            time.sleep(0.2)
        server.stopping.set()
        os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    print("PORT %d" % server.server_port, flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

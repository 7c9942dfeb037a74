#!/usr/bin/env python3
"""The language server's latency as an editor sees it (a benchmark, not a test).

    scripts/bench-server.py [WHITTLE]     # default: target/release/whittle

Starts `whittle server` over pipes, opens a 300-line Dockerfile (the Dockerfiles of
benches/data one after the other, then plain RUN lines, as `cargo bench --bench server` builds
it) in a directory with a few build-context files, then sends RUNS (default 300) one-character
changes, each after the previous diagnostics arrived, and prints the median and 95th
percentile of the time from writing `didChange` to reading its `publishDiagnostics`: the JSON
on both pipes, the change applied, the file linted with every default rule, the diagnostics
converted and serialized.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WHITTLE = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "target/release/whittle"))
RUNS = int(os.environ.get("RUNS", "300"))


def large_dockerfile():
    data = os.path.join(REPO, "benches/data")
    text = ""
    for name in sorted(os.listdir(data)):
        if "windows" in name:
            continue
        with open(os.path.join(data, name), encoding="utf-8") as f:
            text += f.read()
        if not text.endswith("\n"):
            text += "\n"
    n = 0
    while len(text.splitlines()) < 300:
        n += 1
        text += f'RUN echo "step {n}" >> /var/log/steps\n'
    return "\n".join(text.splitlines()[:300]) + "\n"


class Client:
    def __init__(self, cmd, cwd):
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.next_id

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("the server closed its output")
            line = line.strip()
            if not line:
                break
            key, _, value = line.partition(b":")
            if key.lower() == b"content-length":
                length = int(value)
        return json.loads(self.proc.stdout.read(length))

    def wait(self, pred):
        while True:
            msg = self.read()
            if pred(msg):
                return msg


def main():
    text = large_dockerfile()
    with tempfile.TemporaryDirectory() as root:
        for name in ["go.mod", "go.sum", "pom.xml", "package.json", "main.go", ".env"]:
            with open(os.path.join(root, name), "w") as f:
                f.write("x\n")
        path = os.path.join(root, "Dockerfile")
        with open(path, "w") as f:
            f.write(text)
        uri = "file://" + path
        client = Client([WHITTLE, "server"], root)
        rid = client.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + root,
                                            "capabilities": {}})
        client.wait(lambda m: m.get("id") == rid)
        client.notify("initialized", {})
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
        published = lambda version: lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"].get("version") in (version, None))
        first = client.wait(published(1))
        times = []
        for version in range(2, RUNS + 2):
            if version % 2 == 0:
                change = {"range": {"start": {"line": 150, "character": 4},
                                    "end": {"line": 150, "character": 4}}, "text": "x"}
            else:
                change = {"range": {"start": {"line": 150, "character": 4},
                                    "end": {"line": 150, "character": 5}}, "text": ""}
            start = time.perf_counter()
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
            client.wait(published(version))
            times.append((time.perf_counter() - start) * 1000)
        rid = client.request("shutdown", None)
        client.wait(lambda m: m.get("id") == rid)
        client.notify("exit", None)
        client.proc.wait(timeout=10)
    times.sort()
    print(f"whittle server: {len(first['params']['diagnostics'])} diagnostics on a 300-line "
          f"Dockerfile, {RUNS} changes, {os.cpu_count()} cores")
    print(f"change -> publishDiagnostics: median {statistics.median(times):.2f} ms, "
          f"p95 {times[int(len(times) * 0.95)]:.2f} ms, min {times[0]:.2f} ms")


if __name__ == "__main__":
    main()

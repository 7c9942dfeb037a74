"""Command line: read numbers (one per line) from stdin and print their summary as JSON."""

import json
import sys

from faststats import __version__, summarize


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--version"]:
        print("faststats", __version__)
        return 0
    if argv == ["--self-test"]:
        s = summarize([2, 4, 4, 4, 5, 5, 7, 9])
        assert s["count"] == 8 and s["mean"] == 5.0 and s["variance"] == 4.0, s
        assert (s["min"], s["max"]) == (2.0, 9.0), s
        print("self-test ok")
        return 0
    numbers = [float(line) for line in sys.stdin if line.strip()]
    print(json.dumps(summarize(numbers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

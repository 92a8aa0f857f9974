"""Instructions executed by extraction (valgrind callgrind): a before/after figure the machine's load does not move.

On a shared machine two trees' extraction rates move by 10-20 % from round to round; the count of
instructions of the same work does not. ``extract``: the script runs itself under callgrind with
instrumentation off, reads the corpus and the tables, extracts ``--warm`` articles (caches, lazy
tables), turns instrumentation on for the next ``--articles`` articles only, and prints the total
as a JSON line. ``startup``: the whole process of ``kg extract`` of one article (the command run
once before, so that what kg keeps in its cache folder is there, as for a user). ``PYTHONHASHSEED``
is fixed so that set and dict orders, and so the work, repeat exactly.

    PYTHONPATH=<tree> python3 benchmarks/instructions.py extract CORPUS [--articles 100] [--warm 20]
    PYTHONPATH=<tree> python3 benchmarks/instructions.py startup ARTICLE

Run it with each tree on PYTHONPATH (the script itself may come from either: it uses only
``Tables.load``, ``extract_many``, ``read_articles`` and ``kg.cli.main``). Under callgrind an
``extract`` run takes a few minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from itertools import islice
from pathlib import Path

INSIDE = "--inside-callgrind"


def _measure(corpus: Path, warm: int, count: int) -> None:
    """The part run under callgrind: instrumentation on only around the measured articles."""
    from kg.errors import ReaderError
    from kg.extract.pipeline import Tables, extract_many
    from kg.readers import read_articles

    articles = [a for a in islice(read_articles([corpus]), warm + count) if not isinstance(a, ReaderError)]
    tables = Tables.load()
    for _ in extract_many(articles[:warm], workers=1, tables=tables):
        pass
    measured = articles[warm:]
    subprocess.run(["callgrind_control", "--instr=on", str(os.getpid())], check=True, stdout=subprocess.DEVNULL)
    for _ in extract_many(measured, workers=1, tables=tables):
        pass
    subprocess.run(["callgrind_control", "--instr=off", str(os.getpid())], check=True, stdout=subprocess.DEVNULL)


def _total(profile: Path) -> int:
    """The instruction count on callgrind's last ``totals:`` line (its ``summary:`` line, written
    first, says 0 when instrumentation starts off)."""
    totals = [line for line in profile.read_text().splitlines() if line.startswith("totals:")]
    return int(totals[-1].split()[1])


def _callgrind(command: list[str], profile: Path) -> int:
    """The instructions callgrind counts in ``command`` (its output discarded)."""
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={profile}", *command], check=True,
                   env={**os.environ, "PYTHONHASHSEED": "0"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return _total(profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["extract", "startup"])
    parser.add_argument("path", type=Path, help="extract: the corpus; startup: one article file")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--warm", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="keep callgrind's profile here (for callgrind_annotate)")
    parser.add_argument(INSIDE, action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside_callgrind:
        _measure(args.path, args.warm, args.articles)
        return
    out: dict = {"what": args.what, "tree": os.environ.get("PYTHONPATH", "")}
    with tempfile.TemporaryDirectory() as tmp:
        profile = args.keep or Path(tmp) / "callgrind.out"
        if args.what == "extract":
            # instrumentation starts off: _measure turns it on
            command = ["--instr-atstart=no", sys.executable, __file__, "extract", str(args.path),
                       "--articles", str(args.articles), "--warm", str(args.warm), INSIDE]
            out.update(articles=args.articles, warm=args.warm, instructions=_callgrind(command, profile))
        else:
            # the console script's work, run by this interpreter: valgrind does not follow a launcher's exec
            command = [sys.executable, "-c", "from kg.cli import main; main()", "extract", str(args.path),
                       "--format", "jsonl", "--workers", "1"]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            out.update(article=str(args.path), instructions=_callgrind(command, profile))
    print(json.dumps(out))


if __name__ == "__main__":
    main()

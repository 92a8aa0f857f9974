"""Time of the console's text check (``kg.graph.read.refusal``) on hostile query shapes.

The check runs in the dashboard's process under the GIL before anything is sent, so its worst case
over the queries it accepts to read is what one analyst can make every session wait. Run:

    python benchmarks/console_check.py [--chars 120000] [--runs 5]

Prints one line per shape: the median time of ``runs`` runs, in milliseconds, with the length
limit lifted so the tokeniser reads the whole text (with the default limit of 50,000 characters a
longer query is refused at once by its length).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from kg.graph.read import refusal

SHAPES: dict[str, Callable[[int], str]] = {
    "unterminated /* (the issue's attack)": lambda n: "MATCH (n) RETURN n /*" + "x" * n,
    "unterminated /* repeated": lambda n: "MATCH (n) RETURN n " + "/* x " * (n // 5),
    "many /* */ comments": lambda n: "RETURN 1 " + "/* c */" * (n // 7),
    "many // comments ended by \\r": lambda n: "RETURN 1 " + "// x\r" * (n // 5),
    "unterminated string of escapes": lambda n: "RETURN '" + "\\'" * (n // 2),
    "many short words": lambda n: "RETURN " + "a " * (n // 2),
    "words, dots and colons": lambda n: "RETURN " + "a.b:c " * (n // 6),
    "one long string": lambda n: "RETURN '" + "x" * n + "'",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=120_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for name, make in SHAPES.items():
        query = make(args.chars)
        times = []
        for _ in range(args.runs):
            began = time.perf_counter()
            refusal(query, max_chars=len(query) + 1)
            times.append((time.perf_counter() - began) * 1000)
        print(f"{name:40} {len(query):>9,} chars  {statistics.median(times):8.1f} ms")


if __name__ == "__main__":
    main()

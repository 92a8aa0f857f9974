"""Reproduce the choice of articles for dev_extra_zh.jsonl.

Rule (fixed before any annotation was done):
  * rows of /work/shared/corpus/INDEX.csv with lang zh or zh-Hant;
  * minus the files already in /work/shared/eval/dev_gold.jsonl and the reference article
    seed/000_4b9d46ca0c5281cf.txt;
  * stratum = outlet, taken from the file-name prefix before the date (so zaobao-* from
    zh/rsshub-page and zh/news-beyond-wall form one 联合早报 stratum);
  * within a stratum, order by sha256 of the file name (basename, UTF-8) and take the first
    QUOTA[stratum] files.
Quotas: 2 for each outlet with 30+ Chinese files, 1 for the small ones (RTI 20, FT中文网 3),
4 for 眾新聞 hkcnews, 1 for CCTV新闻联播 (daily transcripts). Total 25.

Usage: python3 tests/data/gold/select.py [CORPUS_DIR]  -> prints corpus-relative paths.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from pathlib import Path

QUOTA: dict[str, int] = {
    "zaobao": 2, "dw-zh": 2, "voa-zh": 2, "rfi-zh": 2, "reuters-zh": 2, "bbc-zh": 2,
    "cna-tw": 2, "rfa-zh": 2, "nytimes-zh": 2, "rti-tw": 1, "ft-zh": 1,
    "hkcnews": 4, "cctv-xwlb": 1,
}
REFERENCE = "000_4b9d46ca0c5281cf.txt"


def outlet_of(name: str) -> str:
    """Outlet key = file-name prefix before the YYYY-MM-DD date."""
    match = re.match(r"(.+?)-\d{4}-\d{2}-\d{2}-", name)
    return match.group(1) if match else ""


def select(corpus: Path) -> list[str]:
    gold = corpus.parent / "eval" / "dev_gold.jsonl"
    done = {json.loads(line)["file"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()}
    done.add(REFERENCE)
    with open(corpus / "INDEX.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["lang"] in ("zh", "zh-Hant")]
    chosen: list[str] = []
    for outlet, quota in QUOTA.items():
        pool = [r["file"] for r in rows
                if outlet_of(Path(r["file"]).name) == outlet and Path(r["file"]).name not in done]
        pool.sort(key=lambda f: hashlib.sha256(Path(f).name.encode("utf-8")).hexdigest())
        chosen.extend(pool[:quota])
    return chosen


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/corpus")
    print("\n".join(select(root)))

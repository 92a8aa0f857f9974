#!/usr/bin/env python3
"""How the per-article reports of a fusion gold's events disagree with the gold, before resolution.

    kg extract ../shared/corpus --format jsonl > /tmp/x.jsonl
    python3 scripts/fusion_reports.py ../shared/eval/fusion_dev.jsonl /tmp/x.jsonl [--details]

A resolution rule can only join reports that tell of one event alike: a report of the China-EU
video summit typed CALL with two of its four parties, or a visit dated by the day it was announced,
cannot be joined to the others by any rule. For every gold mention found in the extraction (as
``score_fusion.py`` finds it: the same file, the gold evidence within the report's evidence
sentence) this prints the report next to its gold event and counts the disagreement classes:

    type        the report's type is not the gold's (the event takes the type most reports give)
    day         the report's start lies outside the gold's days (one day of slack either side)
    undated     the report has no start while the gold has one
    status      occurred/planned/cancelled differs (a planned report before the gold start is right)
    missing     a gold party the sentence names is not among the report's parties
    extra       a report party that is none of the gold's
    place       the report's place lies in another country than the gold's place

`missing` counts only gold parties the sentence names (by name or alias of the extraction's
entity), so a report of one leg that does not name every host is not counted against. A sentence
may give several reports (a criticism of a visit and the visit); --best counts only the one that
fits its gold event best, which is what resolution can at best join.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path("/work/shared/eval")))
from score_fusion import corpus_relative, norm  # noqa: E402


def _reported(ev: dict) -> str:
    """The report's sentences as REPORTED_IN.evidence holds them: its evidence and the article's
    other sentences pooled into it."""
    return "\n".join([ev.get("evidence") or "", *(ev.get("more_evidence") or [])])


def day(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s[:10]) if s else None


def names_of(ent: dict) -> set[str]:
    """Every name an extracted entity answers to, casefolded (as score_fusion matches parties)."""
    return {v.casefold() for v in [ent.get("iso2"), ent.get("name"), *(ent.get("aliases") or [])] if v}


def gold_parties(g: dict) -> set[str]:
    return {v.casefold() for v in g["countries"] + g["persons"] + g.get("orgs", [])}


def classes(g: dict, ev: dict, ents: dict[str, dict], published: dt.date | None) -> list[str]:
    """The disagreement classes of one report `ev` of gold event `g`."""
    out = []
    if ev["type"] != g["type"]:
        out.append(f"type:{ev['type']}>{g['type']}")
    gs, ge, es = day(g.get("start")), day(g.get("end") or g.get("start")), day(ev.get("start"))
    if gs and es is None:
        out.append("undated")
    elif gs and not (gs - dt.timedelta(days=1) <= es <= ge + dt.timedelta(days=1)):
        out.append("day")
    want_status = g["status"]
    if want_status == "occurred" and published and gs and published < gs:
        want_status = "planned"
    if ev["status"] != want_status:
        out.append(f"status:{ev['status']}>{want_status}")
    want = gold_parties(g)
    have = [p for p in ev["participants"] if p in ents]
    extra = [p for p in have if not names_of(ents[p]) & want]
    if extra:
        out.append("extra:" + ",".join(extra))
    matched = set().union(*(names_of(ents[p]) & want for p in have)) if have else set()
    sentence = _reported(ev)
    named = {w for w in want - matched if any(
        e for e in ents.values() if w in names_of(e) and any(a and a in sentence for a in [e.get("name"), *(e.get("aliases") or [])]))}
    if named:
        out.append("missing:" + ",".join(sorted(named)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold")
    ap.add_argument("extraction")
    ap.add_argument("--details", action="store_true", help="one line per found mention")
    ap.add_argument("--event", help="only this gold event")
    ap.add_argument("--best", action="store_true", help="count only the best-fitting report of each mention")
    a = ap.parse_args()
    gold = [json.loads(x) for x in open(a.gold, encoding="utf-8") if x.strip()]
    arts = collections.defaultdict(list)
    for line in open(a.extraction, encoding="utf-8"):
        x = json.loads(line)
        arts[corpus_relative(x["article"]["path"])].append(x)
    counts: collections.Counter[str] = collections.Counter()
    per_event: dict[str, collections.Counter[str]] = {}
    found = total = reports = 0
    for g in gold:
        if a.event and g["id"] != a.event:
            continue
        c = per_event.setdefault(g["id"], collections.Counter())
        if a.details:
            print(f"== {g['id']} {g['type']} {g['start']}..{g['end']} {g['place']} {g['status']} "
                  f"{g['countries']} {g['persons']} {g.get('orgs', [])}")
        for m in g["mentions"]:
            total += 1
            e = norm(m["evidence"])
            hit = False
            for x in arts.get(m["file"], []):
                ents = {en["id"]: en for en in x["entities"]}
                pub = day(x["article"].get("published"))
                mine = [ev for ev in x["events"] if e and (e in norm(_reported(ev)) or (
                    len(norm(_reported(ev))) > 8 and norm(_reported(ev)) in e))]
                if a.best and mine:  # the report that fits the gold best stands for the mention
                    mine = [min(mine, key=lambda ev: len(classes(g, ev, ents, pub)))]
                for ev in mine:
                    hit = True
                    reports += 1
                    cls = classes(g, ev, ents, pub)
                    keys = {k.split(":")[0] if k.split(":")[0] in ("extra", "missing") else k for k in cls}
                    counts.update(keys)
                    c.update(keys)
                    counts["reports"] += 1
                    c["reports"] += 1
                    counts["clean"] += not cls
                    c["clean"] += not cls
                    if a.details:
                        print(f"  {ev['type']:12s} {ev.get('start')}..{ev.get('end')} {ev['status']:9s} "
                              f"{ev.get('place')} {ev['participants']} pub {pub} {'OK' if not cls else ' '.join(cls)}\n"
                              f"     {m['file'][-50:]}: {(ev.get('evidence') or '')[:160]}")
            found += hit
    print(f"mentions found {found}/{total}; reports {reports}")
    for k, v in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {k:40s} {v}")
    print("per event: " + "; ".join(f"{i} {c['clean']}/{c['reports']} clean" for i, c in per_event.items()))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Why the reports of one real-world event end in several Events: resolves the corpus in one
process (as ``kg load`` would), scores it against a fusion gold like ``score_fusion.py`` and, for
each gold event, lists its found reports grouped by the Event they ended in, each with its own
type, days, status, modality, parties, place and publication day, and for every report outside
the gold event's main Event the first rule that kept it out (``refusal``; for an undated report
the window rule names what failed: its period, its publication too early or too late - "named" when
it names the event, for the longer window - or its tense). The reasons are counted over all events
at the end.

    PYTHONPATH=$PWD python3 scripts/fusion_diagnose.py [--gold ../shared/eval/fusion_dev.jsonl]
        [--cache /tmp/kg-fusion-extractions.pkl] [--quiet]

The extractions are cached (pickled) at ``--cache``: delete it after a change to extraction."""

from __future__ import annotations

import argparse
import importlib.util
import json
import pickle
import sys
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

from kg import resolve as R
from kg.graph.event_summary import event_node, event_parties
from kg.graph.tables import WriterTables
from kg.records import ArticleExtraction, EventReport

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def extractions(cache: Path) -> list[ArticleExtraction]:
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    from kg.extract.pipeline import extract_many
    from kg.readers import read_articles
    from kg.records import Article
    out = list(extract_many([a for a in read_articles([str(SHARED / "corpus")]) if isinstance(a, Article)], workers=2))
    cache.write_bytes(pickle.dumps(out))
    return out


def refusal(m: EventReport, members: list[EventReport], rules: R.ResolutionRules) -> str:
    """The first rule of ``_fits`` (and of attaching an undated report) that keeps ``m`` out of an
    event of ``members``; ``fits`` when none does (it went elsewhere, or resolution order)."""
    if not R._resolvable(m, rules):
        return "unresolvable (type/no party/no day)"
    if any(rules.kind(m.event.type) != rules.kind(x.event.type) for x in members):
        return f"kind {m.event.type}"
    if any(R._other_travellers(m, x, rules) for x in members if not R.same_key(m, x)):
        return "other travellers"
    if R._counterparts_differ(m, R._Whole.of(members, rules), rules):
        return "other counterparts"
    if m.event.start and any(x.event.start and not R._days_agree(m, x, rules) and not R.same_key(m, x)
                             for x in members):
        return "days" + (" (range)" if m.event.last != m.event.start else "") + (" stay" if any(
            R.same_stay(m, x, rules) for x in members) else "")
    places = Counter(x.event.place for x in members if x.event.place)
    venue = any(t in rules.venue_types for t in [m.event.type, *(x.event.type for x in members)])
    if venue and places and R._places_differ(m.event.place, min(places, key=lambda p: (-places[p], p)), rules):
        return "place"
    share = 1.0 if m.event.modality == R.BACKGROUND else rules.member_agreement
    conflicts = sum(R._conflict(m, x, rules) for x in members if not R.same_key(m, x))
    agreeing = sum(R.same_key(m, x) or R._agree(m, x, rules) for x in members)
    if agreeing < share * len(members):
        why = "background parties" if m.event.modality == R.BACKGROUND else "parties"
        return why + (" (place conflict)" if conflicts else "") + f" {agreeing}/{len(members)}"
    if not m.event.start:
        dated = [x for x in members if x.event.start]
        whole = R._Whole.of(dated, rules)
        if dated and not R._same_gathering(m, whole, rules):
            return "undated other organisation"
        if dated and not R._same_persons(m, whole, rules):
            return "undated other person"
        if dated:
            first = min(x.event.start for x in dated)
            last = max(x.event.last for x in dated)
            named, announced = R._names_event(m, whole, rules), R._names_trip(m, whole, rules)
            if not R._attachable(m, first, last, rules, named, announced):
                return f"undated {m.event.status} {_untimely(m, first, last, rules, named, announced)}"
    return "fits"


def _untimely(m: EventReport, first: date, last: date, rules: R.ResolutionRules, named: bool, announced: bool) -> str:
    """Which condition of ``R._attachable`` an undated report fails against an event of these days:
    its period (``Event.window``) misses them, it was published too early or too late for the
    window it gets (named or not), or its tense contradicts its publication day."""
    assert m.published_on
    if m.event.window is not None and not R._in_window(m.event.window, first, last, timedelta(days=rules.max_gap_days)):
        return "period"
    reach = timedelta(days=rules.recall_window_days if named or R.period(m) else rules.attach_window_days)
    if m.published_on < first - reach:
        return "published early" + (" (named)" if named else "")
    if m.published_on > last + reach:
        return "published late" + (" (named)" if named else "")
    return "tense" + (" (announced)" if announced else "")


def holds(ev: str, e: str) -> bool:
    """``score_fusion``'s match of a report's sentence and a gold evidence (both normalised)."""
    return bool(e) and (e in ev or (len(ev) > 8 and ev in e))


def _short(why: str) -> str:
    """A refusal without its counts, to be counted."""
    return why.split(" (")[0].rsplit(" ", 1)[0] if why[-1].isdigit() else why


def describe(r: EventReport) -> str:
    days = f"{r.event.start}" + (f"..{r.event.end}" if r.event.end and r.event.end != r.event.start else "")
    who = ",".join(sorted(p.split(":", 1)[1] for p in r.parties)) + " " + ",".join(
        sorted(p.split(":", 1)[1] for p in r.persons))
    return (f"{r.event.type:<12} {days:<22} {r.event.status[:4]:<4} {r.event.modality[:4]:<4} pub {r.published_on} "
            f"legs {r.legs} place {r.event.place} | {who} | {r.event.evidence[:50]!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", default=str(SHARED / "eval" / "fusion_dev.jsonl"))
    ap.add_argument("--cache", default="/tmp/kg-fusion-extractions.pkl")
    ap.add_argument("--quiet", action="store_true", help="only the score lines and the reason counts")
    a = ap.parse_args()
    tables = WriterTables.load()
    rules = tables.rules
    exs = extractions(Path(a.cache))
    reports = R.reports_of(exs)
    ids = R.resolve_events(reports, rules)
    events: dict[str, list[EventReport]] = defaultdict(list)
    for r in reports:
        events[ids[r.ref]].append(r)
    names: dict[str, tuple] = {}
    for ex in exs:
        for ent in ex.entities:
            names[ent.id] = (ent.id, getattr(ent, "iso2", None), ent.name, list(getattr(ent, "aliases", ())))
    paths = {ex.article.id: ex.article.path for ex in exs}
    rows = []
    nodes = {eid: event_node(eid, rs, rules) for eid, rs in events.items()}
    for eid, rs in events.items():
        parties = [names.get(p) or (p, p.split(":", 1)[1] if p.startswith("country:") else None, None, [])
                   for p in event_parties(rs, rules)]
        for r in rs:
            rows.append({"event": eid, "type": nodes[eid]["type"], "start": nodes[eid]["start"],
                         "end": nodes[eid]["end"], "status": nodes[eid]["status"], "evidence": r.event.reported_evidence,
                         "path": paths[r.article], "parties": parties or [[None, None, None, None]]})
    spec = importlib.util.spec_from_file_location("score_fusion", SHARED / "eval" / "score_fusion.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)  # type: ignore[union-attr]
    gold = [json.loads(line) for line in open(a.gold, encoding="utf-8") if line.strip()]
    summary, lines = scorer.score(gold, rows)
    by_path = defaultdict(list)
    for r in reports:
        by_path[scorer.corpus_relative(paths[r.article])].append(r)
    reasons: Counter[str] = Counter()
    for g, line in zip(gold, lines):
        found: dict[str, list[EventReport]] = defaultdict(list)
        mentions = []  # the reports of each found gold mention (a sentence listing a tour's legs gives several)
        for mention in g["mentions"]:
            mine = [r for r in by_path.get(mention["file"], [])
                    if holds(scorer.norm(r.event.reported_evidence), scorer.norm(mention["evidence"]))]
            for r in mine:
                found[ids[r.ref]].append(r)
            if mine:
                mentions.append(mine)
        if not a.quiet:
            print(f"\n=== {g['id']} {g['type']} {g['start']}..{g['end']} {g['countries']} {g['persons']} "
                  f"{g.get('orgs')}\n{line}")
        if not found:
            continue
        main_id = line.split()[-1]  # the Event the scorer judged (holding most of the gold event's mentions)
        for mine in mentions:
            if all(ids[r.ref] != main_id for r in mine):
                why = [_short(refusal(r, events[main_id], rules)) for r in mine]
                reasons[min(why, key=lambda w: (w == "place", w))] += 1  # a tour's other legs are other places
        strays = [r for r in events[main_id] if r not in found[main_id]]
        if strays and not a.quiet:
            print(f"  reports of the main Event that are not of {g['id']} (its purity):")
            for r in sorted(strays, key=lambda r: (r.event.start or r.published_on, r.ref)):
                print(f"     {'':<28} {describe(r)}")
        for eid in sorted(found, key=lambda e: (e != main_id, -len(found[e]), e)):
            node = nodes[eid]
            if not a.quiet:
                print(f"  [{'MAIN' if eid == main_id else 'part'}] {eid} {node['type']} {node['start']} "
                      f"{len(found[eid])}/{len(events[eid])} reports of it")
            for r in sorted(set(found[eid]), key=lambda r: (r.event.start or r.published_on, r.ref)):
                why = "" if eid == main_id else refusal(r, events[main_id], rules)
                if not a.quiet:
                    print(f"     {why:<28} {describe(r)}")
    print("\n".join(lines))
    print(summary)
    print(f"reasons a found mention stays out of its event's main Event ({sum(reasons.values())} mentions):")
    for why, n in reasons.most_common():
        print(f"  {n:>4} {why}")


if __name__ == "__main__":
    sys.exit(main())

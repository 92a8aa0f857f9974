#!/usr/bin/env python3
"""Likely splits without a gold: pairs of Events that look like one real-world event, over the
whole corpus, each with the rule of ``kg/resolve.py`` that kept them apart.

A fusion gold scores a dozen events; the events an analyst looks at are all the others. This
resolves the corpus in one process (as ``kg load`` would, server-free like
``scripts/fusion_diagnose.py``, whose extraction cache and ``refusal`` it shares) and lists the
pairs of Events that

- are of one kind (``ResolutionRules.kind``: ``same_event_types``);
- lie close in time: both dated, their days (the Event node's first..last day) overlap or lie
  within ``--gap`` days; or one undated (no report dates it) and published (its reports'
  publication days) within ``--near`` days of the other's days (two undated Events are left
  out: mostly an article's paragraph of history, one recalled visit after another);
- share their core parties: the same states (of their Event nodes' parties; at least one), or a
  person of each of two states (the gazetteer's countries: Wang Yi and Lavrov in both); with
  ``--loose`` also a shared person and a state besides his (Wang Yi and France in both).

For each pair the reports of the smaller Event (the undated one, as resolution attaches it to a
dated one; else of fewer reports, then of the larger id) are checked against the other's members with ``fusion_diagnose.refusal`` (the first rule of ``_fits`` or of
attaching an undated report that keeps a report out); the pair's reason is the one most of them
get (ties: alphabetical). The pairs are counted by reason, then listed by reason, each with its
two Events (type, days, sources, parties, place) and a sentence of each, for checking by hand.

    PYTHONPATH=$PWD python3 scripts/split_audit.py [--cache /tmp/kg-fusion-extractions.pkl]
        [--gap 1] [--near 3] [--reason place] [--ranks 11-40] [--loose] [--across] [--quiet]

``--across`` pairs Events of two kinds instead, whose reason is the kind (a visit and the meetings
of it are two events; a summit one report calls talks is one); ``--reason`` lists only the pairs
of that reason (the counts stay whole); ``--ranks a-b`` also
lists, for the Events ranked a..b by sources (distinct articles), the likely splits each is in;
``--quiet`` prints the counts alone. ``--twins`` lists instead the Events of which an Event of
another kind holds at least ``--share`` of the sentences (an article's sentences read as a visit
and as the meeting held on it, a summit and the talks at it): a fusion gold's event is scored
against the Event holding most of its sentences, a toss between two that hold as many. The
extractions are cached (pickled) at ``--cache``: delete
it after a change to extraction."""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from fusion_diagnose import _short, extractions, refusal

from kg import resolve as R
from kg.graph.event_summary import event_node, event_parties
from kg.graph.tables import WriterTables
from kg.records import EventReport, label_of


@dataclass(frozen=True)
class Summary:
    """What an Event is for the audit: its reports, kind, days (publication days when undated),
    states and persons (its node's parties) and sources."""

    id: str
    reports: tuple[EventReport, ...]
    kind: str
    dated: bool
    first: date
    last: date
    states: frozenset[str]
    persons: frozenset[str]
    sources: int
    node: dict


def summarise(eid: str, reports: list[EventReport], rules: R.ResolutionRules) -> Summary:
    node = event_node(eid, reports, rules)
    parties = event_parties(reports, rules)
    if node["start"]:
        first, last = date.fromisoformat(node["start"]), date.fromisoformat(node["end"] or node["start"])
    else:
        published = [r.published_on for r in reports if r.published_on]
        first, last = min(published), max(published)
    return Summary(eid, tuple(reports), rules.kind(reports[0].event.type), bool(node["start"]), first, last,
                   frozenset(p for p in parties if label_of(p) == "Country"),
                   frozenset(p for p in parties if label_of(p) == "Person"), node["sources"], node)


def close(a: Summary, b: Summary, gap: int, near: int) -> bool:
    """Do two Events' days overlap or lie within ``gap`` days (both dated), else within ``near``
    days (one known by publication days alone; two such: no)?"""
    if not (a.dated or b.dated):
        return False
    slack = timedelta(days=gap if a.dated and b.dated else near)
    return a.first <= b.last + slack and b.first <= a.last + slack


def core_shared(a: Summary, b: Summary, rules: R.ResolutionRules, loose: bool = False) -> bool:
    """The same states, or a shared person of each of two states; ``loose``: or a shared person
    and a shared state besides his."""
    if a.states and a.states == b.states:
        return True
    sides = {rules.person_countries.get(p) for p in a.persons & b.persons} - {None}
    return len(sides) >= 2 or (loose and bool(sides) and bool((a.states & b.states) - sides))


def pairs(events: list[Summary], rules: R.ResolutionRules, gap: int, near: int,
          loose: bool = False, across: bool = False) -> list[tuple[Summary, Summary]]:
    """The likely splits: pairs of one kind, close in time, sharing their core parties, each as
    (the larger, the smaller): the dated one first."""
    by_kind: dict[str, list[Summary]] = defaultdict(list)
    for e in events:
        by_kind["" if across else e.kind].append(e)
    out = []
    for group in by_kind.values():
        group.sort(key=lambda e: (e.first, e.id))
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if b.first > a.last + timedelta(days=max(gap, near)):
                    break
                if (a.kind != b.kind) == across and close(a, b, gap, near) and core_shared(a, b, rules, loose):
                    out.append((a, b) if (a.dated, len(a.reports), b.id) >= (b.dated, len(b.reports), a.id) else (b, a))
    return out


def reason(big: Summary, small: Summary, rules: R.ResolutionRules) -> str:
    """The refusal most of the smaller Event's reports get from the larger one's."""
    why = Counter(_short(refusal(r, list(big.reports), rules)) for r in small.reports)
    return min(why, key=lambda w: (-why[w], w))


def twins(members: dict[str, list[EventReport]], rules: R.ResolutionRules, share: float,
          least: int = 3) -> list[tuple[str, str, int, int]]:
    """(event, other, sentences of the event the other holds, the event's sentences) for every
    Event of at least ``least`` sentences (its reports' articles and evidence lines) of which an
    Event of another kind holds ``share`` or more."""
    sentences = {eid: {(r.article, line) for r in rs for line in r.event.reported_evidence.split("\n")}
                 for eid, rs in members.items()}
    kinds = {eid: rules.kind(rs[0].event.type) for eid, rs in members.items()}
    holding: dict[tuple[str, str], set[str]] = defaultdict(set)
    for eid, lines in sentences.items():
        for line in lines:
            holding[line].add(eid)
    out = []
    for eid, lines in sorted(sentences.items()):
        if len(lines) < least:
            continue
        held = Counter(other for line in lines for other in holding[line] if kinds[other] != kinds[eid])
        out += [(eid, other, n, len(lines)) for other, n in sorted(held.items()) if n >= share * len(lines)]
    return out


def show(e: Summary) -> str:
    n = e.node
    days = f"{n['start']}..{n['end']}" if e.dated else f"undated pub {e.first}..{e.last}"
    who = ",".join(sorted(p.split(":", 1)[1] for p in e.states)) + " " + ",".join(
        sorted(p.split(":", 1)[1] for p in e.persons))
    best = min(e.reports, key=lambda r: (r.event.start is None, r.ref))
    return (f"{e.id} {n['type']:<12} {days:<34} {e.sources:>2} src place {n['place']} | {who}\n"
            f"        {best.event.evidence.partition(chr(10))[0][:90]!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", default="/tmp/kg-fusion-extractions.pkl")
    ap.add_argument("--gap", type=int, default=1, help="days between two dated Events' days")
    ap.add_argument("--near", type=int, default=3, help="days between an undated Event's publication and the other's days")
    ap.add_argument("--reason", help="list only the pairs of this reason")
    ap.add_argument("--ranks", help="a-b: the likely splits of the Events ranked a..b by sources")
    ap.add_argument("--loose", action="store_true", help="also pairs sharing a person and another state")
    ap.add_argument("--across", action="store_true", help="pairs of two kinds instead (reason: kind)")
    ap.add_argument("--quiet", action="store_true", help="only the counts")
    ap.add_argument("--twins", action="store_true", help="Events most of whose sentences an Event of another kind holds")
    ap.add_argument("--share", type=float, default=0.8, help="with --twins: the share of sentences held")
    a = ap.parse_args()
    rules = WriterTables.load().rules
    reports = R.reports_of(extractions(Path(a.cache)))
    ids = R.resolve_events(reports, rules)
    members: dict[str, list[EventReport]] = defaultdict(list)
    for r in reports:
        if R._resolvable(r, rules):
            members[ids[r.ref]].append(r)
    events = [summarise(eid, rs, rules) for eid, rs in members.items()]
    if a.twins:
        nodes = {e.id: e for e in events}
        found_twins = twins(members, rules, a.share)
        print(f"{len(events)} resolvable Events, {len(found_twins)} of which an Event of another kind holds "
              f">= {a.share:.0%} of the sentences (of Events of 3 sentences or more):")
        for eid, other, n, total in ([] if a.quiet else found_twins):
            print(f"  {n}/{total} sentences\n  {show(nodes[eid])}\n  ~ {show(nodes[other])}")
        return
    found = [(big, small, reason(big, small, rules)) for big, small in pairs(events, rules, a.gap, a.near, a.loose, a.across)]
    counts = Counter(why for _, _, why in found)
    print(f"{len(events)} resolvable Events, {len(found)} likely splits (pairs), by the rule keeping them apart:")
    for why, n in counts.most_common():
        print(f"  {n:>4} {why}")
    if a.quiet:
        return
    for why, _ in counts.most_common():
        if a.reason and why != a.reason:
            continue
        print(f"\n=== {why}")
        for big, small, w in sorted(found, key=lambda f: (f[0].first, f[0].id, f[1].id)):
            if w == why:
                print(f"  {show(big)}\n  + {show(small)}")
    if a.ranks:
        lo, hi = map(int, a.ranks.split("-"))
        ranked = sorted(events, key=lambda e: (-e.sources, e.id))[lo - 1:hi]
        print(f"\n=== Events ranked {lo}-{hi} by sources, with the likely splits each is in")
        for rank, e in enumerate(ranked, lo):
            print(f"{rank:>3} {show(e)}")
            for big, small, why in found:
                if e.id in (big.id, small.id):
                    other = small if e.id == big.id else big
                    print(f"      [{why}] {show(other)}")


if __name__ == "__main__":
    sys.exit(main())

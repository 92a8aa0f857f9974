"""``kg analyze``: networkx analytics over a slice of the graph, printed as tables."""

from __future__ import annotations

import time
from datetime import date, datetime

import click

from kg.cli.common import config_option, fail
from kg.cli.output import FORMATS, render
from kg.config import load_config, neo4j_settings
from kg.errors import KgError


def _split(value: str | None, *, upper: bool = False) -> tuple[str, ...]:
    items = (x.strip() for x in (value or "").split(","))
    return tuple(x.upper() if upper else x for x in items if x)


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


@click.command("analyze")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="First day of the events analysed.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Last day of the events analysed.")
@click.option("--undated", is_flag=True,
              help="Also take the events without a known day, by their first report's day (counted apart).")
@click.option("--countries", metavar="CN,US", help="Only events one of these states took part in (ISO2).")
@click.option("--types", metavar="MEET,CALL", help="Only these event types.")
@click.option("--top", default=20, show_default=True, help="Rows of the centrality table.")
@click.option("--path", "path_ends", nargs=2, metavar="ACTOR ACTOR",
              help="Also print the shortest connection between two actor ids.")
@click.option("--pair", nargs=2, metavar="COUNTRY COUNTRY",
              help="Also print the monthly event counts by type of two actor ids (country:CN country:US).")
@click.option("--write-back", is_flag=True, help="Store degree, betweenness, pagerank, community on the nodes.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@config_option
def analyze_cmd(start: datetime | None, end: datetime | None, undated: bool, countries: str | None,
                types: str | None, top: int, path_ends: tuple[str, str] | None, pair: tuple[str, str] | None,
                write_back: bool, fmt: str, config_path: str | None) -> None:
    """Centrality, communities, connections and time series of the actors in a slice of the graph.

    Reads the events of the slice into networkx: dated events (in --from..--to when given), as the
    dashboard and the recipes count them; --undated adds the events without a known day whose first
    report falls in the range, counted apart in the summary. Only --write-back writes, storing the
    scores as node properties.

    Example:

        kg analyze --from 2021-01-01 --to 2021-06-30 --countries CN,US --path person:wang-yi person:antony-blinken
    """
    from kg.analytics import (
        actor_graph,
        centrality,
        pair_series,
        participations,
        shortest_connection,
        undated_events,
        write_scores,
    )
    from kg.graph.connect import open_driver
    from kg.graph.load import new_run_id
    from kg.queries import Filters

    began = time.perf_counter()
    filters = Filters(_day(start), _day(end), _split(countries, upper=True), _split(types, upper=True), undated)
    try:
        settings = neo4j_settings(load_config(config_path))
        with open_driver(settings) as driver:
            parts = participations(driver, filters, database=settings.database)
            g = actor_graph(parts)
            scores = centrality(g)
            written = write_scores(driver, scores, run_id=new_run_id(), database=settings.database) if write_back else 0
    except KgError as exc:
        raise fail(exc) from exc
    events, without_day = len({p.event for p in parts}), undated_events(parts)
    click.echo(f"{events - without_day} dated events"
               + (f" + {without_day} undated (by first report)" if undated else "")
               + f", {g.number_of_nodes()} actors, {g.number_of_edges()} links, "
               f"{len({s['community'] for s in scores})} communities", err=True)
    keys = ["id", "name", "label", "events", "degree", "betweenness", "pagerank", "community"]
    click.echo(render(keys, scores[:top], fmt), nl=False)
    if path_ends:
        hops = shortest_connection(g, *path_ends)
        click.echo(f"\nshortest connection {path_ends[0]} -> {path_ends[1]}: "
                   + ("none" if not hops else f"{len(hops) - 1} hops"))
        if hops:
            click.echo(render(["actor", "name", "via"], hops, fmt), nl=False)
    if pair:
        click.echo(f"\nevents of {pair[0]} with {pair[1]} by month (dated events only)")
        click.echo(render(["month", "type", "events"], pair_series(parts, *pair), fmt), nl=False)
    if write_back:
        click.echo(f"scores written to {written} nodes", err=True)
    click.echo(f"({time.perf_counter() - began:.1f}s)", err=True)

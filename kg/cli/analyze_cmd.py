"""``kg analyze``: networkx analytics over a slice of the graph, printed as tables."""

from __future__ import annotations

import time

import click

from kg.cli.common import config_option, fail
from kg.cli.output import FORMATS, render
from kg.config import load_config, neo4j_settings
from kg.errors import KgError


def _split(value: str | None) -> list[str] | None:
    return [x.strip() for x in value.split(",") if x.strip()] if value else None


@click.command("analyze")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="First day of the events analysed.")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day of the events analysed.")
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
def analyze_cmd(start: str | None, end: str | None, countries: str | None, types: str | None, top: int,
                path_ends: tuple[str, str] | None, pair: tuple[str, str] | None, write_back: bool, fmt: str,
                config_path: str | None) -> None:
    """Centrality, communities, connections and time series of the actors in a slice of the graph.

    Reads the events in the date range (and of the countries / types given) into networkx; only
    --write-back writes, storing the scores as node properties.

    Example:

        kg analyze --from 2021-01-01 --to 2021-06-30 --countries CN,US --path person:wang-yi person:antony-blinken
    """
    from kg.analytics import actor_graph, centrality, pair_series, participations, shortest_connection, write_scores
    from kg.graph.connect import open_driver
    from kg.graph.load import new_run_id

    began = time.perf_counter()
    try:
        settings = neo4j_settings(load_config(config_path))
        with open_driver(settings) as driver:
            parts = participations(driver, start=start, end=end, countries=_split(countries),
                                   types=_split(types), database=settings.database)
            g = actor_graph(parts)
            scores = centrality(g)
            written = write_scores(driver, scores, run_id=new_run_id(), database=settings.database) if write_back else 0
    except KgError as exc:
        raise fail(exc) from exc
    events = len({p.event for p in parts})
    click.echo(f"{events} events, {g.number_of_nodes()} actors, {g.number_of_edges()} links, "
               f"{len({s['community'] for s in scores})} communities", err=True)
    keys = ["name", "label", "events", "degree", "betweenness", "pagerank", "community"]
    click.echo(render(keys, scores[:top], fmt), nl=False)
    if path_ends:
        hops = shortest_connection(g, *path_ends)
        click.echo(f"\nshortest connection {path_ends[0]} -> {path_ends[1]}: "
                   + ("none" if not hops else f"{len(hops) - 1} hops"))
        if hops:
            click.echo(render(["actor", "name", "via"], hops, fmt), nl=False)
    if pair:
        click.echo(f"\nevents of {pair[0]} with {pair[1]} by month")
        click.echo(render(["month", "type", "events"], pair_series(parts, *pair), fmt), nl=False)
    if write_back:
        click.echo(f"scores written to {written} nodes", err=True)
    click.echo(f"({time.perf_counter() - began:.1f}s)", err=True)

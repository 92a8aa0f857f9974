"""``kg export`` (RDF, GraphML, GEXF, CSV) and ``kg import-rdf``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.common import config_option, fail
from kg.config import load_config, neo4j_settings
from kg.errors import KgError

# The names of kg.export.RDF_FORMATS, spelled here so that the options need not import rdflib.
RDF_FORMAT_NAMES = ("turtle", "jsonld")
EXPORT_FORMATS = (*RDF_FORMAT_NAMES, "graphml", "gexf", "csv")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option("--output", "-o", type=click.Path(allow_dash=True), default="-", show_default=True,
              help="File to write, - for standard output (csv: a folder, for nodes.csv and edges.csv).")
@config_option
def export_cmd(fmt: str, output: str, config_path: str | None) -> None:
    """Export the whole graph as RDF (turtle, jsonld), GraphML or GEXF (Gephi), or CSV.

    RDF uses the vocabulary of schema/ontology.ttl (schema.org, PROV, xsd dates, kg: for the
    rest) and can be read back with `kg import-rdf`. Without -o (or with -o -) the graph goes to
    standard output and the summary to standard error, so it pipes like any Unix tool.

    Example:

        kg export --format turtle -o graph.ttl && kg export --format gexf -o graph.gexf

        kg export --format turtle | grep -c schema:Person
    """
    import networkx as nx

    from kg.export import RDF_FORMATS, Vocabulary, read_graph, to_networkx, to_rdf, write_csv
    from kg.graph.connect import open_driver

    to_stdout = output == "-"
    if to_stdout and fmt == "csv":
        raise click.UsageError("--format csv writes two files (nodes.csv, edges.csv): give a folder with -o")
    try:
        settings = neo4j_settings(load_config(config_path))
        with open_driver(settings) as driver:
            dump = read_graph(driver, settings.database)
        if fmt in RDF_FORMATS:
            rdf = to_rdf(dump, Vocabulary.load())
            if to_stdout:
                sys.stdout.buffer.write(rdf.serialize(format=RDF_FORMATS[fmt], encoding="utf-8"))
            else:
                rdf.serialize(destination=output, format=RDF_FORMATS[fmt])
        elif fmt == "csv":
            write_csv(to_networkx(dump), Path(output))
        else:
            writer = nx.write_graphml if fmt == "graphml" else nx.write_gexf
            writer(to_networkx(dump), sys.stdout.buffer if to_stdout else output)
    except KgError as exc:
        raise fail(exc) from exc
    sys.stdout.flush()
    where = "standard output" if to_stdout else output
    click.echo(f"{len(dump.nodes)} nodes and {len(dump.edges)} edges written to {where} ({fmt})", err=to_stdout)


@click.command("import-rdf")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(RDF_FORMAT_NAMES), default=None,
              help="RDF syntax (default: from the file name, .ttl or .jsonld).")
@config_option
def import_rdf_cmd(file: str, fmt: str | None, config_path: str | None) -> None:
    """Read an RDF export of `kg export` back into Neo4j (merged into what is there).

    Example:

        kg import-rdf graph.ttl
    """
    from rdflib import Graph

    from kg.export import RDF_FORMATS, Vocabulary, from_rdf, write_dump
    from kg.graph.connect import open_driver
    from kg.graph.load import apply_schema, new_run_id

    syntax = RDF_FORMATS[fmt] if fmt else ("json-ld" if file.endswith((".jsonld", ".json")) else "turtle")
    try:
        g = Graph()
        try:
            g.parse(file, format=syntax)
        except (SyntaxError, ValueError) as exc:
            raise KgError(f"{file}: not valid {syntax} ({exc})") from exc
        dump = from_rdf(g, Vocabulary.load())
        settings = neo4j_settings(load_config(config_path))
        with open_driver(settings) as driver:
            apply_schema(driver, settings.database)
            write_dump(driver, dump, run_id=new_run_id(), database=settings.database)
    except KgError as exc:
        raise fail(exc) from exc
    click.echo(f"{len(dump.nodes)} nodes and {len(dump.edges)} edges read from {file} into {settings.uri}")

"""The ``kg`` command. Each sub-command lives in its own module and only parses options, calls
the library and prints; library errors (``KgError``) become one-line messages with exit code 1.

Command modules import the heavy libraries (the Neo4j driver, networkx, rdflib, the extraction
pipeline) inside the command functions, never at the top: every module here is imported for
``kg --help`` and for every command, so a top-level import would be paid by all of them
(figures in benchmarks/README.md, from benchmarks/startup.py).
"""

from __future__ import annotations

import click

from kg import __version__
from kg.cli.analyze_cmd import analyze_cmd
from kg.cli.dashboard_cmd import dashboard_cmd
from kg.cli.export_cmd import export_cmd, import_rdf_cmd
from kg.cli.extract_cmd import extract_cmd
from kg.cli.graph_cmds import load_cmd, query_cmd, schema_group
from kg.cli.neo4j_cmd import neo4j_group
from kg.cli.update_cmd import schedule_cmd, update_cmd


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """kg: a knowledge graph of diplomatic events, from news articles to Neo4j.

    Example:

        kg neo4j start && kg extract ../shared/corpus --format jsonl > out.jsonl && kg load out.jsonl
    """


for command in (neo4j_group, schema_group, extract_cmd, load_cmd, query_cmd, dashboard_cmd,
                analyze_cmd, export_cmd, import_rdf_cmd, update_cmd, schedule_cmd):
    main.add_command(command)

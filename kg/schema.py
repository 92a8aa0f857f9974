"""The one reader of the YAML files under ``schema/`` (graph model, gazetteers, lexicons, rules).

Data lives as YAML/Cypher files, not in code, so analysts can extend it; this module makes sure
what they write is what the code reads. ``load_yaml`` reads one file and refuses, naming the file
and the line:

- a key given twice in one mapping (PyYAML would silently keep the last one);
- a key the file's declared shape (``SHAPES``) does not know, or a required key that is missing.

``schema_dir()`` finds the folder (``$KG_SCHEMA_DIR`` overrides it, e.g. for an analyst's extended
gazetteer). Reads are cached by the file's full path, modification time and size, in the process
and as a pickle under ``cache_dir()``, so setting ``$KG_SCHEMA_DIR`` later, or editing a file, is
seen by the next read.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from kg.errors import KgError, SchemaError


def schema_dir() -> Path:
    """The schema folder: ``$KG_SCHEMA_DIR``, else ``schema/`` beside the ``kg`` package."""
    env = os.environ.get("KG_SCHEMA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "schema"


@dataclass(frozen=True)
class Shape:
    """The keys a mapping of a schema file must and may have.

    ``required`` and ``optional`` name its keys; any other key is an error. A mapping keyed by data
    (words, codes, labels) is ``open``: any key, each value shaped by ``each``. ``each`` is also the
    shape of every item of a list, and ``fields`` the shape under one named key.
    """

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    fields: Mapping[str, Shape] = field(default_factory=dict)
    each: Shape | None = None
    open: bool = False


def _keys(required: str = "", optional: str = "", **fields: Shape) -> Shape:
    """A closed mapping: ``required`` and ``optional`` are space-separated key names."""
    needed = frozenset(required.split())
    return Shape(needed, frozenset(optional.split()) | (frozenset(fields) - needed), fields)


def _each(shape: Shape) -> Shape:
    """A list, or a mapping keyed by data, whose every item / value has ``shape``."""
    return Shape(each=shape, open=True)


_GAZETTEER_ITEM = _keys("name", "id country aliases roles kind part_of within")

# The declared shape of every file ``load_yaml`` reads. Only the keys are checked here; the code
# that builds a table from a file checks the values it needs (types, codes, dates).
SHAPES: dict[str, Shape] = {
    "console.yaml": _keys("refused_keywords show procedures refused_operators refused_operator_prefixes "
                          "allowed_operators", show=_keys("modifiers targets")),
    "dashboard.yaml": _keys("colours edge_colour"),
    "dates.yaml": _keys(
        "zh_digits day_suffixes bare_day_suffixes weekday_prefixes weekday_names_zh weekday_not_before "
        "weekday_not_after weekday_names_en period_shifts_zh shift_not_after measure_words_zh week_not_before "
        "relative_years_zh reference_years_zh reference_months_zh period_suffixes_zh period_suffix_not_before "
        "relative_days day_word_not_after reference_word_not_after reference_days offset_units_zh "
        "offset_directions_zh count_numerals_zh vague_counts offset_not_before offset_clause_breaks "
        "offset_lead_ins offset_subject_joiners counts_en offset_units_en offset_directions_en offset_from_publication_en "
        "two_digit_year_ahead past_markers future_horizon_days past_horizon_days dotted_date_marks "
        "bare_date_followers quote_marks compact_date_not_after bare_day_not_before day_word_not_before "
        "not_dates day_count_before day_count_after range_connectors list_connectors open_brackets "
        "close_brackets months_en date_prepositions_en ordinal_day_prepositions_en weekday_modifiers_en "
        "period_shifts_en period_units_en future_markers future_marker_negations clause_breaks "
        "running_day_markers_zh"),
    "english.yaml": _keys(
        "names clauses events", "version",
        names=_keys("role_nouns apposition_openers country_not_after speech_verbs person_verbs relative_role_verbs "
                    "body_nouns openers particles not_names place_in_name_after place_in_name_before not_after "
                    "male_titles female_titles male_pronouns female_pronouns"),
        clauses=_keys("marks after_comma anywhere fronted"),
        events=_keys("members owned_things governments going joining past_forms not_past_before past_adverbs perfect passive_past")),
    "events.yaml": _keys(
        "types modifiers", "version background_after_days relative_days not_triggers visit_destinations word_lists "
        "scoring",
        types=_each(_keys("zh", "plover description scored min_sides en")),
        # any modifier may be added; the ones the code asks for by name must be there
        modifiers=Shape(required=frozenset({"negation", "hypothetical", "speculative", "background", "anaphoric",
                                            "distributive", "habitual", "cancelled", "planned", "refused"}),
                        each=_keys("window", "zh en except en_window after en_after"), open=True)),
    "graph.yaml": _keys(
        "nodes relationships", "version constraints indexes retired_indexes fulltext counters",
        nodes=_each(_keys("key properties", "description extra_labels")),
        relationships=_each(_keys("from to", "description example properties key")),
        counters=_each(_keys("id_prefix dims", "counts sums",
                             counts=_keys("relationship from to day event")))),
    "readers.yaml": _keys("", "version cleanup formats sentences", sentences=_keys("", "abbreviations")),
    "resolution.yaml": _keys("types multilateral_types min_jaccard many_states max_gap_days period_reach_days visit_types counterpart_types remote_types "
                             "stay_window_days attach_window_days recall_window_days undated_window_days venue_types "
                             "party_min_reports member_agreement contact_types same_event_types update_reach",
                             "version announcing_types"),
    "gazetteer/countries.yaml": _keys(
        "names aliases", "exclude_codes side_suffixes verb_prefixes compound_context single_context "
        "compounds not_before_ri blockers",
        abbreviations=_each(_keys("id", "alone verb in_runs"))),
    "gazetteer/organizations.yaml": _each(_GAZETTEER_ITEM),
    "gazetteer/persons.yaml": _each(_GAZETTEER_ITEM),
    "gazetteer/places.yaml": _each(_GAZETTEER_ITEM),
    "gazetteer/titles.yaml": _keys("titles", "english_titles rank_endings name_followers former_modifiers "
                                   "title_modifiers surnames name_end translit non_person_words byline "
                                   "common_word_frequency staff_notes japanese_surnames"),
}

# libyaml's parser where PyYAML was built with it: the same documents, read much faster (the
# gazetteer is read by every `kg extract`).
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR = "tag:yaml.org,2002:str"
_COLLECTIONS = (yaml.MappingNode, yaml.SequenceNode)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _where(trail: tuple[Any, ...]) -> str:
    return "".join(f" under {key!r}" for key in trail)


def _check(node: yaml.Node, shape: Shape | None, path: Path, trail: tuple[Any, ...], loader: Any) -> None:
    """Refuse duplicate keys anywhere under ``node``, and keys that do not fit ``shape``; ``trail``
    is the keys above it, for the message. Only collections are visited (a scalar has no key), and
    the message is written only for an error: every ``kg extract`` reads the gazetteer through this."""
    if isinstance(node, yaml.SequenceNode):
        if shape is not None and shape.each is None:
            raise SchemaError(f"{path}:{_line(node)}: expected a mapping{_where(trail)}, found a list")
        each = shape.each if shape else None
        for item in node.value:
            if isinstance(item, _COLLECTIONS):
                _check(item, each, path, trail, loader)
        return
    if not isinstance(node, yaml.MappingNode):
        return
    seen: dict[Any, yaml.Node] = {}  # each key's node, for the line of a repeated one
    known = shape.required | shape.optional if shape is not None and not shape.open else None
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise SchemaError(f"{path}:{_line(key_node)}: a key{_where(trail)} must be a plain value, "
                              f"not a list or mapping")
        # a plain string key is its own value; others (1, true, a date) are constructed to compare
        key = key_node.value if key_node.tag == _STR else loader.construct_object(key_node)
        if key in seen:
            raise SchemaError(f"{path}:{_line(key_node)}: key {key!r}{_where(trail)} given twice (first on line "
                              f"{_line(seen[key])}); YAML keeps only the last, so merge the two")
        seen[key] = key_node
        if known is not None and str(key) not in known:
            raise SchemaError(f"{path}:{_line(key_node)}: unknown key {key!r}{_where(trail)}; "
                              f"expected one of: {', '.join(sorted(known))}")
        if isinstance(value_node, _COLLECTIONS):
            inner = shape.fields.get(str(key), shape.each) if shape is not None else None
            _check(value_node, inner, path, (*trail, key), loader)
    missing = sorted(shape.required - {str(k) for k in seen}) if shape is not None and shape.required else []
    if missing:
        raise SchemaError(f"{path}:{_line(node)}: missing key(s) {', '.join(map(repr, missing))}{_where(trail)}")


def read_yaml(path: Path, shape: Shape | None = None, error: type[KgError] = SchemaError) -> Any:
    """The document of the YAML file ``path``, checked: no key twice in a mapping, and the keys of
    ``shape`` (when given). Raises ``error`` with the file and line of the first problem."""
    try:
        return _read(path, shape)
    except SchemaError as exc:
        if error is SchemaError:
            raise
        raise error(str(exc)) from exc


def _read(path: Path, shape: Shape | None) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    loader = _BaseLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if shape is not None and isinstance(node, yaml.ScalarNode):
            raise SchemaError(f"{path}: expected a mapping or a list at the top level")
        _check(node, shape, path, (), loader)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise SchemaError(f"{path}: not valid YAML ({exc})") from exc
    finally:
        loader.dispose()


def load_yaml(name: str, folder: Path | None = None) -> Any:
    """The table ``name`` of the schema (``"graph.yaml"``, ``"gazetteer/persons.yaml"``), checked
    against its declared shape. ``folder`` is the folder holding the file when it is not the
    schema's own (a copy of the gazetteer). Cached per file, size and modification time, in the
    process and on disk (``_stored_document``)."""
    if name not in SHAPES:
        raise SchemaError(f"{name}: no declared shape for this schema file (add one to kg.schema.SHAPES)")
    base = folder if folder is not None else schema_dir() / Path(name).parent
    path = (base / Path(name).name).resolve()
    try:
        stat = path.stat()
    except OSError:
        found = sorted(str(p.relative_to(base)) for p in base.rglob("*.yaml")) if base.is_dir() else []
        raise SchemaError(f"{path}: required table not found; tables present: {', '.join(found) or 'none'}") from None
    return _read_cached(path, stat.st_mtime_ns, stat.st_size, name)


def cache_dir() -> Path:
    """Where kg keeps what it derives from installed packages and its schema files and rebuilds at
    will (jieba's word index, the checked schema documents): ``$XDG_CACHE_HOME/kg``, else
    ``~/.cache/kg``. Not under ``kg.config.kg_home()``: it depends on the installation, not on a graph, so
    every KG_HOME shares it."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "kg"


# The layout of a stored document; a new value gives the stored files new names.
_STORE_FORMAT = 1


@cache
def _read_cached(path: Path, stamp: int, size: int, name: str) -> Any:
    stored = _stored_document(path, stamp, size, name)
    try:
        return pickle.loads(stored.read_bytes())
    except Exception:  # none stored yet, or a file cut short or unreadable: read the YAML
        pass
    document = read_yaml(path, SHAPES[name])
    try:
        stored.parent.mkdir(parents=True, exist_ok=True)
        partial = stored.with_name(f"{stored.name}.{os.getpid()}.partial")
        partial.write_bytes(pickle.dumps(document, pickle.HIGHEST_PROTOCOL))
        os.replace(partial, stored)  # whole or not at all: a process that finds it finds it complete
    except OSError:
        pass  # no writable cache folder: every process reads the YAML
    return document


def _stored_document(path: Path, stamp: int, size: int, name: str) -> Path:
    """Where the checked document of the file ``path`` as it is now is kept. Every command reads
    the schema's YAML (``kg extract`` of one article spent a third of its time parsing and checking
    it); the document unpickled is the same data. Named after the file's path, time and size, its
    shape's name, and this module's own file and PyYAML's version: a changed file, shape or parser
    gets a file of its own."""
    code = Path(__file__).stat()
    key = (f"{_STORE_FORMAT}:{path}:{stamp}:{size}:{name}:{code.st_mtime_ns}:{code.st_size}:"
           f"{yaml.__version__}")
    return cache_dir() / "schema" / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.pickle"

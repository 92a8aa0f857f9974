"""The structure docs/architecture.md describes, checked: layers point one way, modules form no
cycle, the schema's YAML is checked as it is read, and no function grows past a complexity of 25."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from radon.complexity import cc_visit

from kg.errors import SchemaError
from kg.extract.events import EventLexicon
from kg.schema import SHAPES, load_yaml, read_yaml, schema_dir

ROOT = Path(__file__).resolve().parents[2]
MAX_COMPLEXITY = 25

# Lowest first: a module may import from its own layer and the layers before it, never after.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("kg", "kg.errors", "kg.records", "kg.schema", "kg.config", "kg.limits", "kg.lock", "kg.validate"),
    ("kg.readers",),
    ("kg.extract",),
    ("kg.resolve", "kg.resolve_windows"),
    ("kg.graph", "kg.neo4j_server", "kg.queries", "kg.analytics", "kg.export", "kg.cookbook"),
    ("kg.pipeline", "kg.update", "kg.schedule", "kg.engine", "kg.partitions"),
    ("kg.cli", "dashboards"),
)


def _modules() -> dict[str, Path]:
    found = {}
    for package in ("kg", "dashboards"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _module_of(name: str) -> str | None:
    """The module of ours ``name`` (a module, or a name inside one) is, if any."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _import_nodes(tree: ast.AST, runtime_only: bool) -> list[ast.Import | ast.ImportFrom]:
    """The import statements under ``tree``; with ``runtime_only``, not those under ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif runtime_only and isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            todo.extend(node.orelse)
        else:
            todo.extend(ast.iter_child_nodes(node))
    return found


def _imports(name: str, runtime_only: bool = False) -> set[str]:
    """Our modules that ``name`` imports: at the top, in functions, and (unless ``runtime_only``)
    for type checking."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8")), runtime_only):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            base = node.module or ""
            if node.level:  # relative: from the package, one level up per extra dot
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names]
        out.update(m for m in map(_module_of, targets) if m and m != name)
    return out


GRAPH = {name: _imports(name) for name in MODULES}
RUNTIME_GRAPH = {name: _imports(name, runtime_only=True) for name in MODULES}


def _layer(name: str) -> int:
    matches = [(len(prefix), level) for level, prefixes in enumerate(LAYERS) for prefix in prefixes
               if name == prefix or name.startswith(prefix + ".")]
    assert matches, f"{name} belongs to no layer: add it to LAYERS here and to docs/architecture.md"
    return max(matches)[1]


def test_no_import_points_to_a_higher_layer() -> None:
    upward = [f"{name} (layer {_layer(name)}) imports {target} (layer {_layer(target)})"
              for name, targets in GRAPH.items() for target in sorted(targets) if _layer(target) > _layer(name)]
    assert not upward, "imports pointing upward:\n" + "\n".join(upward)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_modules_import_one_another_without_cycles() -> None:
    """Imports made only for type annotations (``if TYPE_CHECKING:``) are never executed and do
    not count; they still count for the layers."""
    assert not _cycles(RUNTIME_GRAPH), f"import cycles: {_cycles(RUNTIME_GRAPH)}"


def test_the_checks_catch_an_upward_import_and_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _layer("kg.graph.load") > _layer("kg.resolve") > _layer("kg.extract.dates") > _layer("kg.schema")


def test_no_function_is_more_complex_than_25() -> None:
    too_complex = []
    for name, path in MODULES.items():
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if block.complexity > MAX_COMPLEXITY:
                too_complex.append(f"{path.relative_to(ROOT)}:{block.lineno} {block.fullname} ({block.complexity})")
    assert not too_complex, "cyclomatic complexity above 25:\n" + "\n".join(too_complex)


# --------------------------------------------------------------------------- the schema's YAML


def test_every_schema_file_has_a_shape_and_fits_it() -> None:
    files = {str(p.relative_to(schema_dir())) for p in schema_dir().rglob("*.yaml")}
    assert files == set(SHAPES), f"schema files without a shape or shapes without a file: {files ^ set(SHAPES)}"
    for name in sorted(files):
        load_yaml(name)


def test_a_duplicate_key_is_refused_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "events.yaml"
    path.write_text("modifiers:\n  habitual:\n    window: 8\n    en: [often]\n    en: [may]\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=rf"{path}:5: key 'en' under 'modifiers' under 'habitual' given twice"):
        read_yaml(path)


def test_unknown_and_missing_keys_are_refused_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "resolution.yaml").write_text(
        (schema_dir() / "resolution.yaml").read_text(encoding="utf-8") + "max_gap_dayz: 3\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"resolution.yaml:\d+: unknown key 'max_gap_dayz'"):
        load_yaml("resolution.yaml", tmp_path)
    (tmp_path / "dashboard.yaml").write_text("colours: {Person: red}\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"dashboard.yaml:1: missing key\(s\) 'edge_colour'"):
        load_yaml("dashboard.yaml", tmp_path)


def test_a_later_schema_dir_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_yaml("dashboard.yaml")["edge_colour"] != "#123456"
    (tmp_path / "dashboard.yaml").write_text("colours: {}\nedge_colour: '#123456'\n", encoding="utf-8")
    monkeypatch.setenv("KG_SCHEMA_DIR", str(tmp_path))
    assert load_yaml("dashboard.yaml")["edge_colour"] == "#123456"


def test_english_modal_words_do_not_make_a_mention_habitual() -> None:
    modifiers = load_yaml("events.yaml")["modifiers"]
    assert not {"may", "might", "could"} & set(modifiers["habitual"]["en"])
    assert {"if", "whether"} <= set(modifiers["hypothetical"]["en"])


def test_a_misspelt_modifier_name_fails() -> None:
    lexicon = EventLexicon.load()
    with pytest.raises(KeyError, match="habitul"):
        lexicon.modified("habitul", "they meet every year", 5, 9)


# --------------------------------------------------------------------------- errors


def test_only_input_errors_quarantine_an_article(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad article (ValueError, KgError) is reported in its record and the run goes on; a bug
    (KeyError, TypeError, IndexError) stops the run instead of quarantining every article."""
    from kg.extract import pipeline
    from kg.readers.files import read_article

    article = read_article(next(p for p in sorted((ROOT / "sample" / "articles").rglob("*")) if p.is_file()))
    tables = pipeline.Tables.load()

    def bad_input(*_: object) -> None:
        raise ValueError("no such date")

    monkeypatch.setattr(pipeline, "extract_article", bad_input)
    [record] = pipeline.extract_many([article], tables=tables)
    assert record.errors and "no such date" in record.errors[0]

    def bug(*_: object) -> None:
        raise KeyError("typo")

    monkeypatch.setattr(pipeline, "extract_article", bug)
    with pytest.raises(KeyError, match="typo"):
        list(pipeline.extract_many([article], tables=tables))

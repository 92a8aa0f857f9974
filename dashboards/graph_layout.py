"""Positions, sizes and exports of a drawn ``Subgraph`` (pure functions; no Streamlit).

The Explore graph is laid out here, not by the browser, so that the interactive picture, the PNG
download and the GraphML download show the same graph in the same places, and so that the actor
the reader asked about stays in the centre: a radial layout with the centre actor in the middle,
its events on the first ring in date order (clockwise from the top, oldest first), their other
parties and places on the next ring, each beside the events it took part in, and so on. A ring
grows with the number of its nodes so that neighbouring labels do not overlap; a crowded ring
staggers its nodes over two radii. Event nodes carry no name (their type and day are on their
edges), so they need less room: those of the centre the room of the labels of its edges, the others
only that of their circle.

The picture is then fitted to the frame, so the more it spreads, the smaller its text comes out:
``text_sizes`` scales the names and the centre's edge labels with the picture's span so that they
keep a readable size on screen whatever the number of nodes (up to the cap of 150).
"""

from __future__ import annotations

import io
import math
from collections import defaultdict, deque
from collections.abc import Mapping
from pathlib import Path

from kg.queries import Subgraph

LABEL_SPACE = 62.0  # layout units per node along a ring: room for a label of about 8 characters
EVENT_SPACE = 30.0  # the same for an event node, which has no label
SPOKE_SPACE = 46.0  # the same for one of the centre's events: room for the labels of the centre's edges
RING_STEP = 150.0  # minimum distance between rings
FRAME = 720.0  # pixels the fitted picture spans in the graph's frame (its height less the padding)
NAME_PX = 9.0  # smallest on-screen size of a node's name, in pixels
SPOKE_PX = 8.0  # smallest on-screen size of the labels of the centre's own edges


def rings(graph: Subgraph, centre: str) -> list[list[str]]:
    """Node ids by hop distance from ``centre`` (unreachable nodes make a last ring)."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for e in graph.edges:
        neighbours[e.source].add(e.target)
        neighbours[e.target].add(e.source)
    ids = [n.id for n in graph.nodes]
    if centre not in ids:
        return [ids]
    distance = {centre: 0}
    queue = deque([centre])
    while queue:
        here = queue.popleft()
        for there in sorted(neighbours[here]):
            if there not in distance:
                distance[there] = distance[here] + 1
                queue.append(there)
    out: list[list[str]] = [[] for _ in range(max(distance.values()) + 1)]
    for node_id in ids:
        if node_id in distance:
            out[distance[node_id]].append(node_id)
    rest = [i for i in ids if i not in distance]
    return out + ([rest] if rest else [])


def radial_layout(graph: Subgraph, centre: str) -> dict[str, tuple[float, float]]:
    """x, y of every node (y grows downwards, as on screen)."""
    order = {n.id: (str(n.properties.get("start") or "9999"), n.name, n.id) for n in graph.nodes}
    labels = {n.id: n.label for n in graph.nodes}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for e in graph.edges:
        neighbours[e.source].add(e.target)
        neighbours[e.target].add(e.source)
    angle: dict[str, float] = {}
    pos: dict[str, tuple[float, float]] = {}
    radius = 0.0
    for level, members in enumerate(rings(graph, centre)):
        if level == 0 and members == [centre]:
            pos[centre], angle[centre] = (0.0, 0.0), 0.0
            continue
        if level <= 1:  # the centre's own events: by date, like a clock
            members = sorted(members, key=order.__getitem__)
            wanted = {m: i / len(members) * 2 * math.pi for i, m in enumerate(members)}
        else:  # beside what they are linked to on the ring inside
            wanted = {m: _mean_angle([angle[n] for n in neighbours[m] if n in angle]) for m in members}
            members = sorted(members, key=lambda m: (wanted[m], order[m]))
        needed = _room(members, labels, level) / (2 * math.pi)
        staggered = needed > radius + RING_STEP
        radius = max(radius + RING_STEP, needed / (2 if staggered else 1))
        for i, m in enumerate(members):
            a = i / len(members) * 2 * math.pi if level > 1 else wanted[m]
            r = radius + (RING_STEP * 0.45 if staggered and i % 2 else 0.0)
            angle[m] = a
            pos[m] = (round(r * math.sin(a), 1), round(-r * math.cos(a), 1))
        if staggered:
            radius += RING_STEP * 0.45
    return pos


def _room(members: list[str], labels: Mapping[str, str], level: int) -> float:
    """Length of ring that ``members`` need side by side."""
    event_space = SPOKE_SPACE if level == 1 else EVENT_SPACE
    return sum(event_space if labels[m] == "Event" else LABEL_SPACE for m in members)


def text_sizes(pos: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
    """Font sizes in layout units (node names, the centre's edge labels) that come out at least
    ``NAME_PX`` and ``SPOKE_PX`` pixels once the picture is fitted to ``FRAME`` pixels."""
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) + 2 * LABEL_SPACE  # the outer labels stick out
    zoom = min(1.0, FRAME / span)
    return math.ceil(max(14.0, NAME_PX / zoom) * 10) / 10, math.ceil(max(10.0, SPOKE_PX / zoom) * 10) / 10


def _mean_angle(angles: list[float]) -> float:
    if not angles:
        return 0.0
    a = math.atan2(sum(math.sin(x) for x in angles), sum(math.cos(x) for x in angles))
    return a % (2 * math.pi)


def event_counts(graph: Subgraph) -> dict[str, int]:
    """Events each node is linked to in the picture (an event node: its sources), for node sizes."""
    labels = {n.id: n.label for n in graph.nodes}
    counts: dict[str, int] = defaultdict(int)
    for e in graph.edges:
        for end, other in ((e.source, e.target), (e.target, e.source)):
            if labels.get(other) == "Event" and labels.get(end) != "Event":
                counts[end] += 1
    for n in graph.nodes:
        if n.label == "Event":
            counts[n.id] = int(n.properties.get("sources") or 1)
    return {n.id: max(1, counts[n.id]) for n in graph.nodes}


def node_size(events: int) -> float:
    """Diameter in layout units: grows with the square root of the events (area ~ events)."""
    return round(18 + 7 * math.sqrt(min(events, 100)), 1)


def to_graphml(graph: Subgraph, names: Mapping[str, str] | None = None) -> bytes:
    """The picture as GraphML (nodes with label, name, shown name; edges with type and caption)."""
    import networkx as nx  # only when the reader asks for the file

    g = nx.MultiDiGraph()
    for n in graph.nodes:
        g.add_node(n.id, label=n.label, name=n.name, shown=(names or {}).get(n.id, n.name),
                   **{k: str(v) for k, v in n.properties.items() if isinstance(v, (str, int, float)) and v != ""})
    for e in graph.edges:
        g.add_edge(e.source, e.target, key=e.type, type=e.type, caption=e.caption, weight=e.weight)
    out = io.BytesIO()
    nx.write_graphml(g, out)
    return out.getvalue()


def _font_file() -> str | None:
    """A system font with Chinese characters (Noto CJK on Debian), or None."""
    for pattern in ("NotoSansCJK-Regular.ttc", "NotoSansCJK*.ttc", "*CJK*.tt[cf]", "*wqy*.tt[cf]"):
        for folder in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
            found = sorted(folder.rglob(pattern)) if folder.is_dir() else []
            if found:
                return str(found[0])
    return None


def to_png(graph: Subgraph, pos: Mapping[str, tuple[float, float]], names: Mapping[str, str],
           colours: Mapping[str, str], sizes: Mapping[str, float], edge_colour: str = "#9A9A9A",
           width: int = 2000) -> bytes:
    """The picture as a PNG ``width`` pixels wide: the same positions, colours, sizes and labels."""
    from PIL import Image, ImageDraw, ImageFont  # Pillow comes with Streamlit

    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    margin = 80.0
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0) + 2 * margin
    scale = width / span
    height = int((max(ys) - min(ys) + 2 * margin) * scale)

    def at(node_id: str) -> tuple[float, float]:
        x, y = pos[node_id]
        return (x - min(xs) + margin) * scale, (y - min(ys) + margin) * scale

    image = Image.new("RGB", (width, max(height, 200)), "white")
    draw = ImageDraw.Draw(image)
    font_path = _font_file()
    font = ImageFont.truetype(font_path, max(10, int(13 * scale))) if font_path else ImageFont.load_default()
    small = ImageFont.truetype(font_path, max(8, int(10 * scale))) if font_path else font
    for e in graph.edges:
        if e.source in pos and e.target in pos:
            draw.line([at(e.source), at(e.target)], fill=edge_colour, width=max(1, int(scale)))
    for n in graph.nodes:
        if n.id not in pos:
            continue
        x, y = at(n.id)
        r = sizes.get(n.id, 20.0) * scale / 2
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colours.get(n.label, "#9D9D9D"), outline="white")
        draw.text((x, y + r + 2), names.get(n.id, n.name), fill="black", anchor="ma",
                  font=small if n.label == "Event" else font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()

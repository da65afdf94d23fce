"""The picture of a ring: people, their applications and the keys the applications share, laid out in Python
(no script, no CDN) and drawn by the template as SVG.

The layout is Fruchterman–Reingold from a circle, deterministic (the same ring draws the same picture on every
visit); rings too big for a quick force layout are drawn on circles, keys inside, applications and people outside.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH, HEIGHT, MARGIN = 760, 520, 48
FORCE_MAX_NODES = 120
ITERATIONS = 120


@dataclass
class DrawNode:
    id: str
    kind: str  # person | application | key
    label: str
    sub: str = ""  # second line
    x: float = 0.0
    y: float = 0.0
    url: str = ""
    flagged: bool = False  # a key that made the ring (a card or phone across families)

    # Where the template draws the shape and its labels (no arithmetic in templates).
    @property
    def label_y(self) -> float:
        return round(self.y + (4 if self.kind == "application" else 26), 1)

    @property
    def sub_y(self) -> float:
        return round(self.y + 38, 1)

    @property
    def box(self) -> tuple[float, float]:
        return round(self.x - 34, 1), round(self.y - 10, 1)

    @property
    def diamond(self) -> str:
        x, y = self.x, self.y
        return f"{x:.1f},{y - 11:.1f} {x + 11:.1f},{y:.1f} {x:.1f},{y + 11:.1f} {x - 11:.1f},{y:.1f}"


@dataclass
class DrawEdge:
    a: DrawNode
    b: DrawNode

    @property
    def x1(self) -> float:
        return self.a.x

    @property
    def y1(self) -> float:
        return self.a.y

    @property
    def x2(self) -> float:
        return self.b.x

    @property
    def y2(self) -> float:
        return self.b.y


def _circle(nodes: list[DrawNode], radius: float) -> None:
    for i, node in enumerate(nodes):
        angle = 2 * math.pi * i / max(len(nodes), 1) - math.pi / 2
        node.x = WIDTH / 2 + radius * math.cos(angle)
        node.y = HEIGHT / 2 + radius * math.sin(angle)


def layout(nodes: list[DrawNode], edges: list[tuple[str, str]]) -> list[DrawEdge]:
    """Place `nodes` (in place) and return the edges between them."""
    index = {node.id: node for node in nodes}
    pairs = [(index[a], index[b]) for a, b in edges if a in index and b in index and a != b]
    if len(nodes) > FORCE_MAX_NODES:
        keys = [n for n in nodes if n.kind == "key"]
        others = [n for n in nodes if n.kind != "key"]
        _circle(keys, HEIGHT / 2 - MARGIN - 90)
        _circle(others, HEIGHT / 2 - MARGIN)
        return [DrawEdge(a, b) for a, b in pairs]
    _circle(nodes, min(WIDTH, HEIGHT) / 3)
    area = (WIDTH - 2 * MARGIN) * (HEIGHT - 2 * MARGIN)
    k = math.sqrt(area / max(len(nodes), 1)) * 0.8
    temperature = WIDTH / 8
    for _ in range(ITERATIONS):
        shift = {node.id: [0.0, 0.0] for node in nodes}
        for i, u in enumerate(nodes):
            for v in nodes[i + 1:]:
                dx, dy = u.x - v.x, u.y - v.y
                dist = math.hypot(dx, dy) or 0.01
                force = k * k / dist
                shift[u.id][0] += dx / dist * force
                shift[u.id][1] += dy / dist * force
                shift[v.id][0] -= dx / dist * force
                shift[v.id][1] -= dy / dist * force
        for u, v in pairs:
            dx, dy = u.x - v.x, u.y - v.y
            dist = math.hypot(dx, dy) or 0.01
            force = dist * dist / k
            shift[u.id][0] -= dx / dist * force
            shift[u.id][1] -= dy / dist * force
            shift[v.id][0] += dx / dist * force
            shift[v.id][1] += dy / dist * force
        for node in nodes:
            dx, dy = shift[node.id]
            dist = math.hypot(dx, dy) or 0.01
            step = min(dist, temperature)
            node.x = min(WIDTH - MARGIN, max(MARGIN, node.x + dx / dist * step))
            node.y = min(HEIGHT - MARGIN, max(MARGIN, node.y + dy / dist * step))
        temperature = max(temperature * 0.95, 1.0)
    for node in nodes:
        node.x, node.y = round(node.x, 1), round(node.y, 1)
    return [DrawEdge(a, b) for a, b in pairs]

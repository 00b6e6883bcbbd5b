"""A framework's items as the tree they are: siblings in their `order`, each node with its depth and children.

Frameworks are small (a hundred items), so a page reads them all once and walks the tree in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .models import Item


@dataclass
class Node:
    item: Item
    depth: int
    children: list[Node] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def leaves(self) -> Iterator[Node]:
        if self.is_leaf:
            yield self
        for child in self.children:
            yield from child.leaves()


def build(items: Iterable[Item]) -> list[Node]:
    """The roots, each with its subtree; siblings by (order, code, pk). An item whose parent is missing is a root."""
    items = list(items)
    ids = {item.pk for item in items}
    by_parent: dict[int | None, list[Item]] = {}
    for item in items:
        parent = item.parent_id if item.parent_id in ids else None
        by_parent.setdefault(parent, []).append(item)

    def nodes(parent_id: int | None, depth: int, seen: frozenset[int]) -> list[Node]:
        out = []
        for item in sorted(by_parent.get(parent_id, []), key=lambda i: (i.order, i.code, i.pk or 0)):
            if item.pk in seen:  # a loop cannot be saved through the services, but a hand-edited database could
                continue
            node = Node(item, depth)
            node.children = nodes(item.pk, depth + 1, seen | {item.pk})
            out.append(node)
        return out

    return nodes(None, 0, frozenset())


def walk(roots: Iterable[Node]) -> Iterator[Node]:
    """Every node in reading order (a parent before its children)."""
    for node in roots:
        yield node
        yield from walk(node.children)


def framework_tree(framework) -> list[Node]:
    return build(framework.items.all())

"""Optimal assignment with capacities, in pure Python.

Problem: left nodes (areas for improvement) take at most one right node (a mentor); a right node
takes at most ``capacity`` left nodes; each allowed pair has a positive integer weight; find the
pairs with the largest total weight (a maximum-weight b-matching, not a maximum-cardinality one).

Method: min-cost flow by successive shortest paths (Dijkstra with Johnson potentials), source ->
left (capacity 1) -> right (capacity 1 per pair) -> sink (capacity ``capacity``), costs the
negated weights, stopping as soon as the cheapest augmenting path no longer lowers the cost.
Path costs never decrease, so stopping there is optimal. The graph is split into connected
components first: suggestions are sparse (a need links only to strengths on the same practice),
so each component is small and the whole runs in milliseconds.

Weights are integers so that ties are resolved exactly; nodes and edges are processed in sorted
order, so the same input always gives the same answer.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Mapping

Edge = tuple[Hashable, Hashable, int]
Capacity = int | Mapping[Hashable, int]


def max_weight_assignment(
    edges: Iterable[Edge], capacity: Capacity
) -> list[tuple[Hashable, Hashable]]:
    """The pairs ``(left, right)`` of a maximum-weight assignment.

    ``edges`` are ``(left, right, weight)`` with ``weight > 0`` (others are ignored; for a
    repeated pair the largest weight counts). ``capacity`` is every right node's room, or a
    mapping right -> room (missing means 0). Left and right nodes must be sortable.
    """
    room = _room(capacity)
    best: dict[tuple[Hashable, Hashable], int] = {}
    for left, right, weight in edges:
        if weight > 0 and room(right) > 0 and weight > best.get((left, right), 0):
            best[(left, right)] = weight
    result: list[tuple[Hashable, Hashable]] = []
    for component in _components(best):
        result.extend(_solve(component, room))
    return sorted(result, key=lambda p: (p[0], p[1]))  # type: ignore[arg-type]


def greedy_assignment(edges: Iterable[Edge], capacity: Capacity) -> list[tuple[Hashable, Hashable]]:
    """Heaviest pair first while both ends are free: fast, not always optimal (for comparison)."""
    room = _room(capacity)
    used: dict[Hashable, int] = {}
    taken: set[Hashable] = set()
    out: list[tuple[Hashable, Hashable]] = []
    for left, right, weight in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):  # type: ignore[arg-type]
        if weight <= 0 or left in taken or used.get(right, 0) >= room(right):
            continue
        taken.add(left)
        used[right] = used.get(right, 0) + 1
        out.append((left, right))
    return sorted(out, key=lambda p: (p[0], p[1]))  # type: ignore[arg-type]


def _components(best: dict[tuple[Hashable, Hashable], int]) -> list[list[Edge]]:
    """The edges of each connected component, components and edges in sorted order."""
    by_left: dict[Hashable, list[Hashable]] = {}
    by_right: dict[Hashable, list[Hashable]] = {}
    for left, right in best:
        by_left.setdefault(left, []).append(right)
        by_right.setdefault(right, []).append(left)
    seen: set[Hashable] = set()
    components: list[list[Edge]] = []
    for start in sorted(by_left):  # type: ignore[type-var]
        if start in seen:
            continue
        seen.add(start)
        lefts, stack, rights_seen = [start], [start], set()
        while stack:
            for right in by_left[stack.pop()]:
                if right in rights_seen:
                    continue
                rights_seen.add(right)
                for left in by_right[right]:
                    if left not in seen:
                        seen.add(left)
                        lefts.append(left)
                        stack.append(left)
        edges = [(left, right, best[(left, right)]) for left in lefts for right in by_left[left]]
        components.append(sorted(edges, key=lambda e: (e[0], e[1])))  # type: ignore[arg-type]
    return components


def _room(capacity: Capacity):  # noqa: ANN202 - a small closure
    if isinstance(capacity, Mapping):
        return lambda right: max(int(capacity.get(right, 0)), 0)
    fixed = max(int(capacity), 0)
    return lambda right: fixed


def _solve(edges: list[Edge], room) -> list[tuple[Hashable, Hashable]]:  # noqa: ANN001
    lefts = sorted({e[0] for e in edges})  # type: ignore[type-var]
    rights = sorted({e[1] for e in edges})  # type: ignore[type-var]
    if len(lefts) == 1 or len(rights) == 1 and room(rights[0]) >= len(lefts):
        return _trivial(edges)
    li = {v: i + 1 for i, v in enumerate(lefts)}
    ri = {v: i + 1 + len(lefts) for i, v in enumerate(rights)}
    source, sink = 0, len(lefts) + len(rights) + 1
    graph = _Graph(sink + 1)
    for v in lefts:
        graph.add(source, li[v], 1, 0)
    pair_edges = []
    for left, right, weight in edges:
        pair_edges.append((graph.add(li[left], ri[right], 1, -weight), left, right))
    for v in rights:
        graph.add(ri[v], sink, room(v), 0)
    # Feasible potentials for the first round: the graph is a DAG with costs only on the middle
    # layer, so each right node's potential is its cheapest incoming cost.
    pot = [0] * (sink + 1)
    for _, right, weight in edges:
        pot[ri[right]] = min(pot[ri[right]], -weight)
    pot[sink] = min((pot[ri[v]] for v in rights), default=0)
    while True:
        dist = graph.dijkstra(source, sink, pot)
        if dist is None:
            break
        horizon = dist[sink]
        for v in range(len(pot)):
            pot[v] += min(dist[v], horizon)
        if pot[sink] - pot[source] >= 0:
            break  # the cheapest way to add a pair no longer adds weight
        # Every augmenting path on zero reduced-cost edges is now a cheapest one: take them all
        # (a blocking flow on the level graph) before running Dijkstra again.
        graph.blocking_flow(source, sink, pot)
    return [(left, right) for e, left, right in pair_edges if graph.cap[e] == 0]


def _trivial(edges: list[Edge]) -> list[tuple[Hashable, Hashable]]:
    """One left node (take its best edge) or one right node with room for every left node."""
    lefts = {e[0] for e in edges}
    if len(lefts) == 1:
        left, right, _ = min(edges, key=lambda e: (-e[2], e[1]))  # type: ignore[arg-type]
        return [(left, right)]
    return [(left, right) for left, right, _ in edges]


class _Graph:
    """A residual graph in flat lists: edge ``e`` and its reverse ``e ^ 1``."""

    __slots__ = ("adj", "head", "tail", "cap", "cost")

    def __init__(self, n: int) -> None:
        self.adj: list[list[int]] = [[] for _ in range(n)]
        self.head: list[int] = []
        self.tail: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []

    def add(self, u: int, v: int, cap: int, cost: int) -> int:
        e = len(self.head)
        for a, b, c, w in ((u, v, cap, cost), (v, u, 0, -cost)):
            self.adj[a].append(len(self.head))
            self.tail.append(a)
            self.head.append(b)
            self.cap.append(c)
            self.cost.append(w)
        return e

    def push(self, e: int) -> None:
        self.cap[e] -= 1
        self.cap[e ^ 1] += 1

    def dijkstra(self, s: int, t: int, pot: list[int]) -> list[int] | None:
        """Reduced-cost distances from ``s``, stopping once ``t`` is settled.

        Nodes not settled by then get a distance of at least ``t``'s, which is all the potential
        update needs. None when ``t`` cannot be reached.
        """
        n = len(self.adj)
        inf = 1 << 62
        dist = [inf] * n
        dist[s] = 0
        heap = [(0, s)]
        done = [False] * n
        head, cap, cost, adj = self.head, self.cap, self.cost, self.adj
        while heap:
            d, u = heapq.heappop(heap)
            if done[u]:
                continue
            done[u] = True
            if u == t:
                return dist
            pu = pot[u]
            for e in adj[u]:
                if cap[e] <= 0:
                    continue
                v = head[e]
                nd = d + cost[e] + pu - pot[v]
                if nd < dist[v]:
                    dist[v] = nd
                    heapq.heappush(heap, (nd, v))
        return None

    def blocking_flow(self, s: int, t: int, pot: list[int]) -> int:
        """Augment along zero reduced-cost paths (each one a cheapest path); returns units sent.

        A depth-first search that never revisits a node within one call: cheap, and it need not
        find every such path, because the caller runs Dijkstra again afterwards.
        """
        head, cap, cost, adj, tail = self.head, self.cap, self.cost, self.adj, self.tail
        seen = [False] * len(adj)
        pointer = [0] * len(adj)
        seen[s] = True
        sent = 0
        path: list[int] = []
        u = s
        while True:
            if u == t:
                for e in path:
                    self.push(e)
                sent += 1
                for e in path:  # the nodes of a used path may serve another path
                    seen[head[e]] = False
                seen[t] = False
                path.clear()
                u = s
                continue
            edges = adj[u]
            i = pointer[u]
            pu = pot[u]
            while i < len(edges):
                e = edges[i]
                v = head[e]
                if not seen[v] and cap[e] > 0 and cost[e] + pu - pot[v] == 0:
                    break
                i += 1
            pointer[u] = i
            if i == len(edges):
                if u == s:
                    return sent
                e = path.pop()
                u = tail[e]
                pointer[u] += 1
                continue
            seen[v] = True
            path.append(e)
            u = v

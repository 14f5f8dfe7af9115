"""Time as integer seconds, and the interval sweeps that turn overlaps into a few constraint rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime


def seconds(moment: datetime) -> int:
    """A UTC moment as whole seconds since the epoch."""
    return round(moment.timestamp())


def hours_to_seconds(hours: float) -> int:
    return round(hours * 3600)


def maximal_cliques(intervals: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Indices of the maximal sets of pairwise overlapping half-open intervals (interval graph cliques)."""
    events = []
    for index, (start, end) in enumerate(intervals):
        events.append((start, 1, index))
        events.append((end, 0, index))
    # Ends sort before starts at the same moment: half-open intervals that only touch do not overlap.
    events.sort()
    active: set[int] = set()
    cliques: list[list[int]] = []
    grew = False
    for _, is_start, index in events:
        if is_start:
            active.add(index)
            grew = True
        else:
            if grew:
                cliques.append(sorted(active))
                grew = False
            active.discard(index)
    return cliques


def capacity_segments(
    intervals: Sequence[tuple[int, int]],
    capacity: int,
    reductions: Sequence[tuple[int, int, int]] = (),
) -> list[tuple[frozenset[int], int]]:
    """The (set of active intervals, capacity left) pairs that a capacity rule has to hold on.

    ``reductions`` are (start, end, quantity) windows that lower the capacity (out-of-service units). Pairs
    whose active set is contained in a neighbour's with no more capacity are dropped: the neighbour's rule
    implies theirs.
    """
    changes: dict[int, list[tuple[int, int]]] = {}
    for index, (start, end) in enumerate(intervals):
        changes.setdefault(start, []).append((1, index))
        changes.setdefault(end, []).append((0, index))
    for start, end, quantity in reductions:
        changes.setdefault(start, []).append((2, -quantity))
        changes.setdefault(end, []).append((2, quantity))
    active: set[int] = set()
    level = capacity
    segments: list[tuple[frozenset[int], int]] = []
    for moment in sorted(changes):
        for kind, value in changes[moment]:
            if kind == 1:
                active.add(value)
            elif kind == 0:
                active.discard(value)
            else:
                level += value
        if active:
            segments.append((frozenset(active), max(0, level)))
        else:
            segments.append((frozenset(), capacity))
    kept = []
    for position, (members, left) in enumerate(segments):
        if not members:
            continue
        dominated = False
        for neighbour in (position - 1, position + 1):
            if 0 <= neighbour < len(segments):
                other, other_left = segments[neighbour]
                if (
                    members <= other
                    and other_left <= left
                    and (members != other or other_left < left or neighbour < position)
                ):
                    dominated = True
                    break
        if not dominated:
            kept.append((members, left))
    return kept

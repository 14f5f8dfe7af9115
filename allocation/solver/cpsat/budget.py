"""The solve's time budget: one clock and one deadline that every phase (build, LP, CP-SAT, repair) draws on.

A phase asks for its share of what is left instead of a fixed number of seconds, so a slow build leaves less
to the models rather than pushing the answer past the limit. The clock is injectable so that tests can run
an exhausted budget without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


class BudgetExhausted(Exception):
    """Raised by a phase that checks the budget and finds it spent (the caller falls back)."""


@dataclass
class Budget:
    """``limit`` seconds from its making, measured on ``clock``; ``reserve`` is kept for the end."""

    limit: float
    reserve: float = 0.0
    clock: Callable[[], float] = time.perf_counter
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    @property
    def deadline(self) -> float:
        """The moment (on ``clock``) by which the answer must be out."""
        return self.started + self.limit

    def elapsed(self) -> float:
        return self.clock() - self.started

    def left(self) -> float:
        """Seconds left for work, the reserve for finishing the plan not counted."""
        return self.deadline - self.reserve - self.clock()

    def share(self, fraction: float) -> float:
        """A phase's share of what is left (never negative)."""
        return max(0.0, self.left() * fraction)

    def check(self, until: float | None = None) -> None:
        """Raise ``BudgetExhausted`` once the clock passes ``until`` (default: the working deadline)."""
        limit = self.deadline - self.reserve if until is None else until
        if self.clock() > limit:
            raise BudgetExhausted

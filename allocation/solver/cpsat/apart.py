"""A big crew's pricing in a child process, beside the model's build and search in the parent.

Pricing (pricing.py) and the neighbourhoods' search (neighbourhoods.py) are both mostly Python between their
solver calls. In one process they take turns at the interpreter lock: at 300 jobs one after the other, or
in two threads, they used 12.5 s of CPU in 10 s either way, and the search got under 2 s of the ten. In
two processes each has its own interpreter, and the search runs from the moment the candidates are known.

The child is forked, so it starts with the scenario and the start plan in memory and nothing to send. It
puts on a queue, in order, each better bound as it is proven (a ``CrewPricing`` without candidates), the
candidates once ``pricing.CANDIDATE_ROUNDS`` rounds have priced them, and its result when its rounds end.
Every bound sent holds over all pairs whatever follows, so the parent never waits past its deadline: a child
not done by then is stopped, and the last bound it sent stands.
"""

from __future__ import annotations

import logging
import queue
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import billiard
import billiard.queues
from billiard.process import BaseProcess

from allocation.solver.cpsat.pricing import CrewPricing, price_crew
from allocation.solver.scenario import Plan, Scenario

logger = logging.getLogger(__name__)

# How long a stopped child is given to go before it is killed.
_STOP_SECONDS = 0.5
# How often a wait for the child looks whether it is still there.
_POLL_SECONDS = 0.1


class PricingFailed(Exception):
    """The child ended, or fell silent past its deadline, before it sent the candidates."""


@dataclass
class PricingApart:
    """A pricing child and what it has sent so far."""

    process: BaseProcess
    messages: billiard.queues.Queue[tuple[str, Any]]
    clock: Callable[[], float]
    latest: CrewPricing | None = None
    candidates: set[tuple[str, str]] | None = field(default=None, repr=False)
    final: CrewPricing | None = None
    done: bool = False

    def wait_candidates(self, until: float) -> set[tuple[str, str]] | None:
        """The candidates for the model, waiting for them until ``until`` at most; None when pricing gave
        nothing (the crew then goes into the model whole, as without pricing). Raises ``PricingFailed``
        when the child ends or stays silent without having sent them (it is then stopped)."""
        while self.candidates is None and not self.done:
            if not self._receive(until):
                self.stop()
                raise PricingFailed
        if self.candidates is None:
            return self.final.candidates if self.final is not None else None
        return self.candidates

    def result(self, until: float) -> CrewPricing:
        """Pricing's result, or the best bound sent by ``until`` (the child is then stopped), with the
        candidates the model was given. Only asked once the candidates came."""
        assert self.candidates is not None or self.final is not None
        while not self.done:
            if not self._receive(until):
                logger.warning("crew pricing did not end in time; keeping its best bound so far")
                self.stop()
                break
        self._join()
        best = self.final or self.latest
        if best is None:
            # Never the case once candidates came (a bound is sent before them); every cost term is
            # non-negative, so 0 is a bound of the crew's share whatever it is.
            best = CrewPricing(candidates=set(), pairs=0, bound=0.0)
        if self.candidates is not None:
            best.candidates = self.candidates
        return best

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self._join()

    def _join(self) -> None:
        self.process.join(_STOP_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.messages.close()

    def _receive(self, until: float) -> bool:
        """One message from the child into its place; False if none came by ``until`` or the child ended."""
        while True:
            wait = min(_POLL_SECONDS, until - self.clock())
            try:
                # A queue's get with a timeout of 0 gives up before it looks.
                message = self.messages.get(timeout=wait) if wait > 0 else self.messages.get(block=False)
                break
            except queue.Empty:
                if not self.process.is_alive():
                    # What it put is flushed before it ends: one last look.
                    try:
                        message = self.messages.get(timeout=_POLL_SECONDS)
                        break
                    except queue.Empty:
                        return False
                if self.clock() >= until:
                    return False
        kind, payload = message
        if kind == "bound":
            self.latest = payload
        elif kind == "candidates":
            self.candidates = payload
        elif kind == "done":
            self.final, self.done = payload, True
        else:
            logger.warning("crew pricing failed in its process: %s", payload)
            return False
        return True


def price_apart(
    scenario: Scenario,
    *,
    hint: Plan | None,
    deadline: float,
    pairs: dict[str, list[int]],
    workers: int,
    clock: Callable[[], float],
) -> PricingApart | None:
    """``price_crew`` started in a forked child with these arguments, or None where no child can be forked:
    the caller then prices inline.

    The child is Celery's ``billiard`` process, not the standard library's: a solve runs in a worker of
    Celery's prefork pool, a daemonic process, and the standard library lets no daemonic process start one.
    Only Linux forks here (a fork on macOS may crash in its system libraries).
    """
    if not sys.platform.startswith("linux"):
        return None
    context = billiard.get_context("fork")
    # A queue, not a bare pipe: its thread in the child does the sending, so a bound too big for the pipe's
    # buffer never holds up the rounds while the parent is busy with its search.
    messages: billiard.queues.Queue[tuple[str, Any]] = context.Queue()
    process = context.Process(
        target=_child,
        args=(messages, scenario, hint, deadline, pairs, workers, clock),
        name="rentalops-crew-pricing",
        daemon=True,
    )
    try:
        process.start()
    except OSError as error:
        logger.info("crew pricing runs inline: %s", error)
        messages.close()
        return None
    return PricingApart(process, messages, clock)


def _child(
    messages: billiard.queues.Queue[tuple[str, Any]],
    scenario: Scenario,
    hint: Plan | None,
    deadline: float,
    pairs: dict[str, list[int]],
    workers: int,
    clock: Callable[[], float],
) -> None:
    sent: list[bool] = []

    def send(kind: str, payload: Any) -> None:
        messages.put((kind, payload))
        if kind == "candidates":
            sent.append(True)

    try:
        result = price_crew(
            scenario,
            hint=hint,
            deadline=deadline,
            clock=clock,
            pairs=pairs,
            workers=workers,
            on_candidates=lambda candidates: send("candidates", candidates),
            on_bound=lambda bound: send("bound", bound),
        )
        if result is not None and sent:
            # The parent has the model's candidates; the later rounds' (118,000 pairs at 1,000 jobs) would
            # only cost it the time to read them.
            result.candidates = set()
        send("done", result)
    except Exception as error:  # the parent goes on without it; the error is its to log
        send("failed", f"{type(error).__name__}: {error}")
    finally:
        messages.close()
        messages.join_thread()

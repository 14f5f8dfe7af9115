"""A big crew's pricing in a child process, beside the model's build and search in the parent.

Pricing (pricing.py) and the neighbourhoods' search (neighbourhoods.py) are both mostly Python between their
solver calls. In one process they take turns at the interpreter lock: at 300 jobs one after the other, or
in two threads, they used 12.5 s of CPU in 10 s either way, and the search got under 2 s of the ten. In
two processes each has its own interpreter, and the search runs from the moment the candidates are known.

The child is forked, so it starts with the scenario and the start plan in memory and nothing to send. It
sends on a one-way pipe, in order, each better bound as it is proven (a ``CrewPricing`` without candidates
or prices), the candidates once ``pricing.CANDIDATE_ROUNDS`` rounds have priced them, and its result when
its rounds end. A thread in the parent reads each message as it comes, whatever the search is doing, so
the child never waits on a full pipe and the parent always holds the last bound sent. Every bound sent
holds over all pairs whatever follows, so the parent never waits past its deadline: a child not done by
then is stopped, and the last bound it sent stands.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import billiard
from billiard.connection import Connection
from billiard.process import BaseProcess

from allocation.solver.cpsat.pricing import CrewPricing, price_crew
from allocation.solver.scenario import Plan, Scenario

logger = logging.getLogger(__name__)

# How long a stopped child is given to go before it is killed.
_STOP_SECONDS = 0.5


class PricingFailed(Exception):
    """The child ended before it sent the candidates."""


class PricingLate(Exception):
    """The candidates had not come by the time asked; the child goes on, and its bounds still count."""


@dataclass
class PricingApart:
    """A pricing child and what it has sent so far, kept up to date by a reader thread."""

    process: BaseProcess
    connection: Connection
    clock: Callable[[], float]
    latest: CrewPricing | None = None
    candidates: set[tuple[str, str]] | None = field(default=None, repr=False)
    final: CrewPricing | None = None
    # The child sent its result, or failed, or its end of the pipe closed: nothing more will come.
    ended: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition, repr=False)
    reader: threading.Thread | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.reader = threading.Thread(target=self._read, name="rentalops-crew-pricing-reader", daemon=True)
        self.reader.start()

    def wait_candidates(self, until: float) -> set[tuple[str, str]] | None:
        """The candidates for the model, waiting for them until ``until`` at most; None when pricing gave
        nothing (the crew then goes into the model whole, as without pricing). Raises ``PricingFailed``
        when the child ended without having sent them, and ``PricingLate`` when they have not come by
        ``until`` (the child then goes on: the bounds it sends hold whatever pairs the model is given)."""
        with self.changed:
            self.changed.wait_for(lambda: self.candidates is not None or self.ended, self._left(until))
            candidates, final, ended = self.candidates, self.final, self.ended
        if candidates is not None:
            return candidates
        if not ended:
            raise PricingLate
        if final is None:
            self.stop()
            raise PricingFailed
        return final.candidates

    def lp_pairs(self) -> dict[tuple[str, str], float] | None:
        """The LP's pairs of pricing's result (see ``CrewPricing.lp_pairs``) once it has come, else None;
        never waits, so the search can ask between its draws."""
        final = self.final
        return final.lp_pairs if final is not None else None

    def result(self, until: float) -> CrewPricing:
        """Pricing's result, or the best bound sent by ``until`` (the child is then stopped), with the
        candidates the model was given, if they came from the child."""
        with self.changed:
            self.changed.wait_for(lambda: self.ended, self._left(until))
            if not self.ended:
                logger.warning("crew pricing did not end in time; keeping its best bound so far")
            best = self.final or self.latest
            candidates = self.candidates
        self.stop()
        if best is None:
            # No bound came (a child late even with its first round): every cost term is non-negative, so 0
            # is a bound of the crew's share whatever it is.
            best = CrewPricing(candidates=set(), pairs=0, bound=0.0)
        if candidates is not None:
            best.candidates = candidates
        return best

    def stop(self) -> None:
        """The child ended, killed if it does not go when asked; the reader then sees its pipe close."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(_STOP_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()

    def _left(self, until: float) -> float:
        """Seconds from now to ``until`` on ``clock`` (perf_counter or monotonic: both count as the
        condition's own clock does), for ``changed.wait_for``."""
        return max(0.0, until - self.clock())

    def _read(self) -> None:
        """The reader thread: each message into its place as it comes, until the last or the pipe's end."""
        try:
            while True:
                try:
                    kind, payload = self.connection.recv()
                except (EOFError, OSError):
                    return
                with self.changed:
                    if kind == "bound":
                        self.latest = payload
                    elif kind == "candidates":
                        self.candidates = payload
                    elif kind == "done":
                        self.final = payload
                    else:
                        logger.warning("crew pricing failed in its process: %s", payload)
                    self.changed.notify_all()
                if kind in ("done", "failed"):
                    return
        finally:
            self.connection.close()
            with self.changed:
                self.ended = True
                self.changed.notify_all()


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
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(
        target=_child,
        args=(sending, receiving, scenario, hint, deadline, pairs, workers, clock),
        name="rentalops-crew-pricing",
        daemon=True,
    )
    try:
        process.start()
    except OSError as error:
        logger.info("crew pricing runs inline: %s", error)
        receiving.close()
        return None
    finally:
        # The child's end is the child's alone: once it ends, the reader sees the pipe close.
        sending.close()
    return PricingApart(process, receiving, clock)


def _child(
    sending: Connection,
    receiving: Connection,
    scenario: Scenario,
    hint: Plan | None,
    deadline: float,
    pairs: dict[str, list[int]],
    workers: int,
    clock: Callable[[], float],
) -> None:
    receiving.close()
    sent: list[bool] = []

    def send(kind: str, payload: Any) -> None:
        # In the child's own thread, so a message is on its way when the call returns; the parent's reader
        # takes it at once, so a message bigger than the pipe's buffer holds the rounds up only briefly.
        sending.send((kind, payload))
        if kind == "candidates":
            sent.append(True)

    def without_prices(priced: CrewPricing) -> CrewPricing:
        # The prices stay with the rounds; the parent needs the bound and its pieces (half the message).
        return replace(priced, seat_prices={}, hour_prices={})

    try:
        result = price_crew(
            scenario,
            hint=hint,
            deadline=deadline,
            clock=clock,
            pairs=pairs,
            workers=workers,
            on_candidates=lambda candidates: send("candidates", candidates),
            on_bound=lambda bound: send("bound", without_prices(bound)),
        )
        if result is not None:
            result = without_prices(result)
            if sent:
                # The parent has the model's candidates; the later rounds' (118,000 pairs at 1,000 jobs)
                # would only cost it the time to read them.
                result.candidates = set()
        send("done", result)
    except Exception as error:  # the parent goes on without it; the error is its to log
        send("failed", f"{type(error).__name__}: {error}")
    finally:
        sending.close()

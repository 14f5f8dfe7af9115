"""Writes of the allocation app: asking for a re-plan, draining the requests, storing a plan run.

The solve request row is the source of truth. It is written in the same transaction as the change that asks
for it; after commit a Celery task is sent (or, on the embedded default, an in-process solve starts). If the
broker is down the request waits, and the next task or the periodic sweep drains it. A lease row makes sure
two workers never solve at once, and a burst of changes coalesces into one solve that sees all of them.
"""

import logging
import os
import threading
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone

from allocation.feasibility import fixing_conflicts
from allocation.models import (
    Pin,
    PlanCrew,
    PlanGear,
    PlanRun,
    PlanShortage,
    PlanSubRental,
    PlanUnfilled,
    SolveRequest,
    SolverLease,
)
from allocation.scenarios import BuiltScenario, build_scenario
from allocation.solver import cpsat
from allocation.solver.scenario import load_scenario, plan_to_dict
from jobs.models import GearRequirement, Product
from labor.models import CrewMember, Shift
from rentalops import audit
from rentalops.models import AuditEvent

log = logging.getLogger(__name__)

LEASE_ID = 1
ACTIVE_REQUESTS = (SolveRequest.State.PENDING, SolveRequest.State.RUNNING)


# --- asking for a re-plan ----------------------------------------------------------------------------------


def replan_request(*, reason: str, order: Any = None, user: Any = None) -> SolveRequest:
    """Record that the plan must be redone; call inside the change's transaction."""
    request = SolveRequest.objects.create(
        reason=reason[:200],
        order=order,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
    )
    transaction.on_commit(dispatch_solve)
    return request


def dispatch_solve() -> None:
    """After commit: hand the pending requests to a Celery worker, or solve in-process without a broker."""
    if settings.BROKER_CONFIGURED:
        from allocation.tasks import solve_pending

        try:
            solve_pending.apply_async(retry=False)
        except Exception:  # a broker outage: the request stays pending and is drained when the broker is back
            log.warning(
                "broker unreachable: the solve request stays pending until a worker drains it", exc_info=True
            )
        return
    if settings.SOLVE_IN_PROCESS == "sync":
        solve_requests_drain(holder=f"in-process-{os.getpid()}")
    else:
        _in_process_solver.kick()


class _InProcessSolver:
    """The embedded default's solver: one background thread that drains requests while there are any."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.again = False

    def kick(self) -> None:
        with self.lock:
            if self.thread is not None and self.thread.is_alive():
                self.again = True
                return
            self.again = False
            self.thread = threading.Thread(target=self._run, name="rentalops-solver", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        if settings.SOLVER_NICE > 0:
            # On Linux the niceness is the thread's own: the web threads keep theirs.
            os.nice(settings.SOLVER_NICE)
        try:
            while True:
                try:
                    solve_requests_drain(holder=f"in-process-{os.getpid()}")
                except Exception:
                    log.exception("in-process solve failed; the requests stay for the next change")
                with self.lock:
                    if not self.again:
                        return
                    self.again = False
        finally:
            close_old_connections()


_in_process_solver = _InProcessSolver()


# --- the lease ---------------------------------------------------------------------------------------------


def _lease_seconds() -> float:
    """Long enough for a solve and the scenario around it; a holder killed mid-solve frees it when it ends."""
    return settings.SOLVER_TIME_LIMIT_SECONDS * 2 + settings.SOLVER_LEASE_MARGIN_SECONDS


def lease_acquire(*, holder: str) -> bool:
    """Take the solver lease if it is free or expired; True when this holder has it."""
    now = timezone.now()
    SolverLease.objects.get_or_create(pk=LEASE_ID)
    taken = (
        SolverLease.objects.filter(pk=LEASE_ID)
        .filter(Q(holder="") | Q(expires_at__lt=now) | Q(holder=holder))
        .update(holder=holder, expires_at=now + timedelta(seconds=_lease_seconds()))
    )
    return taken == 1


def lease_release(*, holder: str) -> None:
    SolverLease.objects.filter(pk=LEASE_ID, holder=holder).update(holder="", expires_at=None)


# --- draining requests -------------------------------------------------------------------------------------


def solve_requests_pending() -> bool:
    return SolveRequest.objects.filter(state__in=ACTIVE_REQUESTS).exists()


def _claim_requests() -> list[SolveRequest]:
    """Mark every waiting request as being solved. Running ones are a dead solver's: we hold the lease now."""
    with transaction.atomic():
        requests = list(SolveRequest.objects.filter(state__in=ACTIVE_REQUESTS).order_by("created_at"))
        SolveRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
            state=SolveRequest.State.RUNNING, claimed_at=timezone.now()
        )
    return requests


def solve_requests_drain(*, holder: str) -> list[PlanRun]:
    """Solve until no request waits. Returns the plan runs made; none if another holder is solving."""
    plans: list[PlanRun] = []
    while solve_requests_pending():
        if not lease_acquire(holder=holder):
            return plans
        try:
            # Let the rest of a burst of edits land, so that one solve sees all of them.
            time.sleep(settings.SOLVE_DEBOUNCE_SECONDS)
            # Renew the lease before each solve: a long burst must not outlive it while we still solve.
            while lease_acquire(holder=holder) and (requests := _claim_requests()):
                plans.append(plan_solve(requests=requests))
        finally:
            lease_release(holder=holder)
        # A request written between the last claim and the release is still ours: the loop looks again.
    return plans


def _trigger_text(requests: list[SolveRequest]) -> str:
    reasons = list(dict.fromkeys(request.reason for request in requests))
    text = "; ".join(reasons[:5])
    if len(reasons) > 5:
        text += f"; and {len(reasons) - 5} more"
    return text[:300]


def plan_solve(*, requests: list[SolveRequest]) -> PlanRun:
    """Solve all open jobs from the published plan and store the outcome; answer the requests with it."""
    previous = PlanRun.objects.filter(state=PlanRun.State.PUBLISHED).first()
    built = build_scenario(previous_plan=previous.plan if previous else None)
    try:
        result = plan_to_dict(cpsat.solve(load_scenario(built.data)))
    except Exception as error:  # keep the last plan and say why rather than lose the requests silently
        log.exception("the solver failed")
        result = {"status": "error", "conflicts": [], "costs": {}, "message": f"The solver failed: {error}"}
    with transaction.atomic():
        plan = plan_store(built=built, result=result, trigger=_trigger_text(requests), previous=previous)
        SolveRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
            state=SolveRequest.State.DONE, plan=plan
        )
    return plan


def _failure_message(result: dict[str, Any]) -> str:
    status = result.get("status")
    if status == "timeout-no-solution":
        return "The solver found no plan within its time limit; the last plan stands."
    if status == "infeasible":
        named = ", ".join(conflict.get("reason", str(conflict)) for conflict in result.get("conflicts", []))
        return f"The bookings and pins cannot all hold ({named}); the last plan stands."
    return result.get("message") or "The solve failed; the last plan stands."


def plan_store(
    *, built: BuiltScenario, result: dict[str, Any], trigger: str, previous: PlanRun | None
) -> PlanRun:
    """Store a solve's outcome: a proposed plan with its lines, or a failed run that says why."""
    solved = result.get("status") in ("optimal", "feasible")
    plan = PlanRun.objects.create(
        trigger=trigger or "re-plan",
        state=PlanRun.State.PROPOSED if solved else PlanRun.State.FAILED,
        status=result.get("status", "error"),
        message="" if solved else _failure_message(result),
        solver=result.get("solver") or "cpsat",
        objective=result.get("objective"),
        bound=result.get("bound"),
        gap=result.get("gap"),
        solve_seconds=result.get("solve_seconds") or 0,
        costs=result.get("costs") or {},
        conflicts=result.get("conflicts") or [],
        scenario=built.data,
        plan=result if solved else {},
        order_versions=built.order_versions,
        job_count=len(built.data.get("jobs", [])),
        previous=previous,
    )
    if not solved:
        return plan
    PlanRun.objects.filter(state=PlanRun.State.PROPOSED).exclude(pk=plan.pk).update(
        state=PlanRun.State.SUPERSEDED
    )
    requirement, product, vendor = built.requirement_pk, built.product_pk, built.vendor_pk
    shift, crew = built.shift_pk, built.crew_pk
    PlanGear.objects.bulk_create(
        PlanGear(
            plan=plan,
            requirement_id=requirement[row["requirement"]],
            product_id=product[row["product"]],
            quantity=row["quantity"],
        )
        for row in result["gear"]
        if row["quantity"] > 0
    )
    PlanSubRental.objects.bulk_create(
        PlanSubRental(
            plan=plan,
            requirement_id=requirement[row["requirement"]],
            vendor_id=vendor[row["vendor"]],
            quantity=row["quantity"],
        )
        for row in result["subrentals"]
        if row["quantity"] > 0
    )
    PlanShortage.objects.bulk_create(
        PlanShortage(plan=plan, requirement_id=requirement[row["requirement"]], quantity=row["quantity"])
        for row in result["shortages"]
        if row["quantity"] > 0
    )
    PlanCrew.objects.bulk_create(
        PlanCrew(plan=plan, shift_id=shift[row["shift"]], crew_id=crew[row["crew"]]) for row in result["crew"]
    )
    PlanUnfilled.objects.bulk_create(
        PlanUnfilled(plan=plan, shift_id=shift[row["shift"]], missing=row["missing"])
        for row in result["unfilled"]
        if row["missing"] > 0
    )
    return plan


# --- publishing and discarding -----------------------------------------------------------------------------


class StaleProposal(Exception):
    """The plan is no longer the latest proposal: it was superseded, discarded or published meanwhile."""


def plan_publish(*, plan: PlanRun, user: Any) -> PlanRun:
    """Publish the latest proposal and retire the one published before; of two racing, exactly one wins."""
    with transaction.atomic():
        # Lock the proposal and the published plan in one id order, so two publishers queue, never deadlock.
        locked = {
            row.pk: row
            for row in PlanRun.objects.select_for_update()
            .filter(Q(pk=plan.pk) | Q(state=PlanRun.State.PUBLISHED))
            .defer("scenario", "plan")
            .order_by("pk")
        }
        current = locked.get(plan.pk)
        if current is None or current.state != PlanRun.State.PROPOSED:
            state = current.get_state_display().lower() if current else "gone"
            raise StaleProposal(f"Plan #{plan.pk} is no longer the latest proposal (it is {state}).")
        if PlanRun.objects.filter(
            state__in=[PlanRun.State.PROPOSED, PlanRun.State.PUBLISHED], pk__gt=plan.pk
        ).exists():
            raise StaleProposal(f"Plan #{plan.pk} is not the latest proposal: a newer plan exists.")
        PlanRun.objects.filter(state=PlanRun.State.PUBLISHED).exclude(pk=plan.pk).update(
            state=PlanRun.State.RETIRED
        )
        current.state = PlanRun.State.PUBLISHED
        current.published_at = timezone.now()
        current.published_by = user if getattr(user, "is_authenticated", False) else None
        current.save(update_fields=["state", "published_at", "published_by", "updated_at"])
        retired = [pk for pk, row in locked.items() if pk != plan.pk]
        audit.record(
            actor=user,
            action=AuditEvent.Action.PLAN_PUBLISHED,
            obj=current,
            summary=f"Published plan #{current.pk}" + (f", retiring #{retired[0]}" if retired else ""),
            changes={"objective": current.objective, "retired": retired},
        )
    plan.state, plan.published_at, plan.published_by = (
        current.state,
        current.published_at,
        current.published_by,
    )
    return plan


def plan_discard(*, plan: PlanRun, user: Any) -> PlanRun:
    """Set a proposal aside; the published plan stays. Only a proposal can be discarded."""
    with transaction.atomic():
        current = PlanRun.objects.select_for_update().defer("scenario", "plan").get(pk=plan.pk)
        if current.state != PlanRun.State.PROPOSED:
            raise StaleProposal(
                f"Plan #{plan.pk} is {current.get_state_display().lower()}; only a proposal can be discarded."
            )
        who = getattr(user, "username", "") or "someone"
        current.state = PlanRun.State.DISCARDED
        current.message = f"Discarded by {who} at {timezone.now():%Y-%m-%d %H:%M}."
        current.save(update_fields=["state", "message", "updated_at"])
        audit.record(
            actor=user,
            action=AuditEvent.Action.PLAN_DISCARDED,
            obj=current,
            summary=f"Discarded plan #{current.pk}",
            changes={"objective": current.objective},
        )
    plan.state, plan.message = current.state, current.message
    return plan


# --- pins --------------------------------------------------------------------------------------------------


class PinConflict(ValidationError):
    """A pin that cannot hold together with the other pins and bookings; ``conflicts`` names them."""

    def __init__(self, conflicts: list[dict[str, Any]]) -> None:
        self.conflicts = conflicts
        reasons = "; ".join(conflict.get("reason", "") for conflict in conflicts) or "it cannot hold"
        super().__init__(
            f"This pin cannot hold with the other pins and bookings: {reasons}.", code="conflict"
        )


def pin_text(pin: Pin) -> str:
    if pin.is_gear:
        return f"{pin.quantity} x {pin.product.sku} on {pin.requirement.scenario_id}"
    return f"{pin.crew.code} on {pin.shift.scenario_id}"


def _pin_scenario_row(pin: Pin) -> dict[str, Any]:
    if pin.is_gear:
        return {
            "requirement": pin.requirement.scenario_id,
            "product": pin.product.sku,
            "quantity": pin.quantity,
        }
    return {"shift": pin.shift.scenario_id, "crew": pin.crew.code}


def pin_create(
    *,
    user: Any,
    requirement: GearRequirement | None = None,
    product: Product | None = None,
    quantity: int | None = None,
    shift: Shift | None = None,
    crew: CrewMember | None = None,
) -> Pin:
    """Pin a product's units on a requirement (replacing an earlier pin of that pair) or a person on a shift.

    Refused with ``PinConflict`` when the pins and bookings could no longer all hold; otherwise saved together
    with a re-plan request, so the next plan keeps it.
    """
    gear = requirement is not None or product is not None or quantity is not None
    if gear and (shift is not None or crew is not None):
        raise ValidationError("Pin either a product on a requirement or a person on a shift, not both.")
    if gear:
        errors = {}
        if requirement is None:
            errors["requirement"] = "Choose the requirement."
        if product is None:
            errors["product"] = "Choose the product."
        if quantity is None or quantity < 0:
            errors["quantity"] = "A whole number of units, 0 or more."
        if errors:
            raise ValidationError(errors)
        job = requirement.job
    else:
        if shift is None or crew is None:
            raise ValidationError({"shift" if shift is None else "crew": "Choose the shift and the person."})
        job = shift.job
    with transaction.atomic():
        if gear:
            pin = Pin.objects.filter(requirement=requirement, product=product).first() or Pin(
                requirement=requirement, product=product
            )
            pin.quantity = quantity
        else:
            if Pin.objects.filter(shift=shift, crew=crew).exists():
                raise ValidationError(f"{crew.code} is already pinned on this shift.")
            pin = Pin(shift=shift, crew=crew)
        pin.created_by = user if getattr(user, "is_authenticated", False) else None
        built = build_scenario()
        row = _pin_scenario_row(pin)
        if not any(job.code == j["id"] for j in built.data["jobs"]):
            raise ValidationError(f"Job {job.code} is not open for planning, so nothing on it can be pinned.")
        pins = [other for other in built.data["pins"] if not _same_pin_target(other, row)]
        built.data["pins"] = [*pins, row]
        conflicts = fixing_conflicts(built.data)
        if conflicts:
            raise PinConflict(conflicts)
        before = None if pin.pk is None else Pin.objects.get(pk=pin.pk).quantity
        pin.save()
        text = pin_text(pin)
        audit.record(
            actor=user,
            action=AuditEvent.Action.PIN_SET,
            obj=pin,
            summary=f"Pinned {text} on {job.code}",
            changes={"pin": text, "job": job.code, **({"quantity": [before, pin.quantity]} if gear else {})},
        )
        replan_request(reason=f"pin {text}", user=user)
    return pin


def _same_pin_target(first: dict[str, Any], second: dict[str, Any]) -> bool:
    if "requirement" in first:
        return (first.get("requirement"), first.get("product")) == (
            second.get("requirement"),
            second.get("product"),
        )
    return (first.get("shift"), first.get("crew")) == (second.get("shift"), second.get("crew"))


def pin_delete(*, pin: Pin, user: Any) -> None:
    """Remove a pin and ask for a re-plan, in one transaction."""
    with transaction.atomic():
        text = pin_text(pin)
        job = pin.requirement.job if pin.requirement_id else pin.shift.job
        audit.record(
            actor=user,
            action=AuditEvent.Action.PIN_REMOVED,
            obj=pin,
            summary=f"Unpinned {text} on {job.code}",
            changes={"pin": text, "job": job.code},
        )
        pin.delete()
        replan_request(reason=f"unpin {text}", user=user)

"""A Celery worker killed (SIGKILL) in the middle of a solve: the solve is re-run and one plan results."""

import os
import signal
import time
from pathlib import Path

import pytest
from django.db import transaction

from allocation.models import PlanRun, SolveRequest, SolverLease
from allocation.services import replan_request
from rentalops.demo.load import seed_demo
from tests.allocation.test_replan import all_requests_done, wait_until

# The demo season (120 jobs) keeps CP-SAT busy for its whole time limit; a short lease margin lets the
# killed worker's lease run out in seconds (2 x 6 + 3 = 15 s) instead of the production two minutes.
WORKER_ENV = {
    "SOLVER_TIME_LIMIT_SECONDS": "6",
    "SOLVER_LEASE_MARGIN_SECONDS": "3",
    "SOLVE_DEBOUNCE_SECONDS": "0.2",
    "SOLVER_WORKERS": "2",
}


def request_a_replan() -> None:
    with transaction.atomic():
        replan_request(reason="re-plan after the demo load")


@pytest.mark.services
def test_a_worker_killed_mid_solve_is_replaced_and_exactly_one_plan_results(start_worker, redis_url):
    seed_demo(plan=False)
    first = start_worker(redis_url, env=WORKER_ENV)
    request_a_replan()
    wait_until(
        lambda: SolveRequest.objects.filter(state=SolveRequest.State.RUNNING).exists(),
        timeout=60,
        what="the first worker to start solving",
    )
    time.sleep(1.5)  # well inside the solve: building the scenario and CP-SAT's 6 s
    assert not PlanRun.objects.exists(), "the solve finished before the kill: the fault was not exercised"

    first["process"].send_signal(signal.SIGKILL)
    first["process"].wait(timeout=10)
    assert first["process"].returncode == -signal.SIGKILL
    killed_at = time.monotonic()
    lease = SolverLease.objects.get()
    assert lease.holder.startswith("celery:"), "the dead worker still holds the lease"
    assert SolveRequest.objects.get().state == SolveRequest.State.RUNNING
    assert not PlanRun.objects.exists()

    # A replacement worker drains on start; it waits for the dead holder's lease to run out, then re-solves.
    second = start_worker(redis_url, env=WORKER_ENV)
    wait_until(all_requests_done, timeout=120, what="the replacement worker's solve")
    assert time.monotonic() - killed_at < 90
    plans = list(PlanRun.objects.all())
    assert len(plans) == 1, [(plan.pk, plan.state, plan.status) for plan in plans]
    assert plans[0].state == PlanRun.State.PROPOSED
    assert plans[0].job_count >= 100
    assert SolveRequest.objects.get().plan == plans[0]
    assert SolverLease.objects.get().holder == ""
    log = second["log"].read_text()
    assert "retry: Retry in 5s" in log, "the replacement did not wait for the dead holder's lease"
    assert "succeeded" in log


def pool_child(worker: dict) -> int:
    """The process id of a prefork worker's one pool process (the one that runs the task)."""
    pid = worker["process"].pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


@pytest.mark.services
def test_a_killed_pool_process_gets_its_task_back_and_exactly_one_plan_results(start_worker, redis_url):
    seed_demo(plan=False)
    worker = start_worker(redis_url, env=WORKER_ENV, pool="prefork")
    request_a_replan()
    wait_until(
        lambda: SolveRequest.objects.filter(state=SolveRequest.State.RUNNING).exists(),
        timeout=60,
        what="the pool process to start solving",
    )
    time.sleep(1.5)
    assert not PlanRun.objects.exists(), "the solve finished before the kill: the fault was not exercised"
    os.kill(pool_child(worker), signal.SIGKILL)

    # acks_late + reject_on_worker_lost: the message goes back to the queue and a fresh pool process re-runs
    # it under the same task id, so it takes the lease back at once.
    wait_until(all_requests_done, timeout=90, what="the re-delivered solve")
    plans = list(PlanRun.objects.all())
    assert len(plans) == 1, [(plan.pk, plan.state, plan.status) for plan in plans]
    assert plans[0].state == PlanRun.State.PROPOSED
    assert SolveRequest.objects.get().plan == plans[0]
    log = worker["log"].read_text()
    assert "WorkerLostError" in log
    assert log.count("Task allocation.solve_pending") >= 3  # received, received again, succeeded

"""``python -m allocation.bench``: FCFS against CP-SAT on generated seasons, with a re-plan after one change.

Besides the whole objective, each plan's *capacity cost* is compared: what running out of own capacity
costs, shortages, sub-rentals and over-hire together (the issue's words), over-hire being the freelancers'
day rates and the seats left empty. The staff's day rates and the substitution penalty are left out of it.

Each solve runs in a child process so that its peak memory (CP-SAT's is native) is measured as the
child's peak RSS. Every plan is checked with ``allocation.solver.check.validate``; a failed check is
printed loudly and makes the exit code 1.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allocation.bench.generator import generate_season
from allocation.solver.check import validate
from allocation.solver.costs import crew_cost
from allocation.solver.scenario import Plan, Scenario, load_plan, load_scenario, plan_to_dict

DEFAULT_SIZES = (20, 80, 300, 1000)


@dataclass
class SolveRun:
    """One solve in a child process: the plan, wall seconds and peak RSS in MiB."""

    plan: Plan
    seconds: float
    peak_mib: float


def default_time_limit(jobs: int) -> float:
    """The targets' time budgets: 5 s up to 80 jobs, 10 s up to 300, 60 s beyond."""
    return 5.0 if jobs <= 80 else 10.0 if jobs <= 300 else 60.0


def _child(solver: str, scenario_path: str, plan_path: str, time_limit: float) -> None:
    from allocation.solver import cpsat, fcfs

    with open(scenario_path, encoding="utf-8") as handle:
        scenario = load_scenario(json.load(handle))
    module = cpsat if solver == "cpsat" else fcfs
    plan = module.solve(scenario, time_limit=time_limit)
    with open(plan_path, "w", encoding="utf-8") as handle:
        json.dump(plan_to_dict(plan), handle)
    # A big crew's pricing runs in a forked child of its own (cpsat/apart.py); the two peaks add up.
    peaks = {
        "self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }
    Path(plan_path).with_suffix(".peak.json").write_text(json.dumps(peaks), encoding="utf-8")


def run_solver(solver: str, data: dict[str, Any], time_limit: float, workdir: Path) -> SolveRun:
    """Solve ``data`` with ``solver`` in a child process; measure its wall time and peak RSS: the solve's
    own peak plus its pricing child's, an upper bound of what they held at once (the pages the fork shares
    count in both)."""
    scenario_path = workdir / "scenario.json"
    plan_path = workdir / f"plan-{solver}.json"
    scenario_path.write_text(json.dumps(data), encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "allocation.bench",
        "--child",
        solver,
        str(scenario_path),
        str(plan_path),
    ]
    command += ["--time-limit", str(time_limit)]
    started = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, _ = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{solver} child failed with exit code {process.returncode}")
    plan = load_plan(json.loads(plan_path.read_text(encoding="utf-8")))
    peaks = json.loads(plan_path.with_suffix(".peak.json").read_text(encoding="utf-8"))
    return SolveRun(plan, seconds, (peaks["self"] + peaks["children"]) / 1024)


def change_one_order(data: dict[str, Any], previous: Plan) -> tuple[dict[str, Any], str]:
    """The season after one order grows: its first requirement needs 2 more units; the previous plan kept."""
    changed = copy.deepcopy(data)
    jobs_with_gear = [job for job in changed["jobs"] if job["gear"]]
    job = jobs_with_gear[len(jobs_with_gear) // 2]
    job["gear"][0]["quantity"] += 2
    previous_dict = plan_to_dict(previous)
    # As the web app does: the plan's assignments and its per-part bounds (an optional field).
    changed["previous_plan"] = {key: previous_dict[key] for key in ("gear", "subrentals", "crew")}
    if previous.component_bounds:
        changed["previous_plan"]["component_bounds"] = dict(previous.component_bounds)
    return changed, job["id"]


def unchanged_share_changed(data: dict[str, Any], before: Plan, after: Plan, changed_job: str) -> float:
    """Percentage of the unchanged jobs' assignments (gear rows, crew pairs) that differ between the plans."""
    job_of = {g["id"]: job["id"] for job in data["jobs"] for g in job["gear"]}
    job_of.update({s["id"]: job["id"] for job in data["jobs"] for s in job["shifts"]})

    def rows(plan: Plan) -> set[tuple[str, str, int]]:
        gear = {
            (g.requirement, g.product, g.quantity)
            for g in plan.gear
            if job_of.get(g.requirement) != changed_job
        }
        crew = {(c.shift, c.crew, 1) for c in plan.crew if job_of.get(c.shift) != changed_job}
        return gear | crew

    old, new = rows(before), rows(after)
    return 100.0 * len(old - new) / max(1, len(old))


def capacity_cost(scenario: Scenario, plan: Plan) -> float:
    """Shortages, sub-rentals and over-hire (freelancers' day rates and unfilled seats) of a checked plan."""
    costs = plan.costs
    freelancers = crew_cost(scenario, plan, kind="freelancer")
    return costs["shortage"] + costs["subrental"] + costs["unfilled"] + freelancers


def _percent_less(base: float, cost: float) -> float:
    return 100.0 * (base - cost) / base if base else 0.0


def _check(label: str, data: dict[str, Any], plan: Plan) -> bool:
    report = validate(load_scenario(data), plan)
    if not report.ok:
        print(f"\n!!!!! CHECK FAILED: {label} !!!!!", file=sys.stderr)
        for violation in report.violations[:20]:
            print(f"!!!!!   {violation}", file=sys.stderr)
    return report.ok


def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _seconds(run: SolveRun) -> str:
    """The child's wall time, with the solve's own (the plan's ``solve_seconds``) in brackets."""
    return f"{run.seconds:.1f} ({run.plan.solve_seconds or 0:.1f})"


def run(sizes: list[int], seed: int, time_limit: float | None, quick: bool) -> int:
    """Run the benchmark and print the markdown table; return the exit code."""
    rows = []
    failures = 0
    with tempfile.TemporaryDirectory(prefix="rentalops-bench-") as directory:
        workdir = Path(directory)
        for jobs in sizes:
            limit = time_limit if time_limit is not None else (2.0 if quick else default_time_limit(jobs))
            data = generate_season(jobs, seed)
            scenario = load_scenario(data)
            baseline = run_solver("fcfs", data, limit, workdir)
            model = run_solver("cpsat", data, limit, workdir)
            failures += not _check(f"fcfs {jobs} jobs", data, baseline.plan)
            failures += not _check(f"cpsat {jobs} jobs", data, model.plan)
            base_cost, cost = baseline.plan.objective or 0.0, model.plan.objective or 0.0
            base_capacity = capacity_cost(scenario, baseline.plan)
            capacity = capacity_cost(scenario, model.plan)
            rows.append(
                f"| {jobs} | {len(scenario.requirements)} | {len(scenario.shifts)} | {len(scenario.crew)} "
                f"| {_money(base_cost)} | {_money(cost)} | {_percent_less(base_cost, cost):.1f}% "
                f"| {_money(base_capacity)} | {_money(capacity)} "
                f"| {_percent_less(base_capacity, capacity):.1f}% "
                f"| {_money(model.plan.bound)} "
                f"| {100 * (model.plan.gap or 0):.2f}% | {model.plan.status} | {_seconds(model)} "
                f"| {model.peak_mib:,.0f} |"
            )
            changed, changed_job = change_one_order(data, model.plan)
            replan = run_solver("cpsat", changed, limit, workdir)
            failures += not _check(f"cpsat re-plan {jobs} jobs", changed, replan.plan)
            churn_penalty = load_scenario(changed).settings.churn_penalty
            churn = replan.plan.costs.get("churn", 0.0) / churn_penalty if churn_penalty else 0.0
            share = unchanged_share_changed(data, model.plan, replan.plan, changed_job)
            rows.append(
                f"| {jobs} re-plan | | | | | {_money(replan.plan.objective)} | | | | "
                f"| {_money(replan.plan.bound)} "
                f"| {100 * (replan.plan.gap or 0):.2f}% | {replan.plan.status}; churn {churn:.0f}, "
                f"{share:.2f}% of unchanged jobs' assignments changed | {_seconds(replan)} "
                f"| {replan.peak_mib:,.0f} |"
            )
            print(rows[-2], file=sys.stderr, flush=True)
            print(rows[-1], file=sys.stderr, flush=True)
    print(
        "| jobs | requirements | shifts | crew | FCFS cost | CP-SAT cost | improvement | FCFS capacity cost "
        "| CP-SAT capacity cost | capacity improvement | bound | gap | status | seconds (solve) | peak MiB |"
    )
    print("|" + " --- |" * 15)
    print("\n".join(rows))
    if failures:
        print(f"\n!!!!! {failures} plan(s) failed the checker !!!!!", file=sys.stderr)
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m allocation.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=None, help="comma-separated job counts (default 20,80,300,1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=None, help="seconds per solve (default by size)")
    parser.add_argument("--quick", action="store_true", help="small seasons and 2 s solves, for a smoke test")
    parser.add_argument("--child", nargs=3, metavar=("SOLVER", "SCENARIO", "PLAN"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child, time_limit=args.time_limit)
        return 0
    sizes = (
        [int(size) for size in args.sizes.split(",")]
        if args.sizes
        else ([20] if args.quick else DEFAULT_SIZES)
    )
    return run(list(sizes), args.seed, args.time_limit, args.quick)


if __name__ == "__main__":
    sys.exit(main())

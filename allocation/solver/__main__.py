"""The solver's command line (SCENARIO.md): ``solve`` a scenario file, or ``check`` a plan against one."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from allocation.solver.check import CheckReport, validate
from allocation.solver.scenario import (
    COST_PARTS,
    Plan,
    Scenario,
    ScenarioError,
    load_plan,
    load_scenario_file,
    plan_to_dict,
    read_json_file,
)

EXIT_OK = 0
EXIT_INFEASIBLE = 1
EXIT_INVALID_FILE = 2
EXIT_TIMEOUT = 3
EXIT_SOLVER_UNAVAILABLE = 4

SOLVE_EXITS = """\
exit status:
  0  an optimal or feasible plan
  1  infeasible: the bookings and pins that cannot all hold are in the plan's conflicts
  2  the file is not a valid scenario (the message names the field), or bad arguments
  3  timeout-no-solution: the time limit ran out before any plan was found
  4  the chosen solver cannot be imported
"""

CHECK_EXITS = """\
exit status:
  0  the plan breaks no rule and its stated costs add up
  1  some rule is broken or a stated cost does not match
  2  the scenario or the plan is not a valid file
"""

Solver = Callable[..., Plan]


def _load_solver(name: str) -> Solver:
    # Imported lazily so that fcfs and check run where OR-Tools or the CP-SAT model is missing.
    if name == "fcfs":
        from allocation.solver.fcfs import solve
    else:
        from allocation.solver.cpsat import solve
    return solve


def _exit_for(plan: Plan) -> int:
    return {"infeasible": EXIT_INFEASIBLE, "timeout-no-solution": EXIT_TIMEOUT}.get(plan.status, EXIT_OK)


def command_solve(args: argparse.Namespace) -> int:
    """Solve a scenario file and print or write the plan."""
    scenario = _read_scenario(args.scenario)
    try:
        solve = _load_solver(args.solver)
    except ImportError as error:
        print(f"error: the {args.solver} solver is not available: {error}", file=sys.stderr)
        return EXIT_SOLVER_UNAVAILABLE
    plan = solve(scenario, time_limit=args.time_limit, workers=args.workers)
    text = json.dumps(plan_to_dict(plan), indent=2) + "\n"
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as error:
            print(f"error: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
            return EXIT_INVALID_FILE
    else:
        sys.stdout.write(text)
    return _exit_for(plan)


def command_check(args: argparse.Namespace) -> int:
    """Check a plan file against a scenario file and print what is wrong and what it costs."""
    scenario = _read_scenario(args.scenario)
    try:
        plan = load_plan(read_json_file(args.plan), "plan")
    except ScenarioError as error:
        raise _InvalidFile(_describe(args.plan, "plan", error)) from None
    report = validate(scenario, plan)
    sys.stdout.write(format_report(plan, report))
    return EXIT_OK if report.ok else EXIT_INFEASIBLE


def format_report(plan: Plan, report: CheckReport) -> str:
    """The check's findings as readable text."""
    lines = [f"plan status: {plan.status}"]
    if plan.status in ("infeasible", "timeout-no-solution"):
        lines.append(f"conflicts listed: {len(plan.conflicts)}")
    else:
        lines.append("costs recomputed from the plan (stated by the plan):")
        for part in COST_PARTS:
            stated = plan.costs.get(part)
            stated_text = "missing" if stated is None else f"{stated:,.2f}"
            lines.append(f"  {part:<13} {report.costs[part]:>16,.2f}   ({stated_text})")
        stated_objective = "missing" if plan.objective is None else f"{plan.objective:,.2f}"
        lines.append(f"  {'objective':<13} {report.objective:>16,.2f}   ({stated_objective})")
    lines.append(f"violations: {len(report.violations)}")
    lines += [f"  - {violation}" for violation in report.violations]
    lines.append("OK: the plan breaks no rule and its costs add up" if report.ok else "NOT OK")
    return "\n".join(lines) + "\n"


class _InvalidFile(Exception):
    """A file that cannot be used; the message is shown as is."""


def _read_scenario(path: str) -> Scenario:
    try:
        return load_scenario_file(path)
    except ScenarioError as error:
        raise _InvalidFile(_describe(path, "scenario", error)) from None


def _describe(path: str, what: str, error: ScenarioError) -> str:
    # A field error names the field only; an unreadable file's message already names the file.
    return f"{path}: not a valid {what}: {error}" if error.path else str(error)


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of ``python -m allocation.solver``."""
    parser = argparse.ArgumentParser(
        prog="python -m allocation.solver", description="Allocate gear and crew for a season (SCENARIO.md)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    solve = commands.add_parser(
        "solve",
        help="solve a scenario and print the plan as JSON",
        epilog=SOLVE_EXITS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    solve.add_argument("scenario", metavar="SCENARIO.json")
    solve.add_argument("-o", "--output", metavar="PLAN.json", help="write the plan here instead of stdout")
    solve.add_argument("--solver", choices=("cpsat", "fcfs"), default="cpsat", help="default: cpsat")
    solve.add_argument("--time-limit", type=float, metavar="S", help="seconds (default: the scenario's)")
    solve.add_argument("--workers", type=int, metavar="N", help="solver threads (default: the scenario's)")
    solve.set_defaults(handler=command_solve)
    check = commands.add_parser(
        "check",
        help="check a plan: broken rules and recomputed costs",
        epilog=CHECK_EXITS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("scenario", metavar="SCENARIO.json")
    check.add_argument("plan", metavar="PLAN.json")
    check.set_defaults(handler=command_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except _InvalidFile as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID_FILE


if __name__ == "__main__":
    sys.exit(main())

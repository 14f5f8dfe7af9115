"""``python -m allocation.solver``: exit codes, messages that name the field, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from allocation.solver import __main__ as cli
from allocation.solver.scenario import Plan
from tests.allocation.builders import EXAMPLES_DIR, job, scenario_data, shift

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = EXAMPLES_DIR / "example-1.json"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "allocation.solver", *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_solve_prints_a_feasible_plan_and_exits_0() -> None:
    result = run("solve", EXAMPLE, "--solver", "fcfs")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["status"] == "feasible" and plan["solver"] == "fcfs"
    assert plan["objective"] == pytest.approx(sum(plan["costs"].values()))


def test_solve_writes_the_plan_and_check_accepts_it(tmp_path: Path) -> None:
    output = tmp_path / "plan.json"
    assert run("solve", EXAMPLE, "--solver", "fcfs", "-o", output).returncode == 0
    result = run("check", EXAMPLE, output)
    assert result.returncode == 0, result.stdout
    assert "violations: 0" in result.stdout and "objective" in result.stdout


def test_check_exits_1_and_names_a_cost_that_does_not_add_up(tmp_path: Path) -> None:
    output = tmp_path / "plan.json"
    run("solve", EXAMPLE, "--solver", "fcfs", "-o", output)
    plan = json.loads(output.read_text())
    plan["costs"]["crew"] += 100
    result = run("check", EXAMPLE, write(output, plan))
    assert result.returncode == 1
    assert "plan states crew cost" in result.stdout


def test_check_exits_1_for_a_broken_rule(tmp_path: Path) -> None:
    output = tmp_path / "plan.json"
    run("solve", EXAMPLE, "--solver", "fcfs", "-o", output)
    plan = json.loads(output.read_text())
    plan["gear"].append({"requirement": "J0/g0", "product": "nothing", "quantity": 1})
    result = run("check", EXAMPLE, write(output, plan))
    assert result.returncode == 1
    assert "unknown product 'nothing'" in result.stdout


def test_solve_exits_1_for_clashing_bookings_with_the_conflicts_in_the_plan(tmp_path: Path) -> None:
    data = scenario_data(
        jobs=[job("J1", shifts=[shift("J1/s1", 8, 18), shift("J1/s2", 12, 20)])],
        bookings=[{"shift": "J1/s1", "crew": "anna"}, {"shift": "J1/s2", "crew": "anna"}],
    )
    result = run("solve", write(tmp_path / "s.json", data), "--solver", "fcfs")
    assert result.returncode == 1
    plan = json.loads(result.stdout)
    assert plan["status"] == "infeasible"
    assert plan["conflicts"][0]["kind"] == "booking" and plan["conflicts"][0]["shift"] == "J1/s2"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["jobs"][0]["gear"][0].update(quantity=-1), "jobs[0].gear[0].quantity"),
        (lambda d: d["jobs"][0]["shifts"][0].update(start="soon"), "jobs[0].shifts[0].start"),
        (
            lambda d: d["capabilities"][0]["providers"][0].update(product="ghost"),
            "capabilities[0].providers[0].product",
        ),
        (lambda d: d.update(bookings=[{"shift": "nope", "crew": "anna"}]), "bookings[0].shift"),
    ],
)
def test_solve_exits_2_naming_the_bad_field(
    tmp_path: Path, change: Callable[[dict], None], field: str
) -> None:
    data = scenario_data()
    change(data)
    result = run("solve", write(tmp_path / "bad.json", data), "--solver", "fcfs")
    assert result.returncode == 2
    assert field in result.stderr and "not a valid scenario" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_solve_exits_2_for_a_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{ not json", encoding="utf-8")
    result = run("solve", path, "--solver", "fcfs")
    assert result.returncode == 2
    assert "is not valid JSON" in result.stderr and "Traceback" not in result.stderr


def test_solve_exits_2_for_a_missing_file(tmp_path: Path) -> None:
    result = run("solve", tmp_path / "missing.json", "--solver", "fcfs")
    assert result.returncode == 2
    assert "cannot read" in result.stderr and "Traceback" not in result.stderr


def test_check_exits_2_for_an_invalid_plan(tmp_path: Path) -> None:
    plan = write(
        tmp_path / "plan.json", {"status": "feasible", "gear": [{"requirement": "J0/g0", "quantity": 1}]}
    )
    result = run("check", EXAMPLE, plan)
    assert result.returncode == 2
    assert "plan.gear[0].product: is required" in result.stderr and "Traceback" not in result.stderr


def test_check_exits_2_for_an_invalid_scenario(tmp_path: Path) -> None:
    result = run("check", write(tmp_path / "s.json", {"products": "many"}), EXAMPLE)
    assert result.returncode == 2
    assert "products" in result.stderr and "Traceback" not in result.stderr


def test_help_documents_the_exit_codes() -> None:
    result = run("solve", "--help")
    assert result.returncode == 0
    assert "3  timeout-no-solution" in result.stdout


def test_a_timeout_without_solution_exits_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr(
        cli, "_load_solver", lambda name: lambda scenario, **_: Plan(status="timeout-no-solution")
    )
    assert cli.main(["solve", str(EXAMPLE)]) == 3
    assert json.loads(capsys.readouterr().out)["status"] == "timeout-no-solution"


def test_the_time_limit_and_workers_reach_the_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}

    def fake(scenario: object, **options: object) -> Plan:
        seen.update(options)
        return Plan(status="optimal")

    monkeypatch.setattr(cli, "_load_solver", lambda name: fake)
    assert cli.main(["solve", str(EXAMPLE), "--time-limit", "2.5", "--workers", "3"]) == 0
    assert seen == {"time_limit": 2.5, "workers": 3}

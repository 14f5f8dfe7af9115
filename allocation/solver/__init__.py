"""The allocation solver: scenario JSON in, plan JSON out (see SCENARIO.md).

A plain Python package with no Django import, so it can run from the command line, in a benchmark or inside
the Celery worker alike.
"""

from allocation.solver.scenario import Plan, Scenario, ScenarioError, load_plan, load_scenario, plan_to_dict

__all__ = ["Plan", "Scenario", "ScenarioError", "load_plan", "load_scenario", "plan_to_dict"]

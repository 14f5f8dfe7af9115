"""Fixtures of the board tests."""

import pytest

from tests.catalog import make_catalog


@pytest.fixture
def planning(settings, db, make_user):
    """Solve synchronously after commit, with the small catalogue, a rep and a planner."""
    settings.SOLVE_IN_PROCESS = "sync"
    settings.SOLVE_DEBOUNCE_SECONDS = 0
    settings.SOLVER_TIME_LIMIT_SECONDS = 5
    catalog = make_catalog()
    catalog["rep"] = make_user("rep", "sales")
    catalog["planner"] = make_user("planner", "planner", first_name="Pat", last_name="Planner")
    return catalog

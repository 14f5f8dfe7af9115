"""Exports: a job's pull sheet (page and CSV) and the plan's sub-rental purchase list per vendor."""

import csv
import io

import pytest

from allocation.exports import pull_sheet
from tests.allocation.planning import latest, planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(planning, django_capture_on_commit_callbacks):
    expo = planned(django_capture_on_commit_callbacks, planning, attendees=2000, title="Expo", priority=2)
    gala = planned(django_capture_on_commit_callbacks, planning, attendees=300, title="Gala", priority=4)
    return {"expo": expo.job, "gala": gala.job, "plan": latest()}


def test_the_pull_sheet_lists_products_from_stock_and_sub_rentals(jobs):
    own, rented, shortages = pull_sheet(plan=jobs["plan"], job=jobs["gala"])
    assert [(line.code, line.quantity) for line in own] == [("WSH-1", 2), ("SPK-1", 1)]  # by category, name
    assert [(line.code, line.quantity, line.source) for line in rented] == [
        ("speaker", 2, "sub-rent from Acme Rentals")
    ]
    assert shortages == []


def test_the_pull_sheet_csv_has_a_row_per_product_and_the_shortages(jobs, client_as):
    client = client_as("planner")
    response = client.get(f"/board/jobs/{jobs['expo'].pk}/pull-sheet/{jobs['plan'].pk}/?format=csv")
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["code"], row["quantity"], row["source"]) for row in rows] == [
        ("SPK-1", "3", "own stock"),
        ("speaker", "17", "not covered"),
        ("wash-light", "2", "not covered"),
    ]


def test_the_printable_pull_sheet_shows_the_lines(jobs, client_as):
    page = (
        client_as("planner")
        .get(f"/board/jobs/{jobs['gala'].pk}/pull-sheet/{jobs['plan'].pk}/")
        .content.decode()
    )
    assert "Pull sheet" in page and "SPK-1" in page and "Acme Rentals" in page


def test_the_sub_rental_purchase_list_has_each_vendor_line_with_its_cost(jobs, client_as):
    response = client_as("planner").get(f"/board/plans/{jobs['plan'].pk}/subrentals.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows == [
        {
            "vendor_code": "acme",
            "vendor": "Acme Rentals",
            "job": "SO-00002",
            "requirement": "SO-00002/o1-speakers",
            "capability": "speaker",
            "quantity": "2",
            "start": rows[0]["start"],
            "end": rows[0]["end"],
            "days": "1",
            "unit_cost_per_day": "60.00",
            "total": "120.00",
        }
    ]


def test_sales_users_cannot_open_the_exports(jobs, client_as):
    assert client_as("sales").get(f"/board/plans/{jobs['plan'].pk}/subrentals.csv").status_code == 403

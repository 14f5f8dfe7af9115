"""``manage.py seed_demo``: load or refresh the demo house and the demo users (idempotent)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rentalops.demo.load import DEFAULT_SEED, seed_demo


class Command(BaseCommand):
    """Load the demo data set; running it again leaves the same rows with the same values."""

    help = (
        "Load a demo production rental house (clients, venues, gear, vendors, crew, 120 jobs over the next "
        "90 days) and the demo users sales, planner, coordinator and admin (password rentalops-demo)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="anchor the dates to this day (YYYY-MM-DD) instead of today in UTC",
        )
        parser.add_argument(
            "--no-plan", action="store_true", help="load the data only; do not solve and publish a first plan"
        )

    def handle(self, *args: Any, seed: int, today: date | None, no_plan: bool, **options: Any) -> None:
        report = seed_demo(seed=seed, today=today, plan=not no_plan)
        self.stdout.write(self.style.SUCCESS(report.summary()))

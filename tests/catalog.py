"""A small, hand-made catalogue for order and re-plan tests: one template that sells a session.

The "session" template asks for ``ceil(attendees / 100)`` speakers, 2 wash lights and an A1 audio engineer per
show day; the house owns 4 speakers and 2 washes, so big sessions need a sub-rental or fall short.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from jobs.models import (
    Capability,
    CapabilityProvider,
    Client,
    Product,
    ProductCategory,
    Vendor,
    VendorOffer,
    Venue,
)
from labor.models import CrewMember, CrewSkill, Skill
from sales.models import OutcomeTemplate, TemplateParameter, TemplateRule


def make_catalog() -> dict:
    category = ProductCategory.objects.create(slug="audio", name="Audio", department="audio")
    speakers = Capability.objects.create(slug="speaker", name="Speaker")
    washes = Capability.objects.create(slug="wash-light", name="Wash light")
    speaker = Product.objects.create(
        sku="SPK-1", name="Point source speaker", category=category, owned_quantity=4, day_rate=Decimal("40")
    )
    wash = Product.objects.create(
        sku="WSH-1", name="LED wash", category=category, owned_quantity=2, day_rate=Decimal("25")
    )
    CapabilityProvider.objects.create(capability=speakers, product=speaker, quality=Decimal("1"))
    CapabilityProvider.objects.create(capability=washes, product=wash, quality=Decimal("1"))
    vendor = Vendor.objects.create(code="acme", name="Acme Rentals")
    VendorOffer.objects.create(
        vendor=vendor, capability=speakers, unit_cost_per_day=Decimal("60"), max_quantity=2, lead_time_hours=0
    )
    audio = Skill.objects.create(slug="audio-a1", name="A1 audio engineer")
    anna = CrewMember.objects.create(
        code="anna", first_name="Anna", last_name="Berg", kind="staff", day_rate=Decimal("300")
    )
    CrewSkill.objects.create(crew=anna, skill=audio, level=3)
    template = OutcomeTemplate.objects.create(slug="session", name="Session")
    TemplateParameter.objects.create(
        template=template,
        name="attendees",
        label="Attendees",
        kind="integer",
        minimum=Decimal("1"),
        maximum=Decimal("5000"),
        required=True,
    )
    TemplateRule.objects.create(
        template=template, key="speakers", kind="gear", capability=speakers, quantity="ceil(attendees / 100)"
    )
    TemplateRule.objects.create(template=template, key="washes", kind="gear", capability=washes, quantity="2")
    TemplateRule.objects.create(
        template=template,
        key="a1",
        kind="crew",
        skill=audio,
        min_level=2,
        quantity="1",
        start_anchor="show_start",
        start_offset_hours=Decimal("-2"),
        end_anchor="show_end",
        end_offset_hours=Decimal("1"),
        repeat="per_show_day",
    )
    client = Client.objects.create(code="northwind", name="Northwind Traders")
    venue = Venue.objects.create(code="hall", name="Harbour Hall", city="Bristol")
    return {"template": template, "client": client, "venue": venue, "speaker": speaker, "anna": anna}


def timeline(days_ahead: int = 10, show_days: int = 1) -> dict[str, datetime]:
    """Load-in at 08:00, show 13:00-18:00 (over ``show_days`` days), load-out at 22:00 on the last day."""
    day = (timezone.now() + timedelta(days=days_ahead)).replace(hour=0, minute=0, second=0, microsecond=0)
    last = day + timedelta(days=show_days - 1)
    return {
        "load_in": day.replace(hour=8),
        "show_start": day.replace(hour=13),
        "show_end": last.replace(hour=18),
        "load_out": last.replace(hour=22),
    }

"""factory-boy factories for every model of jobs and labor, and users in a role.

Defaults make a valid row with nothing passed: unique codes from sequences, a job whose times respect every
constraint, a product with stock. Pass what the test is about and nothing else.
"""

import functools
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from jobs.models import (
    Capability,
    CapabilityProvider,
    Client,
    GearRequirement,
    Job,
    OutOfService,
    Product,
    ProductCategory,
    Vendor,
    VendorOffer,
    Venue,
)
from labor.models import (
    Booking,
    Certification,
    CertificationType,
    CrewMember,
    CrewSkill,
    Level,
    Offer,
    Shift,
    Skill,
    Unavailability,
)

PASSWORD = "rentalops-test"


@functools.cache
def _password_hash() -> str:
    """PASSWORD hashed once per test run: hashing it for every user would cost a third of a second each."""
    return make_password(PASSWORD)


def _next_morning(days: int = 7, hour: int = 8) -> datetime:
    """A whole hour some days ahead, so that windows built from it read naturally in failures."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    return (now + timedelta(days=days)).replace(hour=hour)


class UserFactory(factory.django.DjangoModelFactory):
    """A user who can log in with PASSWORD; ``role="planner"`` puts them in that role's group."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@rentalops.example")
    password = factory.LazyFunction(lambda: _password_hash())

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        if not create or not extracted:
            return
        # The role groups come from a data migration; get_or_create keeps factories usable without it.
        group, _ = Group.objects.get_or_create(name=extracted)
        self.groups.add(group)
        if extracted == "admin":
            # The admin role works in the Django admin, which only lets staff in.
            self.is_staff = True
            self.save(update_fields=["is_staff"])


class ClientFactory(factory.django.DjangoModelFactory):
    """A corporate client."""

    class Meta:
        model = Client
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"client-{n}")
    name = factory.Sequence(lambda n: f"Client {n} Ltd")
    contact_name = factory.Faker("name")
    email = factory.LazyAttribute(lambda client: f"events@{client.code}.example")


class VenueFactory(factory.django.DjangoModelFactory):
    """A conference venue."""

    class Meta:
        model = Venue
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"venue-{n}")
    name = factory.Sequence(lambda n: f"Venue {n} Conference Centre")
    city = "Manchester"
    capacity = 1200


class JobFactory(factory.django.DjangoModelFactory):
    """A confirmed one-day show next week: load-in the morning of, load-out the same night."""

    class Meta:
        model = Job
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"J-T{n:04d}")
    title = factory.Sequence(lambda n: f"Test Conference {n}")
    client = factory.SubFactory(ClientFactory)
    venue = factory.SubFactory(VenueFactory)
    status = Job.Status.CONFIRMED
    priority = 3
    load_in = factory.LazyFunction(lambda: _next_morning(hour=6))
    show_start = factory.LazyAttribute(lambda job: job.load_in + timedelta(hours=3))
    show_end = factory.LazyAttribute(lambda job: job.show_start + timedelta(hours=9))
    load_out = factory.LazyAttribute(lambda job: job.show_end + timedelta(hours=4))
    booked_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=14))


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    """A lighting shelf."""

    class Meta:
        model = ProductCategory
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")
    department = ProductCategory.Department.LIGHTING


class ProductFactory(factory.django.DjangoModelFactory):
    """An owned LED wash light with a dozen units."""

    class Meta:
        model = Product
        django_get_or_create = ("sku",)

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"LED Wash {n}")
    manufacturer = "Acme Lighting"
    category = factory.SubFactory(ProductCategoryFactory)
    owned_quantity = 12
    turnaround_hours = Decimal("4.0")
    replacement_value = Decimal("4500.00")
    day_rate = Decimal("45.00")


class OutOfServiceFactory(factory.django.DjangoModelFactory):
    """Two units away for repair over two days."""

    class Meta:
        model = OutOfService

    product = factory.SubFactory(ProductFactory)
    quantity = 2
    start = factory.LazyFunction(lambda: _next_morning(hour=0))
    end = factory.LazyAttribute(lambda window: window.start + timedelta(days=2))
    reason = "Repair"


class CapabilityFactory(factory.django.DjangoModelFactory):
    """A capability such as "wash light"."""

    class Meta:
        model = Capability
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"capability-{n}")
    name = factory.Sequence(lambda n: f"Capability {n}")
    unit = "fixture"


class CapabilityProviderFactory(factory.django.DjangoModelFactory):
    """A product that is the preferred fit for a capability."""

    class Meta:
        model = CapabilityProvider

    capability = factory.SubFactory(CapabilityFactory)
    product = factory.SubFactory(ProductFactory)
    quality = Decimal("1.000")


class VendorFactory(factory.django.DjangoModelFactory):
    """A partner rental house."""

    class Meta:
        model = Vendor
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"vendor-{n}")
    name = factory.Sequence(lambda n: f"Vendor {n} Rentals")
    email = factory.LazyAttribute(lambda vendor: f"hire@{vendor.code}.example")


class VendorOfferFactory(factory.django.DjangoModelFactory):
    """A vendor's offer to sub-rent ten units of a capability a day ahead."""

    class Meta:
        model = VendorOffer

    vendor = factory.SubFactory(VendorFactory)
    capability = factory.SubFactory(CapabilityFactory)
    unit_cost_per_day = Decimal("60.00")
    lead_time_hours = 24
    max_quantity = 10


class SkillFactory(factory.django.DjangoModelFactory):
    """A crew role; pass ``slug`` to match a solver role id (``audio-a1``)."""

    class Meta:
        model = Skill
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"skill-{n}")
    name = factory.LazyAttribute(lambda skill: skill.slug.replace("-", " ").title())
    department = "audio"


class CrewMemberFactory(factory.django.DjangoModelFactory):
    """A staff technician; ``skills={"audio-a1": 3}`` gives levels in one go."""

    class Meta:
        model = CrewMember
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    class Params:
        freelancer = factory.Trait(
            kind=CrewMember.Kind.FREELANCER,
            day_rate=Decimal("380.00"),
            reliability=Decimal("0.850"),
            max_hours_per_week=None,
        )

    code = factory.Sequence(lambda n: f"crew-{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    kind = CrewMember.Kind.STAFF
    day_rate = Decimal("300.00")
    max_hours_per_week = 48
    reliability = Decimal("1.000")
    email = factory.LazyAttribute(lambda crew: f"{crew.code}@crew.example")
    home_base = "Manchester"

    @factory.post_generation
    def skills(self, create: bool, extracted: dict[str, int] | None, **kwargs: Any) -> None:
        if not create or not extracted:
            return
        for slug, level in extracted.items():
            CrewSkillFactory(crew=self, skill=SkillFactory(slug=slug), level=level)


class CrewSkillFactory(factory.django.DjangoModelFactory):
    """A technician-level skill."""

    class Meta:
        model = CrewSkill

    crew = factory.SubFactory(CrewMemberFactory)
    skill = factory.SubFactory(SkillFactory)
    level = Level.TECHNICIAN


class CertificationTypeFactory(factory.django.DjangoModelFactory):
    """A certificate valid for three years."""

    class Meta:
        model = CertificationType
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"certificate-{n}")
    name = factory.Sequence(lambda n: f"Certificate {n}")
    validity_months = 36


class CertificationFactory(factory.django.DjangoModelFactory):
    """A certificate issued a year ago, valid for two more."""

    class Meta:
        model = Certification

    crew = factory.SubFactory(CrewMemberFactory)
    certification_type = factory.SubFactory(CertificationTypeFactory)
    number = factory.Sequence(lambda n: f"CERT-{n:06d}")
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    expires_on = factory.LazyAttribute(lambda cert: cert.issued_on + timedelta(days=3 * 365))


class UnavailabilityFactory(factory.django.DjangoModelFactory):
    """A week of holiday starting next week."""

    class Meta:
        model = Unavailability

    crew = factory.SubFactory(CrewMemberFactory)
    start = factory.LazyFunction(lambda: _next_morning(hour=0))
    end = factory.LazyAttribute(lambda away: away.start + timedelta(days=7))
    reason = "Holiday"


class GearRequirementFactory(factory.django.DjangoModelFactory):
    """Eight units of a capability over the job's show."""

    class Meta:
        model = GearRequirement

    job = factory.SubFactory(JobFactory)
    key = factory.Sequence(lambda n: f"g{n}")
    capability = factory.SubFactory(CapabilityFactory)
    quantity = 8
    start = factory.LazyAttribute(lambda requirement: requirement.job.load_in)
    end = factory.LazyAttribute(lambda requirement: requirement.job.load_out)


class ShiftFactory(factory.django.DjangoModelFactory):
    """One technician for the job's show day."""

    class Meta:
        model = Shift

    job = factory.SubFactory(JobFactory)
    key = factory.Sequence(lambda n: f"s{n}")
    skill = factory.SubFactory(SkillFactory)
    min_level = Level.TECHNICIAN
    count = 1
    start = factory.LazyAttribute(lambda shift: shift.job.load_in)
    end = factory.LazyAttribute(lambda shift: shift.job.show_end)


class OfferFactory(factory.django.DjangoModelFactory):
    """A live offer of a shift to a freelancer, sent an hour ago, answerable for two days."""

    class Meta:
        model = Offer

    shift = factory.SubFactory(ShiftFactory)
    crew = factory.SubFactory(CrewMemberFactory, freelancer=True)
    status = Offer.Status.SENT
    sent_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    expires_at = factory.LazyAttribute(lambda offer: offer.sent_at + timedelta(hours=48))


class BookingFactory(factory.django.DjangoModelFactory):
    """A freelancer confirmed on a shift, with the shift's times and a ten-hour rest gap."""

    class Meta:
        model = Booking

    shift = factory.SubFactory(ShiftFactory)
    crew = factory.SubFactory(CrewMemberFactory, freelancer=True)
    status = Booking.Status.CONFIRMED
    start = factory.LazyAttribute(lambda booking: booking.shift.start)
    end = factory.LazyAttribute(lambda booking: booking.shift.end)
    busy_until = factory.LazyAttribute(lambda booking: booking.shift.end + timedelta(hours=10))

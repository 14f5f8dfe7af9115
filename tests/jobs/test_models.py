"""The database refuses jobs and gear that break an invariant; full_clean() says why in the model's words."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from jobs.models import CapabilityProvider, Job, Product, VendorOffer
from tests.factories import (
    CapabilityFactory,
    CapabilityProviderFactory,
    ClientFactory,
    JobFactory,
    OutOfServiceFactory,
    ProductFactory,
    VendorFactory,
    VendorOfferFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def assert_database_refuses(obj: models.Model) -> None:
    """Saving bypasses every Python check: only the named database constraint stands in the way."""
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def assert_clean_says(obj: models.Model, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        obj.full_clean()
    assert message in raised.value.messages


def unsaved_job(**fields: object) -> Job:
    return JobFactory.build(client=ClientFactory(), venue=VenueFactory(), **fields)


def test_factories_make_valid_jobs_and_gear() -> None:
    for obj in (
        JobFactory(),
        ProductFactory(),
        OutOfServiceFactory(),
        CapabilityProviderFactory(),
        VendorOfferFactory(),
    ):
        obj.full_clean()


def test_negative_owned_quantity_is_refused() -> None:
    product = ProductFactory.build(category=ProductFactory().category, owned_quantity=-1)

    assert_database_refuses(product)
    assert_clean_says(product, "Owned quantity cannot be negative.")


def test_negative_owned_quantity_is_refused_in_bulk_too() -> None:
    product = ProductFactory.build(category=ProductFactory().category, owned_quantity=-3)

    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.bulk_create([product])


def test_negative_day_rate_is_refused() -> None:
    product = ProductFactory.build(category=ProductFactory().category, day_rate=Decimal("-1"))

    assert_database_refuses(product)
    assert_clean_says(product, "Replacement value and day rate cannot be negative.")


def test_out_of_service_window_ending_before_it_starts_is_refused() -> None:
    window = OutOfServiceFactory.build(product=ProductFactory())
    window.end = window.start - timedelta(hours=1)

    assert_database_refuses(window)
    assert_clean_says(window, "The window must end after it starts.")


def test_out_of_service_window_of_no_units_is_refused() -> None:
    window = OutOfServiceFactory.build(product=ProductFactory(), quantity=0)

    assert_database_refuses(window)
    assert_clean_says(window, "At least one unit must be out of service.")


def test_priority_6_is_refused() -> None:
    job = unsaved_job(priority=6)

    assert_database_refuses(job)
    # full_clean stops at the field's own validator; the constraint alone gives its message.
    with pytest.raises(ValidationError) as raised:
        job.full_clean()
    assert "priority" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        job.validate_constraints()
    assert "Priority runs from 1 (low) to 5 (high)." in raised.value.messages


def test_show_ending_before_it_starts_is_refused() -> None:
    job = unsaved_job()
    job.show_end = job.show_start - timedelta(minutes=30)
    job.load_out = job.show_start + timedelta(hours=2)

    assert_database_refuses(job)
    assert_clean_says(job, "The show must end after it starts.")


def test_show_starting_before_load_in_is_refused() -> None:
    job = unsaved_job()
    job.load_in = job.show_start + timedelta(hours=1)

    assert_database_refuses(job)
    assert_clean_says(job, "The show cannot start before load-in.")


def test_load_out_before_the_show_ends_is_refused() -> None:
    job = unsaved_job()
    job.load_out = job.show_end - timedelta(hours=1)

    assert_database_refuses(job)
    assert_clean_says(job, "Load-out cannot be before the show ends.")


def test_same_product_cannot_provide_a_capability_twice() -> None:
    existing = CapabilityProviderFactory()
    duplicate = CapabilityProvider(
        capability=existing.capability, product=existing.product, quality=Decimal("0.5")
    )

    assert_database_refuses(duplicate)
    assert_clean_says(duplicate, "This product already provides this capability.")


def test_duplicate_provider_is_refused_in_bulk_too() -> None:
    existing = CapabilityProviderFactory()
    duplicate = CapabilityProvider(capability=existing.capability, product=existing.product)

    with pytest.raises(IntegrityError), transaction.atomic():
        CapabilityProvider.objects.bulk_create([duplicate])


def test_quality_above_1_is_refused() -> None:
    provider = CapabilityProviderFactory.build(
        capability=CapabilityFactory(), product=ProductFactory(), quality=Decimal("1.2")
    )

    assert_database_refuses(provider)
    assert_clean_says(provider, "Quality runs from 0 to 1.")


def test_one_product_may_provide_several_capabilities_at_different_qualities() -> None:
    product = ProductFactory()

    CapabilityProviderFactory(product=product, quality=Decimal("1.0"))
    CapabilityProviderFactory(product=product, quality=Decimal("0.6"))

    assert product.capabilities.count() == 2


def test_vendor_cannot_offer_one_capability_twice() -> None:
    offer = VendorOfferFactory()
    duplicate = VendorOffer(
        vendor=offer.vendor, capability=offer.capability, unit_cost_per_day=Decimal("10"), max_quantity=1
    )

    assert_database_refuses(duplicate)
    assert_clean_says(duplicate, "This vendor already has an offer for this capability.")


def test_negative_sub_rental_cost_is_refused() -> None:
    offer = VendorOfferFactory.build(
        vendor=VendorFactory(), capability=CapabilityFactory(), unit_cost_per_day=Decimal("-5")
    )

    assert_database_refuses(offer)
    assert_clean_says(offer, "Cost per unit per day cannot be negative.")

"""The admin pages of crew data open, search and filter for the admin role."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CertificationFactory,
    CrewMemberFactory,
    ShiftFactory,
    UnavailabilityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MODELS = ["skill", "crewmember", "crewskill", "certificationtype", "certification", "unavailability", "shift"]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role="admin", is_superuser=True))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_list_and_add_pages_open(admin_client, model: str) -> None:
    person = CrewMemberFactory(skills={"rigger": 3})
    CertificationFactory(crew=person)
    UnavailabilityFactory(crew=person)
    ShiftFactory()

    assert admin_client.get(reverse(f"admin:labor_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:labor_{model}_changelist"), {"q": "a"}).status_code == 200
    assert admin_client.get(reverse(f"admin:labor_{model}_add")).status_code == 200


def test_crew_page_shows_levels_certificates_and_time_off(admin_client) -> None:
    person = CrewMemberFactory(skills={"audio-a1": 4})
    CertificationFactory(crew=person, number="IPAF-424242")
    UnavailabilityFactory(crew=person, reason="Family holiday")

    page = admin_client.get(reverse("admin:labor_crewmember_change", args=[person.pk])).content.decode()

    assert "IPAF-424242" in page
    assert "Family holiday" in page
    assert 'name="crew_skills-0-level"' in page


def test_crew_list_shows_skills_without_a_query_per_person(
    admin_client, django_assert_max_num_queries
) -> None:
    for _ in range(25):
        CrewMemberFactory(skills={"stagehand": 2, "rigger": 3})

    with django_assert_max_num_queries(14):
        page = admin_client.get(reverse("admin:labor_crewmember_changelist")).content.decode()

    assert "Rigger 3, Stagehand 2" in page


def test_certificates_filter_by_expiry(admin_client) -> None:
    today = timezone.localdate()
    CertificationFactory(
        number="SOON-1", issued_on=today - timedelta(days=700), expires_on=today + timedelta(days=10)
    )
    CertificationFactory(number="LATER-1", issued_on=today, expires_on=today + timedelta(days=400))
    CertificationFactory(
        number="LAPSED-1", issued_on=today - timedelta(days=800), expires_on=today - timedelta(days=3)
    )

    page = admin_client.get(
        reverse("admin:labor_certification_changelist"), {"expiry": "soon"}
    ).content.decode()

    assert "SOON-1" in page
    assert "LATER-1" not in page
    assert "LAPSED-1" not in page

"""The outcome template admin: a broken rule is refused next to its field and nothing is saved."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from sales.models import OutcomeTemplate, TemplateParameter, TemplateRule
from tests.factories import CapabilityFactory

ADD_URL = "admin:sales_outcometemplate_add"


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def template_form(quantity: str, capability_id: int) -> dict[str, str]:
    """The add page as an admin fills it: one parameter (attendees) and one gear rule using it."""
    return {
        "slug": "general-session",
        "name": "General session",
        "description": "",
        "active": "on",
        **management("parameters", 1),
        "parameters-0-position": "1",
        "parameters-0-name": "attendees",
        "parameters-0-label": "Attendees",
        "parameters-0-kind": "integer",
        "parameters-0-required": "on",
        "parameters-0-minimum": "10",
        "parameters-0-maximum": "5000",
        **management("rules", 1),
        "rules-0-position": "1",
        "rules-0-key": "wash-lights",
        "rules-0-kind": "gear",
        "rules-0-capability": str(capability_id),
        "rules-0-quantity": quantity,
        "rules-0-condition": "",
        "rules-0-start_anchor": "load_in",
        "rules-0-start_offset_hours": "0",
        "rules-0-end_anchor": "load_out",
        "rules-0-end_offset_hours": "0",
        "rules-0-repeat": "once",
    }


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))
    return client


def test_a_rule_with_a_bad_expression_shows_the_message_next_to_the_field_and_saves_nothing(
    admin_client,
) -> None:
    wash = CapabilityFactory(slug="wash-light")

    response = admin_client.post(reverse(ADD_URL), template_form("8 + atendees / 100", wash.pk))

    assert response.status_code == 200
    rule_form = response.context["inline_admin_formsets"][1].formset.forms[0]
    assert rule_form.errors == {
        "quantity": ["Unknown name 'atendees' (known: attendees, show_days, show_hours)."]
    }
    assert "Unknown name &#x27;atendees&#x27;" in response.content.decode()
    assert not OutcomeTemplate.objects.exists()
    assert not TemplateParameter.objects.exists()
    assert not TemplateRule.objects.exists()


def test_a_rule_naming_a_parameter_added_on_the_same_page_is_saved(admin_client) -> None:
    wash = CapabilityFactory(slug="wash-light")

    response = admin_client.post(reverse(ADD_URL), template_form("8 + 4 * step(attendees, 400)", wash.pk))

    assert response.status_code == 302
    rule = TemplateRule.objects.get()
    assert (rule.template.slug, rule.key, rule.quantity) == (
        "general-session",
        "wash-lights",
        "8 + 4 * step(attendees, 400)",
    )


def test_a_division_by_zero_at_the_minimum_is_refused_on_the_change_page(admin_client) -> None:
    wash = CapabilityFactory(slug="wash-light")
    admin_client.post(reverse(ADD_URL), template_form("8", wash.pk))
    template = OutcomeTemplate.objects.get()
    parameter, rule = template.parameters.get(), template.rules.get()
    data = template_form("attendees / (attendees - 10)", wash.pk)
    data.update(
        {
            "parameters-INITIAL_FORMS": "1",
            "parameters-0-id": str(parameter.pk),
            "parameters-0-template": str(template.pk),
        }
    )
    data.update(
        {"rules-INITIAL_FORMS": "1", "rules-0-id": str(rule.pk), "rules-0-template": str(template.pk)}
    )

    response = admin_client.post(reverse("admin:sales_outcometemplate_change", args=[template.pk]), data)

    assert response.status_code == 200
    rule_form = response.context["inline_admin_formsets"][1].formset.forms[0]
    assert rule_form.errors["quantity"] == [
        "Division by zero in 'attendees / (attendees - 10)' with the parameters at their defaults "
        "(attendees=10)."
    ]
    rule.refresh_from_db()
    assert rule.quantity == "8"


def test_the_order_list_and_template_list_open(admin_client) -> None:
    assert admin_client.get(reverse("admin:sales_order_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:sales_outcometemplate_changelist")).status_code == 200

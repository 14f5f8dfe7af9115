"""The rule language: arithmetic, functions, conditions, and the refusals that keep it safe."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sales.expressions import ExpressionError, compile_expression, validate_rule
from sales.models import OutcomeTemplate, TemplateParameter, TemplateRule
from tests.factories import CapabilityFactory, SkillFactory

NAMES = {"attendees", "screens", "stream"}
VALUES = {"attendees": 300, "screens": 2, "stream": True, "show_days": 3, "show_hours": 9.0}


def value(text: str, **overrides: float) -> float:
    return compile_expression(text, NAMES).evaluate({**VALUES, **overrides})


def refusal(text: str, **overrides: float) -> str:
    with pytest.raises(ExpressionError) as caught:
        compile_expression(text, NAMES).evaluate({**VALUES, **overrides})
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("2 ** 3 ** 2", 512),
        ("-2 ** 2", -4),
        ("7 / 2", 3.5),
        ("7 // 2", 3),
        ("7 % 3", 1),
        ("+attendees - -1", 301),
        ("4 + step(attendees, 150) * 2", 8),
        ("ceil(attendees / 250)", 2),
        ("floor(attendees / 250)", 1),
        ("round(2.567, 2)", 2.57),
        ("round(2.5)", 2),
        ("min(attendees, 100, 250)", 100),
        ("max(1, screens)", 2),
        ("abs(1 - attendees)", 299),
        ("clamp(attendees, 8, 24)", 24),
        ("clamp(1, 8, 24)", 8),
        ("show_days * show_hours", 27),
    ],
)
def test_arithmetic_and_functions_follow_the_usual_rules(text: str, expected: float) -> None:
    assert value(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 if attendees < 800 else 3", 2),
        ("2 if attendees < 200 else 3", 3),
        ("1 < screens <= 2", 1),
        ("1 < screens < 2", 0),
        ("true", 1),
        ("False", 0),
        ("not stream", 0),
        ("stream and screens > 1", 1),
        ("screens > 5 or attendees == 300", 1),
        ("screens != 2", 0),
        ("stream * 4", 4),
    ],
)
def test_conditionals_comparisons_and_booleans_give_numbers(text: str, expected: float) -> None:
    assert value(text) == expected


def test_a_condition_holds_when_it_is_not_zero() -> None:
    condition = compile_expression("screens", NAMES)

    assert condition.holds({"screens": 2}) is True
    assert condition.holds({"screens": 0}) is False


def test_or_stops_at_the_first_true_part_so_a_guarded_division_is_safe() -> None:
    assert value("screens == 0 or attendees / screens > 10", screens=0) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "__import__('os')",
            "unknown function '__import__' (known: abs, ceil, clamp, floor, max, min, round, step)",
        ),
        ("attendees.real", "attribute access is not allowed: 'attendees.real'"),
        ("().__class__", "attribute access is not allowed"),
        ("screens[0]", "subscripts are not allowed: 'screens[0]'"),
        ("'ten'", "strings are not allowed: 'ten'"),
        ("f'{attendees}'", "strings are not allowed"),
        (
            "atendees * 2",
            "unknown name 'atendees' (known: attendees, screens, show_days, show_hours, stream)",
        ),
        ("(lambda: 1)()", "lambdas are not allowed"),
        ("[x for x in range(3)]", "comprehensions are not allowed"),
        ("sum([1, 2])", "unknown function 'sum'"),
        ("max(1, key=2)", "keyword arguments are not allowed"),
        ("clamp(1, 2)", "clamp() takes 3 arguments, got 2"),
        ("(x := 3)", "assignments are not allowed"),
        ("1 & 2", "the operator '&' (use 'and') is not allowed"),
        ("1 in 2", "the operator 'in' is not allowed"),
        ("1e12", "the number 1e12 is too large (limit 1,000,000,000)"),
        ("attendees +", "cannot read the expression"),
        ("", "the expression is empty"),
        ("1 + " * 100 + "1", "the expression is too long"),
        ("-" * 120 + "1", "nested too deeply"),
    ],
)
def test_anything_outside_the_language_is_refused_naming_the_part(text: str, message: str) -> None:
    assert message in refusal(text)


def test_a_huge_exponent_is_refused_before_it_is_computed() -> None:
    assert refusal("9 ** 99999999") == "the exponent in '9 ** 99999999' is 99999999; the limit is 16"


def test_a_result_past_the_bound_is_refused() -> None:
    assert "is too large" in refusal("attendees * 10 ** 8")


@pytest.mark.parametrize(
    "text", ["attendees / (screens - 2)", "attendees // 0", "attendees % 0", "step(1, 0)"]
)
def test_division_by_zero_is_a_clear_error(text: str) -> None:
    assert "division by zero in '" in refusal(text)


def test_a_variable_without_a_value_is_named() -> None:
    expression = compile_expression("attendees + 1", NAMES)

    with pytest.raises(ExpressionError, match="no value for 'attendees'"):
        expression.evaluate({})


# --- validate_rule ------------------------------------------------------------------------------------------


@pytest.fixture
def template(db) -> OutcomeTemplate:
    template = OutcomeTemplate.objects.create(slug="general-session", name="General session")
    TemplateParameter.objects.create(
        template=template, name="attendees", label="Attendees", minimum=10, maximum=5000, required=True
    )
    TemplateParameter.objects.create(
        template=template, name="screens", label="Screens", default=2, minimum=0, maximum=8, required=False
    )
    return template


def gear_rule(template: OutcomeTemplate, **fields) -> TemplateRule:
    fields.setdefault("capability", CapabilityFactory(slug="wash-light"))
    fields.setdefault("quantity", "8")
    return TemplateRule(template=template, key="wash", kind=TemplateRule.Kind.GEAR, **fields)


def errors_of(rule: TemplateRule) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        validate_rule(rule)
    return caught.value.message_dict


def test_a_sound_rule_passes(template: OutcomeTemplate) -> None:
    validate_rule(gear_rule(template, quantity="8 + 4 * step(attendees, 400)", condition="screens > 0"))


def test_a_misspelt_name_is_a_quantity_error_listing_the_known_names(template: OutcomeTemplate) -> None:
    errors = errors_of(gear_rule(template, quantity="atendees / 100"))

    assert errors == {
        "quantity": ["Unknown name 'atendees' (known: attendees, screens, show_days, show_hours)."]
    }


def test_a_bad_condition_is_a_condition_error(template: OutcomeTemplate) -> None:
    errors = errors_of(gear_rule(template, condition="screens.real"))

    assert errors == {"condition": ["Attribute access is not allowed: 'screens.real'."]}


def test_division_by_zero_at_the_minimums_is_caught_on_save(template: OutcomeTemplate) -> None:
    errors = errors_of(gear_rule(template, quantity="attendees / screens"))

    assert errors["quantity"] == [
        "Division by zero in 'attendees / screens' with the parameters at their minimums "
        "(attendees=10, screens=0)."
    ]


def test_a_condition_that_guards_the_division_makes_it_acceptable(template: OutcomeTemplate) -> None:
    validate_rule(gear_rule(template, quantity="attendees / screens", condition="screens > 0"))


def test_a_negative_quantity_is_caught_on_save(template: OutcomeTemplate) -> None:
    errors = errors_of(gear_rule(template, quantity="screens - 3"))

    assert errors["quantity"] == [
        "The quantity comes out negative (-1) with the parameters at their defaults "
        "(attendees=10, screens=2)."
    ]


def test_a_gear_rule_without_a_capability_is_refused_at_the_field(template: OutcomeTemplate) -> None:
    errors = errors_of(gear_rule(template, capability=None))

    assert errors == {"capability": ["A gear rule needs a capability."]}


def test_a_crew_rule_needs_a_skill_and_a_level(template: OutcomeTemplate) -> None:
    rule = TemplateRule(template=template, key="a1", kind=TemplateRule.Kind.CREW, quantity="1")

    assert errors_of(rule) == {
        "skill": ["A crew rule needs a skill."],
        "min_level": ["A crew rule needs a minimum level (1 to 5)."],
    }


def test_a_crew_rule_with_a_capability_is_told_to_clear_it(template: OutcomeTemplate) -> None:
    rule = TemplateRule(
        template=template,
        key="a1",
        kind=TemplateRule.Kind.CREW,
        quantity="1",
        skill=SkillFactory(slug="audio-a1"),
        min_level=3,
        capability=CapabilityFactory(slug="foh-console"),
    )

    assert errors_of(rule) == {"capability": ["A crew rule has no capability; clear this field."]}


def test_a_window_that_ends_before_it_starts_is_refused(template: OutcomeTemplate) -> None:
    rule = gear_rule(
        template,
        start_anchor="show_start",
        start_offset_hours=Decimal("0"),
        end_anchor="load_in",
        end_offset_hours=Decimal("1"),
    )

    assert errors_of(rule) == {
        "end_offset_hours": [
            "The window ends (07:00) before it starts (09:00) on a sample day "
            "(load-in 06:00, show 09:00-18:00, load-out 22:00)."
        ]
    }


def test_a_daily_window_may_run_overnight(template: OutcomeTemplate) -> None:
    rule = gear_rule(
        template,
        repeat=TemplateRule.Repeat.PER_SHOW_DAY,
        start_anchor="show_end",
        start_offset_hours=Decimal("0"),
        end_anchor="show_start",
        end_offset_hours=Decimal("-3"),
    )

    validate_rule(rule)


def test_clean_on_the_model_runs_the_same_checks(template: OutcomeTemplate) -> None:
    with pytest.raises(ValidationError) as caught:
        gear_rule(template, quantity="attendees.bit_length()").full_clean()

    assert "quantity" in caught.value.message_dict

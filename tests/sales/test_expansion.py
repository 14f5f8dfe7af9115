"""Outcome -> requirements: parameters, stable keys, daily repeats, windows, estimates, demo templates."""

from datetime import timedelta
from decimal import Decimal

import pytest

from sales.demo import TEMPLATES, load_demo_templates
from sales.expansion import (
    CrewNeed,
    GearNeed,
    ParameterError,
    Timeline,
    clean_parameters,
    estimate_crew_cost,
    estimate_gear_cost,
    expand_outcomes,
)
from sales.models import OutcomeTemplate, TemplateParameter, TemplateRule
from tests.factories import (
    CapabilityFactory,
    CapabilityProviderFactory,
    CrewMemberFactory,
    ProductFactory,
    SkillFactory,
)
from tests.sales.conftest import at


@pytest.fixture
def session(db) -> OutcomeTemplate:
    """A small general session: wash lights by audience, an A1 every show day, a load-in crew."""
    template = OutcomeTemplate.objects.create(slug="session", name="General session")
    TemplateParameter.objects.create(
        template=template, name="attendees", label="Attendees", minimum=10, maximum=5000, required=True
    )
    TemplateParameter.objects.create(
        template=template, name="screens", label="Screens", default=2, minimum=0, maximum=8, required=False
    )
    TemplateParameter.objects.create(
        template=template, name="stream", label="Live stream", kind="boolean", default=0, required=False
    )
    TemplateParameter.objects.create(
        template=template, name="stage_width", label="Stage width", kind="decimal", default=8, required=False
    )
    wash = CapabilityFactory(slug="wash-light", name="Wash light")
    cameras = CapabilityFactory(slug="camera-chain", name="Camera chain")
    a1 = SkillFactory(slug="audio-a1", name="A1 audio engineer")
    stagehand = SkillFactory(slug="stagehand", name="Stagehand")
    rules = [
        dict(key="wash-lights", kind="gear", capability=wash, quantity="8 + 4 * step(attendees, 400)"),
        dict(key="stream-cameras", kind="gear", capability=cameras, quantity="2", condition="stream"),
        dict(
            key="a1",
            kind="crew",
            skill=a1,
            min_level=3,
            quantity="1",
            start_anchor="show_start",
            start_offset_hours=Decimal("-2"),
            end_anchor="show_end",
            end_offset_hours=Decimal("1"),
            repeat="per_show_day",
        ),
        dict(
            key="load-in",
            kind="crew",
            skill=stagehand,
            min_level=1,
            quantity="attendees / 100",
            start_anchor="load_in",
            end_anchor="show_start",
        ),
    ]
    for position, fields in enumerate(rules):
        TemplateRule.objects.create(template=template, position=position, **fields)
    return template


@pytest.fixture
def three_days() -> Timeline:
    """Load-in the evening before, shows 09:00 to 18:00 on three days, load-out the last night."""
    return Timeline(at(9, 18), at(10, 9), at(12, 18), at(12, 23))


# --- clean_parameters -------------------------------------------------------------------------------------


def test_parameters_are_typed_and_defaults_filled_in(session: OutcomeTemplate) -> None:
    cleaned = clean_parameters(session, {"attendees": "600", "stream": "yes", "stage_width": "10.5"})

    assert cleaned == {"attendees": 600, "screens": 2, "stream": True, "stage_width": 10.5}


def test_every_bad_parameter_is_named_with_a_message_a_rep_understands(session: OutcomeTemplate) -> None:
    with pytest.raises(ParameterError) as caught:
        clean_parameters(session, {"attendees": 2.5, "screens": 9, "stream": "maybe", "atendees": 5})

    assert caught.value.errors == {
        "atendees": "General session has no parameter 'atendees' (its parameters: "
        "attendees, screens, stage_width, stream).",
        "attendees": "Attendees must be a whole number.",
        "screens": "Screens must be at most 8.",
        "stream": "Live stream must be yes or no.",
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "Attendees is required."),
        ({"attendees": ""}, "Attendees is required."),
        ({"attendees": 0}, "Attendees must be at least 10."),
        ({"attendees": "lots"}, "Attendees must be a whole number."),
        ({"attendees": True}, "Attendees must be a whole number."),
    ],
)
def test_a_missing_or_wrong_attendee_count_is_refused(
    session: OutcomeTemplate, raw: dict, message: str
) -> None:
    with pytest.raises(ParameterError) as caught:
        clean_parameters(session, raw)

    assert caught.value.errors == {"attendees": message}


def test_a_decimal_parameter_refuses_words(session: OutcomeTemplate) -> None:
    with pytest.raises(ParameterError) as caught:
        clean_parameters(session, {"attendees": 100, "stage_width": "wide"})

    assert caught.value.errors == {"stage_width": "Stage width must be a number."}


# --- expand_outcomes --------------------------------------------------------------------------------------


def test_keys_are_stable_across_two_expansions(session: OutcomeTemplate, one_day: Timeline) -> None:
    first = expand_outcomes([(session, {"attendees": 300}), (session, {"attendees": 900})], one_day)
    bigger = expand_outcomes([(session, {"attendees": 350}), (session, {"attendees": 1200})], one_day)

    keys = [[need.key for need in needs] for needs in first]
    assert keys == [[need.key for need in needs] for needs in bigger]
    assert keys == [
        ["o1-wash-lights", "o2-wash-lights"],
        ["o1-a1-d1", "o1-load-in", "o2-a1-d1", "o2-load-in"],
    ]


def test_a_rule_repeated_per_show_day_makes_one_shift_a_day(
    session: OutcomeTemplate, three_days: Timeline
) -> None:
    _, crew = expand_outcomes([(session, {"attendees": 300})], three_days)

    a1_shifts = [need for need in crew if need.key.startswith("o1-a1")]
    assert [(need.key, need.start, need.end, need.label) for need in a1_shifts] == [
        ("o1-a1-d1", at(10, 7), at(10, 19), "General session: A1 audio engineer, day 1"),
        ("o1-a1-d2", at(11, 7), at(11, 19), "General session: A1 audio engineer, day 2"),
        ("o1-a1-d3", at(12, 7), at(12, 19), "General session: A1 audio engineer, day 3"),
    ]


def test_a_daily_window_that_ends_before_it_starts_runs_into_the_next_day(
    session: OutcomeTemplate, three_days: Timeline
) -> None:
    rule = session.rules.get(key="a1")
    rule.start_anchor, rule.start_offset_hours = "show_end", Decimal("0")
    rule.end_anchor, rule.end_offset_hours = "show_start", Decimal("-3")
    rule.save()

    _, crew = expand_outcomes([(session, {"attendees": 300})], three_days)

    night = next(need for need in crew if need.key == "o1-a1-d2")
    assert (night.start, night.end) == (at(11, 18), at(12, 6))


def test_a_rule_whose_condition_is_false_makes_nothing(session: OutcomeTemplate, one_day: Timeline) -> None:
    without, _ = expand_outcomes([(session, {"attendees": 300})], one_day)
    with_stream, _ = expand_outcomes([(session, {"attendees": 300, "stream": True})], one_day)

    assert [need.key for need in without] == ["o1-wash-lights"]
    assert [need.key for need in with_stream] == ["o1-wash-lights", "o1-stream-cameras"]


def test_windows_come_from_the_anchors_and_offsets(session: OutcomeTemplate, one_day: Timeline) -> None:
    gear, crew = expand_outcomes([(session, {"attendees": 250})], one_day)

    assert gear == [
        GearNeed(
            "o1-wash-lights", gear[0].capability_id, 12, at(10, 6), at(10, 22), "General session: wash light"
        )
    ]
    load_in = next(need for need in crew if need.key == "o1-load-in")
    assert (load_in.count, load_in.start, load_in.end, load_in.min_level) == (3, at(10, 6), at(10, 9), 1)
    assert load_in.label == "General session: stagehand"


def test_a_fractional_quantity_rounds_up_and_zero_makes_nothing(
    session: OutcomeTemplate, one_day: Timeline
) -> None:
    session.rules.filter(key="wash-lights").update(quantity="attendees / 1000 - 0.01")

    small, _ = expand_outcomes([(session, {"attendees": 10})], one_day)
    larger, _ = expand_outcomes([(session, {"attendees": 1500})], one_day)

    assert small == []
    assert [need.quantity for need in larger] == [2]


def test_a_negative_quantity_is_refused_at_expansion(session: OutcomeTemplate, one_day: Timeline) -> None:
    session.rules.filter(key="wash-lights").update(quantity="100 - attendees")

    with pytest.raises(ParameterError, match="wash-lights': the quantity comes out negative"):
        expand_outcomes([(session, {"attendees": 300})], one_day)


def test_show_days_and_hours_are_available_to_rules(session: OutcomeTemplate, three_days: Timeline) -> None:
    session.rules.filter(key="wash-lights").update(quantity="show_days * 10 + show_hours")

    gear, _ = expand_outcomes([(session, {"attendees": 300})], three_days)

    assert gear[0].quantity == 30 + 57  # three days; 09:00 on the 10th to 18:00 on the 12th is 57 h


def test_expansion_reads_each_template_once_not_per_rule(
    session: OutcomeTemplate, one_day: Timeline, django_assert_num_queries
) -> None:
    template = OutcomeTemplate.objects.get(pk=session.pk)

    with django_assert_num_queries(2):  # the rules with their capability and skill, and the parameters
        expand_outcomes([(template, {"attendees": 300}), (template, {"attendees": 600})], one_day)


# --- estimates --------------------------------------------------------------------------------------------


def test_gear_estimate_uses_the_best_then_cheapest_provider_for_each_day_touched(db) -> None:
    wash = CapabilityFactory(slug="wash-light")
    CapabilityProviderFactory(
        capability=wash, product=ProductFactory(day_rate=Decimal("30")), quality=Decimal("0.8")
    )
    CapabilityProviderFactory(
        capability=wash, product=ProductFactory(day_rate=Decimal("55")), quality=Decimal("1")
    )
    CapabilityProviderFactory(
        capability=wash, product=ProductFactory(day_rate=Decimal("45")), quality=Decimal("1")
    )
    overnight = GearNeed("o1-wash", wash.pk, 10, at(10, 20), at(11, 2), "wash")

    assert estimate_gear_cost([overnight]) == Decimal("900.00")  # 45 x 10 x 2 days


def test_crew_estimate_takes_the_median_staff_rate_at_or_above_the_level(db) -> None:
    for rate, level in [(200, 2), (300, 3), (400, 4), (900, 5)]:
        CrewMemberFactory(day_rate=Decimal(rate), skills={"audio-a1": level})
    CrewMemberFactory(freelancer=True, day_rate=Decimal("1000"), skills={"audio-a1": 5})
    skill = SkillFactory(slug="audio-a1")
    shift = CrewNeed("o1-a1-d1", skill.pk, 3, 2, at(10, 7), at(10, 19), "A1")

    assert estimate_crew_cost([shift]) == Decimal("800.00")  # median of 300, 400, 900 x 2 people x 1 day


def test_crew_estimate_falls_back_to_freelancers_when_no_staff_has_the_skill(db) -> None:
    CrewMemberFactory(freelancer=True, day_rate=Decimal("380"), skills={"rigger": 3})
    CrewMemberFactory(freelancer=True, day_rate=Decimal("420"), skills={"rigger": 4})
    rigger = SkillFactory(slug="rigger")
    shift = CrewNeed("o1-riggers", rigger.pk, 3, 1, at(10, 6), at(11, 10), "Riggers")

    assert estimate_crew_cost([shift]) == Decimal("800.00")  # median 400 x 1 x 2 days


# --- the demo templates -----------------------------------------------------------------------------------


def quantities(slug: str, parameters: dict, timeline: Timeline) -> dict[str, int]:
    """Units (gear) and people (crew) by key for one outcome of a demo template."""
    gear, crew = expand_outcomes([(OutcomeTemplate.objects.get(slug=slug), parameters)], timeline)
    return {need.key: need.quantity for need in gear} | {need.key: need.count for need in crew}


def test_loading_the_demo_templates_twice_gives_the_same_templates(demo_catalogue) -> None:
    assert load_demo_templates() == len(TEMPLATES) >= 8
    rules = TemplateRule.objects.count()

    assert load_demo_templates() == len(TEMPLATES)
    assert OutcomeTemplate.objects.count() == len(TEMPLATES)
    assert TemplateRule.objects.count() == rules


def test_demo_templates_refuse_to_load_without_their_capabilities(db) -> None:
    SkillFactory(slug="stagehand")

    with pytest.raises(LookupError, match="need capabilities that are not loaded: amp-rack, beam-light"):
        load_demo_templates()


GENERAL_SESSION_GEAR = {
    # in the order of GENERAL_SESSION_GEAR_KEYS; 0 means the rule makes nothing at that size
    300: [8, 2, 4, 2, 1, 8, 2, 12, 6, 8, 1, 0, 0, 2, 2, 2, 1, 8, 6, 12, 3],
    600: [8, 4, 6, 2, 1, 9, 3, 16, 8, 8, 1, 80, 2, 0, 0, 2, 1, 10, 10, 12, 4],
    1200: [16, 6, 8, 3, 1, 11, 3, 20, 10, 10, 1, 120, 2, 0, 0, 3, 1, 12, 10, 24, 4],
}
GENERAL_SESSION_GEAR_KEYS = [
    "main-hang", "subs", "fills", "amp-racks", "foh-console", "wireless", "confidence", "wash-lights",
    "profiles", "key-light", "lighting-console", "led-wall", "led-processors", "projectors",
    "projection-screens", "imag-cameras", "switcher", "truss", "hoists", "stage", "distro",
]  # fmt: skip
GENERAL_SESSION_CREW = {
    # a1, a2, v1, camera-ops, led-tech, ld, show-stagehands | load-in, riggers-in, load-out, riggers-out
    300: [1, 1, 1, 2, 0, 1, 1, 6, 2, 6, 2],
    600: [1, 2, 1, 2, 1, 1, 2, 8, 2, 8, 2],
    1200: [1, 2, 1, 3, 1, 1, 3, 10, 4, 10, 4],
}
GENERAL_SESSION_CREW_KEYS = [
    "a1-d1", "a2-d1", "v1-d1", "camera-ops-d1", "led-tech-d1", "ld-d1", "show-stagehands-d1",
    "load-in", "riggers-in", "load-out", "riggers-out",
]  # fmt: skip


@pytest.mark.parametrize("attendees", [300, 600, 1200])
def test_general_session_sizes_to_its_audience(demo_templates, one_day: Timeline, attendees: int) -> None:
    expected = dict(zip(GENERAL_SESSION_GEAR_KEYS, GENERAL_SESSION_GEAR[attendees], strict=True)) | dict(
        zip(GENERAL_SESSION_CREW_KEYS, GENERAL_SESSION_CREW[attendees], strict=True)
    )

    got = quantities("general-session", {"attendees": attendees}, one_day)

    assert got == {f"o1-{key}": count for key, count in expected.items() if count}


def test_a_multi_day_general_session_adds_spare_mics_and_a_changeover_crew_each_day(
    demo_templates, three_days: Timeline
) -> None:
    got = quantities("general-session", {"attendees": 600, "days": 3, "screens": 0}, three_days)

    assert got["o1-wireless"] == 11  # 9 + 2 spares
    assert [got[f"o1-changeover-d{n}"] for n in (1, 2, 3)] == [2, 2, 2]
    assert [got[f"o1-a2-d{n}"] for n in (1, 2, 3)] == [2, 2, 2]
    assert not {"o1-led-wall", "o1-imag-cameras", "o1-switcher", "o1-v1-d1"} & set(got)


@pytest.mark.parametrize(
    ("attendees", "expected"),
    [
        (15, {"display": 1, "wireless": 2, "room-tech-d1": 1}),
        (30, {"display": 1, "speakers": 2, "mixer": 1, "wireless": 2, "room-tech-d1": 1}),
        (80, {"projector": 1, "screen": 1, "speakers": 2, "mixer": 1, "wireless": 4, "room-tech-d1": 1}),
        (200, {"projector": 1, "screen": 1, "speakers": 4, "mixer": 1, "wireless": 4, "room-tech-d1": 1}),
    ],
)
def test_breakout_room_sizes_to_its_audience(
    demo_templates, one_day: Timeline, attendees: int, expected
) -> None:
    got = quantities("breakout-room", {"attendees": attendees}, one_day)

    assert got == {f"o1-{key}": count for key, count in expected.items()}


def test_concert_pa_sizes_hang_subs_fills_and_monitors(demo_templates, one_day: Timeline) -> None:
    club = quantities("concert-pa", {"attendees": 2000}, one_day)
    arena = quantities("concert-pa", {"attendees": 8000, "stage_width": 18, "monitors": 16}, one_day)
    no_monitors = quantities("concert-pa", {"attendees": 500, "monitors": 0}, one_day)

    assert club == {
        "o1-main-hang": 16, "o1-subs": 8, "o1-fills": 4, "o1-amp-racks": 3, "o1-foh-console": 1,
        "o1-monitor-console": 1, "o1-wedges": 8, "o1-iem": 4, "o1-wireless": 4, "o1-hoists": 4,
        "o1-mains-distro": 1, "o1-distro": 2, "o1-foh-engineer-d1": 1, "o1-monitor-engineer-d1": 1,
        "o1-system-tech-d1": 1, "o1-a2-d1": 1, "o1-load-in": 6, "o1-riggers-in": 2, "o1-load-out": 6,
        "o1-riggers-out": 2,
    }  # fmt: skip
    arena_keys = ("main-hang", "subs", "fills", "amp-racks", "wedges", "iem")
    assert {key: arena[f"o1-{key}"] for key in arena_keys} == {
        "main-hang": 48, "subs": 24, "fills": 10, "amp-racks": 9, "wedges": 16, "iem": 8,
    }  # fmt: skip
    assert (arena["o1-hoists"], arena["o1-a2-d1"], arena["o1-load-in"], arena["o1-riggers-in"]) == (
        8,
        2,
        12,
        4,
    )
    assert not {"o1-monitor-console", "o1-wedges", "o1-iem", "o1-monitor-engineer-d1"} & set(no_monitors)
    assert (no_monitors["o1-main-hang"], no_monitors["o1-subs"]) == (12, 4)


def test_gala_dinner_lighting_sizes_to_tables_and_rooms(demo_templates, one_day: Timeline) -> None:
    dinner = quantities("gala-dinner-lighting", {"tables": 30}, one_day)
    ball = quantities("gala-dinner-lighting", {"tables": 100, "rooms": 2}, one_day)

    assert dinner == {
        "o1-uplights": 26, "o1-pin-spots": 30, "o1-wash-lights": 10, "o1-gobo-profiles": 2,
        "o1-lighting-console": 1, "o1-truss": 6, "o1-hoists": 2, "o1-distro": 1, "o1-ld-d1": 1,
        "o1-lighting-techs-d1": 1, "o1-load-in": 4, "o1-riggers-in": 1, "o1-load-out": 4,
    }  # fmt: skip
    assert ball == {
        "o1-uplights": 76, "o1-pin-spots": 100, "o1-wash-lights": 22, "o1-gobo-profiles": 4,
        "o1-lighting-console": 2, "o1-truss": 12, "o1-hoists": 4, "o1-distro": 2, "o1-ld-d1": 1,
        "o1-lighting-techs-d1": 4, "o1-load-in": 7, "o1-riggers-in": 2, "o1-load-out": 7,
    }  # fmt: skip


def test_hybrid_stream_adds_its_engineer_only_when_streaming(demo_templates, one_day: Timeline) -> None:
    streamed = quantities("hybrid-stream", {}, one_day)
    recorded = quantities("hybrid-stream", {"stream": False, "cameras": 2, "remote_presenters": 2}, one_day)

    assert streamed == {
        "o1-cameras": 3, "o1-switcher": 1, "o1-return-monitors": 1, "o1-stream-mixer": 1, "o1-wireless": 2,
        "o1-vision-mixer-d1": 1, "o1-stream-engineer-d1": 1, "o1-camera-ops-d1": 3, "o1-stream-audio-d1": 1,
    }  # fmt: skip
    assert recorded == {
        "o1-cameras": 2, "o1-switcher": 1, "o1-return-monitors": 2, "o1-wireless": 2,
        "o1-vision-mixer-d1": 1, "o1-camera-ops-d1": 2, "o1-stream-audio-d1": 1,
    }  # fmt: skip


def test_awards_show_sizes_to_audience_awards_and_screens(demo_templates, one_day: Timeline) -> None:
    mid = quantities("awards-show", {"attendees": 600}, one_day)
    large = quantities("awards-show", {"attendees": 2500, "awards": 45, "screens": 4}, one_day)

    keys = [
        "main-hang", "subs", "fills", "amp-racks", "wireless", "wash-lights", "profiles", "beams", "led-wall",
        "led-processors", "cameras", "truss", "hoists", "camera-ops-d1", "show-stagehands-d1", "load-in",
    ]  # fmt: skip
    assert [mid[f"o1-{key}"] for key in keys] == [8, 4, 4, 2, 12, 20, 16, 8, 176, 3, 3, 20, 14, 3, 2, 10]
    assert [large[f"o1-{key}"] for key in keys] == [
        24,
        10,
        10,
        5,
        18,
        32,
        28,
        16,
        256,
        5,
        4,
        28,
        18,
        4,
        4,
        16,
    ]


def test_product_launch_sizes_the_wall_rig_and_reveal(demo_templates, one_day: Timeline) -> None:
    launch = quantities("product-launch", {"attendees": 600}, one_day)
    small = quantities(
        "product-launch", {"attendees": 150, "wall_width": 12, "moving_lights": 32, "reveal": False}, one_day
    )

    assert launch == {
        "o1-led-wall": 144, "o1-led-processors": 1, "o1-wash-lights": 8, "o1-profiles": 4, "o1-beams": 4,
        "o1-haze": 2, "o1-lighting-console": 1, "o1-main-hang": 8, "o1-subs": 4, "o1-foh-console": 1,
        "o1-wireless": 6, "o1-cameras": 2, "o1-switcher": 1, "o1-truss": 14, "o1-hoists": 8, "o1-distro": 5,
        "o1-v1-d1": 1, "o1-led-techs-d1": 1, "o1-a1-d1": 1, "o1-ld-d1": 1, "o1-camera-ops-d1": 2,
        "o1-load-in": 10, "o1-riggers-in": 3, "o1-load-out": 10, "o1-riggers-out": 3,
    }  # fmt: skip
    assert small == {
        "o1-led-wall": 336, "o1-led-processors": 3, "o1-wash-lights": 16, "o1-profiles": 8,
        "o1-lighting-console": 1, "o1-speakers": 6, "o1-subs": 2, "o1-foh-console": 1, "o1-wireless": 6,
        "o1-switcher": 1, "o1-truss": 16, "o1-hoists": 10, "o1-distro": 5, "o1-v1-d1": 1,
        "o1-led-techs-d1": 2, "o1-a1-d1": 1, "o1-ld-d1": 1, "o1-programmer-d1": 1, "o1-load-in": 12,
        "o1-riggers-in": 3, "o1-load-out": 12, "o1-riggers-out": 3,
    }  # fmt: skip


def test_festival_stage_sizes_to_crowd_days_and_stage(demo_templates, one_day: Timeline) -> None:
    big = quantities("festival-stage", {"attendees": 10000}, one_day)
    small = quantities("festival-stage", {"attendees": 2000, "days": 3, "stage_width": 20}, one_day)

    keys = ["main-hang", "subs", "fills-delays", "amp-racks", "wireless", "wash-lights", "profiles", "beams",
            "truss", "hoists", "drape", "show-stagehands-d1", "load-in", "riggers-in"]  # fmt: skip
    assert [big[f"o1-{key}"] for key in keys] == [32, 20, 9, 7, 8, 30, 19, 19, 23, 16, 10, 8, 16, 5]
    assert [small[f"o1-{key}"] for key in keys] == [16, 8, 7, 3, 12, 36, 22, 22, 29, 12, 14, 8, 14, 6]
    assert (big["o1-imag-wall"], big["o1-cameras"], big["o1-camera-ops-d1"]) == (120, 3, 3)
    assert not {"o1-imag-wall", "o1-cameras", "o1-v1-d1", "o1-camera-ops-d1"} & set(small)


def test_exhibition_booth_sizes_to_its_area(demo_templates, one_day: Timeline) -> None:
    shell = quantities("exhibition-booth", {}, one_day)
    island = quantities("exhibition-booth", {"booth_area": 100, "screens": 0, "presentations": True}, one_day)

    assert shell == {
        "o1-screens": 2, "o1-battens": 3, "o1-profiles": 4, "o1-truss": 8, "o1-distro": 1,
        "o1-booth-tech-d1": 1, "o1-build-crew": 2, "o1-strike-crew": 2,
    }  # fmt: skip
    assert island == {
        "o1-battens": 9, "o1-profiles": 12, "o1-truss": 14, "o1-hoists": 4, "o1-speakers": 2,
        "o1-wireless": 2, "o1-mixer": 1, "o1-distro": 1, "o1-booth-tech-d1": 1, "o1-build-crew": 4,
        "o1-riggers-in": 2, "o1-strike-crew": 4,
    }  # fmt: skip


def test_every_demo_template_expands_at_its_defaults_and_extremes(
    demo_templates, three_days: Timeline
) -> None:
    for template in OutcomeTemplate.objects.prefetch_related("parameters"):
        for bound in ("minimum", "maximum"):
            parameters = {
                p.name: getattr(p, bound) if getattr(p, bound) is not None else p.default
                for p in template.parameters.all()
                if p.kind != "boolean"
            }
            gear, crew = expand_outcomes([(template, {k: v for k, v in parameters.items() if v is not None})],
                                         three_days)  # fmt: skip
            assert gear or crew, template.slug
            assert all(need.end > need.start and need.quantity > 0 for need in gear)
            assert all(need.end > need.start and need.count > 0 for need in crew)


def test_demo_labels_read_as_words(demo_templates, three_days: Timeline) -> None:
    gear, crew = expand_outcomes(
        [(OutcomeTemplate.objects.get(slug="general-session"), {"attendees": 600})], three_days
    )

    labels = {need.key: need.label for need in [*gear, *crew]}
    assert labels["o1-wash-lights"] == "General session: wash light"
    assert labels["o1-a1-d2"] == "General session: A1 / FOH audio engineer, day 2"
    assert labels["o1-load-in"] == "General session: stagehand (load-in)"


def test_a_show_ending_at_midnight_does_not_add_a_day(session: OutcomeTemplate) -> None:
    evening = Timeline(at(10, 12), at(10, 18), at(10, 18) + timedelta(hours=6), at(11, 2))

    _, crew = expand_outcomes([(session, {"attendees": 100})], evening)

    assert [need.key for need in crew if need.key.startswith("o1-a1")] == ["o1-a1-d1"]

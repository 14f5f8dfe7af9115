"""The demo house's outcome templates: what its reps sell, and the rules that turn each into gear and crew.

Quantities follow how the house specs a show (4 boxes per 300 seats, an operator per IMAG camera...) and
are sized so that a busy week runs past owned stock and staff into sub-rentals and over-hire. Capability and
skill slugs are those of ``rentalops/demo/gear.py`` (CAPABILITIES) and ``rentalops/demo/people.py`` (SKILLS).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from jobs.models import Capability
from labor.models import Skill
from sales.models import Anchor, OutcomeTemplate, TemplateParameter, TemplateRule

# (start anchor, start offset h, end anchor, end offset h)
Window = tuple[str, float, str, float]
WHOLE_JOB: Window = (Anchor.LOAD_IN, 0, Anchor.LOAD_OUT, 0)
SHOW_CALL: Window = (Anchor.SHOW_START, -2, Anchor.SHOW_END, 1)  # call 2 h before doors, wrap 1 h after
ROOM_CALL: Window = (Anchor.SHOW_START, -1, Anchor.SHOW_END, 0.5)
# Load-in and load-out crews work a call of fixed length from load-in and from the show's end: a load-in the
# evening before the show is one working call, not a 25-hour shift that blocks a person for two days.
LOAD_IN: Window = (Anchor.LOAD_IN, 0, Anchor.LOAD_IN, 8)
LOAD_OUT: Window = (Anchor.SHOW_END, 0, Anchor.SHOW_END, 4)
CHANGEOVER: Window = (Anchor.SHOW_END, 0, Anchor.SHOW_END, 3)

ONCE = TemplateRule.Repeat.ONCE
DAILY = TemplateRule.Repeat.PER_SHOW_DAY


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    kind: str = TemplateParameter.Kind.INTEGER
    default: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False
    help_text: str = ""


@dataclass(frozen=True)
class Rule:
    key: str
    kind: str
    target: str  # capability slug (gear) or skill slug (crew)
    quantity: str
    condition: str = ""
    level: int | None = None
    window: Window = WHOLE_JOB
    repeat: str = ONCE


def gear(key: str, capability: str, quantity: str, condition: str = "", window: Window = WHOLE_JOB) -> Rule:
    return Rule(key, TemplateRule.Kind.GEAR, capability, quantity, condition, window=window)


def crew(
    key: str,
    skill: str,
    level: int,
    count: str,
    condition: str = "",
    window: Window = SHOW_CALL,
    repeat: str = DAILY,
) -> Rule:
    return Rule(key, TemplateRule.Kind.CREW, skill, count, condition, level, window, repeat)


def load_in_crew(key: str, skill: str, level: int, count: str, condition: str = "") -> Rule:
    return crew(key, skill, level, count, condition, window=LOAD_IN, repeat=ONCE)


def load_out_crew(key: str, skill: str, level: int, count: str, condition: str = "") -> Rule:
    return crew(key, skill, level, count, condition, window=LOAD_OUT, repeat=ONCE)


@dataclass(frozen=True)
class Template:
    slug: str
    name: str
    description: str
    parameters: list[Param]
    rules: list[Rule] = field(default_factory=list)


ATTENDEES_HELP = "Seated or standing audience at the busiest moment."

# Shared sizing of a flown PA for a conference audience, used by several templates.
CONFERENCE_HANG = "clamp(4 * step(attendees, 300), 8, 24)"
CONFERENCE_SUBS = "2 * step(attendees, 400)"

TEMPLATES: list[Template] = [
    Template(
        "general-session",
        "General session",
        "Main-room conference session: PA, IMAG screens with cameras, stage lighting and the show crew.",
        [
            Param(
                "attendees", "Attendees", minimum=10, maximum=5000, required=True, help_text=ATTENDEES_HELP
            ),
            Param("screens", "Screens", default=2, minimum=0, maximum=8, help_text="IMAG / content screens."),
            Param("days", "Conference days", default=1, minimum=1, maximum=5),
        ],
        [
            gear("main-hang", "line-array-box", CONFERENCE_HANG, "attendees > 150"),
            gear("subs", "line-array-sub", CONFERENCE_SUBS, "attendees > 150"),
            gear("fills", "fill-speaker", "4 if attendees <= 150 else 4 + 2 * floor(attendees / 500)"),
            gear(
                "amp-racks", "amp-rack", f"step({CONFERENCE_HANG} + {CONFERENCE_SUBS}, 8)", "attendees > 150"
            ),
            gear("foh-console", "foh-console", "1"),
            gear(
                "wireless", "wireless-mic", "clamp(6 + step(attendees, 250), 8, 16) + (2 if days > 1 else 0)"
            ),
            gear("confidence", "confidence-monitor", "2 if attendees < 500 else 3"),
            gear("wash-lights", "wash-light", "8 + 4 * step(attendees, 400)"),
            gear("profiles", "spot-light", "4 + 2 * step(attendees, 400)"),
            gear("key-light", "profile-conventional", "6 + 2 * step(attendees, 600)"),
            gear("lighting-console", "lighting-console", "1"),
            gear(
                "led-wall", "led-wall-panel", "screens * (40 if attendees < 1000 else 60)", "attendees >= 500"
            ),
            gear("led-processors", "led-processor", "screens", "attendees >= 500"),
            gear("projectors", "projector-20k", "screens", "attendees < 500"),
            gear("projection-screens", "projection-screen", "screens", "attendees < 500"),
            gear(
                "imag-cameras",
                "camera-chain",
                "2 if attendees < 800 else 3",
                "screens > 0 and attendees >= 200",
            ),
            gear("switcher", "video-switcher", "1", "screens > 0"),
            gear("truss", "truss-section", "6 + 2 * step(attendees, 400)"),
            gear(
                "hoists",
                "chain-hoist-1t",
                "(4 if attendees > 150 else 0) + 2 + (2 * screens if attendees >= 500 else 0)",
            ),
            gear("stage", "stage-deck", "clamp(step(attendees, 50), 12, 32)"),
            gear("distro", "distro-63a", "3 + (1 if attendees >= 500 else 0)"),
            crew("a1", "audio-a1", 3, "1"),
            crew("a2", "audio-a2", 2, "1 if attendees < 500 else 2"),
            crew("v1", "video-v1", 3, "1", "screens > 0"),
            crew(
                "camera-ops",
                "camera-op",
                2,
                "2 if attendees < 800 else 3",
                "screens > 0 and attendees >= 200",
            ),
            crew("led-tech", "led-wall-tech", 2, "1", "screens > 0 and attendees >= 500"),
            crew("ld", "lighting-ld", 3, "1"),
            crew("show-stagehands", "stagehand", 1, "1 + floor(attendees / 600)"),
            crew("changeover", "stagehand", 1, "2 + floor(attendees / 1000)", "days > 1", window=CHANGEOVER),
            load_in_crew("load-in", "stagehand", 1, "4 + 2 * step(attendees, 400)"),
            load_in_crew("riggers-in", "rigger", 3, "2 if attendees < 1000 else 4", "attendees > 150"),
            load_out_crew("load-out", "stagehand", 1, "4 + 2 * step(attendees, 400)"),
            load_out_crew("riggers-out", "rigger", 3, "2 if attendees < 1000 else 4", "attendees > 150"),
        ],
    ),
    Template(
        "breakout-room",
        "Breakout room",
        "A breakout or workshop room: display or projection, a small PA, mics and a room tech each day.",
        [Param("attendees", "Attendees", minimum=5, maximum=300, required=True, help_text=ATTENDEES_HELP)],
        [
            gear("display", "confidence-monitor", "1", "attendees <= 40"),
            gear("projector", "projector-20k", "1", "attendees > 40"),
            gear("screen", "projection-screen", "1", "attendees > 40"),
            gear("speakers", "fill-speaker", "2 if attendees <= 120 else 4", "attendees > 20"),
            gear("mixer", "compact-console", "1", "attendees > 20"),
            gear("wireless", "wireless-mic", "2 if attendees <= 60 else 4"),
            crew("room-tech", "audio-a2", 2, "1", window=ROOM_CALL),
        ],
    ),
    Template(
        "concert-pa",
        "Concert PA",
        "A concert sound system: main hang and subs sized by audience, fills across the stage, monitors.",
        [
            Param(
                "attendees", "Attendees", minimum=100, maximum=20000, required=True, help_text=ATTENDEES_HELP
            ),
            Param(
                "stage_width",
                "Stage width (m)",
                TemplateParameter.Kind.DECIMAL,
                default=12,
                minimum=6,
                maximum=30,
            ),
            Param("monitors", "Monitor mixes", default=8, minimum=0, maximum=24),
        ],
        [
            gear("main-hang", "line-array-box", "clamp(4 * step(attendees, 500), 12, 48)"),
            gear("subs", "line-array-sub", "clamp(4 * step(attendees, 1000), 4, 24)"),
            gear("fills", "fill-speaker", "ceil(stage_width / 3) + 2 * floor(attendees / 3000)"),
            gear(
                "amp-racks",
                "amp-rack",
                "step(clamp(4 * step(attendees, 500), 12, 48) + clamp(4 * step(attendees, 1000), 4, 24), 8)",
            ),
            gear("foh-console", "foh-console", "1"),
            gear("monitor-console", "foh-console", "1", "monitors > 0"),
            gear("wedges", "stage-monitor", "monitors"),
            gear("iem", "iem-channel", "ceil(monitors / 2)"),
            gear("wireless", "wireless-mic", "4"),
            gear("hoists", "chain-hoist-1t", "4 if attendees <= 3000 else 8"),
            gear("mains-distro", "distro-125a", "1"),
            gear("distro", "distro-63a", "2"),
            crew("foh-engineer", "audio-a1", 4, "1"),
            crew("monitor-engineer", "monitor-engineer", 3, "1", "monitors > 0"),
            crew("system-tech", "system-tech", 3, "1"),
            crew("a2", "audio-a2", 2, "1 + floor(attendees / 5000)"),
            load_in_crew("load-in", "stagehand", 1, "4 + 2 * step(attendees, 2500)"),
            load_in_crew("riggers-in", "rigger", 3, "2 if attendees <= 3000 else 4"),
            load_out_crew("load-out", "stagehand", 1, "4 + 2 * step(attendees, 2500)"),
            load_out_crew("riggers-out", "rigger", 3, "2 if attendees <= 3000 else 4"),
        ],
    ),
    Template(
        "gala-dinner-lighting",
        "Gala dinner lighting",
        "Room décor for a seated dinner: uplights on the walls, a pin spot per table, stage and floor wash.",
        [
            Param("tables", "Tables", minimum=5, maximum=150, required=True, help_text="Rounds of ten."),
            Param("rooms", "Rooms", default=1, minimum=1, maximum=4),
        ],
        [
            gear("uplights", "uplight", "clamp(ceil(tables * 0.6) + 8 * rooms, 12, 120)"),
            gear("pin-spots", "profile-conventional", "tables"),
            gear("wash-lights", "wash-light", "6 * rooms + 2 * step(tables, 20)"),
            gear("gobo-profiles", "spot-light", "2 * rooms"),
            gear("lighting-console", "lighting-console", "rooms"),
            gear("truss", "truss-section", "6 * rooms"),
            gear("hoists", "chain-hoist-half-t", "2 * rooms"),
            gear("distro", "distro-63a", "rooms"),
            crew("ld", "lighting-ld", 4, "1"),
            crew("lighting-techs", "lighting-tech", 2, "rooms + floor(tables / 40)"),
            load_in_crew("load-in", "stagehand", 1, "2 + ceil(tables / 20)"),
            load_in_crew("riggers-in", "rigger", 2, "rooms"),
            load_out_crew("load-out", "stagehand", 1, "2 + ceil(tables / 20)"),
        ],
    ),
    Template(
        "hybrid-stream",
        "Hybrid stream",
        "Cameras, vision mixing and a stream mix for remote viewers; record-only without the stream.",
        [
            Param("stream", "Live stream", TemplateParameter.Kind.BOOLEAN, default=1),
            Param("cameras", "Cameras", default=3, minimum=1, maximum=8),
            Param("remote_presenters", "Remote presenters", default=0, minimum=0, maximum=6),
        ],
        [
            gear("cameras", "camera-chain", "cameras"),
            gear("switcher", "video-switcher", "1"),
            gear("return-monitors", "confidence-monitor", "1 + (1 if remote_presenters > 0 else 0)"),
            gear("stream-mixer", "compact-console", "1", "stream"),
            gear("wireless", "wireless-mic", "2"),
            crew("vision-mixer", "video-v1", 2, "1"),
            crew("stream-engineer", "video-v1", 3, "1", "stream"),
            crew("camera-ops", "camera-op", 2, "cameras"),
            crew("stream-audio", "audio-a2", 2, "1", "stream or remote_presenters > 0"),
        ],
    ),
    Template(
        "awards-show",
        "Awards show",
        "A staged awards night: centre LED wall and side screens, a show rig, walk-up mics and cameras.",
        [
            Param(
                "attendees", "Attendees", minimum=100, maximum=3000, required=True, help_text=ATTENDEES_HELP
            ),
            Param("awards", "Award categories", default=20, minimum=1, maximum=60),
            Param("screens", "Side screens", default=2, minimum=0, maximum=4),
        ],
        [
            gear("main-hang", "line-array-box", CONFERENCE_HANG),
            gear("subs", "line-array-sub", "2 * step(attendees, 500)"),
            gear("fills", "fill-speaker", "4 + 2 * floor(attendees / 800)"),
            gear("amp-racks", "amp-rack", f"step({CONFERENCE_HANG} + 2 * step(attendees, 500), 8)"),
            gear("foh-console", "foh-console", "1"),
            gear("wireless", "wireless-mic", "8 + 2 * step(awards, 10)"),
            gear("wash-lights", "wash-light", "12 + 4 * step(attendees, 500)"),
            gear("profiles", "spot-light", "8 + 4 * step(attendees, 500)"),
            gear("beams", "beam-light", "8 + 4 * floor(attendees / 1000)"),
            gear("battens", "led-batten", "12"),
            gear("haze", "hazer", "2"),
            gear("lighting-console", "lighting-console", "1"),
            gear("led-wall", "led-wall-panel", "96 + 40 * screens"),
            gear("led-processors", "led-processor", "1 + screens"),
            gear("cameras", "camera-chain", "3 if attendees < 1000 else 4"),
            gear("switcher", "video-switcher", "1"),
            gear("confidence", "confidence-monitor", "2"),
            gear("truss", "truss-section", "16 + 4 * step(attendees, 1000)"),
            gear("hoists", "chain-hoist-1t", "10 + 2 * screens"),
            gear("distro", "distro-63a", "4"),
            gear("mains-distro", "distro-125a", "1"),
            crew("a1", "audio-a1", 4, "1"),
            crew("a2", "audio-a2", 2, "2"),
            crew("v1", "video-v1", 3, "1"),
            crew("camera-ops", "camera-op", 2, "3 if attendees < 1000 else 4"),
            crew("led-tech", "led-wall-tech", 2, "1"),
            crew("ld", "lighting-ld", 4, "1"),
            crew("programmer", "lighting-programmer", 3, "1"),
            crew("stage-manager", "stage-manager", 3, "1"),
            crew("show-stagehands", "stagehand", 1, "2 + floor(attendees / 1000)"),
            load_in_crew("load-in", "stagehand", 1, "6 + 2 * step(attendees, 500)"),
            load_in_crew("riggers-in", "rigger", 3, "4"),
            load_out_crew("load-out", "stagehand", 1, "6 + 2 * step(attendees, 500)"),
            load_out_crew("riggers-out", "rigger", 3, "4"),
        ],
    ),
    Template(
        "product-launch",
        "Product launch",
        "A reveal on a big LED wall with a moving-light rig, haze and beams for the moment, and a PA.",
        [
            Param(
                "attendees", "Attendees", minimum=10, maximum=2000, required=True, help_text=ATTENDEES_HELP
            ),
            Param(
                "wall_width",
                "LED wall width (m)",
                TemplateParameter.Kind.DECIMAL,
                default=8,
                minimum=2,
                maximum=20,
            ),
            Param("moving_lights", "Moving lights", default=16, minimum=0, maximum=60),
            Param("reveal", "Reveal moment (haze and beams)", TemplateParameter.Kind.BOOLEAN, default=1),
        ],
        [
            # A 16:9 wall of 0.5 m panels: columns across, rows up.
            gear("led-wall", "led-wall-panel", "ceil(wall_width / 0.5) * ceil(wall_width * 9 / 16 / 0.5)"),
            gear(
                "led-processors",
                "led-processor",
                "step(ceil(wall_width / 0.5) * ceil(wall_width * 9 / 16 / 0.5), 150)",
            ),
            gear("wash-lights", "wash-light", "ceil(moving_lights / 2)"),
            gear("profiles", "spot-light", "ceil(moving_lights / 4)"),
            gear("beams", "beam-light", "ceil(moving_lights / 4)", "reveal"),
            gear("haze", "hazer", "2", "reveal"),
            gear("lighting-console", "lighting-console", "1"),
            gear("speakers", "fill-speaker", "4 + 2 * step(attendees, 200)", "attendees <= 400"),
            gear("main-hang", "line-array-box", "clamp(4 * step(attendees, 300), 8, 16)", "attendees > 400"),
            gear("subs", "line-array-sub", "2 * step(attendees, 400)"),
            gear("foh-console", "foh-console", "1"),
            gear("wireless", "wireless-mic", "6"),
            gear("cameras", "camera-chain", "2", "attendees >= 300"),
            gear("switcher", "video-switcher", "1"),
            gear("truss", "truss-section", "8 + 2 * ceil(wall_width / 3)"),
            gear("hoists", "chain-hoist-1t", "4 + ceil(wall_width / 2)"),
            gear("distro", "distro-63a", "3 + step(wall_width, 6)"),
            crew("v1", "video-v1", 4, "1"),
            crew("led-techs", "led-wall-tech", 2, "1 + floor(wall_width / 10)"),
            crew("a1", "audio-a1", 3, "1"),
            crew("ld", "lighting-ld", 4, "1"),
            crew("programmer", "lighting-programmer", 3, "1", "moving_lights >= 24"),
            crew("camera-ops", "camera-op", 2, "2", "attendees >= 300"),
            load_in_crew("load-in", "stagehand", 1, "6 + ceil(wall_width / 2)"),
            load_in_crew("riggers-in", "rigger", 3, "2 + floor(wall_width / 8)"),
            load_out_crew("load-out", "stagehand", 1, "6 + ceil(wall_width / 2)"),
            load_out_crew("riggers-out", "rigger", 3, "2 + floor(wall_width / 8)"),
        ],
    ),
    Template(
        "festival-stage",
        "Festival stage",
        "An outdoor festival stage: big PA with delays, a touring rig on flown truss, IMAG for big crowds.",
        [
            Param(
                "attendees", "Attendees", minimum=500, maximum=50000, required=True, help_text=ATTENDEES_HELP
            ),
            Param("days", "Festival days", default=2, minimum=1, maximum=5),
            Param(
                "stage_width",
                "Stage width (m)",
                TemplateParameter.Kind.DECIMAL,
                default=14,
                minimum=8,
                maximum=24,
            ),
        ],
        [
            gear("main-hang", "line-array-box", "clamp(8 * step(attendees, 2500), 16, 48)"),
            gear("subs", "line-array-sub", "clamp(4 * step(attendees, 2000), 8, 32)"),
            gear("fills-delays", "fill-speaker", "ceil(stage_width / 3) + 4 * floor(attendees / 8000)"),
            gear(
                "amp-racks",
                "amp-rack",
                "step(clamp(8 * step(attendees, 2500), 16, 48) + clamp(4 * step(attendees, 2000), 8, 32), 8)",
            ),
            gear("consoles", "foh-console", "2"),
            gear("wedges", "stage-monitor", "12"),
            gear("iem", "iem-channel", "8"),
            gear("wireless", "wireless-mic", "8 + (4 if days > 2 else 0)"),
            gear("wash-lights", "wash-light", "16 + 2 * ceil(stage_width / 2)"),
            gear("profiles", "spot-light", "12 + ceil(stage_width / 2)"),
            gear("beams", "beam-light", "12 + ceil(stage_width / 2)"),
            gear("battens", "led-batten", "16"),
            gear("haze", "hazer", "2"),
            gear("lighting-consoles", "lighting-console", "2"),
            gear("imag-wall", "led-wall-panel", "120", "attendees >= 3000"),
            gear("led-processors", "led-processor", "2", "attendees >= 3000"),
            gear("cameras", "camera-chain", "3", "attendees >= 3000"),
            gear("switcher", "video-switcher", "1", "attendees >= 3000"),
            gear("truss", "truss-section", "8 + 3 * ceil(stage_width / 3)"),
            gear("hoists", "chain-hoist-1t", "12 + (4 if attendees >= 3000 else 0)"),
            gear("drape-hoists", "chain-hoist-half-t", "6"),
            gear("drape", "drape", "2 * ceil(stage_width / 3)"),
            gear("risers", "riser", "4"),
            gear("mains-distro", "distro-125a", "2"),
            gear("distro", "distro-63a", "6"),
            crew("foh-engineer", "audio-a1", 4, "1"),
            crew("monitor-engineer", "monitor-engineer", 3, "1"),
            crew("system-tech", "system-tech", 3, "1"),
            crew("a2", "audio-a2", 2, "2"),
            crew("ld", "lighting-ld", 5, "1"),
            crew("lighting-techs", "lighting-tech", 2, "2"),
            crew("v1", "video-v1", 3, "1", "attendees >= 3000"),
            crew("camera-ops", "camera-op", 2, "3", "attendees >= 3000"),
            crew("stage-manager", "stage-manager", 4, "1"),
            # Changeovers between acts; long festivals add a relief pair.
            crew("show-stagehands", "stagehand", 1, "6 + floor(attendees / 5000) + (2 if days > 2 else 0)"),
            crew("power-tech", "power-tech", 2, "1"),
            load_in_crew("load-in", "stagehand", 1, "12 + 2 * step(attendees, 5000)"),
            load_in_crew("riggers-in", "rigger", 3, "4 + floor(stage_width / 8)"),
            load_out_crew("load-out", "stagehand", 1, "12 + 2 * step(attendees, 5000)"),
            load_out_crew("riggers-out", "rigger", 3, "4 + floor(stage_width / 8)"),
        ],
    ),
    Template(
        "exhibition-booth",
        "Exhibition booth",
        "A trade-show stand: perimeter truss with battens and profiles, screens, and a presentation kit.",
        [
            Param(
                "booth_area",
                "Booth area (m²)",
                TemplateParameter.Kind.DECIMAL,
                default=36,
                minimum=9,
                maximum=400,
            ),
            Param("screens", "Screens", default=2, minimum=0, maximum=12),
            Param("presentations", "Presentations on the stand", TemplateParameter.Kind.BOOLEAN, default=0),
        ],
        [
            gear("screens", "confidence-monitor", "screens"),
            gear("battens", "led-batten", "ceil(booth_area / 12)"),
            gear("profiles", "profile-conventional", "ceil(booth_area / 9)"),
            # Box truss around a square stand: its perimeter in 3 m sections.
            gear("truss", "truss-section", "ceil(4 * booth_area ** 0.5 / 3)"),
            gear("hoists", "chain-hoist-half-t", "4", "booth_area >= 50"),
            gear("speakers", "fill-speaker", "2", "presentations"),
            gear("wireless", "wireless-mic", "2", "presentations"),
            gear("mixer", "compact-console", "1", "presentations"),
            gear("distro", "distro-63a", "1"),
            crew("booth-tech", "video-v1", 2, "1", "screens > 0 or presentations", window=ROOM_CALL),
            load_in_crew("build-crew", "stagehand", 1, "2 + floor(booth_area / 50)"),
            load_in_crew("riggers-in", "rigger", 2, "2", "booth_area >= 50"),
            load_out_crew("strike-crew", "stagehand", 1, "2 + floor(booth_area / 50)"),
        ],
    ),
]


def required_slugs() -> tuple[set[str], set[str]]:
    """The capability slugs and skill slugs the demo templates refer to."""
    capabilities = {r.target for t in TEMPLATES for r in t.rules if r.kind == TemplateRule.Kind.GEAR}
    skills = {r.target for t in TEMPLATES for r in t.rules if r.kind == TemplateRule.Kind.CREW}
    return capabilities, skills


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _lookup(model: type[Capability] | type[Skill], slugs: set[str]) -> dict[str, Capability | Skill]:
    found = {row.slug: row for row in model.objects.filter(slug__in=slugs)}
    missing = sorted(slugs - set(found))
    if missing:
        plural = model._meta.verbose_name_plural
        raise LookupError(
            f"The demo outcome templates need {plural} that are not loaded: {', '.join(missing)}. "
            "Load the demo gear and crew first."
        )
    return found


@transaction.atomic
def load_demo_templates() -> int:
    """Upsert the demo templates by slug, their parameters by name and rules by key; returns how many.

    Parameters and rules a template no longer defines are removed, so a second run leaves exactly the tables.
    """
    capability_slugs, skill_slugs = required_slugs()
    capabilities = _lookup(Capability, capability_slugs)
    skills = _lookup(Skill, skill_slugs)
    for spec in TEMPLATES:
        template, _ = OutcomeTemplate.objects.update_or_create(
            slug=spec.slug, defaults={"name": spec.name, "description": spec.description, "active": True}
        )
        for position, param in enumerate(spec.parameters, start=1):
            TemplateParameter.objects.update_or_create(
                template=template,
                name=param.name,
                defaults={
                    "label": param.label,
                    "kind": param.kind,
                    "default": _decimal(param.default),
                    "minimum": _decimal(param.minimum),
                    "maximum": _decimal(param.maximum),
                    "required": param.required,
                    "help_text": param.help_text,
                    "position": position,
                },
            )
        template.parameters.exclude(name__in=[param.name for param in spec.parameters]).delete()
        for position, rule in enumerate(spec.rules, start=1):
            start_anchor, start_offset, end_anchor, end_offset = rule.window
            is_gear = rule.kind == TemplateRule.Kind.GEAR
            row, _ = TemplateRule.objects.update_or_create(
                template=template,
                key=rule.key,
                defaults={
                    "kind": rule.kind,
                    "capability": capabilities[rule.target] if is_gear else None,
                    "skill": None if is_gear else skills[rule.target],
                    "min_level": rule.level,
                    "quantity": rule.quantity,
                    "condition": rule.condition,
                    "start_anchor": start_anchor,
                    "start_offset_hours": _decimal(start_offset),
                    "end_anchor": end_anchor,
                    "end_offset_hours": _decimal(end_offset),
                    "repeat": rule.repeat,
                    "position": position,
                },
            )
            row.full_clean()  # the demo must pass the same checks an admin's edit does
        template.rules.exclude(key__in=[rule.key for rule in spec.rules]).delete()
    return len(TEMPLATES)

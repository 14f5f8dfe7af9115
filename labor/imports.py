"""CSV import of crew, shared by the admin and the API (jobs/imports.py reads and writes the file).

A row is one person, keyed by ``code``. The optional ``skills`` column lists their roles and levels as
``slug:level`` separated by semicolons (``audio-a1:3; stagehand:1``); when the column is there, the person's
skills become exactly those, and an unknown role or a level outside 1-5 refuses the row, naming it.
"""

import re
from typing import Any

from import_export import resources

from labor.models import CrewMember, CrewSkill, Level, Skill

_ITEM = re.compile(r"^(?P<slug>[-\w]+)\s*:\s*(?P<level>\d+)$")


def parse_skills(text: str) -> list[tuple[Skill, int]]:
    """``"audio-a1:3; stagehand:1"`` as (skill, level) pairs; ValueError naming what is wrong."""
    items = [item.strip() for item in (text or "").split(";") if item.strip()]
    pairs: list[tuple[str, int]] = []
    for item in items:
        match = _ITEM.match(item)
        if match is None:
            raise ValueError(f"skills: {item!r} is not role:level (e.g. audio-a1:3).")
        level = int(match["level"])
        if not Level.values[0] <= level <= Level.values[-1]:
            raise ValueError(f"skills: level {level} of {match['slug']} is outside 1-5.")
        pairs.append((match["slug"], level))
    known = {skill.slug: skill for skill in Skill.objects.filter(slug__in=[slug for slug, _ in pairs])}
    unknown = [slug for slug, _ in pairs if slug not in known]
    if unknown:
        raise ValueError(f"skills: no role {', '.join(repr(slug) for slug in unknown)}.")
    return [(known[slug], level) for slug, level in pairs]


class CrewResource(resources.ModelResource):
    class Meta:
        model = CrewMember
        import_id_fields = ("code",)
        fields = (
            "code",
            "first_name",
            "last_name",
            "kind",
            "day_rate",
            "max_hours_per_week",
            "reliability",
            "email",
            "phone",
            "home_base",
            "active",
        )
        clean_model_instances = True
        skip_unchanged = False

    # Read by the hooks below rather than set on the model.
    extra_columns = ("skills",)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        if "skills" in row:
            row["_skills"] = parse_skills(row["skills"])

    def after_save_instance(self, instance: CrewMember, row: Any, **kwargs: Any) -> None:
        if kwargs.get("dry_run") or instance.pk is None or "_skills" not in row:
            return
        levels = {skill.pk: level for skill, level in row["_skills"]}
        CrewSkill.objects.filter(crew=instance).exclude(skill_id__in=levels).delete()
        for skill_id, level in levels.items():
            CrewSkill.objects.update_or_create(crew=instance, skill_id=skill_id, defaults={"level": level})

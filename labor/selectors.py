"""Reads of crew."""

from django.db.models import Prefetch, Q, QuerySet

from labor.models import Certification, CrewMember, CrewSkill, Skill


def crew_list(*, kind: str = "", skill: str = "", search: str = "") -> QuerySet[CrewMember]:
    """Active crew with their skills and certifications, filtered."""
    crew = CrewMember.objects.filter(active=True).prefetch_related(
        Prefetch("crew_skills", queryset=CrewSkill.objects.select_related("skill").order_by("-level")),
        Prefetch("certifications", queryset=Certification.objects.select_related("certification_type")),
    )
    if kind:
        crew = crew.filter(kind=kind)
    if skill:
        crew = crew.filter(crew_skills__skill__slug=skill)
    if search:
        crew = crew.filter(
            Q(first_name__icontains=search) | Q(last_name__icontains=search) | Q(code__icontains=search)
        )
    return crew.distinct().order_by("last_name", "first_name")


def skills() -> QuerySet[Skill]:
    return Skill.objects.order_by("name")

"""Template filters of the labor pages."""

from django import template

from labor.tokens import ical_path

register = template.Library()


@register.filter
def crew_ical_path(crew_id: int) -> str:
    """The secret path of a crew member's iCal feed."""
    return ical_path(crew_id)

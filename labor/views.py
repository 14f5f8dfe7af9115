"""Pages for crew."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from labor import selectors
from labor.models import CrewMember
from rentalops.roles import COORDINATOR, PLANNER, role_required


@role_required(PLANNER, COORDINATOR)
def crew_list(request: HttpRequest) -> HttpResponse:
    """Staff and freelancers with skills, levels, rates and certifications."""
    kind = request.GET.get("kind", "")
    skill = request.GET.get("skill", "")
    search = request.GET.get("q", "").strip()
    crew = selectors.crew_list(kind=kind, skill=skill, search=search)
    page = Paginator(crew, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kind": kind,
        "skill": skill,
        "q": search,
        "kinds": CrewMember.Kind.choices,
        "skills": selectors.skills(),
        "today": timezone.localdate(),
    }
    return render(request, "labor/crew_list.html", context)

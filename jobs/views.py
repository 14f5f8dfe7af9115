"""Pages for jobs and the inventory."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date

from jobs import selectors
from jobs.models import Job
from rentalops.roles import COORDINATOR, PLANNER, SALES, role_required
from rentalops.timeutil import start_of_day


@role_required(SALES, PLANNER, COORDINATOR)
def job_list(request: HttpRequest) -> HttpResponse:
    """Upcoming jobs, filterable by status, text and dates."""
    status = request.GET.get("status", "open")
    search = request.GET.get("q", "").strip()
    start_date = parse_date(request.GET.get("from", "") or "")
    end_date = parse_date(request.GET.get("to", "") or "")
    jobs = selectors.job_list(
        status=status,
        search=search,
        start=start_of_day(start_date) if start_date else None,
        end=start_of_day(end_date, plus_days=1) if end_date else None,
    )
    page = Paginator(jobs, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "q": search,
        "from": request.GET.get("from", ""),
        "to": request.GET.get("to", ""),
        "statuses": [("open", "Open"), ("all", "All"), *Job.Status.choices],
        "counts": selectors.job_counts_by_status(),
    }
    return render(request, "jobs/job_list.html", context)


@role_required(SALES, PLANNER)
def inventory(request: HttpRequest) -> HttpResponse:
    """Owned gear by category, with what each product can stand in for."""
    search = request.GET.get("q", "").strip()
    return render(
        request,
        "jobs/inventory.html",
        {"groups": selectors.inventory_by_category(search=search), "q": search},
    )

"""The planner's pages: the board, the resource view, a plan with its diff, pins, explanations and exports.

Planners read and act; crew coordinators read. Each view serves its page, or its fragment to htmx.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from allocation import board, selectors, services
from allocation.diff import plan_diff
from allocation.explain import NothingToExplain, explain_shortage, explain_unfilled
from allocation.exports import pull_sheet, pull_sheet_csv, subrentals_csv
from allocation.forms import BoardFilterForm, CrewPinForm, GearPinForm
from allocation.models import Pin, PlanRun
from allocation.services import PinConflict, StaleProposal
from jobs.models import Job
from rentalops.roles import COORDINATOR, PLANNER, has_role, role_required

READERS = (PLANNER, COORDINATOR)


def _plan_or_404(pk: int) -> PlanRun:
    return get_object_or_404(PlanRun, pk=pk)


def _plan_from_query(request: HttpRequest) -> PlanRun | None:
    """``?plan=<id>``, ``?plan=published``, or the latest proposal."""
    which = request.GET.get("plan", "latest")
    if which.isdigit():
        return _plan_or_404(int(which))
    return selectors.published_plan() if which == "published" else selectors.latest_plan()


def _board_context(request: HttpRequest) -> dict[str, Any]:
    form = BoardFilterForm(request.GET or None)
    window = board.board_window(zoom=form.zoom_value, anchor=form.value("date"))
    filters = board.BoardFilters(
        statuses=form.value("status", []),
        min_priority=form.value("priority"),
        category=form.value("category", ""),
        client=form.value("client"),
    )
    which = form.value("plan", "latest")
    plan = selectors.published_plan() if which == "published" else selectors.latest_plan()
    bars = board.board_jobs(plan=plan, window=window, filters=filters)
    query = request.GET.copy()
    query.pop("date", None)
    return {
        "form": form,
        "window": window,
        "plan": plan,
        "which": which,
        "published": selectors.published_plan() if which != "published" else plan,
        "last_solve": selectors.last_solve_summary(),
        "groups": board.group_bars(bars, window),
        "bar_count": len(bars),
        "counts": board.coverage_counts(bars),
        "lists": board.plan_lists(plan=plan, job_ids=[bar.job.pk for bar in bars]),
        "query": query.urlencode(),
        "labels": board.COVERAGE_LABELS,
        "may_plan": has_role(request.user, PLANNER),
    }


@role_required(*READERS)
def board_page(request: HttpRequest) -> HttpResponse:
    """All open jobs in a window on one timeline, coloured by the plan's coverage, with the needs beside."""
    context = _board_context(request)
    if request.htmx and not request.htmx.boosted:
        return render(request, "allocation/partials/board_body.html", context)
    return render(request, "allocation/board.html", context)


def _job_context(request: HttpRequest, job: Job, plan: PlanRun | None, **extra: Any) -> dict[str, Any]:
    return {
        "job": job,
        "plan": plan,
        "detail": selectors.job_plan_detail(plan=plan, job=job),
        "may_plan": has_role(request.user, PLANNER),
        **extra,
    }


def _render_job(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    template = "allocation/partials/job_detail.html" if request.htmx else "allocation/job.html"
    return render(request, template, context, status=status)


@role_required(*READERS)
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A job under a plan: each requirement's products, vendors and shortage, each shift's crew, the pins."""
    job = get_object_or_404(Job.objects.select_related("client", "venue"), pk=pk)
    return _render_job(request, _job_context(request, job, _plan_from_query(request)))


@role_required(*READERS)
def why(request: HttpRequest, pk: int) -> HttpResponse:
    """Why a requirement is short (``?requirement=``) or a shift needs over-hire (``?shift=``)."""
    plan = _plan_or_404(pk)
    try:
        if "requirement" in request.GET:
            explanation = explain_shortage(plan, request.GET["requirement"])
        elif "shift" in request.GET:
            explanation = explain_unfilled(plan, request.GET["shift"])
        else:
            raise Http404("Ask about a requirement or a shift.")
    except NothingToExplain as error:
        raise Http404(str(error)) from None
    context = {"plan": plan, "explanation": explanation}
    template = "allocation/partials/explanation.html" if request.htmx else "allocation/why.html"
    return render(request, template, context)


@role_required(*READERS)
def resources(request: HttpRequest) -> HttpResponse:
    """Products by category and skills by day: use against capacity; shortages and sub-rentals stand out."""
    form = BoardFilterForm(request.GET or None)
    zoom = form.value("zoom") if form.value("zoom") in ("week", "month") else "month"
    window = board.board_window(zoom=zoom, anchor=form.value("date"))
    which = form.value("plan", "latest")
    plan = selectors.published_plan() if which == "published" else selectors.latest_plan()
    gear_groups, capability_rows = board.gear_heatmap(plan=plan, window=window)
    query = request.GET.copy()
    query.pop("date", None)
    context = {
        "form": form,
        "window": window,
        "plan": plan,
        "which": which,
        "gear_groups": gear_groups,
        "capability_rows": capability_rows,
        "crew_rows": board.crew_heatmap(plan=plan, window=window),
        "query": query.urlencode(),
    }
    template = "allocation/partials/resources_body.html" if request.htmx else "allocation/resources.html"
    return render(request, template, context)


@role_required(*READERS)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan and what it changes against the published plan; planners publish or discard it here."""
    plan = _plan_or_404(pk)
    if plan.state == PlanRun.State.PUBLISHED:
        base = plan.previous
    else:
        base = PlanRun.objects.filter(state=PlanRun.State.PUBLISHED).first()
    context = {
        "plan": plan,
        "base": base,
        "diff": plan_diff(plan, base),
        "may_plan": has_role(request.user, PLANNER),
        "latest": selectors.latest_plan(),
        "recent": PlanRun.objects.defer("scenario", "plan")[:12],
    }
    return render(request, "allocation/plan_detail.html", context)


@require_POST
@role_required(PLANNER)
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(pk)
    try:
        services.plan_publish(plan=plan, user=request.user)
    except StaleProposal as error:
        messages.error(request, f"{error} Open the latest proposal and publish that one.")
        return redirect("allocation:plan", pk=pk)
    messages.success(request, f"Plan #{plan.pk} is published.")
    return redirect("allocation:plan", pk=pk)


@require_POST
@role_required(PLANNER)
def plan_discard(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(pk)
    try:
        services.plan_discard(plan=plan, user=request.user)
    except StaleProposal as error:
        messages.error(request, str(error))
        return redirect("allocation:plan", pk=pk)
    messages.success(request, f"Plan #{plan.pk} is discarded; the published plan stands.")
    return redirect("allocation:board")


@require_POST
@role_required(PLANNER)
def pin_create(request: HttpRequest) -> HttpResponse:
    """Pin a product on a requirement or a person on a shift; a pin that cannot hold is refused, named."""
    form = GearPinForm(request.POST) if request.POST.get("kind") == "gear" else CrewPinForm(request.POST)
    target = form["requirement" if isinstance(form, GearPinForm) else "shift"].value()
    job = _job_of_target(form, target)
    if form.is_valid():
        try:
            pin = services.pin_create(user=request.user, **form.cleaned_data)
        except PinConflict as conflict:
            return _pin_refused(request, job, form, str(conflict.message), conflict.conflicts)
        except ValidationError as error:
            return _pin_refused(request, job, form, " ".join(error.messages), [])
        latest = selectors.latest_plan()
        note = f"Pinned {services.pin_text(pin)}. The plan is being redone to keep it."
        if not request.htmx:
            messages.success(request, note)
            return redirect(f"{reverse('allocation:job', args=[job.pk])}?plan=latest")
        return _render_job(request, _job_context(request, job, latest, notice=note, pinned=pin))
    return _pin_refused(request, job, form, "Check the pin's fields.", [])


def _job_of_target(form: GearPinForm | CrewPinForm, target: Any) -> Job:
    model = form.fields["requirement" if isinstance(form, GearPinForm) else "shift"].queryset.model
    try:
        return model.objects.select_related("job").get(pk=int(target)).job
    except (TypeError, ValueError, model.DoesNotExist):
        raise Http404("No such requirement or shift.") from None


def _pin_refused(
    request: HttpRequest, job: Job, form: Any, message: str, conflicts: list[dict[str, Any]]
) -> HttpResponse:
    context = _job_context(
        request,
        job,
        _plan_from_query(request),
        pin_error=message,
        pin_conflicts=conflicts,
        pin_form=form,
        pin_target=str(form["requirement" if isinstance(form, GearPinForm) else "shift"].value()),
    )
    return _render_job(request, context, status=422)


@require_POST
@role_required(PLANNER)
def pin_delete(request: HttpRequest, pk: int) -> HttpResponse:
    pin = get_object_or_404(
        Pin.objects.select_related("requirement__job", "shift__job", "product", "crew"), pk=pk
    )
    job = pin.requirement.job if pin.is_gear else pin.shift.job
    services.pin_delete(pin=pin, user=request.user)
    note = "Unpinned. The plan is being redone without it."
    if not request.htmx:
        messages.success(request, note)
        return redirect(f"{reverse('allocation:job', args=[job.pk])}?plan=latest")
    return _render_job(request, _job_context(request, job, selectors.latest_plan(), notice=note))


@role_required(*READERS)
def job_pull_sheet(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    """The printable pull sheet of a job under a plan (``?format=csv`` for the spreadsheet)."""
    plan = _plan_or_404(plan_pk)
    job = get_object_or_404(Job.objects.select_related("client", "venue"), pk=pk)
    if request.GET.get("format") == "csv":
        response = HttpResponse(pull_sheet_csv(plan=plan, job=job), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="pull-sheet-{job.code}-plan-{plan.pk}.csv"'
        return response
    own, rented, shortages = pull_sheet(plan=plan, job=job)
    context = {"plan": plan, "job": job, "own": own, "rented": rented, "shortages": shortages}
    return render(request, "allocation/pull_sheet.html", context)


@role_required(*READERS)
def plan_subrentals_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's sub-rental purchase list, vendor by vendor."""
    plan = _plan_or_404(pk)
    response = HttpResponse(subrentals_csv(plan=plan), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="subrentals-plan-{plan.pk}.csv"'
    return response

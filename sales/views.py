"""Pages of sales reps: their orders, a new order, an order with its requirements, risk, cost and margin."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rentalops.roles import ADMIN, PLANNER, SALES, has_role, role_required
from sales import selectors, services
from sales.forms import (
    OrderForm,
    OutcomeRow,
    outcome_rows_from_order,
    outcome_rows_from_post,
    row_parameters,
)
from sales.models import Order
from sales.services import OrderConflict, OutcomeInput

FORM_FIELDS = set(OrderForm.base_fields)


def _get_order_for_user(request: HttpRequest, pk: int) -> Order:
    """The order if this user may see it (a rep: their own), else 404."""
    try:
        return selectors.order_detail(pk=pk, user=request.user)
    except Order.DoesNotExist:
        raise Http404("No such order") from None


def _may_edit(user: Any, order: Order) -> bool:
    return has_role(user, ADMIN) or (has_role(user, SALES) and order.created_by_id == user.pk)


def _templates_by_slug() -> dict:
    return {template.slug: template for template in selectors.active_templates()}


def _apply_errors(error: ValidationError, form: OrderForm, rows: list[OutcomeRow]) -> list[str]:
    """Put each service error next to its field; return the ones that belong to no field."""
    general = []
    rows_by_index = {position: row for position, row in enumerate(rows)}
    for key, messages_ in error.message_dict.items():
        text = " ".join(messages_)
        if key in FORM_FIELDS:
            form.add_error(key, text)
        elif key.startswith("outcomes[") and "]" in key:
            position = int(key[len("outcomes[") : key.index("]")])
            row = rows_by_index.get(position)
            name = key.rsplit(".", 1)[-1]
            if row is None:
                general.append(text)
            elif name == "template":
                row.template_error = text
            else:
                row.errors[name] = text
        else:
            general.append(text)
    return general


def _render_form(request, template_name, context, status=200) -> HttpResponse:
    context.setdefault("templates", selectors.active_templates())
    return render(request, template_name, context, status=status)


def _save(request: HttpRequest, order: Order | None) -> tuple[Order | None, dict]:
    """Validate and save the posted form; on failure return the context to re-render with errors."""
    form = OrderForm(request.POST)
    rows = outcome_rows_from_post(request.POST, _templates_by_slug())
    context: dict[str, Any] = {"form": form, "rows": rows, "order": order}
    if not form.is_valid() or any(row.template_error for row in rows):
        return None, context
    data = form.cleaned_data
    outcomes = [OutcomeInput(row.template, row_parameters(row)) for row in rows]
    fields = {name: data[name] for name in FORM_FIELDS - {"version"}}
    try:
        if order is None:
            saved = services.order_create(user=request.user, outcomes=outcomes, **fields)
        else:
            saved = services.order_update(
                order=order, user=request.user, expected_version=data["version"], outcomes=outcomes, **fields
            )
    except ValidationError as error:
        context["general_errors"] = _apply_errors(error, form, rows)
        return None, context
    return saved, context


@role_required(SALES, PLANNER)
def order_list(request: HttpRequest) -> HttpResponse:
    """The rep's orders (everyone's for planners) with risk badges, cost and margin."""
    orders = selectors.visible_orders(request.user)
    status = request.GET.get("status", "")
    if status:
        orders = orders.filter(status=status)
    page = Paginator(orders, 25).get_page(request.GET.get("page"))
    standings = selectors.order_standings(list(page))
    rows = [(order, standings[order.pk]) for order in page]
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "statuses": Order.Status.choices,
        "any_pending": any(standing.risk == "pending" for _, standing in rows),
    }
    if request.htmx and request.GET.get("fragment") == "rows":
        return render(request, "sales/partials/order_rows.html", context)
    return render(request, "sales/order_list.html", context)


@role_required(SALES)
def order_new(request: HttpRequest) -> HttpResponse:
    """Enter a new order: client, venue, dates, price and the outcomes sold. Never blocked by availability."""
    if request.method == "POST":
        order, context = _save(request, None)
        if order is not None:
            messages.success(request, f"Order {order.code} saved. The plan is being updated.")
            return redirect("sales:order", pk=order.pk)
        return _render_form(request, "sales/order_form.html", context, status=422)
    template = request.GET.get("template", "general-session")
    templates = _templates_by_slug()
    rows = [OutcomeRow(index=0, template=templates.get(template))]
    return _render_form(request, "sales/order_form.html", {"form": OrderForm(), "rows": rows, "order": None})


@role_required(SALES, PLANNER)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An order: outcomes, expanded requirements, risk, cost and margin; its rep edits it here."""
    order = _get_order_for_user(request, pk)
    editable = _may_edit(request.user, order) and order.status != Order.Status.CANCELLED
    if request.method == "POST":
        if not editable:
            return render(request, "403.html", {"exception": "You may not change this order."}, status=403)
        try:
            saved, context = _save(request, order)
        except OrderConflict as conflict:
            return _conflict(request, conflict)
        if saved is not None:
            messages.success(request, f"Saved version {saved.version}. The plan is being updated.")
            return redirect("sales:order", pk=saved.pk)
        context.update(_detail_context(order, editable))
        return _render_form(request, "sales/order_detail.html", context, status=422)
    initial = {name: getattr(order, name) for name in FORM_FIELDS - {"version"}}
    initial["version"] = order.version
    context = {"form": OrderForm(initial=initial), "rows": outcome_rows_from_order(order), "order": order}
    context.update(_detail_context(order, editable))
    return _render_form(request, "sales/order_detail.html", context)


def _detail_context(order: Order, editable: bool) -> dict[str, Any]:
    gear, shifts = selectors.order_requirements(order)
    return {
        "gear": gear,
        "shifts": shifts,
        "standing": selectors.order_standings([order])[order.pk],
        "editable": editable,
        "versions": order.versions.select_related("changed_by")[:10],
    }


def _conflict(request: HttpRequest, conflict: OrderConflict) -> HttpResponse:
    """Someone saved first: show what they changed and what this save tried; overwrite nothing."""
    current = conflict.order
    then = current.versions.filter(version=conflict.expected_version).first()
    now_snapshot = services.order_snapshot(current)
    theirs = []
    if then is not None:
        for key, value in now_snapshot.items():
            if then.snapshot.get(key) != value:
                theirs.append({"field": key, "before": then.snapshot.get(key), "after": value})
    context = {
        "order": current,
        "expected_version": conflict.expected_version,
        "theirs": theirs,
        "changed_by": current.versions.select_related("changed_by").first(),
        "attempt": {key: request.POST.get(key, "") for key in sorted(FORM_FIELDS - {"version"})},
    }
    return render(request, "sales/order_conflict.html", context, status=409)


@role_required(SALES, PLANNER)
def order_standing(request: HttpRequest, pk: int) -> HttpResponse:
    """The risk badge with cost and margin: polled by the order page until the re-plan lands."""
    order = _get_order_for_user(request, pk)
    standing = selectors.order_standings([order])[order.pk]
    return render(request, "sales/partials/standing.html", {"order": order, "standing": standing})


@role_required(SALES)
def outcome_row(request: HttpRequest) -> HttpResponse:
    """One outcome row of the order form, with the parameter fields of the chosen template."""
    try:
        index = min(int(request.GET.get("index", "0")), 99)
    except ValueError:
        index = 0
    template = _templates_by_slug().get(
        request.GET.get(f"outcome-{index}-template") or request.GET.get("template", "")
    )
    return render(
        request,
        "sales/partials/outcome_row.html",
        {"row": OutcomeRow(index=index, template=template), "templates": selectors.active_templates()},
    )


@require_POST
@role_required(SALES)
def order_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit a draft, confirm or cancel an order (with the version the rep saw)."""
    order = _get_order_for_user(request, pk)
    if not _may_edit(request.user, order):
        return render(request, "403.html", {"exception": "You may not change this order."}, status=403)
    service = {
        "submit": services.order_submit,
        "confirm": services.order_confirm,
        "cancel": services.order_cancel,
    }
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        order = service[action](order=order, user=request.user, expected_version=version)
    except OrderConflict as conflict:
        return _conflict(request, conflict)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("sales:order", pk=pk)
    messages.success(request, f"Order {order.code} is now {order.get_status_display().lower()}.")
    return redirect("sales:order", pk=pk)

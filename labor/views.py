"""Pages for crew: the coordinator's over-hire needs, offers, bookings and bench depth; the freelancer's offer
page (a signed link, no account) and each crew member's iCal feed."""

from datetime import date

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from labor import selectors, services
from labor.bench import HORIZONS, bench_depth
from labor.candidates import attach_candidates
from labor.forms import BookingCancelForm, OfferResponseForm, OfferSendForm
from labor.ical import crew_calendar
from labor.models import Booking, CrewMember, Offer, Shift
from labor.tokens import crew_id_from_ical_token, ical_path, offer_id_from_token
from rentalops.roles import COORDINATOR, PLANNER, has_role, role_required

NEEDS_PER_PAGE = 20


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


def _date_param(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@role_required(PLANNER, COORDINATOR)
def needs(request: HttpRequest) -> HttpResponse:
    """The published plan's over-hire needs by date and skill, each with its ranked candidates and offers."""
    skill = request.GET.get("skill", "")
    job = request.GET.get("job", "").strip()
    date_from = _date_param(request.GET.get("from", ""))
    show = request.GET.get("show", "open")
    all_needs = selectors.needs_list(skill=skill, job=job, date_from=date_from, include_filled=show == "all")
    page = Paginator(all_needs, NEEDS_PER_PAGE).get_page(request.GET.get("page"))
    attach_candidates(list(page.object_list))
    context = {
        "page": page,
        "open_count": sum(1 for need in all_needs if not need.filled),
        "missing_count": sum(need.missing for need in all_needs),
        "skills": selectors.skills(),
        "skill": skill,
        "job": job,
        "date_from": date_from,
        "show": show,
        "can_offer": has_role(request.user, COORDINATOR),
        "plan": _published_plan(),
    }
    return render(request, "labor/needs.html", context)


def _published_plan():
    from allocation.selectors import published_plan

    return published_plan()


def _need_card(request: HttpRequest, shift: Shift, *, errors: list[str] | None = None, status: int = 200):
    need = selectors.need_for_shift(shift=shift)
    if need is not None:
        attach_candidates([need])
    context = {
        "need": need,
        "shift": shift,
        "errors": errors or [],
        "can_offer": has_role(request.user, COORDINATOR),
    }
    return render(request, "labor/partials/need.html", context, status=status)


def _after_need_change(request: HttpRequest, shift: Shift, *, errors=None, status=200, message=""):
    if request.htmx:
        return _need_card(request, shift, errors=errors, status=status)
    for error in errors or []:
        messages.error(request, error)
    if message:
        messages.success(request, message)
    return redirect(f"{reverse('labor:needs')}?show=all#need-{shift.pk}")


@require_POST
@role_required(COORDINATOR)
def need_offer(request: HttpRequest, shift_id: int) -> HttpResponse:
    """Send offers for a need's shift to the ticked candidates; the card comes back with the offers."""
    shift = get_object_or_404(Shift, pk=shift_id)
    form = OfferSendForm(request.POST)
    if not form.is_valid():
        return _after_need_change(request, shift, errors=form.errors["crew"], status=422)
    try:
        offers = services.offer_send(
            shift=shift,
            crew=form.cleaned_data["crew"],
            user=request.user,
            site_url=request.build_absolute_uri("/"),
        )
    except ValidationError as error:
        found = error.message_dict if hasattr(error, "error_dict") else {"crew": error.messages}
        return _after_need_change(request, shift, errors=[m for ms in found.values() for m in ms], status=422)
    return _after_need_change(
        request, shift, message=f"{len(offers)} {'offer' if len(offers) == 1 else 'offers'} sent."
    )


@require_POST
@role_required(COORDINATOR)
def offer_withdraw(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("shift"), pk=offer_id)
    try:
        services.offer_withdraw(offer=offer, user=request.user)
    except ValidationError as error:
        return _after_need_change(request, offer.shift, errors=error.messages, status=409)
    return _after_need_change(request, offer.shift, message="Offer withdrawn.")


@role_required(PLANNER, COORDINATOR)
def bench(request: HttpRequest) -> HttpResponse:
    """Demand per skill against staff and reliable freelancers over the next 4, 8 and 12 weeks."""
    horizons = bench_depth()
    try:
        weeks = int(request.GET.get("weeks", HORIZONS[0]))
    except ValueError:
        weeks = HORIZONS[0]
    chosen = next((h for h in horizons if h.weeks == weeks), horizons[0])
    return render(request, "labor/bench.html", {"horizons": horizons, "horizon": chosen})


@role_required(PLANNER, COORDINATOR)
def bookings(request: HttpRequest) -> HttpResponse:
    """Confirmed and cancelled bookings, soonest first, with cancel for coordinators."""
    status = request.GET.get("status", "confirmed")
    crew = request.GET.get("crew", "").strip()
    rows = selectors.bookings_list(status=status, crew=crew, upcoming=request.GET.get("past") != "1")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "crew": crew,
        "statuses": Booking.Status.choices,
        "can_cancel": has_role(request.user, COORDINATOR),
    }
    return render(request, "labor/bookings.html", context)


@require_POST
@role_required(COORDINATOR)
def booking_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = get_object_or_404(selectors.bookings_list(), pk=booking_id)
    form = BookingCancelForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            booking = services.booking_cancel(
                booking=booking,
                reason=form.cleaned_data["reason"],
                side=Booking.Side.COMPANY,
                user=request.user,
            )
        except ValidationError as error:
            for field_name, field_errors in error.message_dict.items():
                form.add_error(field_name if field_name in form.fields else None, field_errors)
            status = 422
        else:
            booking = get_object_or_404(selectors.bookings_list(), pk=booking_id)
            form = BookingCancelForm()
    else:
        status = 422
    if not request.htmx:
        if status == 200:
            messages.success(
                request, f"Booking of {booking.crew.full_name} cancelled; a re-plan is on its way."
            )
        else:
            messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect("labor:bookings")
    context = {"booking": booking, "form": form, "can_cancel": True}
    return render(request, "labor/partials/booking_row.html", context, status=status)


# --- the freelancer's side: no account, a signed link ---------------------------------------------------


def _offer_refused(request: HttpRequest, *, title: str, message: str, status: int) -> HttpResponse:
    response = render(request, "labor/offer_closed.html", {"title": title, "message": message}, status=status)
    response["Referrer-Policy"] = "same-origin"
    return response


def offer_page(request: HttpRequest, token: str) -> HttpResponse:
    """The freelancer sees the shift and accepts or declines (or, once booked, cancels saying why)."""
    try:
        offer_id = offer_id_from_token(token)
    except signing.SignatureExpired:
        # Past the answering time the link only still serves the booking it made (to see or cancel it).
        offer_id = offer_id_from_token(token, any_age=True)
        if not Offer.objects.filter(pk=offer_id, status=Offer.Status.ACCEPTED).exists():
            return _offer_refused(
                request,
                title="This offer has expired",
                message="Ask the crew coordinator for a new link.",
                status=410,
            )
    except signing.BadSignature:
        return _offer_refused(
            request,
            title="This link is not valid",
            message="The link is incomplete or has been changed. Open it again from the email, or ask the "
            "crew coordinator for a new one.",
            status=400,
        )
    offer = selectors.offer_by_id(offer_id)
    if offer is None:
        return _offer_refused(
            request, title="This offer no longer exists", message="Ask the crew coordinator.", status=410
        )
    form = OfferResponseForm()
    notice, status = "", 200
    if request.method == "POST":
        form = OfferResponseForm(request.POST)
        if not form.is_valid():
            status = 422
        else:
            action = form.cleaned_data["action"]
            try:
                if action == "accept":
                    services.offer_accept(offer=offer)
                    notice = "You are booked. Thank you! The shift is in your calendar feed below."
                elif action == "decline":
                    services.offer_decline(offer=offer, reason=form.cleaned_data["reason"])
                    notice = "You declined this offer. Thank you for letting us know."
                else:
                    booking = getattr(offer, "booking", None)
                    if booking is None or booking.status != Booking.Status.CONFIRMED:
                        raise services.OfferRefused("There is no confirmed booking to cancel.")
                    services.booking_cancel(
                        booking=booking, reason=form.cleaned_data["reason"], side=Booking.Side.FREELANCER
                    )
                    notice = "Your booking is cancelled. Thank you for telling us in time."
            except services.OfferRefused as refused:
                title = "This offer is closed" if refused.gone else "Cannot do that"
                return _offer_refused(
                    request, title=title, message=refused.message, status=410 if refused.gone else 409
                )
            except ValidationError as error:
                for field_name, field_errors in error.message_dict.items():
                    form.add_error(field_name if field_name in form.fields else None, field_errors)
                status = 422
            offer = selectors.offer_by_id(offer_id)
            if status == 200:
                form = OfferResponseForm()
    state = offer.effective_status
    if state in (Offer.Status.WITHDRAWN, Offer.Status.EXPIRED) and not notice:
        message = offer.note or ("The offer has expired." if state == Offer.Status.EXPIRED else "")
        title = "This offer has expired" if state == Offer.Status.EXPIRED else "This offer was withdrawn"
        return _offer_refused(request, title=title, message=message, status=410)
    booking = getattr(offer, "booking", None)
    context = {
        "offer": offer,
        "shift": offer.shift,
        "state": state,
        "booking": booking,
        "form": form,
        "notice": notice,
        "ical_url": request.build_absolute_uri(ical_path(offer.crew_id)),
    }
    response = render(request, "labor/offer.html", context, status=status)
    response["Referrer-Policy"] = "same-origin"
    return response


def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A crew member's confirmed bookings as iCalendar; the signed token in the URL is the secret."""
    try:
        crew_id = crew_id_from_ical_token(token)
    except signing.BadSignature:
        raise Http404("No such calendar.") from None
    crew = get_object_or_404(CrewMember, pk=crew_id)
    response = HttpResponse(crew_calendar(crew=crew, domain=request.get_host()), content_type="text/calendar")
    response["Content-Disposition"] = f'inline; filename="{crew.code}.ics"'
    return response

"""Writes of over-hire: offers sent, accepted, declined, withdrawn, expired; bookings confirmed and cancelled.

First accept wins. ``offer_accept`` locks the shift row, so two accepts for one shift queue and the second
sees the first's booking. Two accepts of one freelancer on *different* clashing shifts share no lock: on
PostgreSQL the exclusion constraint ``labor_booking_no_clash_per_crew`` refuses the second insert (it waits
for the first transaction, then fails); on SQLite the writes serialize and the clash check below sees the
first. Accepting and cancelling ask for a re-plan in the same transaction, so the next plan keeps (or frees)
the place.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from allocation.services import replan_request
from labor import selectors
from labor.models import Booking, CrewMember, Offer, Shift
from rentalops import audit
from rentalops.models import AuditEvent

log = logging.getLogger(__name__)

# The solver's default rest gap between two shifts of one person (SCENARIO.md ``rest_hours``): a booking keeps
# its person busy until this long after the shift ends, in Python and in the database constraint alike.
REST_HOURS = 10


class OfferRefused(Exception):
    """An accept or decline that cannot be honoured; ``message`` is shown to the freelancer as it is."""

    def __init__(self, message: str, *, gone: bool = False) -> None:
        super().__init__(message)
        self.message = message
        # gone: the offer is over for good (expired, withdrawn, filled); the page answers 410.
        self.gone = gone


def _busy_until(shift: Shift) -> Any:
    return shift.end + timedelta(hours=REST_HOURS)


def _close(offer: Offer, *, status: str, note: str = "") -> None:
    offer.status = status
    offer.note = note[:200]
    offer.responded_at = timezone.now()
    offer.version += 1
    offer.save(update_fields=["status", "note", "responded_at", "version", "updated_at"])


def _email_offer(offer: Offer, site_url: str) -> None:
    if not offer.crew.email:
        return
    shift = offer.shift
    link = site_url.rstrip("/") + offer.link
    body = (
        f"Hello {offer.crew.first_name},\n\n"
        f"We would like to book you as {shift.skill.name} (level {shift.min_level}+) for {shift.job.title} "
        f"at {shift.job.venue.name}.\n"
        f"Call {timezone.localtime(shift.start):%a %d %b %Y %H:%M}, "
        f"wrap {timezone.localtime(shift.end):%H:%M}. "
        f"Rate: £{offer.crew.day_rate}/day.\n\n"
        f"Accept or decline here (the first to accept gets the place; the link expires "
        f"{timezone.localtime(offer.expires_at):%a %d %b %H:%M}):\n{link}\n"
    )
    try:
        send_mail(
            f"Offer: {shift.skill.name} on {shift.start:%d %b} ({shift.job.code})",
            body,
            None,
            [offer.crew.email],
        )
    except Exception:  # a mail outage must not undo the offer: the coordinator can still send the link
        log.warning("could not email offer %s", offer.pk, exc_info=True)


def offer_send(
    *, shift: Shift, crew: Iterable[CrewMember], user: Any, site_url: str = "http://localhost"
) -> list[Offer]:
    """Offer a need's shift to one or several freelancers; each gets an email with their signed link."""
    people = list(crew)
    if not people:
        raise ValidationError({"crew": "Choose at least one freelancer."})
    now = timezone.now()
    with transaction.atomic():
        shift = Shift.objects.select_for_update().select_related("job__venue", "skill").get(pk=shift.pk)
        if shift.start <= now:
            raise ValidationError({"shift": "This shift has already started."})
        need = selectors.need_for_shift(shift=shift)
        if need is None or need.missing <= 0:
            raise ValidationError({"shift": "The published plan needs no more freelancers on this shift."})
        offers_expire(now=now, shift=shift)
        levels = selectors.skill_levels(crew_ids=[p.pk for p in people], skill_id=shift.skill_id)
        live = set(shift.offers.filter(status=Offer.Status.SENT).values_list("crew_id", flat=True))
        booked = set(shift.bookings.filter(status=Booking.Status.CONFIRMED).values_list("crew_id", flat=True))
        errors = []
        for person in people:
            if person.kind != CrewMember.Kind.FREELANCER or not person.active:
                errors.append(f"{person.full_name} is not an active freelancer.")
            elif levels.get(person.pk, 0) < shift.min_level:
                errors.append(
                    f"{person.full_name} is not a {shift.skill.name} at level {shift.min_level} or above."
                )
            elif person.pk in live:
                errors.append(f"{person.full_name} already has a live offer for this shift.")
            elif person.pk in booked:
                errors.append(f"{person.full_name} is already booked on this shift.")
        if errors:
            raise ValidationError({"crew": errors})
        expires_at = min(now + timedelta(hours=settings.OFFER_TTL_HOURS), shift.start)
        offers = [
            Offer.objects.create(shift=shift, crew=person, sent_by=user, sent_at=now, expires_at=expires_at)
            for person in people
        ]
        for offer in offers:
            transaction.on_commit(lambda offer=offer: _email_offer(offer, site_url))
    return offers


def offer_withdraw(*, offer: Offer, user: Any = None, note: str = "") -> Offer:
    """Take back a live offer; its link then says so."""
    with transaction.atomic():
        current = Offer.objects.select_for_update().get(pk=offer.pk)
        if current.status != Offer.Status.SENT:
            raise ValidationError(
                f"This offer is {current.get_status_display().lower()}; only a live one can be withdrawn."
            )
        who = getattr(user, "username", "") or "the coordinator"
        _close(current, status=Offer.Status.WITHDRAWN, note=note or f"Withdrawn by {who}.")
    return current


def offers_expire(*, now: Any = None, shift: Shift | None = None) -> int:
    """Mark live offers past their expiry as expired (on read and by the periodic sweep); returns how many."""
    now = now or timezone.now()
    due = Offer.objects.filter(status=Offer.Status.SENT, expires_at__lte=now)
    if shift is not None:
        due = due.filter(shift=shift)
    return due.update(status=Offer.Status.EXPIRED, note="No answer before the offer expired.", updated_at=now)


def _refusal_for_closed(offer: Offer) -> OfferRefused:
    messages = {
        Offer.Status.ACCEPTED: "You have already accepted this offer.",
        Offer.Status.DECLINED: "You declined this offer.",
        Offer.Status.WITHDRAWN: "This offer was withdrawn: the shift has been filled or is no longer needed.",
        Offer.Status.EXPIRED: "This offer has expired.",
    }
    return OfferRefused(messages.get(offer.status, "This offer is closed."), gone=offer.status != "accepted")


def offer_accept(*, offer: Offer) -> Booking:
    """The freelancer accepts: a confirmed booking; the other live offers go once the shift is full."""
    refusal: OfferRefused | None = None
    with transaction.atomic():
        shift = Shift.objects.select_for_update().select_related("job", "skill").get(pk=offer.shift_id)
        current = Offer.objects.select_for_update().select_related("crew").get(pk=offer.pk)
        now = timezone.now()
        booked = list(shift.bookings.filter(status=Booking.Status.CONFIRMED))
        need = selectors.need_for_shift(shift=shift)
        places = need.places if need is not None else shift.count
        if current.status != Offer.Status.SENT:
            refusal = _refusal_for_closed(current)
        elif current.expires_at <= now or shift.start <= now:
            _close(current, status=Offer.Status.EXPIRED, note="Answered after the offer expired.")
            refusal = OfferRefused("This offer has expired.", gone=True)
        elif len(booked) >= places:
            _close(current, status=Offer.Status.WITHDRAWN, note="The shift was filled by another freelancer.")
            refusal = OfferRefused("Sorry, this shift has just been filled by someone else.", gone=True)
        elif clash := selectors.booking_clash(
            crew_id=current.crew_id, start=shift.start, busy_until=_busy_until(shift)
        ):
            _close(current, status=Offer.Status.WITHDRAWN, note=f"Clashes with booking #{clash.pk}.")
            refusal = OfferRefused(
                f"You are already booked at that time ({clash.shift.job.title}).", gone=True
            )
        else:
            try:
                with transaction.atomic():  # a savepoint: the database may refuse the clash we could not see
                    booking = Booking.objects.create(
                        shift=shift,
                        crew=current.crew,
                        offer=current,
                        start=shift.start,
                        end=shift.end,
                        busy_until=_busy_until(shift),
                    )
            except IntegrityError:
                _close(
                    current,
                    status=Offer.Status.WITHDRAWN,
                    note="Clashes with a booking made at the same time.",
                )
                refusal = OfferRefused("You are already booked at that time.", gone=True)
            else:
                _close(current, status=Offer.Status.ACCEPTED)
                if len(booked) + 1 >= places:
                    for other in shift.offers.select_for_update().filter(status=Offer.Status.SENT):
                        _close(
                            other,
                            status=Offer.Status.WITHDRAWN,
                            note="The shift was filled by another freelancer.",
                        )
                audit.record(
                    actor=None,
                    actor_label=f"{current.crew.code} (offer link)",
                    action=AuditEvent.Action.BOOKING_CONFIRMED,
                    obj=booking,
                    summary=f"{current.crew.code} accepted offer #{current.pk} for {shift.scenario_id}",
                    changes={"offer": current.pk, "shift": shift.scenario_id, "crew": current.crew.code},
                )
                replan_request(reason=f"booking: {current.crew.code} on {shift.scenario_id}")
    if refusal is not None:
        raise refusal
    offer.status, offer.version = current.status, current.version
    return booking


def offer_decline(*, offer: Offer, reason: str = "") -> Offer:
    """The freelancer says no; the offer stays on record (it counts in their reliability)."""
    refusal: OfferRefused | None = None
    with transaction.atomic():
        current = Offer.objects.select_for_update().get(pk=offer.pk)
        if current.status != Offer.Status.SENT:
            refusal = _refusal_for_closed(current)
        elif current.expires_at <= timezone.now():
            _close(current, status=Offer.Status.EXPIRED, note="Answered after the offer expired.")
            refusal = OfferRefused("This offer has expired.", gone=True)
        else:
            _close(current, status=Offer.Status.DECLINED, note=reason)
    if refusal is not None:
        raise refusal
    return current


def booking_cancel(*, booking: Booking, reason: str, side: str, user: Any = None) -> Booking:
    """Cancel a confirmed booking, recording who and why; the next plan frees (and refills) the place."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the booking is cancelled."})
    if side not in Booking.Side.values:
        raise ValidationError({"side": f"Unknown side {side!r}."})
    with transaction.atomic():
        current = Booking.objects.select_for_update().select_related("shift__job", "crew").get(pk=booking.pk)
        if current.status != Booking.Status.CONFIRMED:
            raise ValidationError(
                {"reason": f"This booking is already {current.get_status_display().lower()}."}
            )
        current.status = Booking.Status.CANCELLED
        current.cancelled_by = user if getattr(user, "is_authenticated", False) else None
        current.cancelled_side = side
        current.cancelled_at = timezone.now()
        current.cancel_reason = reason[:300]
        current.save(
            update_fields=[
                "status",
                "cancelled_by",
                "cancelled_side",
                "cancelled_at",
                "cancel_reason",
                "updated_at",
            ]
        )
        audit.record(
            actor=user,
            actor_label=""
            if getattr(user, "is_authenticated", False)
            else f"{current.crew.code} (offer link)",
            action=AuditEvent.Action.BOOKING_CANCELLED,
            obj=current,
            summary=(
                f"Booking #{current.pk} of {current.crew.code} on {current.shift.scenario_id} cancelled"
                f" ({current.get_cancelled_side_display().lower()}): {current.cancel_reason}"
            ),
            changes={"side": side, "reason": current.cancel_reason},
        )
        replan_request(
            reason=f"booking cancelled: {current.crew.code} on {current.shift.scenario_id}", user=user
        )
    return current

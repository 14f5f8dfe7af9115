"""Signed links: a freelancer's offer page (expiring, scoped to one offer) and a crew member's iCal feed.

Both carry only an id and a signature made with the project's SECRET_KEY and a salt of their own, so an offer
token cannot open a calendar or another offer, and a changed character gets ``BadSignature``.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

OFFER_SALT = "rentalops.labor.offer"
ICAL_SALT = "rentalops.labor.ical"


def offer_token(offer_id: int, sent_at: datetime) -> str:
    """The offer's token, stamped with the time it was sent: the same link however often it is shown, and its
    age counts from the sending."""
    signer = signing.TimestampSigner(salt=OFFER_SALT)
    stamped = f"{offer_id}{signer.sep}{signing.b62_encode(int(sent_at.timestamp()))}"
    return signing.Signer.sign(signer, stamped)


def offer_id_from_token(token: str, *, any_age: bool = False) -> int:
    """The offer id of a valid token; ``SignatureExpired`` when too old, ``BadSignature`` if forged."""
    max_age = None if any_age else timedelta(hours=settings.OFFER_TTL_HOURS)
    value = signing.TimestampSigner(salt=OFFER_SALT).unsign(token, max_age=max_age)
    try:
        return int(value)
    except ValueError:
        raise signing.BadSignature("not an offer token") from None


def offer_path(offer_id: int, sent_at: datetime) -> str:
    return reverse("offer-page", args=[offer_token(offer_id, sent_at)])


def ical_token(crew_id: int) -> str:
    return signing.Signer(salt=ICAL_SALT).sign(str(crew_id))


def crew_id_from_ical_token(token: str) -> int:
    value = signing.Signer(salt=ICAL_SALT).unsign(token)
    try:
        return int(value)
    except ValueError:
        raise signing.BadSignature("not a calendar token") from None


def ical_path(crew_id: int) -> str:
    return reverse("labor:ical", args=[ical_token(crew_id)])

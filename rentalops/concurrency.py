"""Optimistic concurrency for the API's editable master data: read an ETag, write back with ``If-Match``.

Every master-data row carries ``updated_at``; its ETag is that moment in microseconds. A read answers with
it in the ``ETag`` header; a write (PUT, PATCH, DELETE) must send it back in ``If-Match``: a write without
it gets 428, one whose ETag no longer matches (someone saved in between) gets 412 with the current row and
ETag, so that an edit made on a stale copy is never saved over another. ``If-Match: *`` says on purpose
that any current version may be overwritten. The check and the write run under a row lock, so two writers
with the same ETag cannot both pass.
"""

from typing import Any

from django.db import transaction
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = (
        "Send the If-Match header with the ETag you read (GET answers with it), so that an edit made on a "
        "stale copy is refused instead of saved over someone else's."
    )
    default_code = "precondition_required"


def etag(obj: Any) -> str:
    """The row's ETag: its last change in microseconds since the epoch, quoted."""
    return f'"{round(obj.updated_at.timestamp() * 1_000_000)}"'


def _tags(header: str) -> list[str]:
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


class ConditionalWriteMixin:
    """For a ``ModelViewSet`` whose model has ``updated_at``: ETags on reads, ``If-Match`` on writes."""

    conditional_writes = True

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        response = Response(self.get_serializer(obj).data)
        response["ETag"] = etag(obj)
        return response

    def _precondition(self, request: Request) -> Response | None:
        header = request.headers.get("If-Match", "").strip()
        if not header:
            raise PreconditionRequired()
        obj = self.get_object()
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        current = etag(locked)
        if "*" in _tags(header) or current in _tags(header):
            return None
        response = Response(
            {
                "detail": "Someone changed this since you read it; nothing was saved. Here is the current "
                "version and its ETag: apply your edit to it and send again.",
                "etag": current,
                "current": self.get_serializer(locked).data,
            },
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
        response["ETag"] = current
        return response

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            refused = self._precondition(request)
            if refused is not None:
                return refused
            response = super().update(request, *args, **kwargs)
        if response.status_code == status.HTTP_200_OK:
            response["ETag"] = etag(self.get_object())
        return response

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            refused = self._precondition(request)
            if refused is not None:
                return refused
            return super().destroy(request, *args, **kwargs)

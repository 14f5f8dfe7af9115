"""The API's exception handler: DRF's, plus a refused delete of a row other rows still use (409, not 500)."""

from typing import Any

from django.db.models import ProtectedError, RestrictedError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(error: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(error, ProtectedError | RestrictedError):
        used_by = ", ".join(sorted({str(type(row)._meta.verbose_name_plural) for row in error.args[1]}))
        detail = f"This is still used by {used_by}; it cannot be deleted. Deactivate it instead."
        return Response({"detail": detail}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(error, context)

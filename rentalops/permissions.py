"""API permissions that mirror the roles of the pages."""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from rentalops.roles import ADMIN, has_role, user_roles


class ReadAnyRoleWriteAdmin(BasePermission):
    """Master data: every role reads; only admins write."""

    message = "Only admins may change master data."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not user_roles(request.user):
            return False
        if request.method in SAFE_METHODS:
            return True
        return has_role(request.user, ADMIN)


class RolePermission(BasePermission):
    """A view lists ``read_roles`` and ``write_roles``; admins may always."""

    message = "Your role may not do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        roles = (
            getattr(view, "read_roles", ())
            if request.method in SAFE_METHODS
            else getattr(view, "write_roles", ())
        )
        return has_role(request.user, *roles)

"""The audit trail: one call per change that a user (or a freelancer's link) makes to what others rely on."""

from typing import Any

from django.db import transaction

from rentalops.models import AuditEvent


def record(
    *,
    actor: Any,
    action: str,
    obj: Any,
    summary: str,
    changes: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Write one event; call it inside the change's transaction (it refuses to run outside one)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change it records")
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor_label or (user.get_username() if user is not None else "system")
    return AuditEvent.objects.create(
        actor=user,
        actor_label=label[:150],
        action=action,
        object_type=type(obj)._meta.model_name,
        object_id=str(obj.pk),
        summary=summary[:300],
        changes=changes or {},
    )


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value differs between two snapshots."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }

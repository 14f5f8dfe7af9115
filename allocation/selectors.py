"""Reads of the allocation app."""


def last_solve_summary() -> dict | None:
    """The latest solve's status and time, or None before the first solve.

    Plan runs are stored from the re-plan capability on; until a solve has run there is nothing to report.
    """
    from django.apps import apps

    try:
        plan_model = apps.get_model("allocation", "PlanRun")
    except LookupError:
        return None
    latest = plan_model.objects.order_by("-created_at").first()
    if latest is None:
        return None
    return {"id": latest.pk, "status": latest.status, "created_at": latest.created_at.isoformat()}

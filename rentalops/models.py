"""Abstract models shared by every app."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds created and modified times."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Who changed what and when: an order saved, a pin set, a plan published, a booking made or cancelled.

    Written in the same transaction as the change it records, so there is never a change without its event
    or an event without its change. Never edited: the admin and the API only read it.
    """

    class Action(models.TextChoices):
        ORDER_CREATED = "order.created", "order created"
        ORDER_CHANGED = "order.changed", "order changed"
        ORDER_SUBMITTED = "order.submitted", "order submitted"
        ORDER_CONFIRMED = "order.confirmed", "order confirmed"
        ORDER_CANCELLED = "order.cancelled", "order cancelled"
        PIN_SET = "pin.set", "pin set"
        PIN_REMOVED = "pin.removed", "pin removed"
        PLAN_PUBLISHED = "plan.published", "plan published"
        PLAN_DISCARDED = "plan.discarded", "plan discarded"
        BOOKING_CONFIRMED = "booking.confirmed", "booking confirmed"
        BOOKING_CANCELLED = "booking.cancelled", "booking cancelled"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    # Who acted when no user did (a freelancer through an offer link) or after the user is deleted.
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=32, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label}: {self.summary}"

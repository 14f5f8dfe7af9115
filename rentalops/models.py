"""Abstract models shared by every app."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds created and modified times."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True

"""Forms of the coordinator's pages and the freelancer's offer page."""

from django import forms

from labor.models import CrewMember


class OfferSendForm(forms.Form):
    crew = forms.ModelMultipleChoiceField(
        queryset=CrewMember.objects.filter(kind=CrewMember.Kind.FREELANCER, active=True),
        error_messages={"required": "Tick at least one freelancer.", "invalid_choice": "Unknown freelancer."},
    )


class BookingCancelForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        error_messages={"required": "Say why the booking is cancelled."},
        widget=forms.TextInput(attrs={"placeholder": "Why? (the freelancer sees this)"}),
    )


class OfferResponseForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline"), ("cancel", "Cancel")])
    reason = forms.CharField(max_length=300, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == "cancel" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Tell us why you cannot come, so that we can find someone else.")
        return data

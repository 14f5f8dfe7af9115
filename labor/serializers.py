"""API representations of crew."""

from rest_framework import serializers

from labor.models import Booking, Certification, CrewMember, CrewSkill, Offer, Shift, Skill, Unavailability


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "slug", "name", "department"]


class CrewSkillSerializer(serializers.ModelSerializer):
    skill = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = CrewSkill
        fields = ["skill", "level"]


class CertificationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="certification_type.name", read_only=True)

    class Meta:
        model = Certification
        fields = ["name", "number", "issued_on", "expires_on"]


class UnavailabilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Unavailability
        fields = ["start", "end", "reason"]


class CrewMemberSerializer(serializers.ModelSerializer):
    skills = CrewSkillSerializer(source="crew_skills", many=True, read_only=True)
    certifications = CertificationSerializer(many=True, read_only=True)
    unavailability = UnavailabilitySerializer(many=True, read_only=True)

    class Meta:
        model = CrewMember
        fields = [
            "id",
            "code",
            "first_name",
            "last_name",
            "kind",
            "day_rate",
            "max_hours_per_week",
            "reliability",
            "email",
            "phone",
            "home_base",
            "active",
            "skills",
            "certifications",
            "unavailability",
        ]
        extra_kwargs = {
            "day_rate": {"min_value": 0},
            "reliability": {"min_value": 0, "max_value": 1},
            "max_hours_per_week": {"max_value": 168},  # the database's check: a week has 168 hours
        }


# --- over-hire: needs, offers, bookings ---------------------------------------------------------------


class CandidateSerializer(serializers.Serializer):
    crew = serializers.IntegerField(source="crew.pk", help_text="The freelancer's id.")
    code = serializers.CharField(source="crew.code")
    name = serializers.CharField(source="crew.full_name")
    level = serializers.IntegerField()
    day_rate = serializers.DecimalField(source="crew.day_rate", max_digits=9, decimal_places=2)
    reliability = serializers.FloatField(
        help_text="Stored rating blended with the offer and booking history."
    )
    score = serializers.FloatField(help_text="The ranking score (labor/candidates.py documents it).")
    eligible = serializers.BooleanField(
        help_text="False when a certificate, time off or a booking blocks them."
    )
    proposed = serializers.BooleanField(help_text="The plan's own pick for this shift.")
    offered = serializers.SerializerMethodField()
    reasons = serializers.ListField(child=serializers.CharField())

    def get_offered(self, candidate) -> bool:
        return candidate.live_offer is not None


class NeedSerializer(serializers.Serializer):
    shift = serializers.IntegerField(source="shift.pk", help_text="The shift id to offer.")
    scenario_id = serializers.CharField(source="shift.scenario_id")
    job = serializers.CharField(source="shift.job.code")
    job_title = serializers.CharField(source="shift.job.title")
    venue = serializers.CharField(source="shift.job.venue.name")
    role = serializers.CharField(source="shift.skill.slug")
    role_name = serializers.CharField(source="shift.skill.name")
    min_level = serializers.IntegerField(source="shift.min_level")
    count = serializers.IntegerField(source="shift.count")
    start = serializers.DateTimeField(source="shift.start")
    end = serializers.DateTimeField(source="shift.end")
    places = serializers.IntegerField(
        help_text="Freelancers the plan wants: its proposals plus people missing."
    )
    missing = serializers.IntegerField(help_text="Places not yet covered by a confirmed booking.")
    booked = serializers.SerializerMethodField()
    live_offers = serializers.SerializerMethodField()
    candidates = CandidateSerializer(many=True)

    def get_booked(self, need) -> list[int]:
        return [booking.crew_id for booking in need.bookings]

    def get_live_offers(self, need) -> list[int]:
        return [offer.pk for offer in need.live_offers]


class OfferSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField(help_text="sent, accepted, declined, withdrawn or expired.")
    link = serializers.SerializerMethodField(help_text="Path of the freelancer's signed page.")
    crew_name = serializers.CharField(source="crew.full_name", read_only=True)
    sent_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Offer
        fields = [
            "id",
            "crew",
            "crew_name",
            "shift",
            "status",
            "link",
            "sent_by",
            "sent_at",
            "expires_at",
            "responded_at",
            "note",
            "version",
        ]
        read_only_fields = fields

    def get_status(self, offer) -> str:
        return offer.effective_status

    def get_link(self, offer) -> str:
        return offer.link


class OfferCreateSerializer(serializers.Serializer):
    shift = serializers.PrimaryKeyRelatedField(queryset=Shift.objects.all(), help_text="A need's shift id.")
    crew = serializers.PrimaryKeyRelatedField(
        queryset=CrewMember.objects.filter(kind=CrewMember.Kind.FREELANCER),
        many=True,
        allow_empty=False,
        help_text="The freelancers to offer the shift to.",
    )


class BookingSerializer(serializers.ModelSerializer):
    job = serializers.CharField(source="shift.job.code", read_only=True)
    role = serializers.CharField(source="shift.skill.slug", read_only=True)
    crew_name = serializers.CharField(source="crew.full_name", read_only=True)
    cancelled_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "shift",
            "job",
            "role",
            "crew",
            "crew_name",
            "offer",
            "status",
            "start",
            "end",
            "cancelled_by",
            "cancelled_side",
            "cancelled_at",
            "cancel_reason",
            "created_at",
        ]
        read_only_fields = fields


class BookingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Why; the freelancer and the planners see it.")
    side = serializers.ChoiceField(
        choices=Booking.Side.choices,
        default=Booking.Side.COMPANY,
        help_text="Who cancels: the company or the freelancer.",
    )

"""API representations of crew."""

from rest_framework import serializers

from labor.models import Certification, CrewMember, CrewSkill, Skill, Unavailability


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
        extra_kwargs = {"day_rate": {"min_value": 0}, "reliability": {"min_value": 0, "max_value": 1}}

"""CSV import of crew: people keyed by code, their roles and levels in one column."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from labor.models import CrewMember, CrewSkill
from tests.factories import CrewMemberFactory, SkillFactory

pytestmark = pytest.mark.django_db

HEADER = "code,first_name,last_name,kind,day_rate,max_hours_per_week,skills\n"


def upload(api_client, text: str, **extra):
    file = SimpleUploadedFile("crew.csv", text.encode(), content_type="text/csv")
    return api_client.post("/api/v1/crew/import/", {"file": file, **extra}, format="multipart")


@pytest.fixture
def admin_api(api_client, make_user):
    SkillFactory(slug="audio-a1")
    SkillFactory(slug="stagehand")
    api_client.force_authenticate(make_user("ada", "admin"))
    return api_client


def skills_of(code: str) -> dict[str, int]:
    return dict(CrewSkill.objects.filter(crew__code=code).values_list("skill__slug", "level"))


def test_crew_and_their_skills_are_imported_and_a_second_file_replaces_the_skills(admin_api):
    first = upload(
        admin_api,
        HEADER + "fia,Fia,Falk,freelancer,380,60,audio-a1:3; stagehand:1\nsam,Sam,Stone,staff,300,45,\n",
    )
    assert first.status_code == 200, first.content
    assert first.json()["new"] == 2
    assert skills_of("fia") == {"audio-a1": 3, "stagehand": 1}
    assert skills_of("sam") == {}

    second = upload(admin_api, HEADER + "fia,Fia,Falk,freelancer,400,60,audio-a1:4\n")
    assert second.json()["updated"] == 1
    fia = CrewMember.objects.get(code="fia")
    assert fia.day_rate == 400 and skills_of("fia") == {"audio-a1": 4}


def test_a_file_without_the_skills_column_keeps_the_skills(admin_api):
    upload(admin_api, HEADER + "fia,Fia,Falk,freelancer,380,60,audio-a1:3\n")

    upload(admin_api, "code,first_name,last_name,kind,day_rate\nfia,Fia,Falk,freelancer,420\n")

    assert skills_of("fia") == {"audio-a1": 3}


@pytest.mark.parametrize(
    ("skills", "message"),
    [("rigger:2", "no role 'rigger'"), ("audio-a1:9", "outside 1-5"), ("audio-a1", "role:level")],
)
def test_a_bad_skill_refuses_the_file_naming_the_row(admin_api, skills, message):
    CrewMemberFactory(code="old", first_name="Old", last_name="Hand")

    response = upload(admin_api, HEADER + f"fia,Fia,Falk,freelancer,380,60,{skills}\n")

    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["row"] == 1 and message in " ".join(error["errors"]["__all__"])
    assert not CrewMember.objects.filter(code="fia").exists()


def test_a_bad_kind_is_a_field_error(admin_api):
    response = upload(admin_api, HEADER + "fia,Fia,Falk,contractor,380,60,\n")

    assert response.status_code == 400
    assert "kind" in response.json()["errors"][0]["errors"]


def test_the_crew_admin_offers_the_import(client, make_user):
    client.force_login(make_user("root", "admin", is_staff=True, is_superuser=True))

    page = client.get("/admin/labor/crewmember/import/")

    assert page.status_code == 200 and 'name="import_file"' in page.content.decode()

"""The rep's pages: the order form with errors by the field, the conflict page, ownership and badges."""

from decimal import Decimal

import pytest

from sales import services
from sales.models import Order
from sales.services import OutcomeInput
from tests.catalog import make_catalog, timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(settings):
    settings.SOLVE_IN_PROCESS = "sync"
    settings.SOLVE_DEBOUNCE_SECONDS = 0
    settings.SOLVER_TIME_LIMIT_SECONDS = 5
    return make_catalog()


def form_data(catalog, **overrides) -> dict:
    times = {key: value.strftime("%Y-%m-%dT%H:%M") for key, value in timeline().items()}
    data = {
        "title": "Spring kickoff",
        "client": catalog["client"].pk,
        "venue": catalog["venue"].pk,
        "price": "5000",
        "priority": "3",
        **times,
        "notes": "",
        "outcome-0-template": "session",
        "outcome-0-attendees": "300",
    }
    data.update(overrides)
    return data


def an_order(catalog, user, **fields) -> Order:
    return services.order_create(
        user=user,
        title="Kickoff",
        client=catalog["client"],
        venue=catalog["venue"],
        price=Decimal("5000"),
        outcomes=[OutcomeInput(catalog["template"], {"attendees": 300})],
        **timeline(),
        **fields,
    )


def test_a_rep_creates_an_order_from_the_form_and_lands_on_it(
    client, make_user, catalog, django_capture_on_commit_callbacks
):
    client.force_login(make_user("rep", "sales"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sales/orders/new/", form_data(catalog))
    order = Order.objects.get()
    assert response.status_code == 302
    assert response.url == f"/sales/orders/{order.pk}/"
    page = client.get(response.url).content.decode()
    assert "Point source speaker" not in page  # the rep sees capabilities, not product codes
    assert "Speaker" in page and 'data-risk="covered"' in page


def test_a_bad_parameter_re_renders_with_422_and_keeps_the_input(client, make_user, catalog):
    client.force_login(make_user("rep", "sales"))
    response = client.post("/sales/orders/new/", form_data(catalog, **{"outcome-0-attendees": "-4"}))
    assert response.status_code == 422
    page = response.content.decode()
    assert "field-error" in page and "Attendees" in page
    assert 'value="-4"' in page and 'value="Spring kickoff"' in page
    assert not Order.objects.exists()


def test_a_missing_date_is_reported_by_its_field(client, make_user, catalog):
    client.force_login(make_user("rep", "sales"))
    response = client.post("/sales/orders/new/", form_data(catalog, load_out=""))
    assert response.status_code == 422
    assert response.context["form"].errors["load_out"]


def test_a_stale_edit_gets_the_conflict_page_with_what_changed(client, make_user, catalog):
    rep = make_user("rep", "sales")
    order = an_order(catalog, rep)
    services.order_update(order=order, user=rep, expected_version=1, title="Renamed by a colleague")
    client.force_login(rep)
    response = client.post(f"/sales/orders/{order.pk}/", form_data(catalog, title="My edit", version="1"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "was changed while you edited it" in page
    assert "Renamed by a colleague" in page and "My edit" in page
    order.refresh_from_db()
    assert order.title == "Renamed by a colleague"


def test_a_rep_cannot_see_another_reps_order(client, make_user, catalog):
    order = an_order(catalog, make_user("rep", "sales"))
    client.force_login(make_user("other", "sales"))
    assert client.get(f"/sales/orders/{order.pk}/").status_code == 404
    assert order.code not in client.get("/sales/orders/").content.decode()


def test_a_planner_reads_an_order_but_may_not_change_it(client, make_user, catalog):
    order = an_order(catalog, make_user("rep", "sales"))
    client.force_login(make_user("plan", "planner"))
    page = client.get(f"/sales/orders/{order.pk}/")
    assert page.status_code == 200
    assert b"Change the order" not in page.content
    assert client.post(f"/sales/orders/{order.pk}/", form_data(catalog, version="1")).status_code == 403
    assert client.post(f"/sales/orders/{order.pk}/cancel/", {"version": "1"}).status_code == 403


def test_the_standing_fragment_polls_while_pending_and_stops_once_planned(
    client, make_user, catalog, django_capture_on_commit_callbacks
):
    rep = make_user("rep", "sales")
    order = an_order(catalog, rep)
    client.force_login(rep)
    pending = client.get(f"/sales/orders/{order.pk}/standing/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-risk="pending"' in pending and 'hx-trigger="every 2s"' in pending
    with django_capture_on_commit_callbacks(execute=True):
        services.order_confirm(order=order, user=rep, expected_version=1)
    planned = client.get(f"/sales/orders/{order.pk}/standing/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-risk="covered"' in planned and "hx-trigger" not in planned


def test_cancelling_from_the_page_asks_for_the_version(client, make_user, catalog):
    rep = make_user("rep", "sales")
    order = an_order(catalog, rep)
    client.force_login(rep)
    services.order_update(order=order, user=rep, expected_version=1, price=Decimal("6000"))
    assert client.post(f"/sales/orders/{order.pk}/cancel/", {"version": "1"}).status_code == 409
    response = client.post(f"/sales/orders/{order.pk}/cancel/", {"version": "2"})
    assert response.status_code == 302
    assert Order.objects.get().status == Order.Status.CANCELLED

"""The four roles, what each may do, their home pages and navigation.

Groups and their permissions are created by a data migration (``rentalops/migrations``) and kept in sync
after every ``migrate`` (models added by later migrations get their permissions attached), so this mapping
is the one place that says who may do what.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

SALES = "sales"
PLANNER = "planner"
COORDINATOR = "coordinator"
ADMIN = "admin"
ROLES = (SALES, PLANNER, COORDINATOR, ADMIN)

MASTER_DATA = {
    "jobs": [
        "client",
        "venue",
        "job",
        "productcategory",
        "product",
        "outofservice",
        "capability",
        "capabilityprovider",
        "vendor",
        "vendoroffer",
    ],
    "labor": ["skill", "crewmember", "crewskill", "certificationtype", "certification", "unavailability"],
}

# role -> (app_label, model, actions). "*" means every model of the app.
ROLE_PERMISSIONS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    SALES: [
        ("jobs", "*", ("view",)),
        ("jobs", "client", ("add", "change")),
        ("jobs", "venue", ("add", "change")),
        ("labor", "skill", ("view",)),
        ("sales", "*", ("view", "add", "change")),
    ],
    PLANNER: [
        ("jobs", "*", ("view",)),
        ("jobs", "job", ("change",)),
        ("labor", "*", ("view",)),
        ("sales", "*", ("view",)),
        ("allocation", "*", ("view", "add", "change", "delete")),
    ],
    COORDINATOR: [
        ("jobs", "*", ("view",)),
        ("labor", "*", ("view", "add", "change")),
        ("allocation", "*", ("view",)),
    ],
    ADMIN: [
        ("jobs", "*", ("view", "add", "change", "delete")),
        ("labor", "*", ("view", "add", "change", "delete")),
        ("sales", "*", ("view", "add", "change", "delete")),
        ("allocation", "*", ("view", "add", "change", "delete")),
        ("auth", "user", ("view", "add", "change")),
        ("auth", "group", ("view",)),
        ("authtoken", "tokenproxy", ("view", "add", "delete")),
    ],
}


def sync_roles(apps: Any = None) -> None:
    """Create the role groups and give each exactly the permissions ROLE_PERMISSIONS names (idempotent)."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, rules in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for app_label, model, actions in rules:
            permissions = Permission.objects.filter(content_type__app_label=app_label)
            if model != "*":
                permissions = permissions.filter(content_type__model=model)
            wanted.extend(
                permission.pk for permission in permissions if permission.codename.split("_", 1)[0] in actions
            )
        group.permissions.set(wanted)


def user_roles(user: Any) -> set[str]:
    """The roles a user holds; a superuser holds them all."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return set(ROLES)
    cached = getattr(user, "_rentalops_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._rentalops_roles = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    """Whether the user holds any of the roles (admins hold every role)."""
    held = user_roles(user)
    return ADMIN in held or bool(held.intersection(roles))


def role_required(*roles: str) -> Callable:
    """View decorator: log in first, then 403 unless the user holds one of the roles."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_role(request.user, *roles):
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# (url name, label, roles that see it), in the order the navigation shows them. Pages of later capabilities
# join this list as they are built.
NAVIGATION: list[tuple[str, str, tuple[str, ...]]] = [
    ("allocation:board", "Board", (PLANNER,)),
    ("allocation:resources", "Resources", (PLANNER,)),
    ("sales:orders", "Orders", (SALES, PLANNER)),
    ("sales:order-new", "New order", (SALES,)),
    ("jobs:list", "Jobs", (SALES, PLANNER, COORDINATOR)),
    ("jobs:inventory", "Inventory", (SALES, PLANNER)),
    ("labor:needs", "Needs", (COORDINATOR, PLANNER)),
    ("labor:bookings", "Bookings", (COORDINATOR, PLANNER)),
    ("labor:bench", "Bench", (COORDINATOR, PLANNER)),
    ("labor:crew", "Crew", (PLANNER, COORDINATOR)),
    ("admin:index", "Admin", (ADMIN,)),
    ("api-docs", "API", (SALES, PLANNER, COORDINATOR)),
]

# role -> url name of its home page, most specific role first.
HOME_PAGES: list[tuple[str, str]] = [
    (ADMIN, "admin:index"),
    (PLANNER, "allocation:board"),
    (COORDINATOR, "labor:needs"),
    (SALES, "sales:orders"),
]


def _visible(items: Iterable[tuple[str, str, tuple[str, ...]]], user: Any) -> list[dict[str, str]]:
    held = user_roles(user)
    links = []
    for url_name, label, roles in items:
        if held.intersection(roles):
            try:
                links.append({"url": reverse(url_name), "label": label, "name": url_name})
            except NoReverseMatch:
                continue
    return links


def home_url(user: Any) -> str:
    """The home page of the user's main role."""
    held = user_roles(user)
    for role, url_name in HOME_PAGES:
        if role in held:
            return reverse(url_name)
    return reverse("no-role")


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: the navigation links of the user's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": [], "user_role_names": []}
    return {"nav_links": _visible(NAVIGATION, user), "user_role_names": sorted(user_roles(user))}

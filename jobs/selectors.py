"""Reads of jobs and inventory, with the joins the pages need."""

from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from jobs.models import CapabilityProvider, Job, Product, ProductCategory


def job_list(
    *, status: str = "", search: str = "", start: datetime | None = None, end: datetime | None = None
) -> QuerySet[Job]:
    """Jobs for the list page: open ones by default, filtered, with client and venue joined."""
    jobs = Job.objects.select_related("client", "venue")
    if status == "open" or not status:
        jobs = jobs.filter(status__in=Job.OPEN_STATUSES)
    elif status != "all":
        jobs = jobs.filter(status=status)
    if search:
        jobs = jobs.filter(
            Q(code__icontains=search)
            | Q(title__icontains=search)
            | Q(client__name__icontains=search)
            | Q(venue__name__icontains=search)
        )
    if start:
        jobs = jobs.filter(load_out__gte=start)
    if end:
        jobs = jobs.filter(load_in__lt=end)
    return jobs.order_by("load_in", "code")


def inventory_by_category(*, search: str = "") -> list[tuple[ProductCategory, list[Product]]]:
    """Active products grouped by category, each with the capabilities it provides."""
    products = (
        Product.objects.filter(active=True)
        .select_related("category")
        .prefetch_related(
            Prefetch("provides", queryset=CapabilityProvider.objects.select_related("capability"))
        )
        .annotate(out_now=Sum("out_of_service__quantity"))
        .order_by("category__department", "category__name", "name")
    )
    if search:
        products = products.filter(Q(name__icontains=search) | Q(sku__icontains=search))
    grouped: dict[int, tuple[ProductCategory, list[Product]]] = {}
    for product in products:
        grouped.setdefault(product.category_id, (product.category, []))[1].append(product)
    return list(grouped.values())


def job_counts_by_status() -> dict[str, int]:
    return dict(Job.objects.values_list("status").annotate(count=Count("id")).values_list("status", "count"))

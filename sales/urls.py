from django.urls import path, re_path

from sales import views

app_name = "sales"
urlpatterns = [
    path("orders/", views.order_list, name="orders"),
    path("orders/new/", views.order_new, name="order-new"),
    path("orders/outcome-row/", views.outcome_row, name="outcome-row"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/standing/", views.order_standing, name="order-standing"),
    re_path(
        r"^orders/(?P<pk>[0-9]+)/(?P<action>submit|confirm|cancel)/$",
        views.order_transition,
        name="order-transition",
    ),
]

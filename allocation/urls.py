from django.urls import path

from allocation import views

app_name = "allocation"
urlpatterns = [
    path("", views.board_page, name="board"),
    path("resources/", views.resources, name="resources"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/pull-sheet/<int:plan_pk>/", views.job_pull_sheet, name="pull-sheet"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan-publish"),
    path("plans/<int:pk>/discard/", views.plan_discard, name="plan-discard"),
    path("plans/<int:pk>/why/", views.why, name="why"),
    path("plans/<int:pk>/subrentals.csv", views.plan_subrentals_csv, name="subrentals-csv"),
    path("pins/", views.pin_create, name="pin-create"),
    path("pins/<int:pk>/delete/", views.pin_delete, name="pin-delete"),
]

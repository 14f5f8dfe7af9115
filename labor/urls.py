from django.urls import path

from labor import views

app_name = "labor"
urlpatterns = [
    path("crew/", views.crew_list, name="crew"),
]

"""The freelancer's offer page, outside the coordinator's pages: ``/offers/<signed-token>/``."""

from django.urls import path

from labor import views

urlpatterns = [path("<str:token>/", views.offer_page, name="offer-page")]

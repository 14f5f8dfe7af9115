from django.urls import path

from labor import views

app_name = "labor"
urlpatterns = [
    path("crew/", views.crew_list, name="crew"),
    path("needs/", views.needs, name="needs"),
    path("needs/<int:shift_id>/offers/", views.need_offer, name="need-offer"),
    path("offers/<int:offer_id>/withdraw/", views.offer_withdraw, name="offer-withdraw"),
    path("bookings/", views.bookings, name="bookings"),
    path("bookings/<int:booking_id>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("bench/", views.bench, name="bench"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical"),
]

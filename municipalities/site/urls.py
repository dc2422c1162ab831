"""Site-wide plumbing: the health check and signing in and out of the staff area."""

from django.urls import path

from municipalities.site import health, views

app_name = "site"

urlpatterns = [
    path("halsa/", health.health, name="health"),
    path("personal/logga-in/", views.login, name="login"),
    path("personal/logga-ut/", views.logout, name="logout"),
    path("personal/byt-losenord/", views.password_change, name="password_change"),
    path("personal/byt-losenord/klart/", views.password_change_done, name="password_change_done"),
]

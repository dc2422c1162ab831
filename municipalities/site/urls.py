"""Site-wide plumbing: the health check, signing in and out of the staff area, and password
change and reset."""

from django.urls import path

from municipalities.site import health, password_reset, views

app_name = "site"

urlpatterns = [
    path("halsa/", health.health, name="health"),
    path("personal/logga-in/", views.login, name="login"),
    path("personal/logga-ut/", views.logout, name="logout"),
    path("personal/byt-losenord/", views.password_change, name="password_change"),
    path("personal/byt-losenord/klart/", views.password_change_done, name="password_change_done"),
    path("personal/glomt-losenord/", password_reset.password_reset, name="password_reset"),
    path(
        "personal/glomt-losenord/skickat/",
        password_reset.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "personal/nytt-losenord/<uidb64>/<token>/",
        password_reset.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "personal/nytt-losenord/klart/",
        password_reset.password_reset_complete,
        name="password_reset_complete",
    ),
]

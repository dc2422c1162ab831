"""Subscriptions and the privacy page (public, under the language prefix)."""

from django.urls import path

from followup.subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("om/integritet/", views.privacy, name="privacy"),
    path("kommuner/<slug:municipality_slug>/prenumerera/", views.subscribe, name="subscribe"),
    path(
        "kommuner/<slug:municipality_slug>/prenumerera/kolla-din-e-post/",
        views.check_inbox,
        name="check_inbox",
    ),
    path("prenumeration/bekrafta/<str:token>/", views.confirm, name="confirm"),
    path("prenumeration/avsluta/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

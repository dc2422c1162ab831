"""Tyck till: the public form (under the language prefix) and the editors' inbox."""

from django.urls import path

from promises.feedback import views

app_name = "feedback"

urlpatterns = [
    path("kommuner/<slug:municipality_slug>/tyck-till/", views.feedback_form, name="form"),
    path("kommuner/<slug:municipality_slug>/tyck-till/tack/", views.thanks, name="thanks"),
    path("personal/tyck-till/", views.inbox, name="inbox"),
    path("personal/tyck-till/rakna-in/", views.attach, name="attach"),
]

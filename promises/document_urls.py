"""Public document downloads of a period; included before the public pages in config/urls.py."""

from django.urls import path

from promises import document_views

app_name = "documents"

urlpatterns = [
    path(
        "kommuner/<slug:municipality_slug>/<slug:period_slug>/medborgarlofte.pdf",
        document_views.promise_pdf,
        name="promise_pdf",
    ),
]

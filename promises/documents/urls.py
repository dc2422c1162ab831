"""Public document downloads of a period; included before the public pages in config/urls.py."""

from django.urls import path

from promises.documents import views as document_views

app_name = "documents"

urlpatterns = [
    path(
        "kommuner/<slug:municipality_slug>/<slug:period_slug>/medborgarlofte.pdf",
        document_views.promise_pdf,
        name="promise_pdf",
    ),
]

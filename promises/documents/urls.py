"""Public document downloads of a period; included before the public pages in config/urls.py."""

from django.urls import path

from promises.documents import views as document_views

app_name = "documents"

period = "kommuner/<slug:municipality_slug>/<slug:period_slug>/"

urlpatterns = [
    path(period + "medborgarlofte.pdf", document_views.promise_pdf, name="promise_pdf"),
    path(
        period + "medborgarlofte-v<int:version>.pdf",
        document_views.promise_pdf_version,
        name="promise_pdf_version",
    ),
]

"""Public document downloads of a period; included before the public pages in config/urls.py."""

from django.urls import path

from municipalities.site.throttle import limit_per_client
from promises.documents import views as document_views

app_name = "documents"

period = "kommuner/<slug:municipality_slug>/<slug:period_slug>/"

urlpatterns = [
    # Per-client limits like every expensive public download (the first request of an adopted
    # period may render and store its document).
    path(
        period + "medborgarlofte.pdf",
        limit_per_client("pdf")(document_views.promise_pdf),
        name="promise_pdf",
    ),
    path(
        period + "medborgarlofte-v<int:version>.pdf",
        limit_per_client("pdf")(document_views.promise_pdf_version),
        name="promise_pdf_version",
    ),
]

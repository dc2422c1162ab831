"""Root URL configuration: the public portal, the staff area and the admin.

The public portal is bilingual: Swedish at / (the default, never switched by the browser's
Accept-Language) and English under /en/. robots.txt and sitemap.xml live outside the language
prefix.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from followup.sitemaps import SITEMAPS
from followup.views import robots_txt
from municipalities.health import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("halsa/", health, name="health"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # The staff area (Swedish only): sign-in, editing promises, follow-up, memos, reports.
    path("personal/", include("municipalities.urls")),
    path("personal/medborgarloften/", include("promises.urls")),
    path("personal/tjansteskrivelser/", include("promises.memo_urls")),
    path("personal/uppfoljningar/", include("followup.report_urls")),
    path("personal/", include("followup.staff_urls")),
    # Document downloads (Swedish PDFs) under /kommuner/…, outside the language prefix.
    path("", include("promises.document_urls")),
    path("", include("followup.document_urls")),
    *i18n_patterns(path("", include("followup.urls")), prefix_default_language=False),
]

handler500 = "municipalities.health.server_error"

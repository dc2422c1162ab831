"""Root URL configuration: one include per package, each with the namespace of its name.

The public portal is bilingual: Swedish at / (the default, never switched by the browser's
Accept-Language) and English under /en/. robots.txt and sitemap.xml live outside the language
prefix, and so do the document downloads (Swedish PDFs) and the staff area (Swedish).
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from followup.public.sitemaps import SITEMAPS
from followup.public.views import robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", include("municipalities.site.urls")),
    path("personal/medborgarloften/fran-text/", include("promises.onboarding.urls")),
    path("personal/medborgarloften/", include("promises.urls")),
    path("personal/tjansteskrivelser/", include("promises.memos.urls")),
    path("personal/inbjudningar/", include("municipalities.invitations.urls")),
    path("personal/installningar/", include("followup.notifications.urls")),
    path("personal/", include("followup.staff.urls")),
    path("", include("followup.reports.urls")),
    path("", include("promises.documents.urls")),
    *i18n_patterns(
        # Before the public site, whose period pattern would otherwise take "prenumerera/".
        path("", include("followup.subscriptions.urls")),
        path("", include("promises.feedback.urls")),
        path("", include("followup.public.urls")),
        prefix_default_language=False,
    ),
]

handler500 = "municipalities.site.health.server_error"

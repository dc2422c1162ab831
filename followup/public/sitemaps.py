"""sitemap.xml: the static pages, every kommun with a published period, the periods and themes."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from promises.models import PromisePeriod, Theme


class _Bilingual(Sitemap):
    # One URL per language, with hreflang alternates: Swedish at /, English at /en/.
    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(_Bilingual):
    def items(self):
        return ["public:index", "public:about", "public:how_we_count", "public:data"]

    def location(self, item):
        return reverse(item)


class MunicipalitySitemap(_Bilingual):
    def items(self):
        return PromisePeriod.objects.public().municipalities().order_by("code")

    def location(self, item):
        return reverse("public:municipality_detail", args=[item.slug])


class PeriodSitemap(_Bilingual):
    def items(self):
        return (
            PromisePeriod.objects.public()
            .select_related("municipality")
            .order_by("municipality__code", "starts_on")
        )

    def location(self, item):
        return reverse("public:period_detail", args=[item.municipality.slug, item.slug])

    def lastmod(self, item):
        return None


class ThemeSitemap(_Bilingual):
    def items(self):
        return Theme.objects.order_by("position", "slug")

    def location(self, item):
        return reverse("public:theme_detail", args=[item.slug])


SITEMAPS = {
    "static": StaticSitemap,
    "kommuner": MunicipalitySitemap,
    "perioder": PeriodSitemap,
    "teman": ThemeSitemap,
}

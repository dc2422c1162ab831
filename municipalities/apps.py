from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Kommuner")

    def ready(self):
        # Django's empty choice of a dropdown, "- Select an option -", has no Swedish in
        # Django's own catalogue, so Swedish pages showed it in English. Ours is translated
        # (locale/en), as Django asks: override BLANK_CHOICE_LABEL in an app's ready().
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("– Välj –")

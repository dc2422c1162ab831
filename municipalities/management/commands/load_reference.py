from django.apps import apps
from django.core.management.base import BaseCommand

from municipalities.services import load_reference_data


class Command(BaseCommand):
    help = "Läser in (eller uppdaterar) kommuner, län, polisregioner och lokalpolisområden."

    def handle(self, *args, **options):
        load_reference_data(by=None)
        models = {
            model.__name__: model for model in apps.get_app_config("municipalities").get_models()
        }
        counts = {
            name: models[name].objects.count()
            for name in ("Municipality", "County", "PoliceRegion", "PoliceArea")
        }
        self.stdout.write(
            "Referensdata: {Municipality} kommuner, {County} län, {PoliceRegion} polisregioner, "
            "{PoliceArea} lokalpolisområden.".format(**counts)
        )

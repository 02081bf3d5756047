from pathlib import Path

from django.core.management.base import BaseCommand

from sistercities.services import BUNDLED_CITIES, import_agreements, import_sister_cities


class Command(BaseCommand):
    help = (
        "Create or update the sister cities from a CSV file (default: Isfahan's, with the "
        "public facts of their agreements)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=BUNDLED_CITIES)

    def handle(self, path, **options):
        created, updated = import_sister_cities(path=path)
        self.stdout.write(f"Sister cities: {created} created, {updated} updated.")
        if path == BUNDLED_CITIES:
            # The bundled cities' agreements come with them (sistercities/data/).
            created, updated = import_agreements()
            self.stdout.write(f"Agreements: {created} created, {updated} updated.")

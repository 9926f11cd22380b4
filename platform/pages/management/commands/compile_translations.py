from django.core.management.base import BaseCommand

from pages.management.commands.check_translations import german_catalogues


class Command(BaseCommand):
    help = "Compiles every German .po into its .mo (pure Python; no GNU gettext needed)."

    def handle(self, *args, **options):
        import polib

        count = 0
        for po_path in set(german_catalogues()):
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
            count += 1
        self.stdout.write(f"{count} catalogues compiled.")

from django.core.management.base import BaseCommand

from search.services import rebuild_index


class Command(BaseCommand):
    help = "Rebuilds the full-text index from every searchable object."

    def handle(self, *args, **options):
        total = rebuild_index(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"{total} entries indexed."))

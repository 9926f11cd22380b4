from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Creates or refreshes the demo data (idempotent): accounts, workspaces, documents, threads."

    def handle(self, *args, **options):
        with transaction.atomic():
            for module_path in settings.DEMO_SEEDERS:
                import_module(module_path).seed()
                self.stdout.write(f"  {module_path}: ok")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

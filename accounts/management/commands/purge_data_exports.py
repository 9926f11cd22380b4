from django.core.management.base import BaseCommand

from accounts.privacy import purge_expired_exports


class Command(BaseCommand):
    help = "Delete expired data exports (database rows and ZIP files). Safe to run repeatedly, e.g. hourly."

    def handle(self, *args, **options):
        count = purge_expired_exports()
        self.stdout.write(f"Deleted {count} expired data export(s).")

from django.conf import settings
from django.core.management.base import BaseCommand

from documents.services import purge_deleted_documents


class Command(BaseCommand):
    help = "Removes documents deleted longer ago than DOCUMENTS_DELETED_RETENTION_DAYS, with their files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Retention in days (default: setting, now {settings.DOCUMENTS_DELETED_RETENTION_DAYS}).",
        )

    def handle(self, *args, days=None, **options):
        purged = purge_deleted_documents(retention_days=days)
        self.stdout.write(f"{purged} deleted document(s) purged.")

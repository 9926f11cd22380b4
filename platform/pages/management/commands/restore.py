from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pages.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restores a backup archive into a freshly migrated, empty database and verifies it."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="replace a database that already holds accounts")

    def handle(self, *args, archive, force=False, **options):
        try:
            manifest = restore_backup(Path(archive), force=force)
        except BackupError as error:
            raise CommandError(str(error))
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            self.style.SUCCESS(f"restored {rows} rows and {len(manifest['files'])} files; checksums verified")
        )

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand

from pages.backup import create_backup


class Command(BaseCommand):
    help = "Writes a backup archive (database as JSON, media files, manifest with checksums)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=None, help="archive path (default: var/backups/backup-<time>.tar.gz)")

    def handle(self, *args, output=None, **options):
        from django.conf import settings

        target = (
            Path(output)
            if output
            else Path(settings.BASE_DIR) / "var" / "backups" / (f"backup-{datetime.now():%Y%m%d-%H%M%S}.tar.gz")
        )
        manifest = create_backup(target)
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(f"{target}: {rows} rows, {len(manifest['files'])} files")

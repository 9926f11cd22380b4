from django.core.management.base import BaseCommand

from documents.services import cleanup_orphan_files


class Command(BaseCommand):
    help = (
        "Deletes files under MEDIA_ROOT/documents/ that no document version references "
        "(left behind by an interrupted upload) and abandoned duplicate-confirmation files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=60,
            help="Spare files younger than this; their upload may still be running (default 60).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be deleted.")

    def handle(self, *args, min_age_minutes=60, dry_run=False, **options):
        removed = cleanup_orphan_files(min_age_seconds=min_age_minutes * 60, dry_run=dry_run)
        for name in removed:
            self.stdout.write(("would delete " if dry_run else "deleted ") + name)
        self.stdout.write(f"{len(removed)} orphaned file(s){' found' if dry_run else ' removed'}.")

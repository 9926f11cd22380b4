from django.core.management.base import BaseCommand

from notifications.emails import send_due_digests


class Command(BaseCommand):
    help = (
        "Sends the daily and weekly notification digests that are due. Safe to run from cron "
        "every hour: no item is mailed twice, and a run interrupted halfway is completed next time."
    )

    def handle(self, *args, **options):
        stats = send_due_digests()
        self.stdout.write(f"digests sent: {stats['sent']}, resumed: {stats['resumed']}, failed: {stats['failed']}")

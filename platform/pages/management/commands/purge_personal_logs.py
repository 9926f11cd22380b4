from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from pages.models import AuditEntry


class Command(BaseCommand):
    help = "Blanks IP addresses in the audit log after AUDIT_IP_RETENTION_DAYS (default 7); run daily."

    def handle(self, *args, **options):
        days = getattr(settings, "AUDIT_IP_RETENTION_DAYS", 7)
        cutoff = timezone.now() - timedelta(days=days)
        count = AuditEntry.objects.filter(created_at__lt=cutoff, ip_address__isnull=False).update(ip_address=None)
        self.stdout.write(f"{count} IP addresses removed (older than {days} days).")

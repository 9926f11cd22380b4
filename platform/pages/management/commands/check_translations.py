from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SEARCH_ROOTS = ("locale", "accounts", "forums", "documents", "platform")


def german_catalogues():
    base = Path(settings.BASE_DIR)
    for root in SEARCH_ROOTS:
        yield from sorted((base / root).glob("**/locale/de/LC_MESSAGES/*.po"))
    yield from sorted((base / "locale").glob("de/LC_MESSAGES/*.po"))


class Command(BaseCommand):
    help = "Fails when a German catalogue has an untranslated or fuzzy entry, or its .mo is missing or stale."

    def handle(self, *args, **options):
        problems = []
        seen = set()
        for po_path in german_catalogues():
            if po_path in seen:
                continue
            seen.add(po_path)
            catalogue = polib.pofile(str(po_path))
            rel = po_path.relative_to(settings.BASE_DIR)
            for entry in catalogue:
                if entry.obsolete:
                    continue
                if "fuzzy" in entry.flags:
                    problems.append(f"{rel}: fuzzy: {entry.msgid!r}")
                elif entry.msgid_plural and not all(entry.msgstr_plural.values()):
                    problems.append(f"{rel}: untranslated plural: {entry.msgid!r}")
                elif not entry.msgid_plural and not entry.msgstr:
                    problems.append(f"{rel}: untranslated: {entry.msgid!r}")
            mo_path = po_path.with_suffix(".mo")
            if not mo_path.exists() or mo_path.stat().st_mtime + 1 < po_path.stat().st_mtime:
                if not mo_path.exists() or polib.mofile(str(mo_path)).translated_entries().__len__() != len(
                    catalogue.translated_entries()
                ):
                    problems.append(f"{rel}: compiled .mo missing or stale (run make messages)")
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(self.style.SUCCESS(f"{len(seen)} German catalogues complete."))

"""iCalendar (RFC 5545) for dates: one date, a workspace, or a member's personal feed.

Written by hand because the subset needed is small: VCALENDAR with one VTIMEZONE for
Europe/Berlin (so calendar apps show 10:00 as 10:00 on either side of a DST change) and one
VEVENT per date. Text values are escaped (§3.3.11) and lines folded at 75 octets (§3.1)
without splitting a UTF-8 character.
"""

import re
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

TZID = "Europe/Berlin"
PRODID = "-//Sozialplanungsplattform//Termine//DE"

# The rules in force since 1996 (EU summer time): last Sunday of March 02:00 → 03:00,
# last Sunday of October 03:00 → 02:00.
VTIMEZONE_BERLIN = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19810329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19961027T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape_text(value: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and line breaks."""
    value = _CONTROL.sub("", str(value))
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line so no physical line exceeds 75 octets (continuations start with a space)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts = []
    current = ""
    current_len = 0
    limit = 75
    for char in line:
        size = len(char.encode("utf-8"))
        if current_len + size > limit:
            parts.append(current)
            current = char
            current_len = size
            limit = 74  # the leading space of a continuation line is one of its 75 octets
        else:
            current += char
            current_len += size
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(value) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(value) -> str:
    return timezone.localtime(value, timezone=_berlin()).strftime("%Y%m%dT%H%M%S")


def _berlin():
    from zoneinfo import ZoneInfo

    return ZoneInfo(TZID)


def _uid_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "sozialplanung.invalid"


def event_lines(event, *, stamp) -> list[str]:
    site = settings.SITE_URL.rstrip("/")
    url = site + event.get_absolute_url()
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{_uid_host()}",
        f"DTSTAMP:{_utc(stamp)}",
        f"CREATED:{_utc(event.created_at)}",
        f"LAST-MODIFIED:{_utc(event.updated_at)}",
        f"SEQUENCE:{event.sequence}",
    ]
    if event.all_day:
        start = timezone.localtime(event.starts_at, timezone=_berlin()).date()
        end = timezone.localtime(event.ends_at, timezone=_berlin()).date() + timedelta(days=1)
        lines += [f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
    else:
        lines += [f"DTSTART;TZID={TZID}:{_local(event.starts_at)}", f"DTEND;TZID={TZID}:{_local(event.ends_at)}"]
    lines.append(f"SUMMARY:{escape_text(event.title)}")
    location = event.place or event.online_url
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    description = event.description.strip()
    if event.online_url:
        description = f"{description}\n\n{event.online_url}".strip()
    description = f"{description}\n\n{url}".strip()
    lines.append(f"DESCRIPTION:{escape_text(description)}")
    lines.append(f"URL:{url}")
    if event.workspace_id:
        lines.append(f"CATEGORIES:{escape_text(event.workspace.name)}")
    lines.append("STATUS:CANCELLED" if event.is_cancelled else "STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar(events, *, name: str) -> str:
    """The complete iCalendar text (CRLF line ends) for ``events``."""
    stamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        *VTIMEZONE_BERLIN,
    ]
    for event in events:
        lines += event_lines(event, stamp=stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)

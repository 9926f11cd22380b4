"""Demo dates over the next three months: Fachtag, Arbeitskreis, Lean Coffee, Zukunftswerkstätten,
Qualifizierung modules, Beirat. Dates in a workspace that does not exist are left out.
Idempotent: a date is created only when none with its title exists."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from events import services
from events.models import Event, Registration
from workspaces.models import Workspace

ADMIN = "admin@demo.sozialplanung.de"
MODERATION = "moderation@demo.sozialplanung.de"

K = Event.Kind

# title, kind, workspace slug, days from today, start, end, place, online link, capacity
# (None = no registration, 0 = registration without limit), organiser email, description
DEMO_EVENTS = [
    (
        "Lean Coffee: KI in der Sozialberichterstattung",
        K.LEAN_COFFEE,
        None,
        6,
        time(9, 0),
        time(9, 45),
        "",
        "https://meet.sozialplanung.example/lean-coffee-ki",
        12,
        ADMIN,
        "Kurzer Austausch im Lean-Coffee-Format: Wer nutzt schon KI-Werkzeuge beim Erstellen von "
        "Sozialberichten – für Textentwürfe, Datenaufbereitung oder Visualisierung? Was ist datenschutzrechtlich "
        "zu beachten?\n\n- Themen werden zu Beginn gesammelt\n- je Thema 8 Minuten\n- keine Vorbereitung nötig",
    ),
    (
        "Arbeitskreis Altenhilfeplanung",
        K.ARBEITSKREIS,
        "arbeitskreis-sozialplanung",
        13,
        time(10, 0),
        time(14, 0),
        "Erfurt, Werner-Seelenbinder-Straße 6, Raum 112",
        "",
        None,
        ADMIN,
        "Schwerpunkt: Pflegestrukturplanung und Seniorenpolitische Gesamtkonzepte. "
        "Bitte bringen Sie Ihre aktuellen Planungsstände mit.",
    ),
    (
        "Beirat Thüringer Präventionsketten",
        K.BEIRAT,
        "praeventionsketten",
        17,
        time(13, 0),
        time(16, 0),
        "Erfurt, Landesjugendamt, Konferenzraum",
        "",
        None,
        MODERATION,
        "Sitzung des Programmbeirats: Bericht der Programmleitung, Stand in den Partnerkommunen, Planung des Fachtags.",
    ),
    (
        "Zukunftswerkstatt Schleiz",
        K.ZUKUNFTSWERKSTATT,
        "lsz",
        20,
        time(16, 0),
        time(19, 30),
        "Schleiz, Wisentahalle",
        "",
        40,
        ADMIN,
        "Bürger*innen, Vereine und Verwaltung entwickeln gemeinsam Ideen für das Zusammenleben der "
        "Generationen in Schleiz.",
    ),
    (
        "Qualifizierung Modul 1: Empirische Sozialforschung",
        K.QUALIFIZIERUNG,
        None,
        24,
        time(9, 30),
        time(16, 0),
        "Erfurt, Bildungszentrum, Seminarraum 3",
        "",
        2,
        ADMIN,
        "Stichproben, Fragebogenkonstruktion und Auswertung kommunaler Daten. Modul 1 der Qualifizierungsreihe "
        "für Sozialplaner*innen.",
    ),
    (
        "Zukunftswerkstatt Apolda",
        K.ZUKUNFTSWERKSTATT,
        "lsz",
        31,
        time(16, 0),
        time(19, 30),
        "Apolda, Stadthaus, Großer Saal",
        "",
        40,
        ADMIN,
        "Zukunftswerkstatt im Rahmen des Landesprogramms Solidarisches Zusammenleben der Generationen.",
    ),
    (
        "Fachtag Sozialplanung in Thüringen",
        K.FACHTAG,
        None,
        38,
        time(9, 30),
        time(16, 30),
        "Erfurt, Augustinerkloster",
        "",
        80,
        ADMIN,
        "## Programm\n\n- Begrüßung und Impuls: Integrierte Sozialplanung, Stand und Perspektiven\n"
        "- Foren: Sozialberichterstattung; Beteiligung; Präventionsketten; Altenhilfeplanung\n"
        "- Abschluss im Plenum\n\nDie Präsentationen werden nach dem Fachtag im Portal bereitgestellt.",
    ),
    (
        "Qualifizierung Modul 2: Moderation und Präsentation",
        K.QUALIFIZIERUNG,
        None,
        45,
        time(9, 30),
        time(16, 0),
        "Erfurt, Bildungszentrum, Seminarraum 3",
        "",
        16,
        ADMIN,
        "Workshops und Gremiensitzungen leiten, Ergebnisse verständlich präsentieren.",
    ),
    (
        "Zukunftswerkstatt Bad Salzungen",
        K.ZUKUNFTSWERKSTATT,
        "lsz",
        52,
        time(16, 0),
        time(19, 30),
        "Bad Salzungen, Haus des Gastes",
        "",
        40,
        ADMIN,
        "Zukunftswerkstatt im Rahmen des Landesprogramms Solidarisches Zusammenleben der Generationen.",
    ),
    (
        "Netzwerktreffen Präventionsketten (online)",
        K.ARBEITSKREIS,
        "praeventionsketten",
        59,
        time(10, 0),
        time(12, 0),
        "",
        "https://meet.sozialplanung.example/praeventionsketten",
        0,
        MODERATION,
        "Austausch der Koordinator*innen aus Erfurt, Jena, Schmalkalden-Meiningen und dem Saale-Orla-Kreis.",
    ),
    (
        "Zukunftswerkstatt Sondershausen",
        K.ZUKUNFTSWERKSTATT,
        "lsz",
        66,
        time(16, 0),
        time(19, 30),
        "Sondershausen, Haus der Kultur",
        "",
        40,
        ADMIN,
        "Zukunftswerkstatt im Rahmen des Landesprogramms Solidarisches Zusammenleben der Generationen.",
    ),
    (
        "Qualifizierung Modul 3: Projekt- und Netzwerkmanagement",
        K.QUALIFIZIERUNG,
        None,
        80,
        time(9, 30),
        time(16, 0),
        "Erfurt, Bildungszentrum, Seminarraum 3",
        "",
        16,
        ADMIN,
        "Projekte planen und steuern, Netzwerke aufbauen und pflegen.",
    ),
]

# Registrations so the demo shows a full date with a waiting list.
DEMO_REGISTRATIONS = {
    "Qualifizierung Modul 1: Empirische Sozialforschung": [ADMIN, MODERATION, "planer.gera@demo.sozialplanung.de"],
    "Fachtag Sozialplanung in Thüringen": [MODERATION, "planer.gera@demo.sozialplanung.de"],
}


def _weekday(day):
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def seed():
    users = {user.email: user for user in User.objects.filter(email__in=[ADMIN, MODERATION])}
    admin = users.get(ADMIN)
    if admin is None:
        return
    workspaces = {
        w.slug: w
        for w in Workspace.objects.filter(slug__in=["praeventionsketten", "arbeitskreis-sozialplanung", "lsz"])
    }
    existing = set(Event.objects.filter(title__in=[row[0] for row in DEMO_EVENTS]).values_list("title", flat=True))
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    for title, kind, slug, days, start, end, place, online_url, capacity, organiser, description in DEMO_EVENTS:
        if title in existing:
            continue
        workspace = None
        if slug is not None:
            workspace = workspaces.get(slug)
            if workspace is None:
                continue
        day = _weekday(today + timedelta(days=days))
        services.create_event(
            by=admin,
            workspace=workspace,
            title=title,
            kind=kind,
            starts_at=timezone.make_aware(datetime.combine(day, start), tz),
            ends_at=timezone.make_aware(datetime.combine(day, end), tz),
            place=place,
            online_url=online_url,
            description=description,
            organiser=users.get(organiser, admin),
            registration_enabled=capacity is not None,
            capacity=capacity or None,
        )
    for title, emails in DEMO_REGISTRATIONS.items():
        event = Event.objects.filter(title=title).first()
        if event is None:
            continue
        for user in User.objects.filter(email__in=emails).order_by("email"):
            if not Registration.objects.filter(event=event, user=user).exists():
                services.register(user=user, event=event)

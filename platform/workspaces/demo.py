"""Demo workspaces: the programmes from the domain description. Safe to run again."""

import datetime
from datetime import timedelta

from django.utils import timezone

from accounts.models import Kommune, User
from workspaces.activity import record_activity
from workspaces.models import Announcement, Membership, Workspace

ADMIN = "admin@demo.sozialplanung.de"
MODERATION = "moderation@demo.sozialplanung.de"
JENA = "planerin.jena@demo.sozialplanung.de"
GERA = "planer.gera@demo.sozialplanung.de"

WORKSPACES = [
    {
        "slug": "praeventionsketten",
        "name": "Thüringer Präventionsketten",
        "short_description": (
            "Kommunen bauen integrierte Präventionsketten für Kinder von 0 bis 10 Jahren auf – "
            "begleitet vom Programmteam des Instituts."
        ),
        "description": (
            "## Worum es geht\n\n"
            "Kinder sollen von der Geburt bis zum Ende der Grundschulzeit gut aufwachsen können – "
            "unabhängig davon, in welcher Familie und in welchem Sozialraum sie leben. Die "
            "teilnehmenden Kommunen verknüpfen dazu Angebote der Frühen Hilfen, der Kindertagesbetreuung, "
            "der Schule, der Gesundheit und der Jugendhilfe zu einer **Präventionskette**.\n\n"
            "## Was Sie hier finden\n\n"
            "- Arbeitshilfen zur Netzwerkkoordination und zur kommunalen Bedarfsanalyse\n"
            "- Protokolle der Beiratssitzungen und der Koordinator\\*innen-Treffen\n"
            "- den Austausch der Koordinator\\*innen untereinander\n\n"
            "Der Programmbeirat tagt zweimal im Jahr; Termine und Unterlagen werden hier angekündigt."
        ),
        "period": (datetime.date(2022, 1, 1), None),
        "funding_note": "Gefördert von einer Stiftung gemeinsam mit dem Thüringer Sozialministerium",
        "visibility": Workspace.Visibility.MEMBERS_ONLY,
        "join_policy": Workspace.JoinPolicy.INVITATION,
        "kommunen": ["stadt-erfurt", "stadt-jena", "schmalkalden-meiningen", "saale-orla-kreis"],
    },
    {
        "slug": "sozialstrategien",
        "name": "Lokale Sozialstrategien",
        "short_description": (
            "Prozessbegleitung der Landkreise und kreisfreien Städte bei ihren integrierten "
            "Sozialstrategien nach der Sozialstrategierichtlinie des Landes."
        ),
        "description": (
            "## Das Programm\n\n"
            "Mit der Richtlinie zur Förderung lokaler Sozialstrategien unterstützt das Land die Kommunen "
            "dabei, ihre Sozialplanung ressortübergreifend aufzustellen: von der Sozialberichterstattung "
            "über die Beteiligung der Träger bis zur Maßnahmenplanung.\n\n"
            "## Zusammenarbeit\n\n"
            "Die Planer\\*innen der teilnehmenden Kommunen tauschen hier Entwürfe, Indikatorensets und "
            "Beschlussvorlagen aus. Das Institut begleitet die Prozesse und bündelt Erfahrungen in "
            "Handreichungen."
        ),
        "period": (datetime.date(2023, 1, 1), datetime.date(2025, 12, 31)),
        "funding_note": "Gefördert aus Mitteln des Europäischen Sozialfonds Plus (ESF+) und des Freistaats Thüringen",
        "visibility": Workspace.Visibility.MEMBERS_ONLY,
        "join_policy": Workspace.JoinPolicy.INVITATION,
        "kommunen": [
            "altenburger-land",
            "stadt-erfurt",
            "stadt-gera",
            "stadt-jena",
            "kyffhauserkreis",
            "nordhausen",
            "saalfeld-rudolstadt",
            "saale-orla-kreis",
            "schmalkalden-meiningen",
            "sommerda",
            "wartburgkreis",
            "stadt-weimar",
        ],
    },
    {
        "slug": "armutspraevention",
        "name": "Armutsprävention",
        "short_description": (
            "Das frühere ESF-Programm zur kommunalen Armutsprävention (2015–2022): "
            "die Planer*innen tauschen sich weiter aus."
        ),
        "description": (
            "## Rückblick und Austausch\n\n"
            "Im ESF-Programm zur Armutsprävention haben Thüringer Kommunen Armutsberichte erstellt, "
            "Netzwerke aufgebaut und Maßnahmen gegen Kinder- und Altersarmut erprobt. Das Programm ist "
            "abgeschlossen; dieser Arbeitsbereich hält die Ergebnisse zugänglich und bietet Raum für den "
            "weiteren Austausch.\n\n"
            "Alle Mitglieder des Portals können beitreten."
        ),
        "period": (datetime.date(2015, 1, 1), datetime.date(2022, 12, 31)),
        "funding_note": "Gefördert aus Mitteln des Europäischen Sozialfonds (ESF)",
        "visibility": Workspace.Visibility.PORTAL,
        "join_policy": Workspace.JoinPolicy.OPEN,
        "kommunen": ["stadt-gera", "stadt-jena", "greiz", "ilm-kreis", "unstrut-hainich-kreis", "stadt-suhl"],
    },
    {
        "slug": "arbeitskreis-sozialplanung",
        "name": "Arbeitskreis Sozialplanung",
        "short_description": (
            "Der Arbeitskreis der Thüringer Sozialplaner*innen beim Sozialministerium – "
            "Treffen zu wechselnden Schwerpunkten wie Altenhilfeplanung."
        ),
        "description": (
            "## Der Arbeitskreis\n\n"
            "Im Arbeitskreis Sozialplanung treffen sich Planer\\*innen aus Landkreisen und kreisfreien "
            "Städten mit Vertreter\\*innen des Landes. Jedes Treffen hat einen Schwerpunkt – zuletzt "
            "Altenhilfeplanung und kleinräumige Sozialberichterstattung.\n\n"
            "Protokolle, Präsentationen und Vorlagen der Treffen stehen allen Mitgliedern des Portals "
            "offen. Mitarbeiten und Beiträge einstellen können die Mitglieder des Arbeitskreises; "
            "die Moderation nimmt Anfragen gern entgegen."
        ),
        "period": (None, None),
        "funding_note": "",
        "visibility": Workspace.Visibility.PORTAL,
        "join_policy": Workspace.JoinPolicy.REQUEST,
        "kommunen": [
            "stadt-erfurt",
            "stadt-jena",
            "stadt-weimar",
            "stadt-suhl",
            "eichsfeld",
            "gotha",
            "ilm-kreis",
            "sommerda",
            "weimarer-land",
            "saale-holzland-kreis",
            "greiz",
            "hildburghausen",
            "sonneberg",
            "freistaat-thuringen-landesebene",
        ],
    },
    {
        "slug": "lsz",
        "name": "Solidarisches Zusammenleben der Generationen (LSZ)",
        "short_description": (
            "Landesprogramm für ein gutes Miteinander der Generationen: Zukunftswerkstätten und "
            "Planung vor Ort in den Kommunen."
        ),
        "description": (
            "## Das Landesprogramm\n\n"
            "Mit dem Landesprogramm *Solidarisches Zusammenleben der Generationen* planen Kommunen "
            "gemeinsam mit Bürger\\*innen, Trägern und Politik, was Familien, Kinder, Jugendliche und "
            "Ältere vor Ort brauchen.\n\n"
            "Zukunftswerkstätten fanden unter anderem in Schleiz, Apolda, Bad Salzungen und "
            "Sondershausen statt. Hier teilen die Fachplanungen ihre Ergebnisse und Methoden."
        ),
        "period": (datetime.date(2019, 1, 1), None),
        "funding_note": "Landesprogramm des Freistaats Thüringen",
        "visibility": Workspace.Visibility.PORTAL,
        "join_policy": Workspace.JoinPolicy.REQUEST,
        "kommunen": ["saale-orla-kreis", "weimarer-land", "wartburgkreis", "kyffhauserkreis", "stadt-gera"],
    },
]

# slug -> [(email, role)]
MEMBERSHIPS = {
    "praeventionsketten": [(MODERATION, Membership.Role.MODERATOR), (JENA, Membership.Role.MEMBER)],
    "sozialstrategien": [
        (ADMIN, Membership.Role.MODERATOR),
        (JENA, Membership.Role.MEMBER),
        (GERA, Membership.Role.MEMBER),
    ],
    "armutspraevention": [(MODERATION, Membership.Role.MODERATOR)],
    "arbeitskreis-sozialplanung": [(MODERATION, Membership.Role.MODERATOR)],
    "lsz": [(MODERATION, Membership.Role.MODERATOR)],
}

# slug -> [(title, body, days ago)]
ANNOUNCEMENTS = {
    "praeventionsketten": [
        (
            "Beiratssitzung im Frühjahr",
            "Die nächste Sitzung des Programmbeirats findet im März statt. Bitte senden Sie Themenwünsche "
            "bis Ende Februar an das Programmteam. Die Einladung mit Tagesordnung folgt.",
            2,
        ),
        (
            "Neue Arbeitshilfe zur Netzwerkkoordination",
            "Die überarbeitete Arbeitshilfe *Netzwerke in der Präventionskette koordinieren* ist fertig. "
            "Sie finden sie in Kürze unter den Dokumenten dieses Arbeitsbereichs.",
            9,
        ),
    ],
    "sozialstrategien": [
        (
            "Zwischenberichte bis 31. Januar",
            "Bitte reichen Sie die Zwischenberichte zu Ihren Sozialstrategien bis zum **31. Januar** ein. "
            "Eine Vorlage stellen wir bereit; Rückfragen gern im Forum dieses Arbeitsbereichs.",
            3,
        ),
    ],
    "arbeitskreis-sozialplanung": [
        (
            "Nächstes Treffen: Schwerpunkt Altenhilfeplanung",
            "Das nächste Treffen des Arbeitskreises widmet sich der Altenhilfeplanung: Wie lassen sich "
            "Pflegebedarfe kleinräumig abschätzen? Beiträge aus den Kommunen sind willkommen.",
            5,
        ),
    ],
}


def seed():
    users = {user.email: user for user in User.objects.filter(email__in=[ADMIN, MODERATION, JENA, GERA])}
    now = timezone.now()
    for spec in WORKSPACES:
        start, end = spec["period"]
        workspace, _created = Workspace.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "short_description": spec["short_description"],
                "description": spec["description"],
                "period_start": start,
                "period_end": end,
                "funding_note": spec["funding_note"],
                "visibility": spec["visibility"],
                "join_policy": spec["join_policy"],
                "is_archived": False,
            },
        )
        workspace.kommunen.set(Kommune.objects.filter(slug__in=spec["kommunen"]))

        contacts = []
        for email, role in MEMBERSHIPS.get(spec["slug"], []):
            user = users.get(email)
            if user is None:
                continue
            membership, created = Membership.objects.get_or_create(
                workspace=workspace, user=user, defaults={"role": role, "joined_at": now - timedelta(days=30)}
            )
            if membership.role != role:
                membership.role = role
                membership.save(update_fields=["role"])
            if created:
                activity = record_activity(actor=user, verb="member_joined", target=workspace, workspace=workspace)
                activity.created_at = membership.joined_at
                activity.save(update_fields=["created_at"])
            if role == Membership.Role.MODERATOR:
                contacts.append(user)
        workspace.contact_persons.set(contacts)

        author = contacts[0] if contacts else users.get(ADMIN)
        for title, body, days_ago in ANNOUNCEMENTS.get(spec["slug"], []):
            announcement, created = Announcement.objects.get_or_create(
                workspace=workspace,
                title=title,
                defaults={"body": body, "author": author, "created_at": now - timedelta(days=days_ago)},
            )
            if created:
                activity = record_activity(
                    actor=author, verb="announcement_posted", target=announcement, workspace=workspace
                )
                activity.created_at = announcement.created_at
                activity.save(update_fields=["created_at"])

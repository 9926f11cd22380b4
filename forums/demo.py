"""Demo data of the forums app (called by manage.py seed_demo; safe to run twice).

Portal-wide boards with realistic threads (nested replies, mentions, a marked result, a pinned
thread, one long thread of ~500 posts for performance work) and a board per demo workspace
that exists. Posts are written directly, without rate limits or notifications.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Topic, User
from forums.models import Board, Post, Reaction, Thread, ThreadRead, ThreadSubscription, WatchLevel
from forums.text import mentioned_user_ids, render_post_body

ADMIN = "admin@demo.sozialplanung.de"
MODERATION = "moderation@demo.sozialplanung.de"
JENA = "planerin.jena@demo.sozialplanung.de"
GERA = "planer.gera@demo.sozialplanung.de"

PORTAL_BOARDS = [
    (
        "allgemein",
        "Allgemeiner Austausch",
        "Fragen an Kolleg*innen, Hinweise und alles, was in kein anderes Forum passt.",
    ),
    ("sozialberichterstattung", "Sozialberichterstattung", "Sozialberichte, Indikatoren, Monitoring und Datenquellen."),
    (
        "methoden-und-daten",
        "Methoden und Daten",
        "Empirische Methoden, Sozialraumanalysen, Auswertungen und Werkzeuge.",
    ),
    ("veranstaltungen", "Veranstaltungen", "Fachtage, Arbeitskreise, Lean-Coffee-Runden und Qualifizierungen."),
]

# workspace slug -> (board slug, board name, description)
WORKSPACE_BOARDS = {
    "praeventionsketten": (
        "austausch",
        "Austausch Präventionsketten",
        "Fragen und Erfahrungen aus den Partnerkommunen.",
    ),
    "sozialstrategien": (
        "austausch",
        "Austausch Lokale Sozialstrategien",
        "Prozessbegleitung, Beteiligung und Umsetzung.",
    ),
    "arbeitskreis-sozialplanung": (
        "austausch",
        "Arbeitskreis Sozialplanung",
        "Themen und Protokolle des Arbeitskreises.",
    ),
    "armutspraevention": ("austausch", "Austausch Armutsprävention", "Erfahrungen aus dem ESF-Programm und danach."),
    "lsz": ("austausch", "Austausch LSZ", "Zukunftswerkstätten und Generationenprojekte."),
}


def _mention(user) -> str:
    return f"@[{user.display_name}](/members/{user.pk}/)"


class _Writer:
    """Writes a thread and its posts with increasing timestamps, keeping counters exact."""

    def __init__(self, board, title, author, started, topics=()):
        self.thread = Thread.objects.create(board=board, title=title, author=author, created_at=started)
        if topics:
            self.thread.topics.set(Topic.objects.filter(slug__in=topics))
        self.clock = started
        self.count = 0
        self.opening = None

    def post(self, author, body, parent=None, minutes=47) -> Post:
        self.clock += timedelta(minutes=minutes)
        if parent is None and self.opening is None:
            depth, root_id = 0, None
        else:
            parent = parent or self.opening
            depth = parent.depth + 1
            root_id = None if depth == 1 else (parent.pk if parent.depth == 1 else parent.root_id)
        self.count += 1
        post = Post.objects.create(
            thread=self.thread,
            parent=parent,
            depth=depth,
            root_id=root_id,
            number=self.count,
            author=author,
            body=body,
            body_html=render_post_body(body),
            created_at=self.clock,
        )
        mentioned = mentioned_user_ids(body)
        if mentioned:
            post.mentioned_users.set(mentioned)
        if depth == 0:
            self.opening = post
            self.thread.first_post = post
        self.thread.post_count = self.count
        self.thread.last_post_id = post.pk
        self.thread.last_post_at = self.clock
        self.thread.save(update_fields=["first_post", "post_count", "last_post_id", "last_post_at"])
        if author is not None:
            ThreadRead.objects.update_or_create(
                user=author, thread=self.thread, defaults={"last_read_post_id": post.pk}
            )
            ThreadSubscription.objects.get_or_create(
                user=author, thread=self.thread, defaults={"level": WatchLevel.WATCHING}
            )
        return post


def _thread(board, title, author, days_ago, opening, topics=()):
    """A new thread with its opening post, or ``None`` when it exists already (idempotent seed)."""
    if Thread.objects.filter(board=board, title=title).exists():
        return None
    writer = _Writer(board, title, author, timezone.now() - timedelta(days=days_ago), topics)
    writer.post(author, opening)
    return writer


def _helpful(post, *users):
    for user in users:
        if user is not None and user.pk != post.author_id:
            _created = Reaction.objects.get_or_create(post=post, user=user)[1]
            if _created:
                Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)


def _board(workspace, slug, name, description, position=0):
    board, _created = Board.objects.get_or_create(
        workspace=workspace, slug=slug, defaults={"name": name, "description": description, "position": position}
    )
    return board


def _seed_portal(users):
    admin, moderation, jena, gera = (users.get(k) for k in (ADMIN, MODERATION, JENA, GERA))
    boards = {
        slug: _board(None, slug, name, description, position)
        for position, (slug, name, description) in enumerate(PORTAL_BOARDS)
    }

    w = _thread(
        boards["allgemein"],
        "Willkommen im Austausch – bitte kurz vorstellen",
        admin,
        40,
        "Herzlich willkommen auf der Sozialplanungsplattform!\n\n"
        "Stellen Sie sich gern kurz vor: **Kommune**, **Aufgabengebiet** und ein Thema, "
        "zu dem Sie gerade Austausch suchen. Bitte bleiben Sie sachlich und freundlich – "
        "die Moderation hilft bei Fragen weiter.",
    )
    if w:
        w.thread.is_pinned = True
        w.thread.save(update_fields=["is_pinned"])
        a = w.post(
            jena,
            "Guten Tag aus Jena! Ich bin in der integrierten Sozialplanung und arbeite gerade am "
            "Sozialbericht 2025. Besonders interessiert mich, wie andere Kommunen kleinräumige Daten aufbereiten.",
        )
        w.post(
            gera,
            f"Hallo {_mention(jena)}, hier Georg aus Gera (Jugendhilfeplanung). Zum Thema Kleinräumigkeit "
            "tausche ich mich gern aus – wir haben 2024 auf statistische Bezirke umgestellt.",
            parent=a,
        )
        w.post(
            moderation,
            "Hallo zusammen, ich begleite im Programmteam die Thüringer Präventionsketten. "
            "Bei Fragen zu den Partnerkommunen melden Sie sich gern.",
        )

    t = _thread(
        boards["allgemein"],
        "Wie gewinnen Sie Träger für die Mitarbeit in Planungsgruppen?",
        gera,
        21,
        "Wir möchten für die Jugendhilfeplanung eine Planungsgruppe mit freien Trägern aufbauen. "
        "Die Resonanz auf unsere Einladung war bisher verhalten.\n\n"
        "- Wie laden Sie ein (Brief, Arbeitskreis, persönliches Gespräch)?\n"
        "- Gibt es eine Aufwandsentschädigung?\n"
        "- Wie oft tagt die Gruppe bei Ihnen?",
        topics=["jugendhilfeplanung", "beteiligung"],
    )
    if t:
        first = t.post(
            jena,
            "Bei uns hat das persönliche Gespräch mit den Geschäftsführungen am meisten gebracht. "
            "Danach kam die schriftliche Einladung – mit einer klaren Frage, an der die Gruppe arbeitet.",
        )
        reply = t.post(gera, "Danke! Haben Sie die Gespräche selbst geführt oder die Amtsleitung?", parent=first)
        t.post(jena, "Zu zweit: Amtsleitung für die Verbindlichkeit, ich für die fachlichen Fragen.", parent=reply)
        result = t.post(
            moderation,
            "Aus den Präventionsketten kann ich drei Punkte beisteuern, die sich bewährt haben:\n\n"
            "1. **Konkreter Auftrag** statt allgemeiner Vernetzung – z. B. »Übergang Kita–Grundschule verbessern«.\n"
            "2. **Feste Termine** (viermal im Jahr), die Tagesordnung zwei Wochen vorher.\n"
            "3. **Sichtbare Ergebnisse**: Was die Gruppe erarbeitet, geht mit Namen in den Jugendhilfeausschuss.\n\n"
            f"{_mention(gera)}, eine Aufwandsentschädigung zahlt bei uns keine Kommune.",
        )
        t.post(gera, "Das hilft sehr, vielen Dank – ich markiere das als Ergebnis.", parent=result)
        t.thread.result_post = result
        t.thread.result_marked_by = gera
        t.thread.save(update_fields=["result_post", "result_marked_by"])
        _helpful(result, gera, jena, admin)

    s = _thread(
        boards["sozialberichterstattung"],
        "Kleinräumige Daten zu SGB-II-Quoten – woher beziehen Sie diese?",
        jena,
        14,
        "Für den Sozialbericht brauchen wir SGB-II-Quoten auf Ebene der Planungsräume. "
        "Die Statistik der Bundesagentur liefert uns nur Gemeindewerte.\n\n"
        "Bekommen Sie kleinräumige Auswertungen vom Jobcenter, und wenn ja, mit welcher Vereinbarung?",
        topics=["sozialberichterstattung", "kommunale-bedarfsanalyse"],
    )
    if s:
        a = s.post(
            gera,
            "Wir haben mit dem Jobcenter eine Vereinbarung zur Datenübermittlung nach § 51b SGB II "
            "geschlossen. Geliefert werden Bedarfsgemeinschaften je Straßenabschnitt, die wir selbst "
            "auf Planungsräume aggregieren.",
        )
        b = s.post(jena, "Wie gehen Sie mit kleinen Fallzahlen um? Bei uns wären einige Räume unter 5.", parent=a)
        c = s.post(
            gera, "Werte unter 3 werden geschwärzt, und Räume unter 300 Einwohner*innen fassen wir zusammen.", parent=b
        )
        s.post(
            moderation,
            f"Ergänzend: {_mention(jena)}, im Arbeitskreis Sozialplanung gibt es dazu eine "
            "Musterformulierung für die Vereinbarung. Ich lade sie in die Dokumente hoch.",
            parent=c,
        )
        _helpful(a, jena, moderation)

    k = _thread(
        boards["methoden-und-daten"],
        "KI-Werkzeuge in der Sozialberichterstattung – Erfahrungen?",
        jena,
        9,
        "Nutzt jemand KI-Werkzeuge, etwa zum Zusammenfassen von Protokollen oder zum Entwurf von Berichtstexten? "
        "Mich interessieren vor allem Datenschutz und die Freigabe durch die Verwaltung.",
        topics=["sozialberichterstattung"],
    )
    if k:
        a = k.post(
            gera,
            "Bei uns ist das bisher nur mit einer lokal betriebenen Lösung erlaubt. "
            "Personenbezogene Daten sind ausgeschlossen.",
        )
        k.post(admin, "Dazu gibt es im März eine Lean-Coffee-Runde, siehe Forum »Veranstaltungen«.", parent=a)

    e = _thread(
        boards["veranstaltungen"],
        "Lean Coffee: KI in der Sozialberichterstattung",
        moderation,
        5,
        "Wir laden zu einer offenen Online-Runde ein (45 Minuten, ohne Anmeldung). "
        "Themen sammeln wir zu Beginn gemeinsam. Den Link erhalten Sie am Vortag über die Plattform.",
        topics=["sozialberichterstattung"],
    )
    if e:
        e.post(jena, "Ich bin dabei und bringe die Frage nach Freigabeprozessen mit.")

    _long_thread(boards["methoden-und-daten"], [u for u in (jena, gera, moderation, admin) if u is not None])


def _long_thread(board, people, replies=500):
    """One thread of about ``replies`` posts in waves of bulk inserts (ids from each wave feed the next)."""
    title = "Sammelthema: Erfahrungen mit Sozialraumindizes"
    if not people or Thread.objects.filter(board=board, title=title).exists():
        return
    starter = people[0]
    w = _Writer(board, title, starter, timezone.now() - timedelta(days=60), ["sozialraumorientierung"])
    w.post(
        starter,
        "Hier sammeln wir Erfahrungen mit Sozialraumindizes: Indikatorenauswahl, Gewichtung, "
        "Darstellung und Umgang mit Kritik. Bitte antworten Sie direkt auf die jeweilige Frage.",
    )
    indicators = [
        "SGB-II-Quote",
        "Anteil Alleinerziehender",
        "Wohndauer",
        "Anteil Kinder unter 6 Jahren",
        "Schuleingangsuntersuchung",
        "Wahlbeteiligung",
        "Anteil Über-80-Jähriger",
    ]
    clock = w.clock
    number = w.count

    def wave(parents, per_parent, limit):
        nonlocal clock, number
        rows = []
        for parent in parents:
            for _i in range(per_parent):
                if len(rows) >= limit:
                    break
                clock += timedelta(minutes=7)
                number += 1
                indicator = indicators[number % len(indicators)]
                body = (
                    f"Beitrag {number}: Bei uns geht die {indicator} mit dem Gewicht "
                    f"{(number % 4) + 1} in den Index ein. Die Daten liefert die Kommunalstatistik jährlich."
                )
                depth = parent.depth + 1
                rows.append(
                    Post(
                        thread=w.thread,
                        parent=parent,
                        depth=depth,
                        root_id=None if depth == 1 else (parent.pk if parent.depth == 1 else parent.root_id),
                        number=number,
                        author=people[number % len(people)],
                        body=body,
                        body_html=render_post_body(body),
                        created_at=clock,
                    )
                )
        return Post.objects.bulk_create(rows)

    tops = wave([w.opening], 120, 120)
    children = wave(tops, 2, 200)
    grandchildren = wave(children[::2], 2, 120)
    deeper = wave(grandchildren[::3], 1, 40)
    deepest = wave(deeper, 1, 19)
    made = len(tops) + len(children) + len(grandchildren) + len(deeper) + len(deepest)
    Thread.objects.filter(pk=w.thread.pk).update(
        post_count=w.count + made,
        last_post_id=Post.objects.filter(thread=w.thread).order_by("-id").values_list("id", flat=True).first(),
        last_post_at=clock,
    )


def _seed_workspaces(users):
    from workspaces.models import Workspace

    admin, moderation, jena, gera = (users.get(k) for k in (ADMIN, MODERATION, JENA, GERA))
    workspaces = {ws.slug: ws for ws in Workspace.objects.filter(slug__in=list(WORKSPACE_BOARDS))}
    boards = {}
    for slug, (board_slug, name, description) in WORKSPACE_BOARDS.items():
        if slug in workspaces:
            boards[slug] = _board(workspaces[slug], board_slug, name, description)

    if "praeventionsketten" in boards:
        board = boards["praeventionsketten"]
        p = _thread(
            board,
            "Netzwerkkarte der Präventionskette – welche Vorlage nutzen Sie?",
            moderation,
            12,
            "Für das nächste Beiratstreffen möchten wir die Netzwerkkarten der Partnerkommunen nebeneinanderlegen. "
            "Welche Vorlage nutzen Sie – die aus der Qualifizierung oder eine eigene? "
            "Bitte antworten Sie bis Ende des Monats.",
            topics=["praventionsketten", "netzwerke"],
        )
        if p:
            p.thread.is_pinned = True
            p.thread.save(update_fields=["is_pinned"])
            a = p.post(
                jena,
                "Jena nutzt die Vorlage aus der Qualifizierung, ergänzt um eine Spalte für die "
                "Zuständigkeit im Jugendamt.",
            )
            p.post(
                moderation,
                f"Danke, {_mention(jena)}! Könnten Sie die ergänzte Fassung in die Dokumente stellen?",
                parent=a,
            )
        q = _thread(
            board,
            "Übergang Kita–Grundschule: Welche Kennzahlen erheben Sie?",
            jena,
            6,
            "Wir wollen den Übergang Kita–Grundschule im Monitoring abbilden. "
            "Bisher haben wir nur die Schuleingangsuntersuchung. Was erheben Sie zusätzlich?",
            topics=["praventionsketten"],
        )
        if q:
            a = q.post(
                moderation,
                "In Schmalkalden-Meiningen wird zusätzlich die Teilnahme an "
                "Brückenjahr-Angeboten erfasst, im Saale-Orla-Kreis die Zahl der Übergabegespräche.",
            )
            b = q.post(jena, "Wie wird die Zahl der Übergabegespräche erhoben – über die Kitas?", parent=a)
            q.post(moderation, "Ja, halbjährlich über eine kurze Abfrage bei den Kita-Leitungen.", parent=b)

    if "sozialstrategien" in boards:
        s = _thread(
            boards["sozialstrategien"],
            "Beteiligung in der Sozialstrategie: Erfahrungen mit Online-Umfragen",
            gera,
            10,
            "Für unsere Sozialstrategie planen wir eine Online-Umfrage unter Bürger*innen. "
            "Wie hoch war bei Ihnen der Rücklauf, und wie haben Sie schwer erreichbare Gruppen eingebunden?",
            topics=["lokale-sozialstrategien", "beteiligung"],
        )
        if s:
            a = s.post(jena, "Rücklauf etwa 4 %. Deutlich besser waren aufsuchende Gespräche in Stadtteilzentren.")
            s.post(gera, f"{_mention(jena)}, haben Sie dafür Honorarkräfte eingesetzt?", parent=a)

    for slug, title, body in [
        (
            "arbeitskreis-sozialplanung",
            "Protokoll AK Altenhilfeplanung – Ergänzungen",
            "Das Protokoll der letzten Sitzung liegt vor. Ergänzungen und Korrekturen bitte hier als Antwort.",
        ),
        (
            "armutspraevention",
            "Was ist aus den Präventionsnetzwerken nach 2022 geworden?",
            "Das ESF-Programm ist ausgelaufen. Welche Netzwerke arbeiten bei Ihnen weiter, und wie sind sie finanziert?",
        ),
        (
            "lsz",
            "Zukunftswerkstatt in Schleiz – Moderationsmethoden",
            "Für die Zukunftswerkstatt suchen wir Methoden, die auch mit älteren Teilnehmer*innen gut funktionieren.",
        ),
    ]:
        if slug in boards:
            t = _thread(boards[slug], title, admin or moderation, 8, body)
            if t and jena is not None:
                t.post(jena, "Gute Erfahrungen haben wir mit der Methode »Zukunftsbilder« gemacht.")


def seed():
    users = {user.email: user for user in User.objects.filter(email__in=[ADMIN, MODERATION, JENA, GERA])}
    if not users:
        return
    with transaction.atomic():
        _seed_portal(users)
        _seed_workspaces(users)

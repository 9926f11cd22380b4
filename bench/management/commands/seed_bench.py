"""Large, deterministic benchmark data, written with bulk inserts.

At ``--scale 1``: 2,000 members across all Kommunen, 30 workspaces, 100,000 posts in 5,000
threads (one thread of 2,000 posts nested up to depth 8), 10,000 documents with versions and
extracted text, 200,000 notifications and 1,000 dates, plus their search entries.

The invariants the services keep are kept here too: posts carry depth/root_id/number,
threads post_count/last_post_id/first_post, documents current_version, and every searchable
object has its SearchEntry (with the tsvector on PostgreSQL, the FTS5 row on SQLite).
Ids are assigned up front so parent links and denormalised pointers are known before the
rows are written; sequences are reset afterwards.
"""

import hashlib
import html
import random
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import Kommune, Profile, Topic, User
from documents.models import Document, DocumentVersion
from events.models import Event
from forums.models import Board, Post, Thread, ThreadSubscription
from notifications.models import Notification
from search.models import SearchEntry
from search.services import BODY_LIMIT, RANK_BODY_CHARS
from search.text import folded_text, index_tokens
from workspaces.models import Activity, Membership, Workspace

BENCH_EMAIL = "bench{:04d}@bench.sozialplanung.de"
BENCH_PASSWORD = "Bench-Passwort-2026"
MARKER_SLUG = "bench-00"
SEARCH_PHRASE = "Präventionsketten Sozialbericht"
BATCH = 2000
# A document's extracted text: its own first paragraph plus five "pages" (about 2,500
# characters each) drawn from the pool of its field, so 10,000 documents carry ~5 pages
# without generating 50,000 pages of random text.
PAGES_PER_DOCUMENT = 5
PAGE_POOL = 300

FIRST_NAMES = [
    "Anna", "Jonas", "Katrin", "Lukas", "Miriam", "Stefan", "Julia", "Tobias", "Sabine", "Felix",
    "Claudia", "Martin", "Heike", "Daniel", "Susanne", "Florian", "Ines", "Matthias", "Kerstin", "René",
]  # fmt: skip
LAST_NAMES = [
    "Bergmann", "Schubert", "Vogel", "Krause", "Lehmann", "Hoffmann", "Kühn", "Günther", "Franke", "Böhm",
    "Wagner", "Seidel", "Ziegler", "Förster", "Hahn", "Pfeiffer", "Walther", "Engel", "Möller", "Thiele",
]  # fmt: skip
PROGRAMMES = [
    "Thüringer Präventionsketten", "Lokale Sozialstrategien", "Armutsprävention", "Arbeitskreis Sozialplanung",
    "Solidarisches Zusammenleben der Generationen",
]  # fmt: skip
# The words of the texts. A planning text uses the words of its field (THEMES), the words every
# planning text uses (GENERAL) and, rarely, a word of another field. An earlier seed drew every
# text from all 40 words, so every 12,000-character document contained every word and each
# two-word bench search matched all 10,000 documents; in a real library a field's term
# ("Wohnungslosigkeit") stands in the documents of that field.
GENERAL = "Sozialplanung Kommune Landkreis Verwaltung Netzwerk Beteiligung Kennzahlen Datengrundlage Indikatoren Statistik Monitoring Evaluation".split()
THEMES = [
    "Präventionsketten Kita Schulsozialarbeit Familienzentrum Übergang Zielgruppe".split(),
    "Jugendhilfeplanung Jugendarbeit Ganztag Kinderschutz Sozialraum Jugendamt".split(),
    "Altenhilfeplanung Pflegeplanung Ehrenamt Nachbarschaft Mobilität Seniorenbeirat".split(),
    "Armutsprävention Wohnungslosigkeit Grundsicherung Mietbelastung Schuldnerberatung Tafel".split(),
    "Integrationsmanagement Inklusion Sprachförderung Migrationsberatung Teilhabe Barrierefreiheit".split(),
    "Sozialbericht Bedarfsanalyse Handlungsempfehlung Befragung Quartier Sozialstrukturatlas".split(),
    "Fördermittel Richtlinie Antrag Zwischenbericht Lenkungskreis Steuerungsgruppe".split(),
    "Fachtag Workshop Austausch Dokumentation Vernetzung Arbeitsgruppe".split(),
]
WORDS = [word for theme in THEMES for word in theme] + GENERAL
FILLER = "und die der mit für im auf bei zur eine wir haben sehr gute erste neue".split()
TOPIC_PHRASES = [
    "Erfahrungen mit", "Frage zu", "Vorlage für", "Ergebnisse der", "Austausch über", "Zwischenstand:",
    "Wie messen Sie", "Hinweise zur",
]  # fmt: skip


class Command(BaseCommand):
    help = "Seeds large deterministic benchmark data (bench members, workspaces, posts, documents, …)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = the full benchmark size")
        parser.add_argument(
            "--reset", action="store_true", help="empty the portal tables first (only in a bench or test database)"
        )

    def handle(self, *args, scale, reset, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        marker = Workspace.objects.filter(slug=MARKER_SLUG).first()
        label = f"bench scale {scale}"
        if marker is not None and not reset:
            if marker.funding_note == label:
                self.stdout.write(f"Benchmark data for scale {scale} is already there; nothing to do.")
                return
            raise CommandError(f"The database holds {marker.funding_note!r}; run again with --reset.")
        started = time.monotonic()
        if reset:
            self._reset()
        self.rng = random.Random(20260501)
        self.now = timezone.now()
        self.scale = scale
        self.entries = []  # (kind, object_id, workspace_id, title, meta, body, url, author_id, created_at, extra)
        with transaction.atomic():
            self._members()
            self._workspaces(label)
            self._forums()
            self._documents()
            self._events()
            self._notifications_and_activity()
            self._search_index()
            self._reset_sequences()
        if connection.vendor == "postgresql":
            # What autovacuum would do some time after a bulk load, done now rather than in the
            # middle of a measurement: planner statistics (without them PostgreSQL guesses one
            # matching row and joins before ranking) and the visibility map (without it an
            # index-only scan reads the table too). A run measured with autovacuum busy on the
            # fresh tables gave the search p95 127 ms; after VACUUM ANALYZE, 79 ms.
            # VACUUM cannot run inside a transaction (the tests call this command in one).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
                if not connection.in_atomic_block:
                    self._checkpoint(cursor)
        cache.clear()
        hits = self._check_search()
        self.stdout.write(f"Search for {SEARCH_PHRASE!r} finds {hits} entries.")
        self.stdout.write(self.style.SUCCESS(f"Seeded scale {scale} in {time.monotonic() - started:.1f} s."))

    # --- helpers ------------------------------------------------------------------------------

    def n(self, full: int, minimum: int) -> int:
        return max(minimum, round(full * self.scale))

    def progress(self, label: str, done: int, total: int):
        self.stdout.write(f"  {label}: {done}/{total} ({100 * done // max(total, 1)} %)")
        self.stdout.flush()

    def next_id(self, model) -> int:
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        return (last or 0) + 1

    def bulk(self, model, rows, label=None):
        for start in range(0, len(rows), BATCH):
            model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)
            done = min(start + BATCH, len(rows))
            if label and ((start // BATCH) % 10 == 0 or done == len(rows)):
                self.progress(label, done, len(rows))

    def theme(self) -> int:
        return self.rng.randrange(len(THEMES))

    def sentence(self, words: int, theme: int | None = None) -> str:
        """Words of one field (a random one unless given), general planning words, filler and,
        one word in 500, a word of any field."""
        rng = self.rng
        own = THEMES[self.theme() if theme is None else theme]
        parts = []
        for _ in range(words):
            roll = rng.random()
            if roll < 0.3:
                parts.append(rng.choice(own))
            elif roll < 0.5:
                parts.append(rng.choice(GENERAL))
            elif roll < 0.502:
                parts.append(rng.choice(WORDS))
            else:
                parts.append(rng.choice(FILLER))
        return parts[0].capitalize() + " " + " ".join(parts[1:]) + "."

    def paragraph(self, sentences: int, theme: int | None = None) -> str:
        return " ".join(self.sentence(self.rng.randint(6, 14), theme) for _ in range(sentences))

    def past(self, days: int):
        return self.now - timedelta(days=self.rng.random() * days)

    # --- steps --------------------------------------------------------------------------------

    def _reset(self):
        name = str(settings.DATABASES["default"]["NAME"])
        if "bench" not in name and "test" not in name and "memory" not in name:
            raise CommandError(f"--reset empties every portal table; refusing on database {name!r}.")
        from django.apps import apps

        keep = {Kommune, Topic, ContentType}
        tables = [
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed
            and model not in keep
            and model._meta.app_label not in ("contenttypes", "auth", "sites", "admin")
        ]
        tables += ["django_admin_log"]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE")
            else:
                with connection.constraint_checks_disabled():
                    for table in tables:
                        cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 (model table names)
                    if connection.vendor == "sqlite":
                        cursor.execute("DELETE FROM search_fts")
        self.stdout.write("Emptied the portal tables.")

    def _members(self):
        kommunen = list(Kommune.objects.order_by("pk"))
        self.topics = list(Topic.objects.order_by("pk"))
        self.kommunen = kommunen
        count = self.n(2000, 12)
        password = make_password(BENCH_PASSWORD)
        base = self.next_id(User)
        users = []
        for i in range(count):
            joined = self.past(900)
            users.append(
                User(
                    id=base + i,
                    email=BENCH_EMAIL.format(i),
                    display_name=f"{FIRST_NAMES[i % 20]} {LAST_NAMES[(i // 20) % 20]} {i:04d}",
                    status=User.Status.ACTIVE,
                    status_changed_at=joined,
                    is_active=True,
                    password=password,
                    date_joined=joined,
                )
            )
        self.bulk(User, users, "members")
        self.user_ids = [u.id for u in users]
        self.user_names = {u.id: u.display_name for u in users}
        profiles, profile_topics = [], []
        functions = [c for c, _ in Profile.Function.choices]
        base_profile = self.next_id(Profile)
        for i, user in enumerate(users):
            kommune = kommunen[i % len(kommunen)]
            topics = self.rng.sample(self.topics, 2)
            bio = self.paragraph(2)
            function = functions[i % len(functions)]
            profiles.append(
                Profile(
                    id=base_profile + i,
                    user_id=user.id,
                    kommune=kommune,
                    organisation=f"{kommune.name}, Fachdienst Sozialplanung",
                    function=function,
                    bio=bio,
                )
            )
            profile_topics += [Profile.topics.through(profile_id=base_profile + i, topic_id=t.pk) for t in topics]
            self.entries.append(
                (
                    "member",
                    user.id,
                    None,
                    user.display_name,
                    " ".join([kommune.name, *(t.name for t in topics)]),
                    bio,
                    f"/members/{user.id}/",
                    None,
                    user.date_joined,
                    {"kommunen": [kommune.pk], "topics": [t.pk for t in topics]},
                )
            )
        self.bulk(Profile, profiles)
        self.bulk(Profile.topics.through, profile_topics)

    def _workspaces(self, label):
        count = self.n(30, 3)
        base = self.next_id(Workspace)
        workspaces = []
        for i in range(count):
            members_only = i % 2 == 0
            workspaces.append(
                Workspace(
                    id=base + i,
                    name=f"{PROGRAMMES[i % len(PROGRAMMES)]} – Bench {i:02d}",
                    slug=f"bench-{i:02d}",
                    short_description=self.sentence(10),
                    description=self.paragraph(4),
                    funding_note=label if i == 0 else "",
                    visibility=Workspace.Visibility.MEMBERS_ONLY if members_only else Workspace.Visibility.PORTAL,
                    join_policy=Workspace.JoinPolicy.REQUEST,
                    created_at=self.past(1000),
                )
            )
        self.bulk(Workspace, workspaces, "workspaces")
        self.workspace_ids = [w.id for w in workspaces]
        links = []
        for w in workspaces:
            chosen = self.rng.sample(self.kommunen, 3)
            links += [Workspace.kommunen.through(workspace_id=w.id, kommune_id=k.pk) for k in chosen]
            self.entries.append(
                (
                    "workspace",
                    w.id,
                    w.id,
                    w.name,
                    " ".join([w.short_description, *(k.name for k in chosen)]),
                    w.description,
                    f"/workspaces/{w.slug}/",
                    None,
                    w.created_at,
                    {"kommunen": [k.pk for k in chosen]},
                )
            )
        self.bulk(Workspace.kommunen.through, links)

        # The bench member (user 0) belongs to several workspaces; workspace 0 holds the
        # watchers of the big thread (up to 600 members), everybody else joins three.
        members = {w: set() for w in self.workspace_ids}
        bench_user = self.user_ids[0]
        for w in self.workspace_ids[:5]:
            members[w].add(bench_user)
        members[self.workspace_ids[0]].update(self.user_ids[:600])
        for user_id in self.user_ids[1:]:
            for w in self.rng.sample(self.workspace_ids, min(3, len(self.workspace_ids))):
                members[w].add(user_id)
        rows = []
        for index, (w, user_ids) in enumerate(members.items()):
            moderator = self.user_ids[1 + index % (len(self.user_ids) - 1)]
            user_ids.add(moderator)
            for user_id in sorted(user_ids):
                role = Membership.Role.MODERATOR if user_id == moderator else Membership.Role.MEMBER
                rows.append(Membership(workspace_id=w, user_id=user_id, role=role, joined_at=self.past(600)))
        self.bulk(Membership, rows, "memberships")
        self.members = {w: sorted(ids) for w, ids in members.items()}

    def _forums(self):
        base_board = self.next_id(Board)
        boards = [
            Board(id=base_board + i, workspace_id=w, name="Forum", slug="forum", position=0)
            for i, w in enumerate(self.workspace_ids)
        ]
        boards += [
            Board(id=base_board + len(boards), name="Fachaustausch (Bench)", slug="bench-fachaustausch", position=1),
            Board(id=base_board + len(boards) + 1, name="Allgemeines (Bench)", slug="bench-allgemein", position=2),
        ]
        self.bulk(Board, boards)
        board_authors = {b.id: self.members[b.workspace_id] if b.workspace_id else self.user_ids for b in boards}
        board_workspace = {b.id: b.workspace_id for b in boards}
        board_names = {b.id: b.name for b in boards}

        total_posts = self.n(100_000, 100)
        thread_count = self.n(5000, 10)
        big_size = min(2000, total_posts // 2)
        sizes = [1] * (thread_count - 1)
        for index in self.rng.choices(range(thread_count - 1), k=max(0, total_posts - big_size - len(sizes))):
            sizes[index] += 1
        sizes.insert(0, big_size)
        thread_base, post_base = self.next_id(Thread), self.next_id(Post)
        threads, posts, thread_topics = [], [], []
        post_id = post_base
        self.thread_posts = {}  # thread id -> visible reply ids (for notification targets)
        for t_index, size in enumerate(sizes):
            thread_id = thread_base + t_index
            board = boards[0] if t_index == 0 else boards[self.rng.randrange(len(boards))]
            authors = board_authors[board.id]
            theme = 0 if t_index == 0 else self.theme()
            title = f"{self.rng.choice(TOPIC_PHRASES)} {self.rng.choice(THEMES[theme])} in {self.rng.choice(self.kommunen).name}"
            if t_index == 0:
                title = "Großer Austausch: Präventionsketten und Sozialbericht in Thüringen"
            created = self.past(700)
            moment = created
            tree = []  # (id, depth) of the current top-level reply's subtree
            opening_id = post_id
            reply_ids = []
            for j in range(size):
                if j == 0:
                    parent, depth, root = None, 0, None
                elif not tree or self.rng.random() < 0.35:
                    parent, depth, root = opening_id, 1, None
                    tree = []
                else:
                    # Mostly continue the newest branch, so subtrees reach depth 8.
                    candidates = [p for p in tree[-4:] if p[1] < 8] or [tree[0]]
                    parent_id, parent_depth = candidates[-1] if self.rng.random() < 0.6 else self.rng.choice(candidates)
                    parent, depth = parent_id, parent_depth + 1
                    root = tree[0][0]
                body = self.paragraph(self.rng.randint(1, 3), theme)
                moment = moment + timedelta(minutes=self.rng.randint(1, 600))
                author = authors[self.rng.randrange(len(authors))]
                posts.append(
                    Post(
                        id=post_id,
                        thread_id=thread_id,
                        parent_id=parent,
                        depth=depth,
                        root_id=root,
                        number=j + 1,
                        author_id=author,
                        body=body,
                        body_html=f"<p>{html.escape(body)}</p>",
                        created_at=moment,
                    )
                )
                if depth >= 1:
                    if depth == 1:
                        tree = [(post_id, 1)]
                    else:
                        tree.append((post_id, depth))
                    reply_ids.append(post_id)
                    self.entries.append(
                        (
                            "post",
                            post_id,
                            board_workspace[board.id],
                            title,
                            board_names[board.id],
                            body,
                            f"/forums/posts/{post_id}/",
                            author,
                            moment,
                            None,
                        )
                    )
                else:
                    opening_body = body
                post_id += 1
            topic = self.topics[t_index % len(self.topics)]
            threads.append(
                Thread(
                    id=thread_id,
                    board_id=board.id,
                    title=title,
                    author_id=posts[-size].author_id,
                    first_post_id=opening_id,
                    created_at=created,
                    post_count=size,
                    last_post_id=post_id - 1,
                    last_post_at=moment,
                )
            )
            thread_topics.append(Thread.topics.through(thread_id=thread_id, topic_id=topic.pk))
            self.thread_posts[thread_id] = (board_workspace[board.id], reply_ids)
            self.entries.append(
                (
                    "thread",
                    thread_id,
                    board_workspace[board.id],
                    title,
                    f"{board_names[board.id]} {topic.name}",
                    opening_body,
                    f"/forums/threads/{thread_id}/",
                    posts[-size].author_id,
                    created,
                    {"topics": [topic.pk]},
                )
            )
        self.bulk(Thread, threads, "threads")
        self.bulk(Thread.topics.through, thread_topics)
        self.bulk(Post, posts, "posts")
        self.big_thread = thread_base
        self.post_count = len(posts)
        max_depth = max(p.depth for p in posts[:big_size])
        self.stdout.write(f"  big thread {thread_base}: {big_size} posts, depth up to {max_depth}")
        watchers = self.members[self.workspace_ids[0]][:500]
        self.bulk(
            ThreadSubscription,
            [ThreadSubscription(user_id=u, thread_id=thread_base, level="watching") for u in watchers],
        )

    def _sample_pdf(self) -> tuple[str, bytes]:
        from fpdf import FPDF

        path = Path(settings.MEDIA_ROOT) / "documents" / "bench-sample.pdf"
        if not path.exists():
            pdf = FPDF()
            pdf.add_page()
            pdf.set_font("helvetica", size=12)
            pdf.multi_cell(0, 8, "Sozialbericht (Benchmark). Praeventionsketten in Thueringen. " * 20)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(bytes(pdf.output()))
        return "documents/bench-sample.pdf", path.read_bytes()

    def _documents(self):
        name, data = self._sample_pdf()
        sha = hashlib.sha256(data).hexdigest()
        count = self.n(10_000, 20)
        # PAGE_POOL pages per field; a document's pages are of its field.
        pages = [
            ["\n".join(self.paragraph(8, theme) for _ in range(3)) for _ in range(PAGE_POOL // len(THEMES))]
            for theme in range(len(THEMES))
        ]
        kinds = [c for c, _ in Document.Kind.choices]
        kind_labels = dict(Document.Kind.choices)
        doc_base, version_base = self.next_id(Document), self.next_id(DocumentVersion)
        documents, versions, topic_links, kommune_links = [], [], [], []
        version_id = version_base
        for i in range(count):
            doc_id = doc_base + i
            workspace = None if self.rng.random() < 0.3 else self.rng.choice(self.workspace_ids)
            uploaders = self.members[workspace] if workspace else self.user_ids
            uploader = uploaders[self.rng.randrange(len(uploaders))]
            kind = kinds[i % len(kinds)]
            kommune = self.kommunen[i % len(self.kommunen)]
            topics = self.rng.sample(self.topics, 2)
            theme = self.theme()
            title = f"{kind_labels[kind]} {self.rng.choice(THEMES[theme])} {kommune.name} {2015 + i % 11}"
            created = self.past(1500)
            text = "\n\n".join([self.paragraph(4, theme), *self.rng.sample(pages[theme], PAGES_PER_DOCUMENT)])
            version_count = 1 + i % 3
            for number in range(1, version_count + 1):
                versions.append(
                    DocumentVersion(
                        id=version_id,
                        document_id=doc_id,
                        number=number,
                        file=name,
                        original_filename=f"bench-{doc_id}-v{number}.pdf",
                        file_type="pdf",
                        content_type="application/pdf",
                        size=len(data),
                        sha256=sha,
                        uploaded_by_id=uploader,
                        created_at=created + timedelta(days=number - 1),
                        text=text,
                        extraction_status=DocumentVersion.Extraction.DONE,
                    )
                )
                version_id += 1
            description = self.sentence(20, theme)
            documents.append(
                Document(
                    id=doc_id,
                    workspace_id=workspace,
                    title=title,
                    description=description,
                    kind=kind,
                    year=2015 + i % 11,
                    uploaded_by_id=uploader,
                    current_version_id=version_id - 1,
                    created_at=created,
                    updated_at=created,
                )
            )
            topic_links += [Document.topics.through(document_id=doc_id, topic_id=t.pk) for t in topics]
            kommune_links.append(Document.kommunen.through(document_id=doc_id, kommune_id=kommune.pk))
            self.entries.append(
                (
                    "document",
                    doc_id,
                    workspace,
                    title,
                    " ".join(
                        [
                            str(kind_labels[kind]),
                            *(t.name for t in topics),
                            kommune.name,
                            self.user_names[uploader],
                            f"bench-{doc_id}-v{version_count}.pdf",
                        ]
                    ),
                    f"{description}\n{text}",
                    f"/documents/{doc_id}/",
                    uploader,
                    created,
                    {"kommunen": [kommune.pk], "topics": [t.pk for t in topics], "kind": kind, "year": 2015 + i % 11},
                )
            )
        self.bulk(Document, documents, "documents")
        self.bulk(DocumentVersion, versions, "document versions")
        self.bulk(Document.topics.through, topic_links)
        self.bulk(Document.kommunen.through, kommune_links)
        self.document_ids = [d.id for d in documents]

    def _events(self):
        count = self.n(1000, 10)
        kinds = [c for c, _ in Event.Kind.choices]
        kind_labels = dict(Event.Kind.choices)
        places = ["Erfurt", "Jena", "Gera", "Schleiz", "Apolda", "Bad Salzungen", "Sondershausen", "online"]
        base = self.next_id(Event)
        events = []
        for i in range(count):
            start = (self.now + timedelta(days=self.rng.uniform(-365, 365))).replace(minute=0, second=0, microsecond=0)
            workspace = None if i % 3 == 0 else self.rng.choice(self.workspace_ids)
            organiser = self.user_ids[self.rng.randrange(len(self.user_ids))]
            kind = kinds[i % len(kinds)]
            place = places[i % len(places)]
            event = Event(
                id=base + i,
                workspace_id=workspace,
                title=f"{kind_labels[kind]}: {self.rng.choice(WORDS)} ({place})",
                kind=kind,
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                place=place,
                description=self.paragraph(2),
                organiser_id=organiser,
                created_by_id=organiser,
                created_at=start - timedelta(days=30),
                updated_at=start - timedelta(days=30),
            )
            events.append(event)
            self.entries.append(
                (
                    "event",
                    event.id,
                    workspace,
                    event.title,
                    f"{kind_labels[kind]} {place} {self.user_names[organiser]}",
                    event.description,
                    f"/dates/{event.id}/",
                    organiser,
                    start,
                    {"year": start.year},
                )
            )
        self.bulk(Event, events, "dates")

    def _notifications_and_activity(self):
        post_type = ContentType.objects.get_for_model(Post)
        bench_user = self.user_ids[0]
        visible_to_bench = set(self.workspace_ids[:5]) | {None}
        visible_to_bench |= set(self.workspace_ids[1::2])  # portal-visible workspaces
        targets = [(ws, pid) for ws, ids in self.thread_posts.values() for pid in ids[:20]]
        bench_targets = [t for t in targets if t[0] in visible_to_bench]
        count = self.n(200_000, 100)
        own = min(count // 10, 1000)
        rows = []
        for i in range(count):
            recipient = bench_user if i < own else self.user_ids[self.rng.randrange(len(self.user_ids))]
            workspace, target = self.rng.choice(bench_targets if i < own else targets)
            moment = self.past(365)
            rows.append(
                Notification(
                    recipient_id=recipient,
                    kind="forum_reply",
                    actor_id=self.user_ids[self.rng.randrange(len(self.user_ids))],
                    workspace_id=workspace,
                    target_type=post_type,
                    target_id=target,
                    created_at=moment,
                    updated_at=moment,
                    read_at=None if self.rng.random() < 0.3 else moment + timedelta(hours=2),
                )
            )
        self.bulk(Notification, rows, "notifications")
        activities = []
        for _ in range(self.n(5000, 50)):
            workspace, target = self.rng.choice(targets)
            moment = self.past(365)
            activities.append(
                Activity(
                    actor_id=self.user_ids[self.rng.randrange(len(self.user_ids))],
                    verb="post_replied",
                    workspace_id=workspace,
                    target_type=post_type,
                    target_id=target,
                    target_title=f"Beitrag {target}",
                    target_url=f"/forums/posts/{target}/",
                    created_at=moment,
                )
            )
        self.bulk(Activity, activities, "activities")

    def _search_index(self):
        base = self.next_id(SearchEntry)
        rows, kommune_links, topic_links, texts = [], [], [], []
        for offset, (kind, object_id, workspace, title, meta, body, url, author, created, extra) in enumerate(
            self.entries
        ):
            extra = extra or {}
            entry_id = base + offset
            body = (body or "")[:BODY_LIMIT]
            rows.append(
                SearchEntry(
                    id=entry_id,
                    kind=kind,
                    object_id=object_id,
                    workspace_id=workspace,
                    title=title[:300],
                    meta=meta,
                    body=body,
                    url=url,
                    author_id=author,
                    document_kind=extra.get("kind", ""),
                    year=extra.get("year"),
                    created_at=created,
                )
            )
            kommune_links += [
                SearchEntry.kommunen.through(searchentry_id=entry_id, kommune_id=k) for k in extra.get("kommunen", [])
            ]
            topic_links += [
                SearchEntry.topics.through(searchentry_id=entry_id, topic_id=t) for t in extra.get("topics", [])
            ]
            indexed_title = "" if kind in SearchEntry.DISPLAY_ONLY_TITLE_KINDS else title[:300]
            texts.append((entry_id, indexed_title, meta, body))
        self.bulk(SearchEntry, rows, "search entries")
        self.bulk(SearchEntry.kommunen.through, kommune_links)
        self.bulk(SearchEntry.topics.through, topic_links)
        table = connection.ops.quote_name(SearchEntry._meta.db_table)
        with connection.cursor() as cursor:
            for start in range(0, len(texts), BATCH):
                batch = texts[start : start + BATCH]
                if connection.vendor == "postgresql":
                    # One UPDATE per batch; the text is folded in Python with the same fold()
                    # the query side uses, PostgreSQL stems it with its german configuration.
                    values = ", ".join(["(%s::bigint, %s, %s, %s)"] * len(batch))
                    params = [
                        value
                        for entry_id, title, meta, body in batch
                        for value in (entry_id, folded_text(title), folded_text(meta), folded_text(body))
                    ]
                    sql = (
                        f"UPDATE {table} AS e SET search_vector = "  # noqa: S608 (model table, placeholders)
                        "setweight(to_tsvector('german', v.t), 'A') || setweight(to_tsvector('german', v.m), 'B') "
                        "|| setweight(to_tsvector('german', v.b), 'C'), rank_vector = "
                        "setweight(to_tsvector('german', v.t), 'A') || setweight(to_tsvector('german', v.m), 'B') "
                        f"|| setweight(to_tsvector('german', left(v.b, {RANK_BODY_CHARS})), 'C') "
                        f"FROM (VALUES {values}) AS v(id, t, m, b) WHERE e.id = v.id"
                    )
                    cursor.execute(sql, params)
                elif connection.vendor == "sqlite":
                    cursor.executemany(
                        "INSERT INTO search_fts (rowid, title, meta, body) VALUES (%s, %s, %s, %s)",
                        [
                            [entry_id, index_tokens(title), index_tokens(meta), index_tokens(body)]
                            for entry_id, title, meta, body in batch
                        ],
                    )
                done = min(start + BATCH, len(texts))
                if (start // BATCH) % 10 == 0 or done == len(texts):
                    self.progress("search vectors", done, len(texts))

    def _checkpoint(self, cursor):
        """Write the seed's changed pages now: PostgreSQL's next checkpoint would spread the
        writing of some hundred MB over the following minutes, while pages are measured.
        Needs a superuser or the pg_checkpoint role; without either the run goes on."""
        try:
            cursor.execute("CHECKPOINT")
        except DatabaseError as error:
            self.stdout.write(f"No checkpoint after seeding ({error}).")

    def _reset_sequences(self):
        from django.apps import apps

        models = [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label != "contenttypes"]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def _check_search(self) -> int:
        """How many entries the bench member's search for SEARCH_PHRASE finds (through the selector)."""
        from search import selectors

        user = User.objects.get(email=BENCH_EMAIL.format(0))
        _parsed, entries = selectors.search(user, SEARCH_PHRASE)
        return entries.count()

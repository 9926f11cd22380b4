"""Demo documents (called by manage.py seed_demo): small PDFs and DOCX files generated at seed
time, in the portal-wide library and the programme workspaces. Idempotent: a document with the
same title in the same place is not created twice. Workspaces that do not exist are skipped."""

import io
from datetime import UTC, datetime

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import Kommune, Topic, User
from documents import services
from documents.models import Document, DocumentVersion
from workspaces.activity import record_activity
from workspaces.models import Workspace

ADMIN = "admin@demo.sozialplanung.de"
MODERATION = "moderation@demo.sozialplanung.de"
JENA = "planerin.jena@demo.sozialplanung.de"
GERA = "planer.gera@demo.sozialplanung.de"

# workspace slug (None = portal-wide), title, kind, Kommune slugs, topic slugs, year, uploader, format, text
DEMO_DOCUMENTS = [
    ("praeventionsketten", "Präventionskette Jena: Konzept 2024", "konzept", ["stadt-jena"], ["praventionsketten"], 2024, JENA, "pdf",
     "Präventionskette Jena. Das Konzept beschreibt, wie Kita, Schule, Jugendamt und Gesundheitsamt Kinder von 0 bis 10 Jahren "
     "und ihre Familien entlang der Übergänge begleiten. Handlungsfelder: frühe Hilfen, Übergang Kita-Grundschule, Elternbeteiligung."),
    ("praeventionsketten", "Sozialraumanalyse Jena-Lobeda", "bedarfsanalyse", ["stadt-jena"], ["praventionsketten", "sozialraumorientierung"], 2023, JENA, "pdf",
     "Die Sozialraumanalyse beschreibt Lebenslagen von Familien in Lobeda: Kinderarmut, Wohnsituation, Angebote der Familienbildung."),
    ("praeventionsketten", "Protokoll Beirat Präventionsketten März 2024", "protokoll", ["institut"], ["praventionsketten", "netzwerke"], 2024, MODERATION, "docx",
     "Protokoll der Beiratssitzung. Themen: Stand der Partnerkommunen Erfurt, Jena, Schmalkalden-Meiningen und Saale-Orla-Kreis; Fachtag im Herbst."),
    ("praeventionsketten", "Handreichung Netzwerkkoordination", "handreichung", ["institut"], ["praventionsketten", "netzwerke"], 2023, MODERATION, "pdf",
     "Arbeitshilfe für Koordinator*innen: Aufbau einer Steuerungsgruppe, Netzwerkkarte, Rollen und Verantwortlichkeiten."),
    ("praeventionsketten", "Monitoringbericht Präventionskette Erfurt", "monitoringbericht", ["stadt-erfurt"], ["praventionsketten", "sozialberichterstattung"], 2024, MODERATION, "pdf",
     "Indikatoren zur Entwicklung von Kindern in Erfurt: Schuleingangsuntersuchung, Sprachförderbedarf, Inanspruchnahme der U-Untersuchungen."),
    ("praeventionsketten", "Präsentation Fachtag Präventionsketten Saale-Orla-Kreis", "praesentation", ["saale-orla-kreis"], ["praventionsketten"], 2023, MODERATION, "pdf",
     "Folien des Fachtags in Schleiz: Ergebnisse der Bestandsaufnahme und nächste Schritte im Saale-Orla-Kreis."),
    ("praeventionsketten", "Evaluation Elternbegleitung Schmalkalden-Meiningen", "evaluation", ["schmalkalden-meiningen"], ["praventionsketten", "evaluationsforschung"], 2022, MODERATION, "docx",
     "Die Evaluation untersucht Reichweite und Wirkung der Elternbegleitung an drei Standorten im Landkreis Schmalkalden-Meiningen."),
    ("sozialstrategien", "Lokale Sozialstrategie Gera 2024-2028", "sozialstrategie", ["stadt-gera"], ["lokale-sozialstrategien"], 2024, GERA, "pdf",
     "Die Sozialstrategie der Stadt Gera bündelt Ziele für Armutsprävention, Beschäftigungsförderung und Teilhabe in den Stadtteilen."),
    ("sozialstrategien", "Sozialbericht Stadt Gera 2023", "sozialbericht", ["stadt-gera"], ["sozialberichterstattung"], 2023, GERA, "pdf",
     "Der Sozialbericht beschreibt Bevölkerung, Transferleistungsbezug, Wohnen und Bildung in Gera auf Ebene der Sozialräume."),
    ("sozialstrategien", "Bedarfsanalyse Jena: Lokale Sozialstrategie", "bedarfsanalyse", ["stadt-jena"], ["lokale-sozialstrategien", "kommunale-bedarfsanalyse"], 2023, JENA, "docx",
     "Bedarfe und Angebote in Jena: Beratung, Schuldnerberatung, Wohnungsnotfallhilfe, Angebote für Alleinerziehende."),
    ("sozialstrategien", "Protokoll Steuerungsrunde Sozialstrategien Mai 2024", "protokoll", ["institut"], ["lokale-sozialstrategien"], 2024, ADMIN, "docx",
     "Protokoll: Stand der Prozessbegleitung, Abstimmung mit dem Ministerium zur Sozialstrategierichtlinie, Termine für Qualifizierungsmodule."),
    ("sozialstrategien", "Vorlage Maßnahmenplan Sozialstrategie", "vorlage", ["institut"], ["lokale-sozialstrategien", "qualitatsentwicklung"], 2024, ADMIN, "docx",
     "Vorlage: Ziel, Maßnahme, Verantwortliche, Zeitraum, Indikator, Ressourcen. Bitte je Handlungsfeld eine Tabelle ausfüllen."),
    ("sozialstrategien", "Sozialstrategie Kyffhäuserkreis", "sozialstrategie", ["kyffhauserkreis"], ["lokale-sozialstrategien"], 2025, ADMIN, "pdf",
     "Die Sozialstrategie des Kyffhäuserkreises setzt Schwerpunkte bei Mobilität, Pflege und Beteiligung im ländlichen Raum."),
    ("sozialstrategien", "Monitoring Sozialstrategie Nordhausen", "monitoringbericht", ["nordhausen"], ["lokale-sozialstrategien", "sozialberichterstattung"], 2024, ADMIN, "pdf",
     "Erster Monitoringbericht: Kennzahlen zu Beschäftigung, Familien und Wohnen im Landkreis Nordhausen."),
    ("arbeitskreis-sozialplanung", "Protokoll Arbeitskreis Altenhilfeplanung", "protokoll", ["land"], ["altenhilfeplanung"], 2024, ADMIN, "docx",
     "Protokoll des Arbeitskreises: Pflegestrukturplanung, Quartiersansätze, Daten zur Bevölkerungsentwicklung der über 80-Jährigen."),
    ("arbeitskreis-sozialplanung", "Präsentation Lean Coffee KI in der Sozialberichterstattung", "praesentation", ["institut"], ["sozialberichterstattung"], 2025, ADMIN, "pdf",
     "Impulse zum Einsatz von KI-Werkzeugen beim Erstellen von Sozialberichten: Chancen, Grenzen, Datenschutz."),
    ("arbeitskreis-sozialplanung", "Handreichung Indikatoren der Sozialberichterstattung", "handreichung", ["land"], ["sozialberichterstattung"], 2022, ADMIN, "pdf",
     "Empfohlene Kernindikatoren für kommunale Sozialberichte in Thüringen mit Datenquellen und Definitionen."),
    ("arbeitskreis-sozialplanung", "Studie Altersarmut in Thüringen", "studie", ["land"], ["armutspravention", "altenhilfeplanung"], 2023, ADMIN, "pdf",
     "Die Studie untersucht Einkommenslagen älterer Menschen in Thüringer Landkreisen und kreisfreien Städten."),
    ("armutspraevention", "Abschlussbericht Armutsprävention Weimar", "evaluation", ["stadt-weimar"], ["armutspravention"], 2022, ADMIN, "pdf",
     "Bilanz des ESF-Programms in Weimar: Netzwerke gegen Kinderarmut, Beratungsangebote, Erfahrungen für die Verstetigung."),
    ("armutspraevention", "Konzept Armutspräventionsnetzwerk Sömmerda", "konzept", ["sommerda"], ["armutspravention", "netzwerke"], 2019, ADMIN, "docx",
     "Konzept für ein Netzwerk Armutsprävention im Landkreis Sömmerda mit Familienzentren und Jobcenter."),
    ("armutspraevention", "Sozialbericht Altenburger Land 2020", "sozialbericht", ["altenburger-land"], ["sozialberichterstattung", "armutspravention"], 2020, ADMIN, "pdf",
     "Sozialbericht mit Schwerpunkt Kinder- und Familienarmut im Altenburger Land."),
    ("lsz", "Plakat Zukunftswerkstatt Apolda", "plakat", ["weimarer-land"], ["beteiligung"], 2024, ADMIN, "pdf",
     "Zukunftswerkstatt in Apolda: Wie wollen wir im Alter zusammenleben? Alle Generationen sind eingeladen."),
    ("lsz", "Antragsformular LSZ Fördermittel", "antragsformular", ["land"], ["beteiligung", "lokale-familienpolitik"], 2024, ADMIN, "docx",
     "Antrag auf Förderung im Landesprogramm Solidarisches Zusammenleben der Generationen: Antragsteller, Maßnahme, Finanzierungsplan."),
    ("lsz", "Dokumentation Zukunftswerkstatt Bad Salzungen", "protokoll", ["wartburgkreis"], ["beteiligung"], 2023, ADMIN, "pdf",
     "Ergebnisse der Zukunftswerkstatt in Bad Salzungen: Treffpunkte, Mobilität, Nachbarschaftshilfe."),
    (None, "Leitfaden Integrierte Sozialplanung", "handreichung", ["institut"], ["sozialraumorientierung", "qualitatsentwicklung"], 2022, ADMIN, "pdf",
     "Leitfaden für den Einstieg in die integrierte Sozialplanung: Auftrag, Datenbasis, Beteiligung, Steuerung."),
    (None, "Sozialbericht Stadt Jena 2024", "sozialbericht", ["stadt-jena"], ["sozialberichterstattung"], 2024, JENA, "pdf",
     "Der Sozialbericht der Stadt Jena beschreibt die soziale Lage in den Planungsräumen und leitet Handlungsempfehlungen ab."),
    (None, "Jugendhilfeplanung Gera: Teilplan Kindertagesbetreuung", "konzept", ["stadt-gera"], ["jugendhilfeplanung"], 2023, GERA, "docx",
     "Teilplan Kindertagesbetreuung: Platzbedarf, Betreuungsquoten und Fachkräfteentwicklung in Gera bis 2030."),
    (None, "Vorlage Protokoll Arbeitsgruppe", "vorlage", ["institut"], ["netzwerke"], 2024, ADMIN, "docx",
     "Vorlage für Protokolle: Datum, Teilnehmende, Tagesordnung, Ergebnisse, Vereinbarungen, nächster Termin."),
    (None, "Studie Wohnungslosigkeit in Thüringer Kommunen", "studie", ["land"], ["wohnungslosigkeit"], 2023, ADMIN, "pdf",
     "Die Studie erfasst Umfang und Struktur von Wohnungslosigkeit und beschreibt Hilfesysteme in Thüringer Kommunen."),
    (None, "Evaluation Integrationsmanagement Saalfeld-Rudolstadt", "evaluation", ["saalfeld-rudolstadt"], ["integrationsmanagement"], 2021, ADMIN, "pdf",
     "Die Evaluation beschreibt Aufgaben, Kooperationen und Ergebnisse des kommunalen Integrationsmanagements."),
]  # fmt: skip


def _pdf(title: str, text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime(2024, 1, 15, tzinfo=UTC))
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.multi_cell(0, 9, title)
    pdf.ln(4)
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    pdf.ln(4)
    pdf.multi_cell(0, 6, "Sozialplanungsplattform Thüringen - Demodokument, erfundene Inhalte.")
    return bytes(pdf.output())


def _docx(title: str, text: str) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.created = datetime(2024, 1, 15, tzinfo=UTC)
    document.add_heading(title, level=1)
    document.add_paragraph(text)
    document.add_paragraph("Sozialplanungsplattform Thüringen – Demodokument, erfundene Inhalte.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _filename(title: str, extension: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in " -" else " " for ch in title)
    return "_".join(keep.split()) + "." + extension


def _create(*, workspace, title, kind, kommunen, topics, year, uploader, extension, text) -> Document:
    content = _pdf(title, text) if extension == "pdf" else _docx(title, text)
    file = ContentFile(content, name=_filename(title, extension))
    inspected = services.inspect_file(file)
    stored_name = services._store_file(file, inspected.file_type)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                workspace=workspace, title=title, kind=kind, year=year, uploaded_by=uploader, description=text[:200]
            )
            document.kommunen.set(kommunen)
            document.topics.set(topics)
            version = services._create_version(
                document=document, uploader=uploader, inspected=inspected, name=stored_name
            )
            # The text is known, so no extraction process is needed for the demo.
            DocumentVersion.objects.filter(pk=version.pk).update(
                text=f"{title}\n{text}", extraction_status=DocumentVersion.Extraction.DONE
            )
            record_activity(actor=uploader, verb="document_uploaded", target=document, workspace=workspace)
    except BaseException:
        services._delete_file(stored_name)
        raise
    return document


def seed():
    users = {user.email: user for user in User.objects.filter(email__in=[ADMIN, MODERATION, JENA, GERA])}
    workspaces = {ws.slug: ws for ws in Workspace.objects.all()}
    kommunen = {k.slug: k for k in Kommune.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    created = 0
    for slug, title, kind, kommune_slugs, topic_slugs, year, email, extension, text in DEMO_DOCUMENTS:
        workspace = workspaces.get(slug) if slug else None
        if slug and workspace is None:
            continue
        uploader = users.get(email) or users.get(ADMIN)
        if Document.objects.filter(workspace=workspace, title=title, deleted_at__isnull=True).exists():
            continue
        _create(
            workspace=workspace,
            title=title,
            kind=kind,
            kommunen=[kommunen[s] for s in kommune_slugs if s in kommunen],
            topics=[topics[s] for s in topic_slugs if s in topics],
            year=year,
            uploader=uploader,
            extension=extension,
            text=text,
        )
        created += 1
    return created

"""Factories and file builders for the documents tests. Every test file is generated here;
no binary fixture is committed."""

import io
import zipfile
from datetime import UTC, datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import MemberFactory
from workspaces.models import Membership, Workspace


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Arbeitsbereich {n}")
    slug = factory.Sequence(lambda n: f"arbeitsbereich-{n}")
    visibility = Workspace.Visibility.MEMBERS_ONLY
    join_policy = Workspace.JoinPolicy.REQUEST


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(MemberFactory)
    role = Membership.Role.MEMBER


def member_of(workspace, role=Membership.Role.MEMBER, **kwargs):
    user = MemberFactory(**kwargs)
    MembershipFactory(workspace=workspace, user=user, role=role)
    return user


# --- File builders ----------------------------------------------------------------------


def pdf_bytes(text="Sozialbericht der Stadt Jena 2024", pages=1) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime(2024, 5, 1, tzinfo=UTC))
    pdf.set_font("Helvetica", size=12)
    for number in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"{text} (Seite {number + 1})")
    return bytes(pdf.output())


def docx_bytes(text="Konzept für die Präventionskette") -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Konzept", level=1)
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows=(("Kommune", "Kinder 0-10"), ("Jena", 9876))) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Daten"
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(entries: dict, mimetype: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype is not None:
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def pptx_bytes(slides=("Fachtag Präventionsketten", "Ergebnisse aus Erfurt")) -> bytes:
    entries = {"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": "<p:presentation/>"}
    for number, text in enumerate(slides, start=1):
        entries[f"ppt/slides/slide{number}.xml"] = (
            '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            f"<p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>"
            "</p:spTree></p:cSld></p:sld>"
        )
    return _zip(entries)


def odt_bytes(text="Protokoll des Arbeitskreises Sozialplanung") -> bytes:
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        f"<text:h>Protokoll</text:h><text:p>{text}</text:p></office:text></office:body></office:document-content>"
    )
    return _zip(
        {"content.xml": content, "META-INF/manifest.xml": "<manifest/>"},
        mimetype=b"application/vnd.oasis.opendocument.text",
    )


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (30, 30, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type="application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)

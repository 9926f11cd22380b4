"""The allowlist by content signature, against a corpus of hostile files built here."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from documents.filetypes import FILE_TYPES, detect_file_type, sanitize_filename, title_from_filename
from tests.documents.factories import (
    CONTENT_TYPES,
    _zip,
    docx_bytes,
    jpeg_bytes,
    odt_bytes,
    pdf_bytes,
    png_bytes,
    pptx_bytes,
    xlsx_bytes,
)


def detect(content: bytes, name="datei.bin"):
    return detect_file_type(io.BytesIO(content), name, len(content))


def refused_code(content: bytes, name="datei.bin"):
    with pytest.raises(ValidationError) as excinfo:
        detect(content, name)
    return excinfo.value.code


@pytest.mark.parametrize(
    ("builder", "name", "expected"),
    [
        (pdf_bytes, "bericht.pdf", "pdf"),
        (docx_bytes, "konzept.docx", "docx"),
        (xlsx_bytes, "daten.xlsx", "xlsx"),
        (pptx_bytes, "folien.pptx", "pptx"),
        (odt_bytes, "protokoll.odt", "odt"),
        (png_bytes, "bild.png", "png"),
        (jpeg_bytes, "foto.jpg", "jpeg"),
        (lambda: b"Kommune;Anzahl\nJena;12\n", "daten.csv", "csv"),
        (lambda: "Grüße aus Gera\n".encode("cp1252"), "notiz.txt", "txt"),
    ],
)
def test_allowed_types_are_recognised_by_content(builder, name, expected):
    assert detect(builder(), name).key == expected


def test_type_comes_from_content_not_from_name():
    assert detect(pdf_bytes(), "tabelle.xlsx").key == "pdf"
    assert detect(docx_bytes(), "bericht.pdf").key == "docx"


def test_ods_and_odp_are_recognised_by_their_mimetype_entry():
    ods = _zip({"content.xml": "<x/>"}, mimetype=b"application/vnd.oasis.opendocument.spreadsheet")
    odp = _zip({"content.xml": "<x/>"}, mimetype=b"application/vnd.oasis.opendocument.presentation")
    assert detect(ods).key == "ods"
    assert detect(odp).key == "odp"


# --- Hostile corpus ---------------------------------------------------------------------


def test_renamed_windows_executable_is_refused():
    assert refused_code(b"MZ\x90\x00\x03" + b"\x00" * 200, "bericht.pdf") == "executable"


def test_renamed_elf_binary_and_shell_script_are_refused():
    assert refused_code(b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "tabelle.xlsx") == "executable"
    assert refused_code(b"#!/bin/sh\nrm -rf /\n", "notiz.txt") == "executable"


def test_html_named_pdf_is_refused():
    assert refused_code(b"<!DOCTYPE html><html><script>alert(1)</script></html>", "bericht.pdf") == "html"
    assert refused_code(b"  \n<script>fetch('/')</script>", "notiz.txt") == "html"


def test_svg_with_script_is_refused_under_any_name():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert refused_code(svg, "grafik.svg") == "html"
    assert refused_code(svg, "grafik.png") == "html"
    assert refused_code(b"<svg onload=alert(1)>", "grafik.txt") == "html"


def test_pdf_with_a_zip_appended_is_refused_as_polyglot():
    assert refused_code(pdf_bytes() + _zip({"evil.txt": "x"}), "bericht.pdf") == "polyglot"


def test_pdf_that_is_also_html_is_refused_as_polyglot():
    content = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF"
    assert refused_code(content, "bericht.pdf") == "polyglot"


def test_image_with_appended_archive_is_refused_as_polyglot():
    assert refused_code(jpeg_bytes() + _zip({"payload.js": "alert(1)"}), "foto.jpg") == "polyglot"


def test_plain_zip_and_other_archives_are_refused():
    assert refused_code(_zip({"a.txt": "hallo"}), "dokumente.zip") == "archive"
    assert refused_code(b"Rar!\x1a\x07\x00" + b"\x00" * 50, "x.pdf") == "archive"
    assert refused_code(b"7z\xbc\xaf\x27\x1c" + b"\x00" * 50, "x.pdf") == "archive"


def test_archive_with_executable_is_refused():
    content = _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": "<w/>", "word/setup.exe": "MZ"})
    assert refused_code(content, "bericht.docx") == "macro"


def test_docx_with_vba_macros_is_refused():
    content = _zip(
        {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": "<w/>", "word/vbaProject.bin": b"\xd0\xcf\x11"}
    )
    assert refused_code(content, "bericht.docx") == "macro"


def test_macro_enabled_content_type_is_refused():
    types = CONTENT_TYPES.replace("application/xml", "application/vnd.ms-word.document.macroEnabled.main+xml")
    content = _zip({"[Content_Types].xml": types, "word/document.xml": "<w/>"})
    assert refused_code(content, "bericht.docm") == "macro"


def test_odf_with_basic_macros_is_refused():
    content = _zip(
        {"content.xml": "<x/>", "Basic/Standard/Module1.xml": "<script/>"},
        mimetype=b"application/vnd.oasis.opendocument.text",
    )
    assert refused_code(content, "text.odt") == "macro"


def test_zip_bomb_docx_is_refused_before_decompression():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w/>")
        with archive.open("word/media/bomb.bin", "w") as entry:
            zeros = b"\x00" * (1024 * 1024)
            for _ in range(20):
                entry.write(zeros)
    content = buffer.getvalue()
    assert len(content) < 100_000
    assert refused_code(content, "bericht.docx") == "zip_unsafe"


def test_office_file_with_too_many_entries_is_refused(settings):
    settings.DOCUMENTS_ZIP_MAX_ENTRIES = 50
    entries = {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": "<w/>"}
    entries.update({f"word/media/{n}.xml": "<x/>" for n in range(60)})
    assert refused_code(_zip(entries), "bericht.docx") == "zip_unsafe"


def test_office_file_with_traversal_entry_is_refused():
    content = _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": "<w/>", "../../evil.xml": "<x/>"})
    assert refused_code(content, "bericht.docx") == "zip_unsafe"


def test_text_with_nul_bytes_is_refused():
    assert refused_code(b"Kommune;Wert\x00\x00\n", "daten.csv") == "unknown"


def test_empty_file_is_refused():
    assert refused_code(b"", "leer.pdf") == "empty"


def test_refusal_messages_are_german():
    with translation.override("de"):
        with pytest.raises(ValidationError) as excinfo:
            detect(b"MZ\x90\x00", "x.pdf")
        # The message is translated when it is read: here, not in whatever language an earlier
        # test left active.
        assert "Programme" in excinfo.value.messages[0]


# --- File names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\Windows\\win.ini", "win.ini.pdf"),
        ("bericht\x00.exe", "bericht_.exe.pdf"),
        ("Sozialbericht Jena 2024.pdf", "Sozialbericht Jena 2024.pdf"),
        ("....pdf", "pdf.pdf"),
        ("<script>.pdf", "script.pdf"),
    ],
)
def test_sanitize_filename_removes_paths_and_fixes_extension(name, expected):
    assert sanitize_filename(name, FILE_TYPES["pdf"]) == expected


def test_sanitize_filename_caps_long_names():
    name = "A" * 300 + ".pdf"
    cleaned = sanitize_filename(name, FILE_TYPES["pdf"])
    assert len(cleaned) <= 150 and cleaned.endswith(".pdf")


def test_title_defaults_from_file_name():
    assert title_from_filename("Sozialbericht_Jena_2024.pdf") == "Sozialbericht Jena 2024"
    assert title_from_filename("../x/") == "Dokument"

"""What an uploaded file really is, decided from its bytes (never from its name or the
browser's content type), and whether the portal accepts it.

Only an allowlist passes: PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, PNG, JPEG, CSV, TXT.
Everything here reads small, bounded parts of the file (head, tail, a ZIP's central
directory); nothing loads a whole upload into memory and nothing decompresses a ZIP entry
beyond a few bytes.
"""

import codecs
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from documents.safezip import UnsafeArchiveError, check_zip_bounds

HEAD_SIZE = 8192
CHUNK_SIZE = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    extension: str
    content_type: str


FILE_TYPES = {
    ft.key: ft
    for ft in [
        FileType("pdf", "PDF", "pdf", "application/pdf"),
        FileType(
            "docx", "Word (DOCX)", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
        FileType("xlsx", "Excel (XLSX)", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        FileType(
            "pptx",
            "PowerPoint (PPTX)",
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        FileType("odt", "OpenDocument Text (ODT)", "odt", "application/vnd.oasis.opendocument.text"),
        FileType("ods", "OpenDocument Tabelle (ODS)", "ods", "application/vnd.oasis.opendocument.spreadsheet"),
        FileType("odp", "OpenDocument Präsentation (ODP)", "odp", "application/vnd.oasis.opendocument.presentation"),
        FileType("png", "PNG", "png", "image/png"),
        FileType("jpeg", "JPEG", "jpg", "image/jpeg"),
        FileType("csv", "CSV", "csv", "text/csv"),
        FileType("txt", "Text", "txt", "text/plain"),
    ]
}
ALLOWED_LABEL = "PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, PNG, JPEG, CSV, TXT"
FILE_TYPE_CHOICES = [(ft.key, ft.label) for ft in FILE_TYPES.values()]

ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
OOXML_MAIN_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}

# Entries that make an Office file carry code: macros, OLE packages, programs, scripts.
FORBIDDEN_ZIP_SUFFIXES = (
    ".exe", ".dll", ".com", ".scr", ".msi", ".bat", ".cmd", ".ps1", ".vbs", ".vbe", ".js", ".jse",
    ".wsf", ".wsh", ".hta", ".jar", ".sh", ".elf", ".so", ".dylib", ".lnk", ".cpl", ".msc", ".apk",
    ".html", ".htm", ".svg", ".xhtml",
)  # fmt: skip
FORBIDDEN_ZIP_NAMES = ("vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin")
# ODF keeps macros in Basic/ and Scripts/; OOXML keeps ActiveX controls and OLE packages here.
FORBIDDEN_ZIP_PREFIXES = ("basic/", "scripts/")
FORBIDDEN_ZIP_PARTS = ("/activex/", "/embeddings/oleobject")

# Markup that a browser would run if it ever rendered the file: refused at the start of
# any file, and anywhere in the head of a text file.
ACTIVE_MARKERS = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|svg|iframe|object|embed|meta|link|style|\?xml|x:xmpmeta)\b",
    re.IGNORECASE,
)
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
ARCHIVE_SIGNATURES = (b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ")
ZIP_END_SIGNATURE = b"PK\x05\x06"
# Narrower than ACTIVE_MARKERS: PDFs legitimately carry XML (XMP metadata) near the start.
POLYGLOT_MARKERS = re.compile(rb"<\s*(?:!doctype\s+html|html|body|script|svg|iframe)\b", re.IGNORECASE)


def _messages():
    # Built lazily so the messages follow the active language.
    return {
        "empty": _("The file is empty."),
        "too_large": _("The file is larger than the allowed %(limit)s."),
        "unknown": _("This file type is not accepted. Allowed are: %(allowed)s."),
        "executable": _("Programs and scripts cannot be uploaded."),
        "archive": _("Archives (ZIP, RAR, 7z …) cannot be uploaded. Please upload the documents themselves."),
        "html": _("Web pages, SVG graphics and files with embedded scripts cannot be uploaded."),
        "polyglot": _("The file pretends to be two file types at once and was refused."),
        "zip_unsafe": _(
            "The Office file looks manipulated (too many entries or suspicious compression) and was refused."
        ),
        "macro": _("Office files with macros, embedded programs or scripts cannot be uploaded."),
        "broken": _("The file is damaged or incomplete and cannot be accepted."),
        "text": _("The text file is not readable as UTF-8 or Windows-1252 text."),
    }


def refuse(code: str, **params):
    raise ValidationError(_messages()[code], code=code, params=params or None)


def human_size(size: int) -> str:
    for unit in ("Bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "Bytes" else f"{size:.1f} {unit}".replace(".", ",")
        size /= 1024
    return str(size)


def max_upload_size() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_UPLOAD_SIZE", 50 * 1024 * 1024))


def _read_head_and_tail(fileobj, size: int) -> tuple[bytes, bytes]:
    fileobj.seek(0)
    head = fileobj.read(HEAD_SIZE)
    tail_size = min(size, 66 * 1024)
    fileobj.seek(max(0, size - tail_size))
    tail = fileobj.read(tail_size)
    fileobj.seek(0)
    return head, tail


def detect_file_type(fileobj, filename: str, size: int) -> FileType:
    """Return the accepted type of the file or raise ``ValidationError`` with a German message.

    ``fileobj`` must be seekable; its position is reset to 0 afterwards.
    """
    if size <= 0:
        refuse("empty")
    if size > max_upload_size():
        refuse("too_large", limit=human_size(max_upload_size()))
    head, tail = _read_head_and_tail(fileobj, size)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")

    if ACTIVE_MARKERS.match(stripped) or stripped[:1] == b"<" and ACTIVE_MARKERS.search(stripped[:1024]):
        refuse("html")
    if head.startswith(EXECUTABLE_SIGNATURES):
        refuse("executable")
    if head.startswith(ARCHIVE_SIGNATURES):
        refuse("archive")
    if head.startswith(b"PK\x03\x04"):
        return FILE_TYPES[_check_zip_container(fileobj)]

    if head.startswith(b"%PDF-"):
        key = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        key = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        key = "jpeg"
    else:
        _check_text(fileobj)
        key = "csv" if filename.lower().endswith(".csv") else "txt"
        return FILE_TYPES[key]

    # Binary formats: a second format hidden in the same bytes (a ZIP appended to a PDF or an
    # image, HTML or script right after the signature) makes a polyglot.
    if ZIP_END_SIGNATURE in tail or POLYGLOT_MARKERS.search(head[:1024]):
        refuse("polyglot")
    return FILE_TYPES[key]


def _check_text(fileobj) -> None:
    """Plain text: no NUL bytes, decodable as UTF-8 (or else Windows-1252), read in chunks."""
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        fileobj.seek(0)
        try:
            for chunk in iter(lambda: fileobj.read(CHUNK_SIZE), b""):
                if b"\x00" in chunk:
                    fileobj.seek(0)
                    refuse("unknown", allowed=ALLOWED_LABEL)
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        fileobj.seek(0)
        return
    fileobj.seek(0)
    refuse("text")


def zip_limits() -> dict:
    return {
        "max_entries": int(getattr(settings, "DOCUMENTS_ZIP_MAX_ENTRIES", 5000)),
        "max_unzipped": int(getattr(settings, "DOCUMENTS_ZIP_MAX_UNZIPPED_SIZE", 500 * 1024 * 1024)),
        "max_ratio": int(getattr(settings, "DOCUMENTS_ZIP_MAX_RATIO", 100)),
    }


def _check_zip_container(fileobj) -> str:
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        fileobj.seek(0)
        refuse("broken")
    try:
        try:
            check_zip_bounds(archive, **zip_limits())
        except UnsafeArchiveError:
            refuse("zip_unsafe")
        names = {info.filename.replace("\\", "/").lower(): info for info in archive.infolist()}
        for name in names:
            base = name.rsplit("/", 1)[-1]
            if (
                name.endswith(FORBIDDEN_ZIP_SUFFIXES)
                or base in FORBIDDEN_ZIP_NAMES
                or name.startswith(FORBIDDEN_ZIP_PREFIXES)
                or any(part in "/" + name for part in FORBIDDEN_ZIP_PARTS)
            ):
                refuse("macro")
        if "mimetype" in names:
            mimetype = _read_entry(archive, names["mimetype"], 100).strip()
            key = ODF_MIMETYPES.get(mimetype)
            if key is None or "content.xml" not in names:
                refuse("archive")
            return key
        if "[content_types].xml" in names:
            content_types = _read_entry(archive, names["[content_types].xml"], 256 * 1024).lower()
            if b"macroenabled" in content_types or b"vbaproject" in content_types:
                refuse("macro")
            for part, key in OOXML_MAIN_PARTS.items():
                if part in names:
                    return key
        refuse("archive")
    finally:
        archive.close()
        fileobj.seek(0)


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        refuse("zip_unsafe")
    try:
        with archive.open(info) as entry:
            return entry.read(limit + 1)[:limit]
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        refuse("broken")


_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def sanitize_filename(name: str, file_type: FileType, max_length: int = 150) -> str:
    """A harmless display/download name: no directories, control characters or reserved
    characters, at most ``max_length`` characters, ending in the detected type's extension."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME_CHARS.sub("_", name)
    name = " ".join(name.split()).strip(" ._")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    valid_exts = {file_type.extension, file_type.key}
    if file_type.key == "jpeg":
        valid_exts.add("jpeg")
    if ext.lower() not in valid_exts:
        stem = name
        ext = file_type.extension
    stem = stem.strip(" ._") or "dokument"
    stem = stem[: max_length - len(ext) - 1].rstrip(" ._") or "dokument"
    return f"{stem}.{ext.lower()}"


def title_from_filename(name: str) -> str:
    """The default title: the file name without extension, underscores and dashes as spaces."""
    stem = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = _UNSAFE_NAME_CHARS.sub(" ", stem).replace("_", " ")
    return " ".join(stem.split())[:200] or "Dokument"


def display_filename(name: str, max_length: int = 80) -> str:
    """A file name as sent by the browser, safe to show in a message."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return " ".join(_UNSAFE_NAME_CHARS.sub("_", name).split())[:max_length] or "Datei"

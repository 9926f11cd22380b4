"""The text-extraction worker: ``python -m documents.extract_worker PATH TYPE LIMITS_JSON``.

Runs in its own short-lived process so a hostile file can at worst exhaust this process:
it first caps its own CPU time, address space and file writes (``resource.setrlimit``),
checks ZIP bounds before any Office/ODF file is opened, reads at most ``max_pages`` PDF
pages, and writes the text (UTF-8, capped) to stdout. Any failure exits non-zero.
It does not import Django, so it starts fast and touches no database.
"""

import json
import re
import resource
import sys
import zipfile

from documents.safezip import check_zip_bounds

DRAWING_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
ODF_TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
MAX_XML_ENTRY = 32 * 1024 * 1024


def limit_resources(cpu_seconds: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class TextBuffer:
    """Collects text up to ``limit`` characters, then signals the extractor to stop."""

    class FullError(Exception):
        pass

    def __init__(self, limit: int):
        self.limit = limit
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> None:
        if not text:
            return
        text = text[: self.limit - self.length]
        self.parts.append(text)
        self.length += len(text)
        if self.length >= self.limit:
            raise self.FullError

    def text(self) -> str:
        return re.sub(r"\n{3,}", "\n\n", "\n".join(self.parts)).strip()


def extract_pdf(path, out: TextBuffer, limits: dict) -> None:
    from pypdf import PdfReader

    reader = PdfReader(path, strict=False)
    for index, page in enumerate(reader.pages):
        if index >= limits["max_pages"]:
            break
        out.add(page.extract_text() or "")


def _open_zip(path, limits: dict) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(path)
    check_zip_bounds(
        archive,
        max_entries=limits["max_entries"],
        max_unzipped=limits["max_unzipped"],
        max_ratio=limits["max_ratio"],
    )
    return archive


def _parse_xml(archive: zipfile.ZipFile, name: str):
    from defusedxml.ElementTree import fromstring

    info = archive.getinfo(name)
    if info.file_size > MAX_XML_ENTRY:
        raise ValueError(f"{name} too large")
    return fromstring(archive.read(info), forbid_dtd=True)


def extract_docx(path, out: TextBuffer, limits: dict) -> None:
    _open_zip(path, limits).close()
    import docx

    document = docx.Document(path)
    for paragraph in document.paragraphs:
        out.add(paragraph.text)
    for table in document.tables:
        for row in table.rows:
            out.add("\t".join(cell.text for cell in row.cells))


def extract_xlsx(path, out: TextBuffer, limits: dict) -> None:
    _open_zip(path, limits).close()
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for sheet in workbook.worksheets:
        out.add(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            cells += len(row)
            if cells > limits["max_cells"]:
                return
            out.add("\t".join("" if value is None else str(value) for value in row).rstrip())


def extract_pptx(path, out: TextBuffer, limits: dict) -> None:
    archive = _open_zip(path, limits)
    slide_names = [n for n in archive.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
    for name in sorted(slide_names, key=lambda n: int(re.search(r"\d+", n.rsplit("/", 1)[-1]).group())):
        root = _parse_xml(archive, name)
        for paragraph in root.iter(f"{DRAWING_NS}p"):
            out.add("".join(node.text or "" for node in paragraph.iter(f"{DRAWING_NS}t")))


def extract_odf(path, out: TextBuffer, limits: dict) -> None:
    archive = _open_zip(path, limits)
    root = _parse_xml(archive, "content.xml")
    for element in root.iter():
        if element.tag in (f"{ODF_TEXT_NS}p", f"{ODF_TEXT_NS}h"):
            out.add("".join(element.itertext()))


def extract_plain(path, out: TextBuffer, limits: dict) -> None:
    with open(path, "rb") as handle:
        raw = handle.read(limits["max_chars"] * 2)
    try:
        text = raw.decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    out.add(text)


EXTRACTORS = {
    "pdf": extract_pdf,
    "docx": extract_docx,
    "xlsx": extract_xlsx,
    "pptx": extract_pptx,
    "odt": extract_odf,
    "ods": extract_odf,
    "odp": extract_odf,
    "csv": extract_plain,
    "txt": extract_plain,
}


def extract(path: str, file_type: str, limits: dict) -> str:
    extractor = EXTRACTORS.get(file_type)
    out = TextBuffer(limits["max_chars"])
    if extractor is not None:
        try:
            extractor(path, out, limits)
        except TextBuffer.FullError:
            pass
    return out.text().replace("\x00", "")


def main(argv: list[str]) -> int:
    path, file_type, raw_limits = argv[1], argv[2], argv[3]
    limits = json.loads(raw_limits)
    limit_resources(limits["cpu_seconds"], limits["memory_bytes"])
    sys.setrecursionlimit(limits.get("recursion_limit", 2000))
    text = extract(path, file_type, limits)
    sys.stdout.buffer.write(text.encode("utf-8", errors="replace"))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

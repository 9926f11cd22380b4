"""Zip-bomb bounds read from a ZIP's central directory alone, before anything is decompressed.

Free of Django on purpose: the text-extraction worker process imports it too.
"""

import zipfile
from pathlib import PurePosixPath


class UnsafeArchiveError(Exception):
    """The archive has too many entries, unzips too large, compresses suspiciously well,
    or names a path outside itself."""


def check_zip_bounds(archive: zipfile.ZipFile, *, max_entries: int, max_unzipped: int, max_ratio: int) -> None:
    infos = archive.infolist()
    if len(infos) > max_entries:
        raise UnsafeArchiveError(f"{len(infos)} entries")
    total = 0
    for info in infos:
        total += info.file_size
        if total > max_unzipped:
            raise UnsafeArchiveError("unzipped size")
        # Small entries compress well legitimately; the ratio only matters above 1 MB.
        if info.file_size > 1024 * 1024 and info.file_size > max_ratio * max(info.compress_size, 1):
            raise UnsafeArchiveError("compression ratio")
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or ".." in PurePosixPath(name).parts or "\x00" in name:
            raise UnsafeArchiveError("entry name")

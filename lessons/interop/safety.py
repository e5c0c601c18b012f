"""Reading untrusted files: every XML parse goes through defusedxml, and every upload has a size cap."""

from __future__ import annotations

import io
import zipfile
from typing import Final
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .report import FormatError

MAX_UPLOAD_BYTES: Final = 2_000_000  # a question file or package, as uploaded
MAX_PACKAGE_FILES: Final = 500
MAX_UNPACKED_BYTES: Final = 10_000_000  # all of a package's files, unpacked


def parse_xml(data: bytes, *, what: str) -> Element:
    """The root of an XML document, refusing any DTD (so no entity, external or expanding, is read)."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise FormatError(f"{what}: declares a DTD or entities, which are refused") from None
    except SyntaxError as error:  # ParseError
        raise FormatError(f"{what}: not well-formed XML ({error})") from None


def check_size(data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise FormatError(f"the file is larger than {MAX_UPLOAD_BYTES:,} bytes")


def read_package(data: bytes) -> dict[str, bytes]:
    """The files of a zip package by name, within the caps; names that leave the package are refused."""
    check_size(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FormatError("not a zip package") from None
    infos = archive.infolist()
    if len(infos) > MAX_PACKAGE_FILES:
        raise FormatError(f"the package holds more than {MAX_PACKAGE_FILES} files")
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise FormatError(f"the package unpacks to more than {MAX_UNPACKED_BYTES:,} bytes")
    files: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename
        if name.startswith("/") or ".." in name.split("/"):
            raise FormatError(f"the package names a file outside itself: {name[:80]!r}")
        with archive.open(info) as member:
            # Read no more than declared: a member whose header understates its size is cut off, and refused.
            content = member.read(info.file_size + 1)
        if len(content) > info.file_size:
            raise FormatError(f"{name[:80]}: larger than the package says")
        files[name] = content
    return files

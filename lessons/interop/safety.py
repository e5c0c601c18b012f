"""Reading untrusted files: every XML parse goes through defusedxml, and every upload has a size cap."""

from __future__ import annotations

import io
import zipfile
from typing import Final
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from .report import FormatError

MAX_UPLOAD_BYTES: Final = 2_000_000  # a question file or package, as uploaded
MAX_PACKAGE_FILES: Final = 500
MAX_UNPACKED_BYTES: Final = 10_000_000  # all of a package's files, unpacked


def parse_xml(data: bytes, *, what: str) -> Element:
    """The root of an XML document, refusing any DTD (so no entity, external or expanding, is read)."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise FormatError(
            _("%(what)s: declares a DTD or entities, which are refused") % {"what": what}
        ) from None
    except SyntaxError as error:  # ParseError
        raise FormatError(
            _("%(what)s: not well-formed XML (%(error)s)") % {"what": what, "error": error}
        ) from None


def check_size(data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise FormatError(_("the file is larger than %(limit)s bytes") % {"limit": f"{MAX_UPLOAD_BYTES:,}"})


def read_package(data: bytes) -> dict[str, bytes]:
    """The files of a zip package by name, within the caps; names that leave the package are refused."""
    check_size(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FormatError(_("not a zip package")) from None
    infos = archive.infolist()
    if len(infos) > MAX_PACKAGE_FILES:
        raise FormatError(_("the package holds more than %(count)d files") % {"count": MAX_PACKAGE_FILES})
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise FormatError(
            _("the package unpacks to more than %(limit)s bytes") % {"limit": f"{MAX_UNPACKED_BYTES:,}"}
        )
    files: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename
        if name.startswith("/") or ".." in name.split("/"):
            raise FormatError(_("the package names a file outside itself: %(name)r") % {"name": name[:80]})
        with archive.open(info) as member:
            # Read no more than declared: a member whose header understates its size is cut off, and refused.
            content = member.read(info.file_size + 1)
        if len(content) > info.file_size:
            raise FormatError(_("%(name)s: larger than the package says") % {"name": name[:80]})
        files[name] = content
    return files

"""The IMS QTI 2.1 schema, built once per run (and kept between runs in pytest's cache)."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

import pytest
import xmlschema

XSD = Path(__file__).parent / "xsd"
QTI21_XSD = XSD / "www.imsglobal.org" / "xsd" / "imsqti_v2p1.xsd"


def _local_copies() -> dict[str, str]:
    """Each schema's web address mapped to its copy under tests/interop/xsd (they are never fetched). A
    mapping rather than a function, so that the built schema pickles whichever conftest module is loaded."""
    copies: dict[str, str] = {}
    for path in XSD.rglob("*.xsd"):
        relative = path.relative_to(XSD).as_posix()
        for scheme in ("http", "https"):
            copies[f"{scheme}://{relative}"] = path.resolve().as_uri()
    return copies


@pytest.fixture(scope="session")
def qti21_schema(request: pytest.FixtureRequest) -> Any:
    digest = hashlib.sha256(
        b"".join(path.read_bytes() for path in sorted(XSD.rglob("*.xsd"))) + xmlschema.__version__.encode()
    ).hexdigest()[:16]
    cache = getattr(request.config, "cache", None)
    kept = Path(cache.mkdir("qti21-xsd")) / f"{digest}.pickle" if cache is not None else None
    if kept is not None and kept.exists():
        return pickle.loads(kept.read_bytes())  # written by this fixture, from the files above
    schema = xmlschema.XMLSchema(str(QTI21_XSD), uri_mapper=_local_copies())
    if kept is not None:
        kept.write_bytes(pickle.dumps(schema))
    return schema

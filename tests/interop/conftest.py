"""The IMS QTI 2.1 schema, built once per run (and kept between runs in pytest's cache)."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from interop_support import XSD, local_schema_copy

QTI21_XSD = XSD / "www.imsglobal.org" / "xsd" / "imsqti_v2p1.xsd"


@pytest.fixture(scope="session")
def qti21_schema(request: pytest.FixtureRequest) -> Any:
    digest = hashlib.sha256(
        b"".join(path.read_bytes() for path in sorted(XSD.rglob("*.xsd"))) + xmlschema.__version__.encode()
    ).hexdigest()[:16]
    cache = getattr(request.config, "cache", None)
    kept = Path(cache.mkdir("qti21-xsd")) / f"{digest}.pickle" if cache is not None else None
    if kept is not None and kept.exists():
        try:
            return pickle.loads(kept.read_bytes())  # written by this fixture, from the files above
        except (AttributeError, ImportError, pickle.UnpicklingError):
            pass  # kept by an older version of this fixture: built again below
    schema = xmlschema.XMLSchema(str(QTI21_XSD), uri_mapper=local_schema_copy)
    if kept is not None:
        kept.write_bytes(pickle.dumps(schema))
    return schema

"""SQLite's test database migrated once, not in every test process.

Migrating a test database runs every migration of every app (some 8 CPU-seconds, in each xdist worker). On
SQLite the in-memory test database is instead filled from a copy of one that the same migrations made: the
first run migrates as usual and keeps the result in `.pytest_cache/quizsite-test-db/`, under a name made from
the migration files themselves (and the Django, Python and SQLite versions), so any change to a migration
makes a new one. The copy is SQLite's own backup of every page: tables, indexes, triggers (the revision
immutability of 0002), the rows the migrations and `post_migrate` wrote (content types, permissions).

PostgreSQL, a kept database (`--reuse-db`), a file test database and `MIGRATE: False` are set up as
Django does.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db.backends.sqlite3.creation import DatabaseCreation

CACHE_DIR = Path(settings.BASE_DIR) / ".pytest_cache" / "quizsite-test-db"


def migrations_digest() -> str:
    """A digest of every migration file of every installed app, and of what runs them."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256()
    digest.update(f"{django.get_version()} {sys.version} {sqlite3.sqlite_version}".encode())
    for key in sorted(loader.disk_migrations):
        module = sys.modules[type(loader.disk_migrations[key]).__module__]
        digest.update("/".join(key).encode())
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()[:20]


def _template_path() -> Path:
    return CACHE_DIR / f"migrated-{migrations_digest()}.sqlite3"


def _save(connection: Any, path: Path) -> None:
    """Copy the migrated database to `path`, atomically (another worker may be writing the same file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob("migrated-*.sqlite3"):
        if stale != path:
            stale.unlink(missing_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    os.replace(partial, path)


_django_create_test_db = DatabaseCreation.create_test_db


def create_test_db(
    self: DatabaseCreation,
    verbosity: int = 1,
    autoclobber: bool = False,
    serialize: bool = True,
    keepdb: bool = False,
) -> str:
    """Django's `create_test_db`, with the migrations replaced by a copy of their result when one exists."""
    from django.core.management import call_command

    name = self._get_test_db_name()
    test_settings = self.connection.settings_dict["TEST"]
    if keepdb or not self.is_in_memory_db(name) or test_settings.get("MIGRATE") is False:
        return _django_create_test_db(self, verbosity, autoclobber, serialize, keepdb)
    path = _template_path()
    if not path.exists():
        created = _django_create_test_db(self, verbosity, autoclobber, serialize, keepdb)
        _save(self.connection, path)
        return created
    self._create_test_db(verbosity, autoclobber, keepdb)
    self.connection.close()
    settings.DATABASES[self.connection.alias]["NAME"] = name
    self.connection.settings_dict["NAME"] = name
    self.connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(self.connection.connection)
    finally:
        source.close()
    if serialize:
        self.connection._test_serialized_contents = self.serialize_db_to_string()
    call_command("createcachetable", database=self.connection.alias)
    return name


def install() -> None:
    DatabaseCreation.create_test_db = create_test_db

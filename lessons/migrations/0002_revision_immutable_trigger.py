"""Defence in depth for rule 4: the database itself refuses to change a published revision.

Only the frozen columns are guarded: `published_by` may still be cleared when that account is deleted.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION lessons_revision_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'published revisions are immutable' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER lessons_revision_immutable
    BEFORE UPDATE OF lesson_id, number, content, content_sha256, published_at ON lessons_revision
    FOR EACH ROW EXECUTE FUNCTION lessons_revision_refuse_update();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS lessons_revision_immutable ON lessons_revision;
DROP FUNCTION IF EXISTS lessons_revision_refuse_update();
"""
SQLITE_CREATE = """
CREATE TRIGGER lessons_revision_immutable
    BEFORE UPDATE OF lesson_id, number, content, content_sha256, published_at ON lessons_revision
BEGIN
    SELECT RAISE(ABORT, 'published revisions are immutable');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS lessons_revision_immutable;"


def create_trigger(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    sql = {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def drop_trigger(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    sql = {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("lessons", "0001_initial")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]

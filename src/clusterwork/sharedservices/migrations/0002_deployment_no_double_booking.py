"""On PostgreSQL the database itself refuses a double-booked teacher: an exclusion
constraint over the person, the dates, the weekday(s) and the session of every deployment
that is not cancelled. (SQLite has no exclusion constraints; the service's check, which
applies the same rule, is what refuses there.)"""

from django.db import migrations

CONSTRAINT = """
ALTER TABLE sharedservices_deployment ADD CONSTRAINT deployment_no_double_booking
EXCLUDE USING gist (
    person_id WITH =,
    daterange("start", "end", '[)') WITH &&,
    int4range(COALESCE(weekday, 0), COALESCE(weekday + 1, 5)) WITH &&,
    int4range(CASE WHEN "session" = 'pm' THEN 1 ELSE 0 END,
              CASE WHEN "session" = 'am' THEN 1 ELSE 2 END) WITH &&
) WHERE (cancelled_at IS NULL)
"""


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        schema_editor.execute(CONSTRAINT)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE sharedservices_deployment DROP CONSTRAINT IF EXISTS "
            "deployment_no_double_booking"
        )


class Migration(migrations.Migration):
    dependencies = [("sharedservices", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]

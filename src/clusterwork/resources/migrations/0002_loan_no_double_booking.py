"""No double booking, enforced by PostgreSQL: an exclusion constraint over each item's date
ranges (btree_gist gives the ``=`` on the item's id inside a GiST index). Bookings and loans
out hold their dates; returned and cancelled ones do not.

SQLite has no range types: there the booking service's locked check is the rule, so this
migration does nothing on SQLite.
"""

from django.db import migrations

ADD = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE resources_loan ADD CONSTRAINT loan_no_double_booking
    EXCLUDE USING gist (resource_id WITH =, daterange("start", "end", '[)') WITH &&)
    WHERE (status IN ('booked', 'out'));
"""
DROP = "ALTER TABLE resources_loan DROP CONSTRAINT IF EXISTS loan_no_double_booking;"


class PostgresOnly(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [PostgresOnly(ADD, DROP)]

"""On PostgreSQL, the database itself refuses two confirmed bookings of one person whose busy times overlap.

``[start, busy_until)`` is the shift plus the rest gap, so two shifts closer than the rest gap clash too. The
exclusion constraint needs btree_gist (for ``crew_id WITH =``). SQLite has no exclusion constraints: there
the writes serialize and the check inside ``offer_accept``'s transaction is enough.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE labor_booking ADD CONSTRAINT labor_booking_no_clash_per_crew
    EXCLUDE USING gist (crew_id WITH =, tstzrange("start", "busy_until", '[)') WITH &&)
    WHERE (status = 'confirmed');
"""
DROP = "ALTER TABLE labor_booking DROP CONSTRAINT IF EXISTS labor_booking_no_clash_per_crew;"


def create_constraint(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_constraint(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("labor", "0003_offers_and_bookings")]

    operations = [migrations.RunPython(create_constraint, drop_constraint)]

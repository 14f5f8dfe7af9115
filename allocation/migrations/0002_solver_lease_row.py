"""Create the single solver lease row, so that taking it is one conditional UPDATE."""

from django.db import migrations


def create_lease(apps, schema_editor):
    apps.get_model("allocation", "SolverLease").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("allocation", "0001_initial")]

    operations = [migrations.RunPython(create_lease, migrations.RunPython.noop)]

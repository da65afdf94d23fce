"""Seed every policy's SPEC default (and the 2024 loan rates, so history exists). Idempotent."""

from django.db import migrations


def seed(apps, schema_editor):
    from fund.policy.services import policy_defaults_seed

    policy_defaults_seed(model=apps.get_model("policy", "PolicyValue"))


class Migration(migrations.Migration):
    dependencies = [("policy", "0002_append_only")]

    # Reversing leaves the rows: they are history, and the table refuses deletes.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

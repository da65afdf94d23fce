"""The retry policy of outgoing payments (payment_attempts_max, payment_retry_minutes, payment_retry_factor):
their defaults, for databases seeded before they were defined."""

from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from fund.policy.services import policy_defaults_seed

    policy_defaults_seed(model=apps.get_model("policy", "PolicyValue"))


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_payments"), ("policy", "0003_seed_defaults")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

from django.db import migrations


def seed_new_policies(apps, schema_editor):
    """Policies are seeded by policy 0003 only when a database is created; write the defaults that are missing
    (withdrawal_repeat_months), so an existing database gets the new row. Idempotent."""
    from fund.policy.services import policy_defaults_seed

    policy_defaults_seed(model=apps.get_model("policy", "PolicyValue"))


class Migration(migrations.Migration):
    dependencies = [("withdrawals", "0002_home_place"), ("policy", "0003_seed_defaults")]

    # Reversing leaves the row: it is history, and the table refuses deletes.
    operations = [migrations.RunPython(seed_new_policies, migrations.RunPython.noop)]

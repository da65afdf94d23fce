from django.db import migrations


def seed_new_policies(apps, schema_editor):
    """Policies are seeded by policy 0003 only when a database is created; write the defaults that are missing
    (the loan rule switches, 连三累六's window and limits, the home-count and 贴息 limits), so an existing
    database gets them. Idempotent."""
    from fund.policy.services import policy_defaults_seed

    policy_defaults_seed(model=apps.get_model("policy", "PolicyValue"))


class Migration(migrations.Migration):
    dependencies = [("loans", "0009_liquidity_reserve_policy"), ("policy", "0001_squashed_0003_seed_defaults")]

    # Reversing leaves the rows: they are history, and the table refuses deletes.
    operations = [migrations.RunPython(seed_new_policies, migrations.RunPython.noop)]

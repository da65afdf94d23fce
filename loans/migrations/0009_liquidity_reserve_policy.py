from django.db import migrations


def seed_new_policies(apps, schema_editor):
    """Write the loans policies that are missing (loan_liquidity_reserve_ratio), so an existing database gets
    them. Idempotent."""
    from fund.policy.services import policy_defaults_seed

    policy_defaults_seed(model=apps.get_model("policy", "PolicyValue"))


class Migration(migrations.Migration):
    dependencies = [("loans", "0008_disbursement_and_iou_delivery"), ("policy", "0001_squashed_0003_seed_defaults")]

    # Reversing leaves the rows: they are history, and the table refuses deletes.
    operations = [migrations.RunPython(seed_new_policies, migrations.RunPython.noop)]

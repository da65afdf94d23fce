from django.db import migrations


def seed_new_policies(apps, schema_editor):
    """Policies are seeded by policy 0003 only when a database is created; write the defaults that are missing
    (deposit_application_review_days, risk_blacklist_lift_days), so an existing database gets them. Idempotent."""
    from fund.policy.services import policy_defaults_seed

    policy_defaults_seed(model=apps.get_model("policy", "PolicyValue"))


class Migration(migrations.Migration):
    dependencies = [("deposits", "0014_chinese_field_names"), ("policy", "0003_seed_defaults")]

    # Reversing leaves the rows: they are history, and the table refuses deletes.
    operations = [migrations.RunPython(seed_new_policies, migrations.RunPython.noop)]

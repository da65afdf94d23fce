from django.db import migrations


def seed_new_policies(apps, schema_editor):
    """The shortest term and the most co-borrowers were constants of the intake; they are policy now. Idempotent."""
    from fund.policy.services import policy_defaults_seed

    policy_defaults_seed(model=apps.get_model("policy", "PolicyValue"))


class Migration(migrations.Migration):
    dependencies = [("loans", "0004_squashed_0010_loan_rule_and_credit_policies")]

    # Reversing leaves the policy rows: they are history, and the table refuses deletes.
    operations = [migrations.RunPython(seed_new_policies, migrations.RunPython.noop)]

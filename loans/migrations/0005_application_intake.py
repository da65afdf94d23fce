from django.db import migrations


def seed_new_policies(apps, schema_editor):
    """Write the loan policies that are missing (loan_approval_large_threshold), so an existing database gets
    them. Idempotent."""
    from fund.policy.services import policy_defaults_seed

    policy_defaults_seed(model=apps.get_model("policy", "PolicyValue"))


class Migration(migrations.Migration):
    dependencies = [("loans", "0004_applications_and_loans"), ("policy", "0001_squashed_0003_seed_defaults")]

    operations = [
        # The application number (DK + day + sequence), whichever channel makes it.
        migrations.RunSQL("CREATE SEQUENCE loans_application_number_seq;",
                          "DROP SEQUENCE loans_application_number_seq;"),
        # Reversing leaves the policy rows: they are history, and the table refuses deletes.
        migrations.RunPython(seed_new_policies, migrations.RunPython.noop),
    ]

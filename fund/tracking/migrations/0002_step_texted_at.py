from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tracking", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicationstep",
            name="texted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="短信通知时间"),
        ),
    ]

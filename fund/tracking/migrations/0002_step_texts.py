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
        migrations.AddField(
            model_name="applicationstep",
            name="texted_by_line",
            field=models.BooleanField(default=False, verbose_name="业务自行短信通知"),
        ),
    ]

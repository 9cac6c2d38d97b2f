import datetime

from django.db import migrations, models
from django.utils import timezone


def existing_tokens_keep_working(apps, schema_editor):
    """Tokens made before scopes could write; they keep doing so, and those without an end get one (365 days)."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.update(scope="write")
    ApiToken.objects.filter(expires_at__isnull=True, revoked_at__isnull=True).update(
        expires_at=timezone.now() + datetime.timedelta(days=365)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_erased_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("write", "Read and write")],
                default="read",
                max_length=10,
                verbose_name="scope",
            ),
        ),
        migrations.RunPython(existing_tokens_keep_working, migrations.RunPython.noop),
    ]

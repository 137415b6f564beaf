"""The `editors` group may review candidates: see, accept and reject what ingest proposes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACTIONS = ["add", "change", "delete", "view"]
CODENAMES = [f"{action}_candidate" for action in ACTIONS]


def allow_editors(apps, schema_editor):
    config = apps.get_app_config("statements")
    models_module = getattr(config, "models_module", None)
    config.models_module = models_module or True  # a migration's apps have none
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _created = Group.objects.get_or_create(name="editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="statements", codename__in=CODENAMES)
    )


def disallow_editors(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="editors"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="statements", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0010_candidates"),
        ("statements", "0007_editors_group"),
    ]

    operations = [migrations.RunPython(allow_editors, disallow_editors)]

"""The `editors` group: whoever is in it may add, change and delete every record of the
dataset, through the admin (with staff status) and through the write API (with a token)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DATASET_MODELS = [
    ("events", "topic"),
    ("events", "place"),
    ("events", "person"),
    ("events", "source"),
    ("events", "event"),
    ("statements", "statement"),
    ("statements", "figure"),
    ("statements", "citation"),
    ("statements", "wording"),
    ("statements", "position"),
]
ACTIONS = ["add", "change", "delete", "view"]


def create_editors(apps, schema_editor):
    # on a fresh database the permissions are made after the migrations: make them now
    for label in ("events", "statements"):
        config = apps.get_app_config(label)
        models_module = getattr(config, "models_module", None)
        config.models_module = models_module or True  # a migration's apps have none
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _created = Group.objects.get_or_create(name="editors")
    codenames = [f"{action}_{model}" for _app, model in DATASET_MODELS for action in ACTIONS]
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["events", "statements"], codename__in=codenames
        )
    )


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0004_event_source_search"),
        ("statements", "0006_list_order_indexes"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]

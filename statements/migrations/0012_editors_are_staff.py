"""Members of the `editors` group get staff status, which the admin's login asks for; from now
on statements.editors keeps the two together as members come and go."""

from django.db import migrations


def editors_are_staff(apps, schema_editor):
    User = apps.get_model("auth", "User")
    User.objects.filter(groups__name="editors", is_staff=False).update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("statements", "0011_editors_review_candidates"),
    ]

    # going back leaves the status as it is: it may have been given by hand
    operations = [migrations.RunPython(editors_are_staff, migrations.RunPython.noop)]

from django.db import migrations


def create_built_in_groups(apps, schema_editor):
    from leadhub.students.groups import BUILT_IN_GROUPS

    StudentGroup = apps.get_model("students", "StudentGroup")
    for group in BUILT_IN_GROUPS:
        StudentGroup.objects.update_or_create(
            code=group.code,
            defaults={
                "label": group.label,
                "category": group.category,
                "sort_order": group.sort_order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("students", "0001_initial")]

    operations = [migrations.RunPython(create_built_in_groups, migrations.RunPython.noop)]

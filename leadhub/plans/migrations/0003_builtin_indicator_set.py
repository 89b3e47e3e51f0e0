from django.db import migrations


def create_builtin(apps, schema_editor):  # type: ignore[no-untyped-def]
    from leadhub.plans.builtin import install

    install(apps.get_model("plans", "IndicatorSet"), apps.get_model("plans", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_initial")]

    operations = [migrations.RunPython(create_builtin, migrations.RunPython.noop)]

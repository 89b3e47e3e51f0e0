from django.db import migrations


def install_team_health(apps, schema_editor):
    from leadhub.surveys.builtin import TEAM_HEALTH_DEFINITION, install

    install(
        TEAM_HEALTH_DEFINITION,
        instrument_model=apps.get_model("surveys", "Instrument"),
        construct_model=apps.get_model("surveys", "Construct"),
        item_model=apps.get_model("surveys", "Item"),
    )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_sealed_figures")]

    operations = [migrations.RunPython(install_team_health, migrations.RunPython.noop)]

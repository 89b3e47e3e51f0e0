from django.db import migrations


def install_built_in_instruments(apps, schema_editor):
    from leadhub.surveys.builtin import BUILT_IN_INSTRUMENTS, install

    for definition in BUILT_IN_INSTRUMENTS:
        install(
            definition,
            instrument_model=apps.get_model("surveys", "Instrument"),
            construct_model=apps.get_model("surveys", "Construct"),
            item_model=apps.get_model("surveys", "Item"),
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(install_built_in_instruments, migrations.RunPython.noop)]

from __future__ import annotations

from typing import Any

import factory

from leadhub.imports.models import DataImport, ImportKind


class DataImportFactory(factory.django.DjangoModelFactory):
    """An uploaded import whose file is not kept (its preview is simply not shown)."""

    class Meta:
        model = DataImport

    kind = ImportKind.ASSESSMENT_RESULTS
    original_name = "results.csv"
    storage_name = factory.Sequence(lambda n: f"missing/{n}.upload")
    file_format = "csv"
    size = 100
    sha256 = "0" * 64
    mapping = factory.LazyFunction(
        lambda: {"headers": ["SSID", "Score"], "columns": {"student": 0}, "fixed": {}}
    )


def district_import(world: Any) -> DataImport:
    """The district leader's assessment import for the world's district."""
    return DataImportFactory(district=world.district, uploaded_by=world.people["district_leader"])


def school_import(world: Any) -> DataImport:
    """The principal's measure import for Lincoln Elementary."""
    return DataImportFactory(
        kind=ImportKind.MEASURE_VALUES,
        district=world.district,
        school=world.school,
        uploaded_by=world.people["principal"],
        mapping={"headers": ["Measure", "Date", "Value"], "columns": {}, "fixed": {}},
    )

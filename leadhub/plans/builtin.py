"""The built-in indicator set: installed by data migration 0003, and again whenever it is
missing (a test database flushed between browser tests loses data-migration rows)."""

from __future__ import annotations

from typing import Any

from leadhub.plans.indicator_texts import BUILTIN_DESCRIPTION, BUILTIN_INDICATORS, BUILTIN_NAME


def install(indicator_set_model: Any, indicator_model: Any) -> Any:
    """Create or refresh the built-in set with the given models (historical ones in a
    migration) and return it."""
    indicator_set, _ = indicator_set_model.objects.get_or_create(
        builtin=True, defaults={"name": BUILTIN_NAME, "description": BUILTIN_DESCRIPTION}
    )
    for position, (domain, code, text) in enumerate(BUILTIN_INDICATORS):
        indicator_model.objects.update_or_create(
            indicator_set=indicator_set,
            code=code,
            defaults={"domain": domain, "text": text, "position": position},
        )
    return indicator_set


def builtin_indicator_set_ensure() -> Any:
    from leadhub.plans.models import Indicator, IndicatorSet

    existing = IndicatorSet.objects.filter(builtin=True).first()
    return existing if existing is not None else install(IndicatorSet, Indicator)

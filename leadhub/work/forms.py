from __future__ import annotations

from typing import cast

from django import forms


class SourceFilterForm(forms.Form):
    source = forms.ChoiceField(label="Show", required=False)

    def __init__(self, *args: object, labels: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        source = cast(forms.ChoiceField, self.fields["source"])
        source.choices = [("", "Everything"), *((label, label) for label in labels)]
        source.error_messages["invalid_choice"] = (
            "Nothing of yours comes from “%(value)s” right now; showing everything."
        )

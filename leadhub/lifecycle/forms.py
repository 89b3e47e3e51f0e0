from __future__ import annotations

from typing import Any

from django import forms

from leadhub.orgs.models import District


class PurgeForm(forms.Form):
    confirm_name = forms.CharField(
        label="Type the district's name to confirm",
        help_text="Exactly as shown above. This cannot be undone.",
    )
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        help_text="For the disposal record, e.g. the district's written request and its date.",
    )

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.district = district

    def clean_confirm_name(self) -> str:
        typed: str = self.cleaned_data["confirm_name"].strip()
        if typed != self.district.name:
            raise forms.ValidationError(
                f"That is not the district's name. Type “{self.district.name}” to confirm."
            )
        return typed

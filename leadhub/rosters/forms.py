from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from leadhub.files.content import describe_size, max_upload_bytes
from leadhub.orgs.models import District
from leadhub.rosters.models import SiteAdministratorRole

ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")


class RosterUploadForm(forms.Form):
    district = forms.ModelChoiceField(
        queryset=District.objects.none(),
        label="District",
        empty_label=None,
        help_text="The package's schools are matched with this district's schools by state "
        "school code.",
        error_messages={
            "required": "Choose the district this package is for.",
            "invalid_choice": "Choose one of the districts listed.",
        },
    )
    package = forms.FileField(
        label="OneRoster package",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
        error_messages={
            "required": "Choose the OneRoster package (a .zip file) to upload.",
            "empty": "This file is empty. Export the roster again, then choose it.",
        },
    )
    site_administrator_role = forms.ChoiceField(
        label="People the roster calls site administrators",
        choices=[
            (SiteAdministratorRole.PRINCIPAL.value, "Become principals"),
            (SiteAdministratorRole.ASSISTANT_PRINCIPAL.value, "Become assistant principals"),
            (SiteAdministratorRole.IGNORE.value, "Are left out"),
        ],
        initial=SiteAdministratorRole.PRINCIPAL.value,
    )
    dry_run = forms.BooleanField(
        label="Check only: show what the import would do, and change nothing",
        required=False,
    )

    def __init__(self, *args: Any, districts: QuerySet[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = cast(forms.ModelChoiceField, self.fields["district"])
        district.queryset = districts.order_by("name")
        if districts.count() > 1:
            # Someone who manages several districts chooses one: no district is assumed.
            district.empty_label = "Choose the district"
        self.fields["package"].help_text = (
            "The ZIP your student information system exports as OneRoster 1.2 CSV, bulk or "
            f"delta, up to {describe_size(max_upload_bytes())}."
        )

    def clean_package(self) -> Any:
        package = self.cleaned_data["package"]
        limit = max_upload_bytes()
        if package.size > limit:
            raise forms.ValidationError(
                f"This file is {describe_size(package.size)}; the largest package LeadHub "
                f"accepts is {describe_size(limit)}.",
                code="too_large",
            )
        package.seek(0)
        head = package.read(4)
        package.seek(0)
        if head not in ZIP_SIGNATURES:
            raise forms.ValidationError(
                "This is not a ZIP file. A OneRoster package is a .zip holding manifest.csv "
                "and the CSV files.",
                code="not_zip",
            )
        return package

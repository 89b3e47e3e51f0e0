"""Forms validate and normalise; who may invite whom is decided in access.py."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.db.models import QuerySet

from leadhub.accounts.models import normalize_email_address
from leadhub.invitations.bulk import (
    MAX_UPLOAD_BYTES,
    ListedRow,
    ListUnreadable,
    decode_upload,
    parse_rows,
)
from leadhub.invitations.models import INVITABLE_ROLE_CHOICES, Invitation
from leadhub.orgs.models import District, Role, School

PLACE_PATTERN = re.compile(r"^(district|school):(\d{1,18})$")

Choices = list[tuple[str, Any]]


def place_choices(districts: QuerySet[District], schools: QuerySet[School]) -> Choices:
    """Places grouped by district: its office (for district leaders), then its schools."""
    offices = {district.pk: district for district in districts}
    grouped: dict[int, tuple[District, list[tuple[str, str]]]] = {
        pk: (district, []) for pk, district in offices.items()
    }
    for school in schools.select_related("district").order_by("name"):
        grouped.setdefault(school.district_id, (school.district, []))[1].append(
            (f"school:{school.pk}", school.name)
        )
    choices: Choices = [("", "Choose where they will work")]
    for pk, (district, options) in sorted(grouped.items(), key=lambda item: item[1][0].name):
        office = [(f"district:{pk}", f"{district.name} · district office")] if pk in offices else []
        choices.append((district.name, office + options))
    return choices


class PlaceField(forms.Field):
    """A school or district office, as ``("school", pk)`` or ``("district", pk)``.

    Only the form of the value is checked here: whether the place exists and is
    the person's to invite to is access.py's question (404 or 403).
    """

    widget = forms.Select

    def to_python(self, value: Any) -> tuple[str, int] | None:
        text = str(value or "").strip()
        if not text:
            return None
        match = PLACE_PATTERN.match(text)
        if match is None:
            raise forms.ValidationError("Choose a place from the list.")
        return match.group(1), int(match.group(2))


class PlaceChoicesMixin:
    """Shows only the roles and places the person may invite to."""

    fields: dict[str, forms.Field]

    def show_choices(self, *, roles: list[str], places: Choices) -> None:
        role_field = self.fields.get("role")
        if role_field is not None:
            role_field.widget.choices = [("", "Choose a role")] + [
                (role, Role(role).label) for role in roles
            ]
        self.fields["place"].widget.choices = places
        options = [option for _, group in places[1:] for option in group]
        if len(options) == 1:
            self.fields["place"].initial = options[0][0]


class InviteForm(PlaceChoicesMixin, forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The invitation goes to this address, and it becomes their sign-in.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Enter the email address the invitation should go to.",
            "invalid": "This is not an email address: check it for typing mistakes.",
        },
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter the person's full name."},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=INVITABLE_ROLE_CHOICES,
        error_messages={
            "required": "Choose the role they will have.",
            "invalid_choice": "Choose one of the roles in the list.",
        },
    )
    place = PlaceField(
        label="Where they will work",
        help_text="District leaders work at the district office; everyone else at a school.",
        error_messages={"required": "Choose where they will work."},
    )

    def __init__(self, *args: Any, roles: list[str], places: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.show_choices(roles=roles, places=places)

    def clean_email(self) -> str:
        return normalize_email_address(self.cleaned_data["email"])

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, place = data.get("role"), data.get("place")
        if role and place:
            at_school = place[0] == "school"
            if role == Role.DISTRICT_LEADER and at_school:
                self.add_error(
                    "place", "District leaders work for the whole district: choose its office."
                )
            elif role != Role.DISTRICT_LEADER and not at_school:
                self.add_error(
                    "place", f"Choose the school where this {Role(role).label.lower()} will work."
                )
        return data


class BulkInviteForm(PlaceChoicesMixin, forms.Form):
    place = PlaceField(
        label="Where they will work",
        help_text=(
            "Everyone on the list goes here unless their line names another school. "
            "District leaders on the list join the district office."
        ),
        error_messages={"required": "Choose where the people on the list will work."},
    )
    lines = forms.CharField(
        label="People to invite",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text=(
            "One person per line: email, full name, role. For example: "
            "ann.lee@example.org, Ann Lee, teacher. To invite someone to another of your "
            "schools, add the school's state identifier as a fourth value."
        ),
    )
    csv_file = forms.FileField(
        label="Or upload a CSV file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=(
            "The first line must be the header email,full_name,role (add school_state_id "
            "as a fourth column if rows name a school). Save it from your spreadsheet as "
            "“CSV UTF-8”. A file you choose replaces the text above."
        ),
    )

    def __init__(self, *args: Any, roles: list[str], places: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.show_choices(roles=roles, places=places)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("csv_file")
        try:
            if upload:
                text = decode_upload(upload.read(MAX_UPLOAD_BYTES + 1))
                data["rows"] = parse_rows(text, header_required=True)
                # The file's lines go into the text box, to fix in place and to confirm.
                self.data = {**self.data, "lines": text}
            elif data.get("lines", "").strip():
                data["rows"] = parse_rows(data["lines"], header_required=False)
            else:
                self.add_error("lines", "Paste a list of people, or choose a CSV file below.")
        except ListUnreadable as error:
            self.add_error("csv_file" if upload else "lines", str(error))
        return data

    @property
    def rows(self) -> list[ListedRow]:
        return list(self.cleaned_data.get("rows", []))

    @property
    def text(self) -> str:
        return str(self.data.get("lines", ""))


class AcceptForm(forms.Form):
    full_name = forms.CharField(
        label="Your full name",
        max_length=Invitation._meta.get_field("full_name").max_length,
        help_text="As colleagues will see it in LeadHub.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your full name."},
    )
    password = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=" ".join(password_validators_help_texts()),
        error_messages={"required": "Choose a password."},
    )
    password_again = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password a second time."},
    )

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, again = data.get("password"), data.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", "The two passwords differ: type the same one twice.")
        return data


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Every status"), *Invitation.Status.choices],
    )

"""Forms for surveys: setting up an administration, the school's own statements, answering."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.template.defaultfilters import date as format_date
from django.utils import timezone

from leadhub.lib.concurrency import VersionedFormMixin
from leadhub.orgs.models import School
from leadhub.surveys import selectors
from leadhub.surveys.models import Administration, Agreement, Construct, Instrument, Item
from leadhub.surveys.results import MINIMUM_ANSWERS
from leadhub.surveys.services import MAX_OWN_ITEMS, OwnItem

DEFAULT_WINDOW_DAYS = 14
ITEMS_PREFIX = "items"
SKIP = ""


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class InstrumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        instrument = cast(Instrument, obj)
        if instrument.description:
            return f"{instrument.name}: {instrument.description}"
        return instrument.name


class AdministrationForm(forms.ModelForm):
    """Which survey, its title, its window of days and who is asked."""

    instrument = InstrumentChoiceField(
        label="Survey",
        queryset=Instrument.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose a survey."},
    )

    first_day = forms.DateField(
        label="First day",
        widget=DateInput(),
        error_messages={"required": "Choose the first day people can answer."},
    )
    last_day = forms.DateField(
        label="Last day",
        widget=DateInput(),
        help_text="Answers are taken until midnight at the end of this day.",
        error_messages={"required": "Choose the last day people can answer."},
    )
    recipients = forms.TypedMultipleChoiceField(
        label="Who is asked",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            f"Everyone on the school's staff is chosen to start with. At least "
            f"{MINIMUM_ANSWERS} people: results are shown only when {MINIMUM_ANSWERS} or "
            "more answer."
        ),
        error_messages={"required": "Choose the people to ask."},
    )

    class Meta:
        model = Administration
        fields = ["instrument", "title"]
        labels = {"title": "Title"}
        help_texts = {"title": "Staff see this in their email and on the survey."}
        error_messages = {
            "title": {"required": "Give the survey a title, such as “Spring pulse”."},
        }

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school = school
        staff = selectors.school_staff(school)
        cast(forms.TypedMultipleChoiceField, self.fields["recipients"]).choices = [
            (m.user.pk, m.label) for m in staff
        ]
        instruments = selectors.instruments_for_school(school)
        cast(InstrumentChoiceField, self.fields["instrument"]).queryset = instruments
        administration = cast(Administration, self.instance)
        if administration.pk:
            self.initial.setdefault("first_day", administration.first_day)
            self.initial.setdefault("last_day", administration.last_day)
            self.initial.setdefault(
                "recipients",
                list(administration.invitations.values_list("user_id", flat=True)),
            )
        else:
            today = timezone.localtime(timezone.now(), school.district.zone).date()
            first = instruments.first()
            self.initial.setdefault("instrument", first.pk if first else None)
            self.initial.setdefault(
                "title", f"{first.name if first else 'Staff survey'}, {format_date(today, 'F Y')}"
            )
            self.initial.setdefault("first_day", today)
            self.initial.setdefault("last_day", today + dt.timedelta(days=DEFAULT_WINDOW_DAYS - 1))
            self.initial.setdefault("recipients", [m.user.pk for m in staff])

    @property
    def chosen_instrument(self) -> Instrument | None:
        """The survey chosen (or offered first), for the theme choices of own statements."""
        key = self.data.get(self.add_prefix("instrument")) if self.is_bound else None
        key = key or self.initial.get("instrument") or getattr(self.instance, "instrument_id", None)
        if not str(key or "").isdigit():
            return None
        return selectors.instruments_for_school(self.school).filter(pk=int(str(key))).first()

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())


class AdministrationEditForm(VersionedFormMixin, AdministrationForm):
    """A draft's settings; refused when someone else saved or sent it meanwhile."""


class OwnItemForm(forms.Form):
    """One statement the school adds; a row left empty adds nothing."""

    text = forms.CharField(
        label="Statement",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Word it so that agreeing is the answer you hope for.",
    )
    construct = forms.ModelChoiceField(
        label="Theme",
        queryset=Construct.objects.none(),
        required=False,
        empty_label="None of these: a question of our own",
    )

    def __init__(self, *args: Any, instrument: Instrument | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if instrument is not None:
            cast(
                forms.ModelChoiceField, self.fields["construct"]
            ).queryset = Construct.objects.filter(instrument=instrument)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["text"] = " ".join(str(data.get("text") or "").split())
        if not data["text"] and data.get("construct") is not None:
            self.add_error("text", "Write the statement, or set the theme back to “None of these”.")
        return data


class BaseOwnItemFormSet(forms.BaseFormSet):
    def own_items(self) -> list[OwnItem]:
        """The statements kept, in order: rows emptied or marked for removal drop out."""
        kept = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not data.get("text"):
                continue
            kept.append(OwnItem(text=data["text"], construct=data.get("construct")))
        return kept


OwnItemFormSet = forms.formset_factory(
    OwnItemForm,
    formset=BaseOwnItemFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_OWN_ITEMS,
    absolute_max=MAX_OWN_ITEMS,
    validate_max=True,
)


def own_item_formset(
    data: Any = None, *, instrument: Instrument | None, items: list[Item] | None = None
) -> BaseOwnItemFormSet:
    initial = [{"text": i.text, "construct": i.construct_id} for i in items or []]
    formset = OwnItemFormSet(
        data, prefix=ITEMS_PREFIX, initial=initial, form_kwargs={"instrument": instrument}
    )
    return cast(BaseOwnItemFormSet, formset)


def own_item_row(*, index: int, instrument: Instrument | None) -> OwnItemForm:
    """A blank row for position ``index`` (the add-a-statement fragment), focused when
    it arrives so the person can type at once."""
    form = OwnItemForm(prefix=f"{ITEMS_PREFIX}-{index}", instrument=instrument)
    form.fields["text"].widget.attrs["autofocus"] = True
    return form


class AnswerForm(forms.Form):
    """One radio group per statement; none is required (an unanswered one is skipped)."""

    def __init__(self, *args: Any, items: list[Item], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        choices = [*Agreement.choices, (SKIP, "I'd rather not say")]
        for item in items:
            self.fields[field_name(item)] = forms.TypedChoiceField(
                label=item.text,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.items and all(data.get(field_name(item)) is None for item in self.items):
            raise forms.ValidationError(
                "Choose an answer for at least one statement, then send your answers."
            )
        return data

    def values(self) -> dict[int, int | None]:
        return {item.pk: self.cleaned_data.get(field_name(item)) for item in self.items}


def field_name(item: Item) -> str:
    return f"item_{item.pk}"

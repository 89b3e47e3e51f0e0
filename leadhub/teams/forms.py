"""Forms for teams and memberships. They check input; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from leadhub.lib.concurrency import VersionedFormMixin
from leadhub.orgs.models import District, Hub, School, SpecialProgram
from leadhub.teams import selectors
from leadhub.teams.access import Places
from leadhub.teams.models import (
    CROSS_SCHOOL_KINDS,
    KIND_LEVEL,
    CommunityKind,
    InstructionalGrouping,
    MemberRole,
    Team,
    TeamKind,
    TeamLevel,
    TeamMembership,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


GROUPING_CHOICES = [("", "Choose how it is organized"), *InstructionalGrouping.choices]
PLACE_HELP = "A school's teams belong to the school; district teams to the district; "
PLACE_HELP += "networks and leadership collectives to the hub."


class TeamListFilterForm(forms.Form):
    school = forms.ModelChoiceField(
        queryset=School.objects.none(), required=False, empty_label="All schools"
    )
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *TeamKind.choices], required=False, label="Kind of team"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        school: Any = self.fields["school"]
        school.queryset = selectors.team_list_schools(user)


class TeamCreateForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of team")
    name = forms.CharField(max_length=120, help_text="As the team calls itself, e.g. Grade 3 team.")
    place = forms.ChoiceField(label="Where the team belongs", help_text=PLACE_HELP)
    grouping = forms.ChoiceField(
        label="Organized by",
        choices=GROUPING_CHOICES,
        required=False,
        help_text="Instructional teams only: by grade level, subject area, cluster or "
        "small learning community.",
    )
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What the team is for, in a sentence or two.",
    )
    add_creator = forms.BooleanField(
        label="Add me to the team as its lead",
        required=False,
        help_text="A principal usually leads the ILT and the School Improvement Team. For "
        "a team someone else will lead, untick this and add them next.",
    )

    def __init__(self, *args: Any, places: Places, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = places
        kind_field: Any = self.fields["kind"]
        kind_field.choices = [("", "Choose a kind of team")] + [
            (kind, TeamKind(kind).label) for kind in places.kinds
        ]
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        if places.schools:
            groups.append(("Schools", [(f"school-{s.pk}", s.name) for s in places.schools]))
        if places.districts:
            groups.append(("Districts", [(f"district-{d.pk}", d.name) for d in places.districts]))
        if places.hubs:
            groups.append(("Hubs", [(f"hub-{h.pk}", h.name) for h in places.hubs]))
        place_field: Any = self.fields["place"]
        place_field.choices = [("", "Choose where"), *groups]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, place = data.get("kind"), data.get("place")
        school: School | None = None
        district: District | None = None
        hub: Hub | None = None
        if place:
            level, _, pk = place.partition("-")
            school = next((s for s in self.places.schools if f"{s.pk}" == pk), None)
            district = next((d for d in self.places.districts if f"{d.pk}" == pk), None)
            hub = next((h for h in self.places.hubs if f"{h.pk}" == pk), None)
            school = school if level == "school" else None
            district = district if level == "district" else None
            hub = hub if level == "hub" else None
            if kind:
                wanted = KIND_LEVEL[kind]
                if wanted == TeamLevel.SCHOOL and school is None:
                    self.add_error(
                        "place",
                        f"A {TeamKind(kind).label} belongs to a school: choose one of the "
                        "schools, or another kind of team.",
                    )
                elif wanted == TeamLevel.DISTRICT and district is None:
                    self.add_error(
                        "place",
                        "A district team belongs to a district: choose the district, or "
                        "another kind of team.",
                    )
                elif wanted == TeamLevel.HUB and hub is None:
                    label = TeamKind(kind).label.lower()
                    self.add_error(
                        "place",
                        f"A {label} belongs to a hub: choose the hub, or another kind of team.",
                    )
        if kind == TeamKind.INSTRUCTIONAL and not data.get("grouping"):
            self.add_error(
                "grouping",
                "Choose how this instructional team is organized: by grade level, subject "
                "area, cluster or small learning community.",
            )
        elif kind != TeamKind.INSTRUCTIONAL:
            data["grouping"] = ""
        data.update(school=school, district=district, hub=hub)
        return data


class TeamEditForm(VersionedFormMixin, forms.ModelForm):
    instance: Team

    class Meta:
        model = Team
        fields = ["name", "purpose", "grouping"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.kind != TeamKind.INSTRUCTIONAL:
            del self.fields["grouping"]
        else:
            grouping: Any = self.fields["grouping"]
            grouping.required = True
            grouping.choices = GROUPING_CHOICES

    @property
    def edited_fields(self) -> list[str]:
        return [name for name in self.Meta.fields if name in self.fields]


class MembershipForm(forms.Form):
    """A membership's role, whom the member represents and its dates. The add form
    (below) also picks the person."""

    role = forms.ChoiceField(label="Role on the team")
    community_kind = forms.ChoiceField(
        label="Who they are",
        required=False,
        help_text="For community members only.",
    )
    represents_team = forms.ModelChoiceField(
        label="Represents the instructional team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="No instructional team",
        help_text="The team this member speaks for, and reports back to.",
    )
    represents_program = forms.ModelChoiceField(
        label="Represents the special program",
        queryset=SpecialProgram.objects.none(),
        required=False,
        empty_label="No special program",
    )
    start_date = forms.DateField(label="First day on the team", widget=DateInput())
    end_date = forms.DateField(
        label="Last day on the team",
        widget=DateInput(),
        required=False,
        help_text="Leave empty while they serve. Setting a date ends the membership; "
        "the record of their service stays.",
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        roles: list[tuple[str, str]] = [
            (MemberRole.MEMBER, MemberRole.MEMBER.label),
            (MemberRole.LEAD, MemberRole.LEAD.label),
        ]
        role_field: Any = self.fields["role"]
        role_field.initial = MemberRole.MEMBER
        if team.kind == TeamKind.SIT:
            roles.append((MemberRole.COMMUNITY, MemberRole.COMMUNITY.label))
            kind_field: Any = self.fields["community_kind"]
            kind_field.choices = [("", "Choose one"), *CommunityKind.choices]
            kind_field.help_text = self.student_note()
        else:
            del self.fields["community_kind"]
        role_field.choices = roles
        if team.kind in (TeamKind.ILT, TeamKind.SIT):
            teams: Any = self.fields["represents_team"]
            teams.queryset = selectors.representable_teams(team).order_by("name")
            programs: Any = self.fields["represents_program"]
            programs.queryset = selectors.representable_programs(team)
            programs.label_from_instance = selectors.program_label
        else:
            del self.fields["represents_team"]
            del self.fields["represents_program"]
        if team.kind in CROSS_SCHOOL_KINDS:
            self.fields["role"].help_text = "Team leads convene the network's sessions."

    def student_note(self) -> str:
        note = "For community members only. Students may join only in a school with "
        note += "high-school grades."
        if self.team.school is not None:
            serves = selectors.school_serves_high_school(self.team.school)
            if serves is None:
                note += (
                    f" This year's grades for {self.team.school.name} are not recorded, so "
                    "check before adding a student."
                )
            elif serves is False:
                note += f" {self.team.school.name} has no high-school grades this year."
        return note

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The last day on the team cannot come before the first day.")
        role = data.get("role")
        if role == MemberRole.COMMUNITY and not data.get("community_kind"):
            self.add_error(
                "community_kind",
                "Say who they are: a parent or guardian, a community member or a student.",
            )
        if role != MemberRole.COMMUNITY:
            data["community_kind"] = ""
        return data

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "role": data["role"],
            "community_kind": data.get("community_kind", ""),
            "represents_team": data.get("represents_team"),
            "represents_program": data.get("represents_program"),
            "start_date": data["start_date"],
            "end_date": data.get("end_date"),
        }

    @classmethod
    def initial_for(cls, membership: TeamMembership) -> dict[str, Any]:
        return {
            "role": membership.role,
            "community_kind": membership.community_kind,
            "represents_team": membership.represents_team_id,
            "represents_program": membership.represents_program_id,
            "start_date": membership.start_date,
            "end_date": membership.end_date,
        }


class MemberAddForm(MembershipForm):
    user = forms.TypedChoiceField(label="Person", coerce=int, required=False, empty_value=None)
    new_full_name = forms.CharField(label="Name", max_length=150, required=False)
    new_email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="If they already have a LeadHub account with this address, it is used.",
    )

    field_order = ["user", "new_full_name", "new_email", "role", "community_kind"]

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, team=team, **kwargs)
        self.fields["start_date"].initial = timezone.localdate()
        current = set(
            TeamMembership.objects.current().filter(team=team).values_list("user_id", flat=True)
        )
        people = [m for m in selectors.eligible_members(team) if m.user_id not in current]
        self.people = selectors.grouped_people(people, show_place=team.level != TeamLevel.SCHOOL)
        user_field: Any = self.fields["user"]
        user_field.choices = [("", "Choose a person"), *self.people]
        if team.kind == TeamKind.SIT:
            user_field.label = "A member of staff"
            user_field.help_text = "Or, for a parent, community member or student, fill in "
            user_field.help_text += "their name and email below."
        else:
            del self.fields["new_full_name"]
            del self.fields["new_email"]
            user_field.required = True
            user_field.error_messages["required"] = "Choose a person."

    @property
    def allows_new_person(self) -> bool:
        return "new_email" in self.fields

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.allows_new_person:
            return data
        chosen = data.get("user") is not None
        new = bool(data.get("new_full_name") or data.get("new_email") or "new_email" in self.errors)
        if chosen and new:
            self.add_error(
                "new_email",
                "Choose a member of staff or add someone new, not both: clear one of them.",
            )
        elif not chosen and not new:
            self.add_error(
                "user",
                "Choose a member of staff, or enter the name and email address of someone "
                "who is not on staff.",
            )
        elif new:
            if not data.get("new_full_name"):
                self.add_error("new_full_name", "Enter the person's name.")
            if not data.get("new_email") and "new_email" not in self.errors:
                self.add_error("new_email", "Enter the person's email address.")
            if data.get("role") and data["role"] != MemberRole.COMMUNITY:
                self.add_error(
                    "role",
                    "Someone who is not on the school's staff joins as a community member.",
                )
        return data

    def service_values(self) -> dict[str, Any]:
        values = super().service_values()
        values["new_full_name"] = self.cleaned_data.get("new_full_name", "")
        values["new_email"] = self.cleaned_data.get("new_email", "")
        return values

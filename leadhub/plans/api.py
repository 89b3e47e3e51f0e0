"""The read-only API of School Improvement Plans: plans, their goals and checkpoints.

Lists start from :func:`leadhub.plans.access.plans_visible_to`; one record goes through
the same gate as its page (:func:`~leadhub.plans.access.plan_get_for_user`,
:func:`~leadhub.plans.access.goal_get_for_user`), so out of reach answers 404. People
who read only the published version (the school's staff, the state) see the published
version only: its status, its content, the goals it holds with their published fields.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from leadhub.accounts.models import User
from leadhub.api.viewsets import ScopedViewSet, as_int, detail_responses, list_responses
from leadhub.core.access import not_found
from leadhub.plans.access import (
    PlanAccess,
    goal_get_for_user,
    plan_access,
    plan_get_for_user,
    plans_visible_to,
)
from leadhub.plans.models import Checkpoint, Goal, PlanStatus, PlanVersion, SchoolPlan
from leadhub.plans.progress import goals_progress

# Who sees what ---------------------------------------------------------------------------


def _access(context: dict[str, Any], plan: SchoolPlan) -> PlanAccess:
    cache: dict[int, PlanAccess] = context.setdefault("plan_access", {})
    if plan.pk not in cache:
        cache[plan.pk] = plan_access(context["request"].user, plan)
    return cache[plan.pk]


def goals_visible_to(user: User) -> QuerySet[Goal]:
    """The goals whose pages the person may open: every goal of a plan they read as it is
    written, and the goals a published version holds for those who read only that."""
    working: list[int] = []
    published_keys: list[str] = []
    plans = plans_visible_to(user).select_related("school__district", "published_version")
    for plan in plans:
        access = plan_access(user, plan)
        if access.read_working:
            working.append(plan.pk)
        elif plan.published_version is not None:
            published_keys += [
                g["key"] for g in plan.published_version.content.get("goals", []) if g.get("key")
            ]
    return Goal.objects.filter(Q(plan_id__in=working) | Q(key__in=published_keys))


# Serializers ----------------------------------------------------------------------------


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanVersion
        fields = ["number", "approved_at", "published_at"]
        read_only_fields = fields


class SchoolPlanSerializer(serializers.ModelSerializer):
    school = serializers.IntegerField(source="school_id", read_only=True)
    district = serializers.IntegerField(source="district_id", read_only=True)
    school_year = serializers.IntegerField(
        source="school_year_id",
        read_only=True,
        help_text="The first school year, by its ending year (2026 is 2025–26).",
    )
    last_year = serializers.IntegerField(
        source="last_year_id", read_only=True, help_text="The last school year it covers."
    )
    status = serializers.SerializerMethodField(
        help_text="draft, submitted, returned, district_review or published."
    )
    current_version = serializers.SerializerMethodField(
        help_text="The version being written or last approved (what you may read)."
    )
    published_version = serializers.SerializerMethodField(
        help_text="The number of the version staff read, null before the first is published."
    )
    versions = serializers.SerializerMethodField()
    published_content = serializers.SerializerMethodField(
        help_text="The published version's content: needs, goals, targets, strategies, steps."
    )

    class Meta:
        model = SchoolPlan
        fields = [
            "id",
            "title",
            "school",
            "district",
            "school_year",
            "last_year",
            "status",
            "current_version",
            "published_version",
            "versions",
            "published_content",
            "copied_from",
            "updated_at",
        ]
        read_only_fields = fields

    def _working(self, plan: SchoolPlan) -> bool:
        return _access(self.context, plan).read_working

    def get_status(self, plan: SchoolPlan) -> str:
        return str(plan.status) if self._working(plan) else str(PlanStatus.PUBLISHED)

    def get_current_version(self, plan: SchoolPlan) -> int | None:
        if self._working(plan):
            return plan.current_number
        return plan.published_version.number if plan.published_version else None

    def get_published_version(self, plan: SchoolPlan) -> int | None:
        return plan.published_version.number if plan.published_version else None

    def get_versions(self, plan: SchoolPlan) -> list[dict[str, Any]]:
        versions = list(plan.versions.all())
        if not self._working(plan):
            versions = [v for v in versions if v.published_at is not None]
        return list(VersionSerializer(versions, many=True).data)

    def get_published_content(self, plan: SchoolPlan) -> dict[str, Any] | None:
        return plan.published_version.content if plan.published_version else None


PUBLISHED_GOAL_FIELDS = (
    "outcome",
    "baseline_value",
    "baseline_date",
    "target_value",
    "deadline",
    "achievability_note",
)


class GoalSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan_id", read_only=True)
    measure = serializers.IntegerField(source="measure_id", allow_null=True, read_only=True)
    student_group = serializers.SerializerMethodField(
        help_text='The student group\'s code (e.g. "el"); empty for all students.'
    )
    need = serializers.IntegerField(source="need_id", allow_null=True, read_only=True)
    serves_node = serializers.IntegerField(
        source="serves_node_id",
        allow_null=True,
        read_only=True,
        help_text="The driver-diagram node of the district strategy it serves (its id).",
    )
    latest_checkpoint = serializers.SerializerMethodField()
    track = serializers.SerializerMethodField(
        help_text="on_track, off_track or not_judged, from the latest checkpoint."
    )

    class Meta:
        model = Goal
        fields = [
            "id",
            "key",
            "plan",
            "outcome",
            "measure",
            "student_group",
            "baseline_value",
            "baseline_date",
            "target_value",
            "deadline",
            "need",
            "serves_node",
            "achievability_note",
            "retired",
            "since_version",
            "latest_checkpoint",
            "track",
        ]
        read_only_fields = fields

    def get_student_group(self, goal: Goal) -> str:
        return goal.student_group.code if goal.student_group else ""

    def _progress(self, goal: Goal) -> Any:
        cache: dict[int, Any] = self.context.setdefault("progress", {})
        if goal.pk not in cache:
            cache.update(goals_progress([goal]))
        return cache[goal.pk]

    def get_latest_checkpoint(self, goal: Goal) -> dict[str, Any] | None:
        latest = self._progress(goal).latest
        if latest is None:
            return None
        return {
            "id": latest.checkpoint.pk,
            "measured_on": latest.checkpoint.measured_on.isoformat(),
            "value": latest.checkpoint.value,
        }

    def get_track(self, goal: Goal) -> str:
        return str(self._progress(goal).track)

    def to_representation(self, instance: Goal) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        plan = instance.plan
        if _access(self.context, plan).read_working or plan.published_version is None:
            return data
        # Readers of the published version see the goal as that version holds it.
        published = next(
            (
                g
                for g in plan.published_version.content.get("goals", [])
                if g.get("key") == str(instance.key)
            ),
            None,
        )
        if published is not None:
            for name in PUBLISHED_GOAL_FIELDS:
                data[name] = published.get(name)
            data["student_group"] = published.get("student_group_code", "")
            data["measure"] = published.get("measure_id")
            data["need"] = published.get("need_id")
            data["serves_node"] = published.get("serves_node_id")
        return data


class GoalListSerializer(serializers.ListSerializer):
    """Computes the progress of a page of goals at once."""

    def to_representation(self, data: Any) -> list[Any]:
        goals = list(data.all() if isinstance(data, QuerySet) else data)
        self.child.context.setdefault("progress", {}).update(goals_progress(goals))
        return super().to_representation(goals)


GoalSerializer.Meta.list_serializer_class = GoalListSerializer  # type: ignore[attr-defined]


class CheckpointSerializer(serializers.ModelSerializer):
    goal = serializers.IntegerField(source="goal_id", read_only=True)
    interim_target = serializers.IntegerField(
        source="interim_target_id",
        allow_null=True,
        read_only=True,
        help_text="The interim target it measures (its id); null for the goal's own measure.",
    )

    class Meta:
        model = Checkpoint
        fields = ["id", "goal", "interim_target", "measured_on", "value", "note", "created_at"]
        read_only_fields = fields


# Filters --------------------------------------------------------------------------------


def _visible_goals(request: HttpRequest | None) -> QuerySet[Goal]:
    return goals_visible_to(request.user) if request else Goal.objects.none()  # type: ignore[arg-type]


class CheckpointApiFilter(django_filters.FilterSet):
    goal = django_filters.ModelChoiceFilter(
        queryset=_visible_goals,
        label="Only this goal's checkpoints (its id).",
        error_messages={"invalid_choice": "No goal you can see has this id."},
    )

    class Meta:
        model = Checkpoint
        fields: list[str] = []


class GoalApiFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id", label="Only this plan's goals.")

    class Meta:
        model = Goal
        fields: list[str] = []


# Viewsets -------------------------------------------------------------------------------


def _documented(
    serializer: type[serializers.Serializer],
    *,
    list_summary: str,
    list_description: str,
    one_summary: str,
    one_description: str,
    filtered: bool = False,
) -> Any:
    """The OpenAPI description of a list and its one record, as every viewset here has."""
    return extend_schema_view(
        list=extend_schema(
            summary=list_summary,
            description=list_description,
            responses=list_responses(serializer(many=True), filtered=filtered),
        ),
        retrieve=extend_schema(
            summary=one_summary,
            description=one_description,
            responses=detail_responses(serializer),
        ),
    )


class _FilteredViewSet(ScopedViewSet):
    """A scoped viewset whose list narrows with its ``filterset_class``."""

    filter_backends = [DjangoFilterBackend]


@_documented(
    SchoolPlanSerializer,
    list_summary="School improvement plans you can see",
    list_description=(
        "Plans of the schools you work in, lead or serve, with their status, school "
        "years, versions and the published version's content."
    ),
    one_summary="One school improvement plan",
    one_description="A plan by its id.",
)
class SchoolPlanViewSet(ScopedViewSet):
    serializer_class = SchoolPlanSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return (
            plans_visible_to(self.request.user)
            .select_related("school__district", "published_version")
            .prefetch_related("versions")
            .order_by("-school_year", "school__name", "pk")
        )

    def gate(self, lookup: str) -> Model:
        plan, _ = plan_get_for_user(self.request.user, as_int(lookup))
        return plan


@_documented(
    GoalSerializer,
    list_summary="Plan goals you can see",
    list_description=(
        "The SMARTe goals of the plans you can see, each with its latest checkpoint and "
        "whether it is on track. Narrow to one plan with ?plan=."
    ),
    one_summary="One plan goal",
    one_description="A goal by its id.",
    filtered=True,
)
class GoalViewSet(_FilteredViewSet):
    serializer_class = GoalSerializer
    filterset_class = GoalApiFilter

    def get_queryset(self) -> QuerySet[Any]:
        return (
            goals_visible_to(self.request.user)
            .select_related("plan__school__district", "plan__published_version", "student_group")
            .order_by("plan_id", "position", "pk")
        )

    def gate(self, lookup: str) -> Model:
        goal, _ = goal_get_for_user(self.request.user, as_int(lookup))
        return goal


@_documented(
    CheckpointSerializer,
    list_summary="Goal checkpoints you can see",
    list_description=(
        "Measured values recorded against the goals you can see. Narrow to one goal with ?goal=."
    ),
    one_summary="One checkpoint",
    one_description="A checkpoint by its id.",
    filtered=True,
)
class CheckpointViewSet(_FilteredViewSet):
    serializer_class = CheckpointSerializer
    filterset_class = CheckpointApiFilter

    def get_queryset(self) -> QuerySet[Any]:
        return Checkpoint.objects.filter(goal__in=goals_visible_to(self.request.user)).order_by(
            "goal_id", "measured_on", "pk"
        )

    def gate(self, lookup: str) -> Model:
        checkpoint = Checkpoint.objects.filter(pk=as_int(lookup)).only("pk", "goal_id").first()
        if checkpoint is None:
            not_found()
        goal_get_for_user(self.request.user, checkpoint.goal_id)
        return checkpoint

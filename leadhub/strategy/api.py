"""The read-only API of strategic plans and their driver diagrams.

Lists start from :func:`leadhub.strategy.access.strategic_plans_visible_to`; one record is
fetched through :func:`~leadhub.strategy.access.strategic_plan_get_for_user` or
:func:`~leadhub.strategy.access.diagram_get_for_user`, so the API shows exactly what the
pages show. A driver diagram's record is its whole tree (:mod:`leadhub.strategy.diagram_tree`):
the aim's SMARTe fields and the nested drivers and change ideas, each with the measures
the reader may see.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Model, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from leadhub.api.viewsets import ScopedViewSet, as_int, detail_responses, list_responses
from leadhub.strategy.access import (
    diagram_get_for_user,
    strategic_plan_get_for_user,
    strategic_plans_visible_to,
)
from leadhub.strategy.diagram_tree import tree_json
from leadhub.strategy.models import DriverDiagram, StrategicPlan


class StrategicPlanSerializer(serializers.ModelSerializer):
    district = serializers.IntegerField(
        source="district_id",
        allow_null=True,
        read_only=True,
        help_text="The district whose plan it is (its id); null for a hub's plan.",
    )
    hub = serializers.IntegerField(
        source="hub_id",
        allow_null=True,
        read_only=True,
        help_text="The hub whose plan it is (its id); null for a district's plan.",
    )
    first_year = serializers.IntegerField(
        source="first_year.year",
        read_only=True,
        help_text="The plan's first school year by its ending year (2026 is 2025–26).",
    )
    last_year = serializers.IntegerField(
        source="last_year.year", read_only=True, help_text="The plan's last school year."
    )
    driver_diagram = serializers.SerializerMethodField(
        help_text="The id of the plan's driver diagram; null when it has none yet."
    )

    class Meta:
        model = StrategicPlan
        fields = [
            "id",
            "title",
            "district",
            "hub",
            "first_year",
            "last_year",
            "vision",
            "status",
            "driver_diagram",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_driver_diagram(self, plan: StrategicPlan) -> int | None:
        diagram = getattr(plan, "diagram_pk", None)
        return int(diagram) if diagram is not None else None


class MeasureLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DriverNodeSerializer(serializers.Serializer):
    """One driver or change idea with what is under it (for the schema)."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["primary", "secondary", "change_idea"])
    text = serializers.CharField()
    approach = serializers.ChoiceField(
        choices=["", "technical", "adaptive"], help_text="Empty when not tagged."
    )
    measures = MeasureLinkSerializer(many=True)
    children = serializers.ListField(
        child=serializers.DictField(), help_text="The nodes under it, in the same shape."
    )


class AimSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    measure = MeasureLinkSerializer(allow_null=True)
    student_group = serializers.DictField(
        allow_null=True, help_text='The group\'s "code" and "label"; null for all students.'
    )
    baseline_value = serializers.FloatField(allow_null=True)
    baseline_date = serializers.DateField(allow_null=True)
    target_value = serializers.FloatField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    achievability_note = serializers.CharField()


class DriverDiagramSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan_id", read_only=True)
    aim = AimSerializer(read_only=True, help_text="The aim: a SMARTe goal.")
    nodes = DriverNodeSerializer(
        many=True,
        read_only=True,
        help_text="The primary drivers in order, each with its secondary drivers and "
        "their change ideas under children.",
    )

    class Meta:
        model = DriverDiagram
        fields = ["id", "plan", "version", "aim", "nodes", "updated_at"]
        read_only_fields = fields

    def to_representation(self, instance: DriverDiagram) -> dict[str, Any]:
        request = self.context.get("request")
        tree = tree_json(instance, request.user if request is not None else None)
        return {
            "id": instance.pk,
            "plan": instance.plan_id,
            "version": instance.version,
            **tree,
            "updated_at": serializers.DateTimeField().to_representation(instance.updated_at),
        }


class DriverDiagramListSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan_id", read_only=True)

    class Meta:
        model = DriverDiagram
        fields = ["id", "plan", "outcome", "version", "updated_at"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Strategic plans you can see",
        description=(
            "District and hub strategic plans within your reach: your own district's or "
            "hub's plans, and the plans in use of the districts and hubs you work with."
        ),
        responses=list_responses(StrategicPlanSerializer(many=True)),
    ),
    retrieve=extend_schema(
        summary="One strategic plan",
        description="A strategic plan by its id, with the id of its driver diagram.",
        responses=detail_responses(StrategicPlanSerializer),
    ),
)
class StrategicPlanViewSet(ScopedViewSet):
    serializer_class = StrategicPlanSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return (
            strategic_plans_visible_to(self.request.user)
            .select_related("first_year", "last_year")
            .annotate(diagram_pk=F("diagram__id"))
            .order_by("-first_year__year", "title", "pk")
        )

    def gate(self, lookup: str) -> Model:
        plan, _ = strategic_plan_get_for_user(self.request.user, as_int(lookup))
        return plan


@extend_schema_view(
    list=extend_schema(
        summary="Driver diagrams you can see",
        description="The driver diagrams of the strategic plans you can see, with their aims.",
        responses=list_responses(DriverDiagramListSerializer(many=True)),
    ),
    retrieve=extend_schema(
        summary="One driver diagram",
        description=(
            "A driver diagram by its id: the aim's SMARTe fields, then the primary drivers "
            "in order, each with its secondary drivers and their change ideas, tagged "
            "technical or adaptive, with the measures linked to each."
        ),
        responses=detail_responses(DriverDiagramSerializer),
    ),
)
class DriverDiagramViewSet(ScopedViewSet):
    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return DriverDiagramListSerializer if self.action == "list" else DriverDiagramSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return (
            DriverDiagram.objects.filter(plan__in=strategic_plans_visible_to(self.request.user))
            .select_related("plan", "measure", "student_group")
            .order_by("plan__title", "pk")
        )

    def gate(self, lookup: str) -> Model:
        diagram, _ = diagram_get_for_user(self.request.user, as_int(lookup))
        return diagram

"""The student pages that show figures computed from student records (see core.aggregates)."""

from __future__ import annotations

from leadhub.core.aggregates import register_aggregate_view

register_aggregate_view(
    "students:section_detail",
    persona="teacher",
    args=lambda world: [world.objects["section"].pk],
    description="A class's latest results by performance level",
)
register_aggregate_view(
    "students:school_summary",
    persona="principal",
    args=lambda world: [world.school.pk],
    description="A school's students by grade, race and ethnicity, and program",
)

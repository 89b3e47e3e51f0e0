"""The measures pages that show figures from student records, for the aggregate registry.

In the test world the computed measure "Math benchmark: at or above standard" has
Lincoln's values for all students (26), English learners (3: hidden) and race and
ethnicity (12 White, 11 Hispanic, 3 Black: the 3 hidden, and the 11 too wherever the
total and the other groups are shown beside them).
"""

from __future__ import annotations

from leadhub.core.aggregates import register_aggregate_view

register_aggregate_view(
    "measures:detail",
    persona="principal",
    args=lambda world: [world.objects["computed_measure"].pk],
    description="A measure's series at the principal's own school, with every group's "
    "latest value (EL and Black hidden as small, Hispanic as complementary).",
)
register_aggregate_view(
    "measures:detail",
    persona="principal",
    args=lambda world: [world.objects["computed_measure"].pk],
    query="?group=el",
    description="One small group's series: every value hidden.",
)
register_aggregate_view(
    "measures:school",
    persona="principal",
    args=lambda world: [world.school.pk],
    description="The school's data page: each computed measure's groups, suppressed.",
)
register_aggregate_view(
    "measures:district",
    persona="district_leader",
    args=lambda world: [world.district.pk],
    query="?group=el",
    description="Schools compared for English learners: Lincoln's 3 hidden.",
)
register_aggregate_view(
    "measures:hub",
    persona="hub_director",
    args=lambda world: [world.hub.slug],
    query="?group=black",
    description="The hub's schools compared for Black students: Lincoln's 3 hidden.",
)

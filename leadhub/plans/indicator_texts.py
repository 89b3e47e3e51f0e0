"""LeadHub's own indicator set for a school's self-assessment, grouped by domain.

Written by us for the built-in set (data migration 0003); a state or district adapts a
copy. Each indicator is a practice a school can see in itself and rate on the 4-level
scale, not a result: results are what goals are for.
"""

from __future__ import annotations

BUILTIN_NAME = "LeadHub school improvement indicators"
BUILTIN_DESCRIPTION = (
    "Practices of schools that keep improving, in five domains. Rate each one from "
    "“not yet in place” to “fully in place” and note the evidence you looked at."
)

# (domain, code, text)
BUILTIN_INDICATORS: tuple[tuple[str, str, str], ...] = (
    (
        "Shared leadership",
        "ilt-focus",
        "An Instructional Leadership Team of teachers and administrators meets at least "
        "twice a month and spends most of its time on teaching and learning.",
    ),
    (
        "Shared leadership",
        "teacher-teams",
        "Every teacher belongs to a team that meets regularly to plan instruction and "
        "look at student work together.",
    ),
    (
        "Shared leadership",
        "decisions-shared",
        "Decisions about instruction are made with teachers, and the reasons are shared "
        "with the whole staff.",
    ),
    (
        "Shared leadership",
        "leaders-grow",
        "Teacher leaders are chosen openly and supported to lead their colleagues.",
    ),
    (
        "Teaching and learning",
        "common-expectations",
        "The staff share clear expectations for what strong instruction looks like in "
        "every classroom.",
    ),
    (
        "Teaching and learning",
        "rigorous-tasks",
        "Students work on grade-level tasks that ask them to think, explain and apply.",
    ),
    (
        "Teaching and learning",
        "support-in-class",
        "Students who need more support get it during core instruction, not only outside it.",
    ),
    (
        "Teaching and learning",
        "learning-together",
        "Professional learning is tied to the school's goals and followed up in classrooms.",
    ),
    (
        "Data and monitoring",
        "data-cycles",
        "Teams look at student results on a regular calendar and decide what to change.",
    ),
    (
        "Data and monitoring",
        "groups-visible",
        "Results are looked at by student group, so gaps are seen and acted on.",
    ),
    (
        "Data and monitoring",
        "plan-monitored",
        "The improvement plan's goals and action steps are reviewed at least monthly.",
    ),
    (
        "Data and monitoring",
        "walkthroughs",
        "Leaders visit classrooms often, with a shared focus, and give feedback that "
        "helps teachers grow.",
    ),
    (
        "Climate and partnership",
        "belonging",
        "Students say adults at school know them and care whether they succeed.",
    ),
    (
        "Climate and partnership",
        "attendance",
        "The school tracks attendance weekly and reaches out early when a student starts "
        "to miss school.",
    ),
    (
        "Climate and partnership",
        "families",
        "Families hear from the school about their child's learning, and their views "
        "shape the school's priorities.",
    ),
    (
        "Resources and systems",
        "time",
        "The schedule protects time for teams to meet and for students who need more time "
        "to learn.",
    ),
    (
        "Resources and systems",
        "money-follows",
        "Budget and staffing decisions follow the plan's priorities.",
    ),
    (
        "Resources and systems",
        "new-staff",
        "New staff are welcomed, mentored and brought into the school's ways of working.",
    ),
)

"""What demo teams write: agenda items, notes, decisions, action items, proposals.

Written for the demo, in the voice of a recorder typing during a meeting. Nothing here
names a person (no student, and no colleague either), so nothing in a team's records
can leak a name into a feed, an export or a screenshot.
"""

from __future__ import annotations

import random

from leadhub.meetings.models import AgendaKind
from leadhub.teams.models import TeamKind

Kind = AgendaKind

# Relative share of a meeting's time each kind of item usually gets.
KIND_MINUTES: dict[str, int] = {
    Kind.LOOKING_AT_STUDENT_WORK: 30,
    Kind.DATA_REVIEW: 20,
    Kind.PROFESSIONAL_LEARNING: 20,
    Kind.GOAL_MONITORING: 15,
    Kind.TEACHER_ISSUE: 15,
    Kind.FOLLOW_UP: 10,
    Kind.INFORMATION: 10,
}

FOCUS_BY_LEVEL: dict[str, tuple[str, ...]] = {
    "elementary": (
        "kindergarten letter-sound checks",
        "first-grade journal entries",
        "second-grade opinion paragraphs",
        "third-grade reading responses",
        "fourth-grade math explanations",
        "fifth-grade fraction tasks",
    ),
    "middle": (
        "sixth-grade ratio tasks",
        "seventh-grade argument essays",
        "eighth-grade lab reports",
        "seventh-grade source analyses",
        "sixth-grade reading responses",
    ),
    "high": (
        "ninth-grade argument essays",
        "algebra constructed responses",
        "biology lab conclusions",
        "history document analyses",
        "geometry proofs",
        "world language writing prompts",
    ),
}

ILT_TITLES: dict[str, tuple[str, ...]] = {
    Kind.LOOKING_AT_STUDENT_WORK: (
        "Looking at student work: {focus}",
        "Tuning protocol: {focus}",
        "Calibrating our scoring of {focus}",
        "What the work shows: {focus}",
    ),
    Kind.DATA_REVIEW: (
        "Benchmark results by grade and subject",
        "Screening data: which students need intervention",
        "Attendance and chronic absence check",
        "Common assessment results across teams",
        "Reading growth since the last screener",
        "Math benchmark: item analysis",
    ),
    Kind.PROFESSIONAL_LEARNING: (
        "Practicing a discussion protocol",
        "Planning the next institute day",
        "Checking for understanding: strategies to try",
        "Reading together: feedback that moves learning",
        "Academic vocabulary routines across subjects",
        "Small-group instruction: what it looks like here",
    ),
    Kind.GOAL_MONITORING: (
        "Improvement plan goal check: reading",
        "Improvement plan goal check: mathematics",
        "Action steps of the improvement plan: where we stand",
        "Goal monitoring: attendance",
        "Mid-year review of our goals",
    ),
    Kind.TEACHER_ISSUE: (
        "Raised by teachers: time for intervention groups",
        "Raised by teachers: too many assessments in one week",
        "Raised by teachers: shared planning time",
        "Raised by teachers: consistent homework expectations",
        "Raised by teachers: materials for small-group reading",
        "Raised by teachers: transitions cutting into class time",
    ),
    Kind.FOLLOW_UP: (
        "Follow-up on last meeting's decisions",
        "Report-backs from instructional teams",
    ),
    Kind.INFORMATION: (
        "Announcements from the district office",
        "Testing calendar and logistics",
        "Upcoming events and duty schedule",
        "Budget and supply updates",
        "Safety drill dates",
        "Assembly and field trip calendar",
        "Report card deadlines",
        "Building and facilities updates",
    ),
}

TEAM_TITLES: dict[str, tuple[str, ...]] = {
    Kind.LOOKING_AT_STUDENT_WORK: (
        "Scoring this week's exit tickets together",
        "Sorting the common task into high, middle and low",
        "Calibrating scores on the unit writing task",
        "Looking at student work from the common task",
    ),
    Kind.DATA_REVIEW: (
        "Progress-monitoring check",
        "Common assessment results by standard",
        "Intervention groups: who moves",
        "Quiz results and reteaching plan",
    ),
    Kind.PROFESSIONAL_LEARNING: (
        "Planning the next unit together",
        "Lesson study: debrief of the observed lesson",
        "Trying the discussion routine: how it went",
        "Debrief of the coach's model lesson",
    ),
    Kind.GOAL_MONITORING: ("Team goal check-in", "Our part of the improvement plan"),
    Kind.TEACHER_ISSUE: (
        "A concern to take to the ILT",
        "Intervention time keeps getting cut",
    ),
    Kind.FOLLOW_UP: ("What we agreed last time",),
    Kind.INFORMATION: (
        "Field trip and supply logistics",
        "Schedule changes and duties",
        "Family communication reminders",
        "Conference sign-ups",
    ),
}

ADMIN_TITLES: dict[str, tuple[str, ...]] = {
    Kind.INFORMATION: (
        "Supervision and duty coverage",
        "Master schedule planning",
        "Substitute coverage this week",
        "Facilities and safety",
        "Budget check",
    ),
    Kind.DATA_REVIEW: (
        "Attendance and tardies this week",
        "Behavior referrals review",
        "Course failures at the progress report",
    ),
    Kind.PROFESSIONAL_LEARNING: (
        "Coaching schedule and classroom visits",
        "Planning feedback for walkthroughs",
    ),
    Kind.GOAL_MONITORING: ("Improvement plan: leadership action steps",),
    Kind.FOLLOW_UP: ("Open items from last week",),
}

SIT_TITLES: dict[str, tuple[str, ...]] = {
    Kind.GOAL_MONITORING: (
        "School improvement plan: progress update",
        "Reviewing the plan's goals before approval",
    ),
    Kind.DATA_REVIEW: ("Family survey results", "Attendance trends this year"),
    Kind.INFORMATION: (
        "Family engagement night planning",
        "Budget priorities for next year",
        "Questions families have raised",
        "Volunteer opportunities",
    ),
    Kind.FOLLOW_UP: ("Follow-up from last month",),
}

DETAILS: dict[str, tuple[str, ...]] = {
    Kind.LOOKING_AT_STUDENT_WORK: (
        "Bring three samples: one strong, one typical, one that worries you.",
        "Bring a class set, names covered.",
        "",
    ),
    Kind.DATA_REVIEW: ("Reports are in the shared folder.", "Print the summary page.", ""),
    Kind.PROFESSIONAL_LEARNING: ("Read the two-page article before the meeting.", ""),
    Kind.GOAL_MONITORING: ("Goal tracker is linked in the plan.", ""),
}

GOOD_NOTES: dict[str, tuple[str, ...]] = {
    Kind.LOOKING_AT_STUDENT_WORK: (
        "Each team brought three samples. Most students stated a claim but few supported it "
        "with evidence from the text. Teams will model citing evidence in the next unit.",
        "Scored the samples against the rubric and disagreed on two of them; we agreed what a "
        "proficient explanation looks like and wrote it down for every team.",
        "Students set up the problems correctly but their written reasoning was thin. We will "
        "try sentence frames for explaining steps and look again in two weeks.",
        "The strongest pieces came from classes that used the planning organizer. Teams that "
        "did not use it want to try it before the next sample.",
    ),
    Kind.DATA_REVIEW: (
        "Proficiency rose in two grades and stayed flat in one. We asked for item-level "
        "results before deciding on regrouping.",
        "About a fifth of students are below the screening cut score. Intervention groups "
        "will be rebuilt from the new results by Friday.",
        "Chronic absence is highest on Mondays and Fridays. The attendance team will call "
        "families of students with five or more absences.",
        "Results by standard show fractions and measurement as the weakest areas across "
        "teams. Teams will plan a reteach before the next check.",
    ),
    Kind.PROFESSIONAL_LEARNING: (
        "Practiced the protocol with a short article. Members found the timed rounds helpful "
        "and want to use them in team meetings.",
        "Drafted the institute day agenda: a morning on small groups and an afternoon of team "
        "planning time.",
        "Tried three quick checks for understanding; each member picks one to use this week "
        "and reports back.",
        "The coach modeled the vocabulary routine. Teams will use it with the next unit's "
        "word list.",
    ),
    Kind.GOAL_MONITORING: (
        "Reading goal: on track in three grades, behind in two. Added a check of guided "
        "reading minutes to the next meeting.",
        "Math goal: benchmark growth is close to the target. Two action steps are done and "
        "one is late; owners updated the tracker.",
        "Attendance goal is slightly behind target. Family outreach step moves up to next month.",
        "Reviewed every action step in the plan: most are on schedule, the tutoring step "
        "needs a new start date.",
    ),
    Kind.TEACHER_ISSUE: (
        "Teachers described losing about ten minutes of intervention time to transitions. "
        "We will trial a new schedule for two weeks and look at the results.",
        "Three assessments fall in the same week. The testing calendar will be adjusted and "
        "shared with all teams.",
        "Teams asked for shared planning time. The principal will look at the master "
        "schedule with the ILT next month.",
        "Small-group reading materials are short in several rooms. A list of needs goes to "
        "the office by Friday.",
    ),
    Kind.FOLLOW_UP: (
        "All but one action item done; the remaining one moves to next time.",
        "Representatives shared last meeting's decision with their teams; two teams had "
        "questions about timing.",
        "Went through open items quickly; one needs help from the coach.",
    ),
    Kind.INFORMATION: (
        "Shared the testing calendar; members will pass it to their teams.",
        "Reviewed the duty schedule and upcoming events.",
        "District updates on the budget and supply orders.",
    ),
}

THIN_NOTES: tuple[str, ...] = (
    "Discussed.",
    "Went over it briefly.",
    "Principal shared updates.",
    "No questions.",
    "See handout.",
    "Shared information with the group.",
    "Talked about it; no decision.",
    "Quick update.",
)

UNFINISHED_NOTES: tuple[str, ...] = (
    "Ran out of time; carried to the next meeting.",
    "Started but did not finish; continue next time.",
    "Only got through half; pick up here next meeting.",
)

CONFIDENTIAL_ITEMS: tuple[tuple[str, str], ...] = (
    ("A staffing concern", "Members only."),
    ("Coverage during a staff leave", "Members only."),
    ("A family situation affecting a class", "Members only: no names in the notes."),
)
CONFIDENTIAL_NOTES: tuple[str, ...] = (
    "Discussed privately; the principal will follow up.",
    "Shared in confidence; next steps agreed with those involved.",
)
CONFIDENTIAL_ACTION = "Follow up privately on the matter discussed in confidence"

ILT_DECISIONS_TO_SHARE: tuple[str, ...] = (
    "Every team uses the shared writing rubric for the next unit and brings two scored "
    "samples to the ILT.",
    "Teams give the common math check every other Friday and post results in the shared folder.",
    "Intervention groups are regrouped every six weeks from the screening results.",
    "Each team picks one discussion routine and uses it daily for a month.",
    "The first ten minutes of every team meeting go to looking at student work.",
    "Exit tickets are collected three times a week in every core class.",
    "Teams do not schedule two major assessments on the same day.",
    "Each team plans one lesson this month with the instructional coach.",
)
ILT_DECISIONS: tuple[str, ...] = (
    "The ILT reviews the attendance goal at the first meeting of each month.",
    "The next institute day focuses on small-group instruction.",
    "Item analysis for the benchmark is done before the next meeting.",
    "Fifteen minutes of every ILT agenda stay open for issues raised by teachers.",
)
TEAM_DECISIONS: dict[str, tuple[str, ...]] = {
    TeamKind.INSTRUCTIONAL: (
        "We use the same exit ticket for the next lesson in every class.",
        "We regroup for intervention on Mondays.",
        "We raise the intervention schedule with the ILT.",
        "Each of us brings two samples from the common task next week.",
    ),
    TeamKind.ADMINISTRATIVE: (
        "Walkthrough feedback goes out within two days.",
        "Lunch supervision rotates weekly.",
    ),
    TeamKind.SIT: (
        "The team recommends the plan draft for approval.",
        "The family night moves to a weeknight in the spring.",
    ),
}

ACTIONS: dict[str, tuple[str, ...]] = {
    TeamKind.ILT: (
        "Share the decision with your team and bring back questions",
        "Bring three scored student samples",
        "Pull item-level results for the benchmark",
        "Draft the intervention block schedule",
        "Send the agenda and materials to members",
        "Update the goal tracker with this month's data",
        "Ask the district office for the screening reports",
        "Prepare the institute day session",
        "Collect team feedback on the homework guideline",
        "Find a short article on feedback for the next meeting",
    ),
    TeamKind.INSTRUCTIONAL: (
        "Copy the common task for all classes",
        "Enter quiz results in the team tracker",
        "Try the discussion routine and note what happened",
        "Plan the first lesson of the next unit",
        "Send the field trip letter home",
        "Bring two samples from the common task",
    ),
    TeamKind.ADMINISTRATIVE: (
        "Update the duty schedule",
        "Follow up on attendance letters",
        "Order replacement materials",
        "Schedule the next round of walkthroughs",
    ),
    TeamKind.SIT: (
        "Post the survey link on the school website",
        "Draft the family night flyer",
        "Share the budget summary with families",
    ),
}

TEAM_RESPONSES: tuple[str, ...] = (
    "The team agreed and starts next week.",
    "Two teachers asked for a model lesson before trying it.",
    "The team wants to finish the current unit first and switch after.",
    "Questions about grading; the representative brings them to the ILT.",
    "No concerns raised.",
    "Supportive, but worried about the time it takes; asked for a shorter version.",
    "The team already does something similar and will share its version.",
)

# (issue, details, the team's answer)
INTAKE: tuple[tuple[str, str, str], ...] = (
    (
        "Shared planning time with the special education teacher",
        "Co-taught classes have no common planning period this semester.",
        "The master schedule review in the spring will include a common period.",
    ),
    (
        "Too many assessments in the same week",
        "The district benchmark and two unit tests land in the same week.",
        "The testing calendar now spreads them over two weeks.",
    ),
    (
        "Small-group reading materials are running short",
        "Several classrooms share one set of leveled texts.",
        "More sets were ordered from the building budget.",
    ),
    (
        "Consistent expectations for late work",
        "Each class handles late work differently and families are confused.",
        "A draft guideline goes to every team for feedback.",
    ),
    (
        "Time for new teachers to observe colleagues",
        "First-year teachers would like to watch a lesson in another room.",
        "The coach arranges coverage for two observations each.",
    ),
    (
        "Transitions after lunch cut into class time",
        "Classes start several minutes late after lunch most days.",
        "The administrative team changed the order classes leave lunch.",
    ),
    (
        "Intervention block overlaps with specials",
        "Some students miss intervention when they have art or music.",
        "The schedule was adjusted for the next quarter.",
    ),
)
INTAKE_FROM_RESPONSES: tuple[tuple[str, str, str], ...] = (
    (
        "Grading questions about the shared rubric",
        "Our team asked how the rubric scores turn into grades.",
        "Rubric scores inform feedback; grades follow the current policy for now.",
    ),
    (
        "A shorter version of the routine",
        "The team finds the routine useful but long for a single class period.",
        "The coach prepared a ten-minute version.",
    ),
)

CANCELLATIONS: tuple[str, ...] = (
    "Parent–teacher conferences that evening",
    "Principal called to a district meeting",
    "Not enough substitutes: members covering classes",
    "Weather closure",
    "Make room for state testing",
    "Staff meeting ran over",
)
GUESTS: tuple[str, ...] = (
    "District literacy coordinator",
    "District math coordinator",
    "Hub leadership coach",
    "School psychologist",
    "Student teacher",
    "Family liaison",
)


def _titles(kind: str, team_kind: str) -> tuple[str, ...]:
    tables: dict[str, dict[str, tuple[str, ...]]] = {
        TeamKind.ILT: ILT_TITLES,
        TeamKind.INSTRUCTIONAL: TEAM_TITLES,
        TeamKind.ADMINISTRATIVE: ADMIN_TITLES,
        TeamKind.SIT: SIT_TITLES,
    }
    table = tables.get(team_kind, ILT_TITLES)
    return table.get(kind) or ILT_TITLES[kind]


def agenda_item(
    kind: str, team_kind: str, level: str, label: str, rng: random.Random, used: set[str]
) -> tuple[str, str]:
    """A title (one not already on this agenda, where the list allows) and what to bring."""
    templates = _titles(kind, team_kind)
    foci = (label,) if label else FOCUS_BY_LEVEL.get(level, FOCUS_BY_LEVEL["elementary"])
    title = ""
    for _ in range(4):
        template = rng.choice(templates)
        title = template.format(focus=rng.choice(foci)) if "{focus}" in template else template
        if title not in used:
            break
    return title, rng.choice(DETAILS.get(kind, ("",)))


def note(kind: str, team_kind: str, q: float, rng: random.Random) -> str:
    """What the recorder wrote: a few useful sentences at a healthy team, a word or
    nothing at a struggling one."""
    if rng.random() < 0.25 + 0.75 * q:
        return rng.choice(GOOD_NOTES[kind])
    if rng.random() < 0.4 * (1 - q):
        return ""
    return rng.choice(THIN_NOTES)


def decision(team_kind: str, communicate: bool, rng: random.Random) -> str:
    if team_kind == TeamKind.ILT:
        return rng.choice(ILT_DECISIONS_TO_SHARE if communicate else ILT_DECISIONS)
    return rng.choice(TEAM_DECISIONS.get(team_kind, ILT_DECISIONS))


def action(team_kind: str, rng: random.Random) -> str:
    return rng.choice(ACTIONS.get(team_kind, ACTIONS[TeamKind.ILT]))

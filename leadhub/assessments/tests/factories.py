from __future__ import annotations

import factory

from leadhub.assessments.models import Assessment, AssessmentResult, Subject, Window
from leadhub.orgs.tests.factories import SchoolYearFactory, current_year
from leadhub.students.tests.factories import StudentFactory


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"assessment-{n}")
    name = factory.Sequence(lambda n: f"Assessment {n}")
    level_count = 4
    proficient_level = 3


class AssessmentResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentResult

    student = factory.SubFactory(StudentFactory)
    district = factory.SelfAttribute("student.district")
    school = factory.SubFactory(
        "leadhub.orgs.tests.factories.SchoolFactory", district=factory.SelfAttribute("..district")
    )
    assessment = factory.SubFactory(AssessmentFactory)
    subject = Subject.MATH
    grade = "03"
    school_year = factory.LazyFunction(lambda: SchoolYearFactory(year=current_year()))
    window = Window.WINTER
    scale_score = 200.0
    performance_level = 3

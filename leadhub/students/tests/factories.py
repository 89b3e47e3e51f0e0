from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from leadhub.accounts.tests.factories import UserFactory
from leadhub.orgs.tests.factories import SchoolFactory, SchoolYearFactory, current_year
from leadhub.students.models import (
    Section,
    SectionStudent,
    SectionTeacher,
    Student,
    StudentAccessGrant,
    StudentEnrollment,
    StudentGroup,
    StudentGroupMembership,
)


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    district = factory.SubFactory("leadhub.orgs.tests.factories.DistrictFactory")
    state_student_id = factory.Sequence(lambda n: f"9{n:09d}")
    sourced_id = factory.Sequence(lambda n: f"stu-{n}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")


class StudentEnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentEnrollment

    school = factory.SubFactory(SchoolFactory)
    student = factory.SubFactory(
        StudentFactory, district=factory.SelfAttribute("..school.district")
    )
    district = factory.SelfAttribute("school.district")
    school_year = factory.LazyFunction(lambda: SchoolYearFactory(year=current_year()))
    grade = "03"


class StudentGroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentGroupMembership

    student = factory.SubFactory(StudentFactory)
    district = factory.SelfAttribute("student.district")
    school_year = factory.LazyFunction(lambda: SchoolYearFactory(year=current_year()))
    group = factory.LazyFunction(lambda: StudentGroup.objects.get(code="el"))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    school = factory.SubFactory(SchoolFactory)
    district = factory.SelfAttribute("school.district")
    school_year = factory.LazyFunction(lambda: SchoolYearFactory(year=current_year()))
    sourced_id = factory.Sequence(lambda n: f"class-{n}")
    title = factory.Sequence(lambda n: f"Class {n}")
    grades = "03"
    subjects = "Mathematics"


class SectionStudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SectionStudent

    section = factory.SubFactory(SectionFactory)
    student = factory.SubFactory(
        StudentFactory, district=factory.SelfAttribute("..section.district")
    )
    district = factory.SelfAttribute("section.district")


class SectionTeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SectionTeacher

    section = factory.SubFactory(SectionFactory)
    user = factory.SubFactory(UserFactory)
    district = factory.SelfAttribute("section.district")


class StudentAccessGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentAccessGrant

    user = factory.SubFactory(UserFactory)
    district = factory.SubFactory("leadhub.orgs.tests.factories.DistrictFactory")
    purpose = "Program evaluation study"
    granted_by = factory.SubFactory(UserFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))

from __future__ import annotations

import factory

from leadhub.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Person {n} Example")
    email = factory.Sequence(lambda n: f"person{n}@world.test")
    password = factory.django.Password("correct-horse-battery-staple")

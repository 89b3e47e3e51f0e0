from __future__ import annotations

import time

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from leadhub.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Person {n} Example")
    email = factory.Sequence(lambda n: f"person{n}@world.test")
    password = factory.django.Password("correct-horse-battery-staple")


TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_totp(user: User) -> str:
    """An authenticator app (and recovery codes) for ``user``, as allauth makes on set-up.

    Calling it again for the same person changes nothing. Returns the TOTP secret, so a
    test can compute valid codes with :func:`current_code`.
    """
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TEST_TOTP_SECRET)
    RecoveryCodes.activate(user)
    return TEST_TOTP_SECRET


def current_code(secret: str, period: int = 30) -> str:
    """The code an authenticator app shows now; waits out the last moment of a period."""
    left = period - time.time() % period
    if left < 1.5:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))

"""People: one account per person, signing in with an email address."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from leadhub.core.history import track_history
from leadhub.core.models import DistrictScoped, TimeStamped


def normalize_email_address(email: str) -> str:
    """Email addresses are unique regardless of case, so they are stored lower-cased."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalize_email_address(username or ""))

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("A person needs an email address to sign in.")
        user = self.model(email=normalize_email_address(email), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


@track_history
class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Deactivated when they leave, never deleted.

    Students are never accounts: their records live in their own protected app.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    preferred_name = models.CharField(
        max_length=80,
        blank=True,
        help_text="What colleagues call this person, if not the full name.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Deactivated people cannot sign in; their records keep their name."
    )
    is_staff = models.BooleanField(default=False, help_text="May open the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="unique_email_regardless_of_case")
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email_address(self.email)

    def get_absolute_url(self) -> str:
        return reverse("accounts:person_detail", args=[self.public_id])

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.preferred_name or self.full_name.split(" ")[0]

    @property
    def initials(self) -> str:
        parts = [p for p in self.full_name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    # Every open session carries this hash and ends when it no longer matches. Django
    # derives it from the password, so a new password ends every session; a deactivation
    # is mixed in too, so sessions opened before it never come back, even if the account
    # is reactivated later. Accounts never deactivated keep exactly Django's hash.
    def get_session_auth_hash(self) -> str:
        return self._session_hash(secret=None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=fallback_secret)

    def _session_hash(self, *, secret: str | bytes | None) -> str:
        value = self.password
        if self.deactivated_at is not None:
            value = f"{value}|{self.deactivated_at.isoformat()}"
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            value,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


@track_history
class DistrictSignIn(DistrictScoped, TimeStamped):
    """A district's single sign-on: which OpenID Connect provider its people sign in with.

    The provider itself is an allauth ``SocialApp`` (``provider_id`` ``district-<pk>``),
    which holds the client secret; this record keeps what the district chose, with its
    history, and whether sign-in is on. People link on the provider's subject identifier.
    """

    class ProviderKind(models.TextChoices):
        GOOGLE = "google", "Google"
        MICROSOFT = "microsoft", "Microsoft Entra ID"
        CLEVER = "clever", "Clever"
        CLASSLINK = "classlink", "ClassLink"
        OTHER = "other", "Another OpenID Connect provider"

    district = models.OneToOneField(
        "orgs.District", on_delete=models.PROTECT, related_name="sign_in"
    )
    provider_kind = models.CharField(
        "kind of provider", max_length=20, choices=ProviderKind.choices
    )
    issuer_url = models.URLField("issuer URL", max_length=300)
    client_id = models.CharField("client ID", max_length=191)
    enabled = models.BooleanField("sign-in is on", default=False)
    social_app = models.OneToOneField(
        SocialApp, on_delete=models.PROTECT, related_name="district_sign_in"
    )

    class Meta:
        ordering = ["district__name"]
        verbose_name = "district sign-in"

    def __str__(self) -> str:
        return f"Sign-in for {self.district}"

    @property
    def provider_id(self) -> str:
        return self.social_app.provider_id

    @staticmethod
    def provider_id_for(district_pk: int) -> str:
        return f"district-{district_pk}"

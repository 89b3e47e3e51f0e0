"""People: one account per person, signing in with an email address."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from leadhub.core.history import track_history


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

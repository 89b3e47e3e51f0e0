from __future__ import annotations

from collections.abc import Iterable

from allauth.socialaccount.models import SocialAccount
from django import template

from leadhub.accounts.selectors import LinkedSignIn, linked_sign_ins

register = template.Library()


@register.simple_tag
def district_sign_ins_of(accounts: Iterable[SocialAccount]) -> list[LinkedSignIn]:
    """allauth's connections page knows accounts by provider ID; people know districts."""
    return linked_sign_ins(list(accounts))

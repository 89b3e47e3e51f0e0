from __future__ import annotations

from django import forms


class TokenActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("create", "Create a key"), ("revoke", "Revoke the key")],
        error_messages={
            "required": "Choose whether to create or revoke your key.",
            "invalid_choice": "Choose whether to create or revoke your key.",
        },
    )

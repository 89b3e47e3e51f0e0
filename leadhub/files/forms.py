from __future__ import annotations

from django import forms

from leadhub.files.content import ACCEPT_ATTRIBUTE, ACCEPTED_TYPES_SENTENCE, describe_size


class UploadForm(forms.Form):
    """Only that a file was chosen; what it really is, file_store checks by its content."""

    file = forms.FileField(
        label="File",
        error_messages={
            "required": "Choose a file to upload.",
            "empty": "This file is empty. Check that it opens on your computer, then choose "
            "it again.",
            "invalid": "No file arrived. Choose the file again.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args: object, max_bytes: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["file"].help_text = (
            f"{ACCEPTED_TYPES_SENTENCE[0].upper()}{ACCEPTED_TYPES_SENTENCE[1:]}, up to "
            f"{describe_size(max_bytes)}. Photos are kept without their location and camera "
            "details."
        )

"""The admin holds no student rows: only the group vocabulary and the grants of access.

State administrators read aggregates, never rows, so students, enrollments, classes and
results are not registered here. A grant is who may read a district's rows for a study:
it names who granted it, nobody grants one to themselves, and every save is audited.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern

from leadhub.audit.services import audit_record
from leadhub.core.admin_site import LeadHubModelAdmin
from leadhub.students.models import StudentAccessGrant, StudentGroup


class UntrackedModelAdmin(LeadHubModelAdmin):
    """LeadHub's admin rules for a model without record history: its history page is
    Django's own log of admin changes, and there are no past versions to open."""

    object_history_template = admin.ModelAdmin.object_history_template

    def get_urls(self) -> list[URLPattern]:
        return admin.ModelAdmin.get_urls(self)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)


@admin.register(StudentGroup)
class StudentGroupAdmin(UntrackedModelAdmin):
    list_display = ["label", "code", "category", "state", "sort_order"]
    list_filter = ["category", "state"]
    search_fields = ["label", "code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Imports, exports and the API key on the code: it never changes once used.
        return ["code"] if obj is not None else []


class StudentAccessGrantForm(forms.ModelForm):
    granting_user: Any = None

    class Meta:
        model = StudentAccessGrant
        fields = ["user", "district", "school", "purpose", "start_date", "end_date"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user, school, district = data.get("user"), data.get("school"), data.get("district")
        if user is not None and user == self.granting_user:
            raise forms.ValidationError("Nobody can grant access to student records to themselves.")
        if school is not None and district is not None and school.district_id != district.pk:
            self.add_error("school", "Choose a school of the district, or leave it empty.")
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The last day comes after the first.")
        return data


@admin.register(StudentAccessGrant)
class StudentAccessGrantAdmin(UntrackedModelAdmin):
    form = StudentAccessGrantForm
    list_display = ["user", "district", "school", "purpose", "start_date", "end_date"]
    list_select_related = ["user", "district", "school"]
    search_fields = ["user__full_name", "user__email", "district__name", "purpose"]
    autocomplete_fields = ["user", "district", "school"]

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, **kwargs)
        form.granting_user = request.user
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
        audit_record(
            action="students.grant.change" if change else "students.grant.create",
            object_type="students.StudentAccessGrant",
            object_id=obj.pk,
            district_id=obj.district_id,
            request=request,
        )

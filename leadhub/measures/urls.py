from django.urls import path, register_converter

from leadhub.measures.views import dashboards, library, series


class SeriesConverter:
    """A series in an address: ``school-12``, ``team-5`` or ``district-3``."""

    regex = r"(?:school|team|district)-[0-9]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SeriesConverter, "series")

app_name = "measures"

urlpatterns = [
    path("", library.home, name="home"),
    path("library/", library.library, name="library"),
    path("new/", library.measure_create, name="create"),
    path("<int:pk>/", series.measure_detail, name="detail"),
    path("<int:pk>/edit/", library.measure_edit, name="edit"),
    path("<int:pk>/archive/", library.measure_archive, name="archive"),
    path("<int:pk>/<series:series>/chart/", series.chart_settings, name="chart_settings"),
    path("<int:pk>/<series:series>/values/new/", series.value_create, name="value_create"),
    path(
        "<int:pk>/<series:series>/values/<int:value_pk>/",
        series.value_edit,
        name="value_edit",
    ),
    path(
        "<int:pk>/<series:series>/values/<int:value_pk>/delete/",
        series.value_delete,
        name="value_delete",
    ),
    path("<int:pk>/<series:series>/notes/new/", series.annotation_create, name="note_create"),
    path(
        "<int:pk>/<series:series>/notes/<int:note_pk>/delete/",
        series.annotation_delete,
        name="note_delete",
    ),
    path("<int:pk>/<series:series>/export/<str:fmt>/", series.series_export, name="export"),
    path("schools/<int:school_pk>/", dashboards.school_data, name="school"),
    path("teams/<int:team_pk>/", dashboards.team_data, name="team"),
    path("districts/<int:pk>/", dashboards.district_data, name="district"),
    path("districts/<int:pk>/recompute/", dashboards.district_recompute, name="recompute"),
    path("hubs/<slug:slug>/", dashboards.hub_data, name="hub"),
]

from django.urls import path

from leadhub.plans.views import goals, plan, workflow

app_name = "plans"

urlpatterns = [
    path("", plan.home, name="home"),
    path("schools/<int:school_pk>/new/", plan.create, name="create"),
    path("<int:pk>/", plan.plan_page, name="plan"),
    path("<int:pk>/self-assessment/", plan.self_assessment, name="self_assessment"),
    path(
        "<int:pk>/self-assessment/<int:indicator_pk>/files/",
        plan.rating_file_upload,
        name="rating_file_upload",
    ),
    path("self-assessment-files/<uuid:file_id>/", plan.rating_file, name="rating_file"),
    path("<int:pk>/needs/", plan.needs, name="needs"),
    path("needs/<int:pk>/edit/", plan.need_edit, name="need_edit"),
    path("<int:pk>/strategies/", plan.strategies, name="strategies"),
    path("strategies/<int:pk>/edit/", plan.strategy_edit, name="strategy_edit"),
    path("strategies/<int:pk>/steps/new/", plan.step_new, name="step_new"),
    path("steps/<int:pk>/", plan.step, name="step"),
    path("districts/<int:pk>/plan-settings/", plan.policy, name="policy"),
    path("indicator-sets/<int:pk>/", plan.indicator_set, name="indicator_set"),
    path("<int:pk>/goals/new/", goals.goal_new, name="goal_new"),
    path("<int:pk>/goals/check/", goals.goal_check, name="goal_check"),
    path("goals/<int:pk>/", goals.goal_page, name="goal"),
    path("goals/<int:pk>/edit/", goals.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/interim-targets/new/", goals.interim_new, name="interim_new"),
    path("goals/<int:pk>/checkpoints/new/", goals.checkpoint_new, name="checkpoint_new"),
    path("agenda-items/<int:pk>/goal/", goals.agenda_goal, name="agenda_goal"),
    path("<int:pk>/submit/", workflow.submit, name="submit"),
    path("<int:pk>/approve/", workflow.approve, name="approve"),
    path("<int:pk>/return/", workflow.return_plan, name="return"),
    path("<int:pk>/district-review/", workflow.district_review, name="review"),
    path("<int:pk>/versions/", workflow.versions, name="versions"),
    path("<int:pk>/versions/compare/", workflow.compare, name="compare"),
    path("<int:pk>/print/", workflow.print_plan, name="print"),
    path("<int:pk>/plan.pdf", workflow.plan_pdf, name="pdf"),
    path("<int:pk>/goals-and-steps.xlsx", workflow.export_xlsx, name="export"),
    path("<int:pk>/next-year/", workflow.next_year, name="next_year"),
    path("<int:pk>/comments/", workflow.comment, name="comment"),
]

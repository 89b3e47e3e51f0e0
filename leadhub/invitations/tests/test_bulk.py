from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from leadhub.invitations.bulk import MAX_ROWS
from leadhub.invitations.models import Invitation

pytestmark = pytest.mark.django_db

BULK = "invitations:bulk"


def school_place(world) -> str:
    return f"school:{world.school.pk}"


def test_a_pasted_list_with_one_bad_row_creates_nothing_and_explains_that_row(
    world, client_for
) -> None:
    lines = (
        "ana.ruiz@world.test, Ana Ruiz, teacher\n"
        "ben.oduya-at-world.test, Ben Oduya, teacher\n"
        "cy.lam@world.test, Cy Lam, Instructional coach\n"
    )
    client = client_for("principal")
    preview = client.post(reverse(BULK), {"place": school_place(world), "lines": lines})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "<strong>Row 2</strong>, column email: This is not an email address." in html
    assert "ben.oduya-at-world.test" not in html.split("bulk-problems")[1]
    assert not preview.context["ready"]
    assert 'value="confirm"' not in html
    assert [c.ok for c in preview.context["checks"]] == [True, False, True]

    confirmed = client.post(
        reverse(BULK), {"place": school_place(world), "lines": lines, "action": "confirm"}
    )
    assert confirmed.status_code == 400
    assert [(c.line, c.column) for c in confirmed.context["problems"]] == [(2, "email")]
    assert not Invitation.objects.exists()


def test_a_csv_upload_is_previewed_then_confirmed(world, client_for, send_now) -> None:
    content = (
        "\ufeffemail,full_name,role,school_state_id\r\n"
        "dee.park@world.test,Dee Park,teacher,\r\n"
        '"eli.moss@world.test","Moss, Eli",assistant principal,'
        + world.sibling_school.state_id
        + "\r\n"
        "fay.chen@world.test,Fay Chen,district leader,\r\n"
    ).encode()
    client = client_for("district_leader")
    upload = SimpleUploadedFile("staff.csv", content, content_type="text/csv")
    preview = client.post(reverse(BULK), {"place": school_place(world), "csv_file": upload})
    assert preview.status_code == 200
    assert preview.context["ready"]
    places = [(c.candidate.role, c.candidate.school) for c in preview.context["checks"]]
    assert places == [
        ("teacher", world.school),
        ("assistant_principal", world.sibling_school),
        ("district_leader", None),
    ]
    # The file's text is carried to the confirmation, which checks everything again.
    text = preview.context["form"].text
    assert "dee.park@world.test" in text
    with send_now():
        confirmed = client.post(
            reverse(BULK), {"place": school_place(world), "lines": text, "action": "confirm"}
        )
    assert confirmed.status_code == 302
    assert set(Invitation.objects.values_list("email", "full_name")) == {
        ("dee.park@world.test", "Dee Park"),
        ("eli.moss@world.test", "Moss, Eli"),
        ("fay.chen@world.test", "Fay Chen"),
    }
    assert sorted(m.to[0] for m in mail.outbox) == [
        "dee.park@world.test",
        "eli.moss@world.test",
        "fay.chen@world.test",
    ]
    assert Invitation.objects.filter(sent_at__isnull=True).count() == 0


def test_each_kind_of_bad_row_is_explained_without_repeating_it(world, client_for) -> None:
    lines = (
        "email,full_name,role,school_state_id\n"
        "gil.ray@world.test,Gil Ray,janitor\n"
        "hal.ito@world.test,Hal Ito,teacher\n"
        "HAL.ITO@world.test,Hal Ito,teacher\n"
        f"ivy.kim@world.test,Ivy Kim,teacher,{world.sibling_school.state_id}\n"
        f"jo.bell@world.test,Jo Bell,teacher,{world.other_school.state_id}\n"
        "kai.wu@world.test,Kai Wu,principal\n"
        "teacher@world.test,Teacher,teacher\n"
        "lu.ng@world.test\n"
        "\n"
        "mo.ali@world.test,,teacher\n"
    )
    preview = client_for("principal").post(
        reverse(BULK), {"place": school_place(world), "lines": lines}
    )
    assert preview.status_code == 200
    problems = {(c.line, c.column): c.message for c in preview.context["problems"]}
    assert problems == {
        (2, "role"): "This is not a role you can invite to. Use one of: district leader, "
        "principal, assistant principal, teacher, instructional coach.",
        (4, ""): "This row repeats row 3: the same email, role and place.",
        (5, "school_state_id"): "This is not one of the schools you can invite staff to.",
        (6, "school_state_id"): "This is not one of the schools you can invite staff to.",
        (7, "role"): "You cannot invite a principal there.",
        (8, ""): "This person already works here in this role.",
        (9, ""): "Expected an email, a full name and a role separated by commas, "
        "but found 1 value.",
        (11, "full_name"): "The full name is empty.",
    }
    problem_list = preview.content.decode().split("bulk-problems")[1].split("</ul>")[0]
    for secret in ("gil.ray", "janitor", "Hal Ito", world.other_school.state_id, "lu.ng"):
        assert secret not in problem_list


def test_an_upload_with_the_wrong_header_is_explained(world, client_for) -> None:
    upload = SimpleUploadedFile("staff.csv", b"Email Address,Name,Position\nx@y.test,X Y,teacher\n")
    response = client_for("principal").post(
        reverse(BULK), {"place": school_place(world), "csv_file": upload}
    )
    assert response.status_code == 400
    [error] = response.context["form"].errors["csv_file"]
    assert error.startswith("The first line must name the columns email,full_name,role")


def test_an_upload_without_a_header_is_explained(world, client_for) -> None:
    upload = SimpleUploadedFile("staff.csv", b"x@y.test,X Y,teacher\n")
    response = client_for("principal").post(
        reverse(BULK), {"place": school_place(world), "csv_file": upload}
    )
    assert response.status_code == 400
    assert "has no header line" in response.context["form"].errors["csv_file"][0]


def test_a_spreadsheet_file_is_refused_with_advice(world, client_for) -> None:
    book = Workbook()
    book.active.append(["email", "full_name", "role"])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("staff.xlsx", data.getvalue())
    response = client_for("principal").post(
        reverse(BULK), {"place": school_place(world), "csv_file": upload}
    )
    assert response.status_code == 400
    error = response.context["form"].errors["csv_file"][0]
    assert "not CSV" in error and "CSV UTF-8" in error


def test_a_file_that_is_not_utf8_is_explained(world, client_for) -> None:
    upload = SimpleUploadedFile(
        "staff.csv", "email,full_name,role\nzoë@world.test,Zoë,teacher\n".encode("latin-1")
    )
    response = client_for("principal").post(
        reverse(BULK), {"place": school_place(world), "csv_file": upload}
    )
    assert response.status_code == 400
    assert "not UTF-8 text" in response.context["form"].errors["csv_file"][0]


def test_a_list_longer_than_the_limit_is_refused(world, client_for) -> None:
    lines = "".join(f"p{n}@world.test,Person {n},teacher\n" for n in range(MAX_ROWS + 1))
    response = client_for("principal").post(
        reverse(BULK), {"place": school_place(world), "lines": lines}
    )
    assert response.status_code == 400
    assert "At most 500 people" in response.context["form"].errors["lines"][0]


def test_an_empty_list_is_explained(world, client_for) -> None:
    response = client_for("principal").post(reverse(BULK), {"place": school_place(world)})
    assert response.status_code == 400
    assert "Paste a list" in response.context["form"].errors["lines"][0]


def test_district_leaders_on_a_principals_list_are_refused_row_by_row(world, client_for) -> None:
    preview = client_for("principal").post(
        reverse(BULK),
        {"place": school_place(world), "lines": "nat.fox@world.test,Nat Fox,district_leader"},
    )
    [problem] = preview.context["problems"]
    assert (problem.column, problem.message) == (
        "role",
        "You cannot invite a district leader there.",
    )


def test_the_preview_through_htmx_returns_only_the_form_and_preview(world, client_for) -> None:
    response = client_for("principal").post(
        reverse(BULK),
        {"place": school_place(world), "lines": "oz.bay@world.test,Oz Bay,teacher"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "invitations/_bulk_area.html"
    assert "<h1>" not in response.content.decode()
    assert response.context["ready"]

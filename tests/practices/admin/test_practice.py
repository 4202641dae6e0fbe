import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from practices.admin.practice import PracticeAdmin
from practices.models import Practice, StrategicChallenge, ThematicPriority
from practices.versions import one_version
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "admin:practices_practice_changelist",
    "admin:practices_practice_add",
    "admin:practices_region_changelist",
    "admin:practices_thematicpriority_changelist",
    "admin:practices_recommendation_changelist",
    "admin:practices_practice_import",
]


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_staff_reach_the_admin_pages(sample_practices, staff_client, page):
    assert staff_client.get(reverse(page)).status_code == 200


def test_staff_open_a_practice_for_editing(sample_practices, staff_client):
    practice = Practice.objects.get(slug="newco-helsinki")
    response = staff_client.get(reverse("admin:practices_practice_change", args=[practice.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'type="checkbox" name="priorities"' in content
    assert 'type="checkbox" name="recommendations"' in content


def test_admin_list_filters_and_searches(sample_practices, staff_client):
    url = reverse("admin:practices_practice_changelist")
    response = staff_client.get(url, {"q": "Helsinki"})
    assert [p.slug for p in response.context["cl"].result_list] == ["newco-helsinki"]
    response = staff_client.get(url, {"country": "NO"})
    assert {p.slug for p in response.context["cl"].result_list} == {
        "norwegian-arena-programme",
        "nce-norwegian-centres-expertise",
    }
    response = staff_client.get(url, {"country_group": "efta"})
    assert {p.slug for p in response.context["cl"].result_list} == {
        "norwegian-arena-programme",
        "nce-norwegian-centres-expertise",
    }
    response = staff_client.get(url, {"country_group": "baltic"})
    assert {p.slug for p in response.context["cl"].result_list} == {
        "cluster-programme-latvia",
        "inolink-project-clusters",
    }


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_anyone_else_is_sent_to_the_login_page(sample_practices, client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_signed_in_non_staff_user_is_sent_to_the_login_page(
    sample_practices, client, django_user_model
):
    user = django_user_model.objects.create_user("visitor", password="a-long-password-1")
    user.user_permissions.set(Permission.objects.all())
    client.force_login(user)
    response = client.get(reverse("admin:practices_practice_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def inline_management_data(page):
    """What a browser sends for the change form's inlines (here, who suggested it): their
    management forms."""
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(
            {management.add_prefix(name): value for name, value in management.initial.items()}
        )
    return data


def change_form_data(staff_client, practice):
    """The change form's URL and what a browser would send back unchanged."""
    url = reverse("admin:practices_practice_change", args=[practice.pk])
    page = staff_client.get(url)
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(inline_management_data(page))
    return url, data


def rename_and_retag_in_the_admin(staff_client, practice):
    """Post the change form as a curator would: a new title, Green transition only."""
    url, data = change_form_data(staff_client, practice)
    data.update(
        title="NewCo Helsinki",
        priorities=[ThematicPriority.objects.get(slug="green-transition").pk],
        challenges=list(practice.challenges.values_list("pk", flat=True)),
        support_types=list(practice.support_types.values_list("pk", flat=True)),
        recommendations=list(practice.recommendations.values_list("pk", flat=True)),
    )
    return staff_client.post(url, {key: value for key, value in data.items() if value is not None})


def test_curators_edit_a_practice_and_the_change_is_recorded(sample_practices, staff_client):
    practice = Practice.objects.get(slug="newco-helsinki")
    response = rename_and_retag_in_the_admin(staff_client, practice)
    assert response.status_code == 302, response.context["adminform"].form.errors
    practice.refresh_from_db()
    assert practice.title == "NewCo Helsinki"
    assert set(practice.priorities.values_list("slug", flat=True)) == {"green-transition"}
    entry = LogEntry.objects.get(object_id=str(practice.pk))
    assert entry.user.username == "curator"
    assert "Title" in entry.get_change_message()


COMPLETE_DESCRIPTION = "A regional programme that funds cluster organisations. " * 4


def test_publish_and_unpublish_actions_toggle_the_flag_and_log_it(taxonomies, staff_client):
    # complete for publishing: a challenge and a support type (the factory's), a description
    draft = make_practice(slug="draft", is_published=False, description=COMPLETE_DESCRIPTION)
    url = reverse("admin:practices_practice_changelist")
    staff_client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published
    staff_client.post(url, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert not draft.is_published
    assert LogEntry.objects.filter(object_id=str(draft.pk)).count() == 2


def test_a_tag_still_in_use_cannot_be_deleted_in_the_admin(sample_practices, staff_client):
    resilience = ThematicPriority.objects.get(slug="resilience")
    url = reverse("admin:practices_thematicpriority_delete", args=[resilience.pk])
    response = staff_client.get(url)
    assert b"would require deleting the following protected related objects" in response.content
    staff_client.post(url, {"post": "yes"})
    assert ThematicPriority.objects.filter(slug="resilience").exists()
    assert Practice.objects.filter(priorities=resilience).count() == 9


def test_an_unused_tag_can_be_deleted(taxonomies, staff_client):
    unused = ThematicPriority.objects.create(slug="unused", name="Unused", position=9)
    url = reverse("admin:practices_thematicpriority_delete", args=[unused.pk])
    staff_client.post(url, {"post": "yes"})
    assert not ThematicPriority.objects.filter(slug="unused").exists()


def upload(staff_client, content, name="practices.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return staff_client.post(
        reverse("admin:practices_practice_import"),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_staff_preview_then_confirm_an_import(taxonomies, staff_client):
    from tests.practices.intake.csv.test_importer import SAMPLE_CSV

    preview = upload(staff_client, SAMPLE_CSV.read_bytes())
    assert preview.status_code == 200
    assert "<strong>15</strong> new</a>" in preview.content.decode()
    assert not Practice.objects.exists(), "nothing is written before the confirmation"
    response = staff_client.post(
        reverse("admin:practices_practice_import"),
        {"confirm": "1", "token": preview.context["token"]},
    )
    assert response.status_code == 302
    assert Practice.objects.published().count() == 15
    assert LogEntry.objects.filter(change_message="Imported from practices.csv.").count() == 15


def test_a_bad_upload_is_refused_with_its_problems_and_nothing_changes(
    sample_practices, staff_client
):
    from tests.practices.intake.csv.test_importer import GOOD_ROW, csv_file

    response = upload(staff_client, csv_file(GOOD_ROW.replace(",FI,", ",XX,")))
    content = response.content.decode()
    assert "practices.csv: Refused: 1 problem found; nothing was changed." in content
    assert "<td>2</td><td>country</td>" in content
    assert "token" not in response.context
    assert Practice.objects.count() == 15


def test_a_confirmation_without_a_preview_is_refused(sample_practices, staff_client):
    response = staff_client.post(
        reverse("admin:practices_practice_import"), {"confirm": "1", "token": "forged"}
    )
    assert response.status_code == 302
    assert Practice.objects.count() == 15


def test_only_staff_reach_the_import(sample_practices, client):
    response = client.get(reverse("admin:practices_practice_import"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_export_action_downloads_the_selection_including_drafts(taxonomies, staff_client):
    draft = make_practice(slug="draft", is_published=False)
    response = staff_client.post(
        reverse("admin:practices_practice_changelist"),
        {"action": "export_csv", "_selected_action": [draft.pk]},
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[1].startswith("draft,")


def staff_in_group(django_user_model, group_name, username):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username, password="a-long-password-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_curators_edit_and_publish_but_never_delete(sample_practices, client, django_user_model):
    client.force_login(staff_in_group(django_user_model, "Curators", "carla"))
    practice = Practice.objects.get(slug="newco-helsinki")
    assert (
        client.get(reverse("admin:practices_practice_change", args=[practice.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:practices_practice_add")).status_code == 200
    assert client.get(reverse("admin:practices_thematicpriority_add")).status_code == 200
    assert (
        client.get(reverse("admin:practices_practice_delete", args=[practice.pk])).status_code
        == 403
    )


def test_viewers_may_look_but_not_change(sample_practices, client, django_user_model):
    client.force_login(staff_in_group(django_user_model, "Viewers", "victor"))
    practice = Practice.objects.get(slug="newco-helsinki")
    assert client.get(reverse("admin:practices_practice_changelist")).status_code == 200
    response = client.post(
        reverse("admin:practices_practice_change", args=[practice.pk]), {"title": "Hijacked"}
    )
    assert response.status_code == 403
    practice.refresh_from_db()
    assert practice.title != "Hijacked"
    assert client.get(reverse("admin:practices_practice_add")).status_code == 403
    assert client.get(reverse("admin:practices_practice_import")).status_code == 403


def test_admin_sign_in_is_locked_after_repeated_failures(db, client, django_user_model):
    django_user_model.objects.create_superuser("curator", "c@example.eu", "the-right-password-1")
    url = reverse("admin:login")
    statuses = [
        client.post(url, {"username": "curator", "password": "wrong"}).status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the form with an error, then the lock
    response = client.post(url, {"username": "curator", "password": "the-right-password-1"})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()


def test_a_correct_password_signs_in_before_the_limit(db, client, django_user_model):
    django_user_model.objects.create_superuser("curator", "c@example.eu", "the-right-password-1")
    url = reverse("admin:login")
    client.post(url, {"username": "curator", "password": "wrong"})
    response = client.post(
        url, {"username": "curator", "password": "the-right-password-1", "next": "/admin/"}
    )
    assert response.status_code == 302


def test_every_change_keeps_a_version_with_who_when_and_what(sample_practices, staff_client):
    practice = Practice.objects.get(slug="newco-helsinki")
    practice.save()  # an earlier version (fixtures load without recording one)
    rename_and_retag_in_the_admin(staff_client, practice)
    versions = list(practice.history.order_by("history_date"))
    original, latest = versions[0], versions[-1]
    assert latest.history_user.username == "curator"
    delta = latest.diff_against(original)
    assert {change.field for change in delta.changes} >= {"title", "priorities"}
    assert original.title.startswith("Business incubation")
    assert {link.thematicpriority.slug for link in original.priorities.all()} == {
        "resilience",
        "digital-transition",
    }
    assert (
        staff_client.get(
            reverse("admin:practices_practice_history", args=[practice.pk])
        ).status_code
        == 200
    )


def test_publishing_an_incomplete_draft_is_refused_with_the_reason(taxonomies, staff_client):
    complete = make_practice(slug="complete", is_published=False, description=COMPLETE_DESCRIPTION)
    thin = make_practice(slug="thin", is_published=False, support=())
    proposed = make_practice(slug="proposed", is_published=False, description=COMPLETE_DESCRIPTION)
    Practice.objects.filter(pk=proposed.pk).update(tags_proposed=True)
    url = reverse("admin:practices_practice_changelist")
    response = staff_client.post(
        url,
        {"action": "publish", "_selected_action": [complete.pk, thin.pk, proposed.pk]},
        follow=True,
    )
    assert set(Practice.objects.published().values_list("slug", flat=True)) == {"complete"}
    content = response.content.decode()
    assert (
        "Not published: Practice" in content
        and "the description is shorter than 150 characters; no type of cluster support" in content
    )
    assert "its proposed tags are not confirmed" in content
    listing = staff_client.get(url).content.decode()
    assert "no type of cluster support" in listing  # the queue says what each still lacks


def test_the_form_refuses_to_publish_an_incomplete_practice(taxonomies, staff_client):
    practice = make_practice(slug="thin", is_published=False, challenges=())
    url, data = change_form_data(staff_client, practice)
    data.update(
        is_published="on",
        support_types=list(practice.support_types.values_list("pk", flat=True)),
        country="FI",
        territorial_validity=practice.territorial_validity.pk,
    )
    response = staff_client.post(url, {k: v for k, v in data.items() if v not in (None, [])})
    assert "This practice cannot be published yet: the description is shorter" in (
        response.content.decode()
    )
    practice.refresh_from_db()
    assert not practice.is_published


def test_curators_preview_a_draft_as_the_public_page_will_show_it(taxonomies, staff_client):
    draft = make_practice(slug="draft", title="A draft practice", is_published=False)
    visitor = Client()
    assert visitor.get("/practices/draft/preview/").status_code == 302  # to the sign-in page
    assert visitor.get("/practices/draft/").status_code == 404
    page = staff_client.get("/practices/draft/preview/")
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex"
    content = page.content.decode()
    assert "Preview for curators: this draft is not public yet." in content
    assert "<h1>A draft practice</h1>" in content
    change = staff_client.get(reverse("admin:practices_practice_change", args=[draft.pk]))
    assert "/practices/draft/preview/" in change.content.decode()  # "View on site"
    # the public address itself shows a curator the draft, marked, and the public a 404
    at_its_address = staff_client.get("/practices/draft/")
    assert at_its_address.status_code == 200
    assert "Preview for curators: this draft is not public yet." in at_its_address.content.decode()
    assert "private" in at_its_address["Cache-Control"]
    assert visitor.get("/practices/draft/").status_code == 404


def versions_of(practice):
    return list(practice.history.order_by("-history_date", "-history_id"))


def priority_slugs(version):
    return {link.thematicpriority.slug for link in version.priorities.all()}


def test_one_save_in_the_admin_is_one_version_with_its_tags_who_and_why(
    sample_practices, staff_client
):
    practice = Practice.objects.get(slug="newco-helsinki")
    before = len(versions_of(practice))
    url, data = change_form_data(staff_client, practice)
    data.update(
        title="NewCo Helsinki",
        priorities=[ThematicPriority.objects.get(slug="green-transition").pk],
        challenges=list(practice.challenges.values_list("pk", flat=True)),
        support_types=list(practice.support_types.values_list("pk", flat=True)),
        recommendations=[],
        change_reason="Shorter title; green, as the city's 2025 plan says",
    )
    response = staff_client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302, response.context["adminform"].form.errors
    versions = versions_of(practice)
    assert len(versions) == before + 1
    latest = versions[0]
    assert latest.title == "NewCo Helsinki"
    assert priority_slugs(latest) == {"green-transition"}
    assert not latest.recommendations.exists()
    assert latest.history_user.username == "curator"
    assert latest.history_change_reason == "Shorter title; green, as the city's 2025 plan says"


def test_an_old_version_shows_its_own_tags_and_reverting_restores_them(
    sample_practices, staff_client
):
    practice = Practice.objects.get(slug="newco-helsinki")
    with one_version(practice, reason="before the edit"):
        practice.save()
    original = versions_of(practice)[0]
    rename_and_retag_in_the_admin(staff_client, practice)
    url = reverse("admin:practices_practice_simple_history", args=[practice.pk, original.pk])
    page = staff_client.get(url)
    form = page.context["adminform"].form
    resilience, digital = (
        ThematicPriority.objects.get(slug=slug).pk for slug in ["resilience", "digital-transition"]
    )
    assert set(form.initial["priorities"]) == {resilience, digital}
    assert form.initial["title"].startswith("Business incubation")

    data = {name: form.initial.get(name) for name in form.fields}
    data["country"] = "FI"
    data["priorities"] = form.initial["priorities"]
    response = staff_client.post(url, {k: v for k, v in data.items() if v not in (None, [])})
    assert response.status_code == 302, response.context["adminform"].form.errors
    practice.refresh_from_db()
    assert practice.title.startswith("Business incubation")
    assert set(practice.priorities.values_list("slug", flat=True)) == {
        "resilience",
        "digital-transition",
    }
    latest = versions_of(practice)[0]
    assert latest.history_change_reason.startswith("Reverted to the version of")
    assert priority_slugs(latest) == {"resilience", "digital-transition"}
    assert len(versions_of(practice)) == 3  # before, the edit, the revert: one each


def test_a_save_over_someone_elses_newer_save_is_refused_and_theirs_stays(
    sample_practices, staff_client
):
    practice = Practice.objects.get(slug="newco-helsinki")
    with one_version(practice, reason="an earlier edit"):
        practice.save()
    url, data = change_form_data(staff_client, practice)  # the curator opens the form
    other = Practice.objects.get(pk=practice.pk)
    with one_version(other, reason="a colleague's edit"):
        other.title = "NewCo Helsinki (colleague)"
        other.save()
    data.update(
        title="NewCo Helsinki (mine)",
        priorities=list(practice.priorities.values_list("pk", flat=True)),
        challenges=list(practice.challenges.values_list("pk", flat=True)),
        support_types=list(practice.support_types.values_list("pk", flat=True)),
        recommendations=list(practice.recommendations.values_list("pk", flat=True)),
    )
    response = staff_client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 200
    content = response.content.decode()
    assert "saved this practice on" in content and "after you opened it" in content
    assert "title: “Business incubation" in content
    assert "→ “NewCo Helsinki (colleague)”" in content
    practice.refresh_from_db()
    assert practice.title == "NewCo Helsinki (colleague)"


def test_two_versions_compare_field_by_field_and_tag_by_tag(sample_practices, staff_client):
    practice = Practice.objects.get(slug="newco-helsinki")
    with one_version(practice, reason="before"):
        practice.save()
    rename_and_retag_in_the_admin(staff_client, practice)
    newer, older = versions_of(practice)[:2]
    history = staff_client.get(reverse("admin:practices_practice_history", args=[practice.pk]))
    compare_url = reverse("admin:practices_practice_compare", args=[practice.pk])
    assert f"{compare_url}?from={older.pk}&amp;to={newer.pk}" in history.content.decode()
    page = staff_client.get(f"{compare_url}?from={older.pk}&to={newer.pk}")
    assert [(d.label, d.old, d.new) for d in page.context["differences"]] == [
        (
            "title",
            "Business incubation and entrepreneurial support for recovering from COVID-19 "
            "epidemic - NewCo Helsinki",
            "NewCo Helsinki",
        ),
        ("thematic priorities", "Digital transition; Resilience", "Green transition"),
    ]
    assert '<th scope="row">Thematic priorities</th>' in page.content.decode()
    unchosen = staff_client.get(f"{compare_url}?to={newer.pk}")  # the form, one left out
    assert unchosen.status_code == 302
    assert unchosen["Location"] == reverse("admin:practices_practice_history", args=[practice.pk])
    assert "Choose two versions of this practice." in staff_client.get(unchosen["Location"]).text


def test_bulk_publishing_says_it_in_plain_words_and_records_one_version_each(
    taxonomies, staff_client
):
    draft = make_practice(slug="complete", is_published=False, description=COMPLETE_DESCRIPTION)
    before = len(versions_of(draft))
    response = staff_client.post(
        reverse("admin:practices_practice_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "1 practice published." in response.content.decode()
    versions = versions_of(draft)
    assert len(versions) == before + 1
    assert (
        versions[0].is_published and versions[0].history_change_reason == "Published from the list"
    )


def preview_sample_import(staff_client):
    from tests.practices.intake.csv.test_importer import SAMPLE_CSV

    preview = upload(staff_client, SAMPLE_CSV.read_bytes())
    return preview.context["token"]


def confirm(client, token):
    return client.post(
        reverse("admin:practices_practice_import"), {"confirm": "1", "token": token}, follow=True
    )


def test_a_previewed_upload_waits_in_file_storage_not_in_the_session(taxonomies, staff_client):
    from django.core.files.storage import storages

    token = preview_sample_import(staff_client)
    assert storages["imports"].exists(f"{token}.upload")
    assert all(len(str(value)) < 1000 for value in staff_client.session.values())
    confirm(staff_client, token)
    assert Practice.objects.count() == 15
    assert not storages["imports"].exists(f"{token}.upload")
    again = confirm(staff_client, token)  # a second click changes nothing
    assert "That preview has expired or was already confirmed" in again.content.decode()
    assert Practice.objects.count() == 15


def test_only_the_curator_who_previewed_confirms_and_not_after_it_expired(
    taxonomies, staff_client, django_user_model, settings
):
    token = preview_sample_import(staff_client)
    colleague = Client()
    colleague.force_login(
        django_user_model.objects.create_superuser("colleague", "k@example.eu", "pw-colleague-1")
    )
    assert "has expired or was already confirmed" in confirm(colleague, token).content.decode()
    settings.PENDING_IMPORT_HOURS = 0
    assert "has expired or was already confirmed" in confirm(staff_client, token).content.decode()
    assert not Practice.objects.exists()


def test_the_admin_refuses_a_confirmation_over_a_practice_saved_since_the_preview(
    sample_practices, staff_client
):
    from tests.practices.intake.csv.test_importer import export_bytes

    exported = export_bytes(staff_client).decode("utf-8-sig")
    changed = exported.replace("Circular Flanders,Vlaanderen", "Circular Flanders (VC),Vlaanderen")
    preview = upload(staff_client, changed.encode())
    content = preview.content.decode()
    assert "<li>Title: Circular Flanders → Circular Flanders (VC)</li>" in content
    assert "<strong>14</strong> unchanged</a>" in content
    flanders = Practice.objects.get(slug="circular-flanders")
    with one_version(flanders, reason="meanwhile"):
        flanders.description += " Edited meanwhile."
        flanders.save()
    response = confirm(staff_client, preview.context["token"])
    assert "was created or saved by someone else after the preview" in response.content.decode()
    flanders.refresh_from_db()
    assert flanders.title == "Circular Flanders" and flanders.description.endswith("meanwhile.")


def test_a_description_sent_with_a_browsers_line_endings_is_kept_with_lf(
    sample_practices, staff_client
):
    practice = Practice.objects.get(slug="newco-helsinki")
    stored = practice.description
    assert "\r" not in stored and "\n\n" in stored
    url, data = change_form_data(staff_client, practice)
    data.update(
        description=stored.replace("\n", "\r\n"),  # as a browser sends a textarea back
        challenges=list(practice.challenges.values_list("pk", flat=True)),
        support_types=list(practice.support_types.values_list("pk", flat=True)),
        priorities=list(practice.priorities.values_list("pk", flat=True)),
        recommendations=list(practice.recommendations.values_list("pk", flat=True)),
    )
    response = staff_client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302, response.context["adminform"].form.errors
    practice.refresh_from_db()
    assert practice.description == stored  # not a changed word, not a changed byte
    (version,) = versions_of(practice)  # the samples are loaded without versions
    assert version.description == stored


def listed_titles(response):
    """The titles of the changelist's rows, top to bottom, as the page shows them."""
    return re.findall(r'<th class="field-title"><a href="[^"]*">([^<]*)</a></th>', response.text)


def circular_flanders_and_its_neighbours():
    flanders = "A network that brings circular Flanders firms together. " * 3
    for title, original_title, description in [
        ("CROSS-BORDER CLUSTER ON BIO-INNOVATION", "", flanders),
        ("Circular Flanders", "", "The Flemish circular economy hub."),
        ("Catalysing Circular Flanders", "", "Grants."),
        ("circular flanders partnership", "", "Loans."),
        ("Flanders goes circular", "", "Advice."),
        ("Kringloop cluster", "Circular Flanders (Vlaanderen Circulair)", "Advice."),
        ("Blue economy cluster", "", "Circular Flanders is its neighbour. " * 3),
        ("Circular Wallonia", "", "Not in Flanders: no."),
    ]:
        make_practice(title=title, original_title=original_title, description=description)


def test_admin_search_for_circular_flanders_lists_circular_flanders_first(taxonomies, staff_client):
    circular_flanders_and_its_neighbours()
    url = reverse("admin:practices_practice_changelist")
    response = staff_client.get(url, {"q": "Circular Flanders"})
    assert listed_titles(response) == [
        "Circular Flanders",  # the title itself
        "circular flanders partnership",  # the title starts with it
        "Catalysing Circular Flanders",  # the title holds it
        "Flanders goes circular",  # the title holds every word
        "Kringloop cluster",  # the original title holds it
        "Blue economy cluster",  # then the rest, A to Z whatever the case
        "Circular Wallonia",  # (its description says Flanders)
        "CROSS-BORDER CLUSTER ON BIO-INNOVATION",  # its description holds it
    ]
    # a tag filter makes the query DISTINCT (PostgreSQL then sorts only by what it selects)
    innovation = StrategicChallenge.objects.get(slug="innovation")  # the factory's, for all
    filtered = staff_client.get(
        url, {"q": "Circular Flanders", "challenges__id__exact": innovation.pk}
    )
    assert listed_titles(filtered) == listed_titles(response)


def test_a_column_the_curator_sorts_by_wins_over_the_search_ranking(taxonomies, staff_client):
    circular_flanders_and_its_neighbours()
    url = reverse("admin:practices_practice_changelist")
    title_column = 1 + PracticeAdmin.list_display.index("title")  # ``o`` counts from 1
    by_title = staff_client.get(url, {"q": "Circular Flanders", "o": f"-{title_column}"})
    # every one of them matches; Z to A as the database sorts (its collation's case rules)
    assert listed_titles(by_title) == list(
        Practice.objects.order_by("-title", "-pk").values_list("title", flat=True)
    )
    assert listed_titles(staff_client.get(url, {"q": "Kringloop"})) == ["Kringloop cluster"]


def test_dates_in_the_admin_read_day_month_name_and_year(sample_practices, staff_client):
    practice = Practice.objects.get(slug="newco-helsinki")
    with one_version(practice, reason="before"):
        practice.save()
    rename_and_retag_in_the_admin(staff_client, practice)
    afternoon = datetime(2026, 12, 7, 14, 5, tzinfo=UTC)
    Practice.objects.filter(pk=practice.pk).update(updated_at=afternoon, created_at=afternoon)
    older, newer = reversed(versions_of(practice)[:2])
    Practice.history.filter(pk=older.pk).update(history_date=afternoon - timedelta(days=300))
    Practice.history.filter(pk=newer.pk).update(history_date=afternoon)

    changelist = staff_client.get(reverse("admin:practices_practice_changelist"), {"q": "NewCo"})
    assert '<td class="field-last_updated">7 Dec 2026</td>' in changelist.text
    assert "12/07/2026" not in changelist.text
    change = staff_client.get(reverse("admin:practices_practice_change", args=[practice.pk]))
    assert '<div class="readonly">7 Dec 2026, 14:05</div>' in change.text
    history = staff_client.get(reverse("admin:practices_practice_history", args=[practice.pk]))
    assert ">7 Dec 2026, 14:05</a>" in history.text
    assert ">10 Feb 2026, 14:05</a>" in history.text
    compare = staff_client.get(
        reverse("admin:practices_practice_compare", args=[practice.pk]),
        {"from": older.pk, "to": newer.pk},
    )
    assert "From the version of 10 Feb 2026, 14:05" in compare.text
    assert "to the version of 7 Dec 2026, 14:05" in compare.text


@pytest.mark.parametrize("bad", ["nope", "1.5", "-1", "0x1", "١", "99999", "9" * 25])
def test_a_mistyped_history_or_comparison_address_is_404(sample_practices, staff_client, bad):
    practice = Practice.objects.get(slug="newco-helsinki")
    with one_version(practice, reason="the one version"):
        practice.save()
    version = practice.history.get().pk
    history = "/admin/practices/practice/{}/history/"
    compare = reverse("admin:practices_practice_compare", args=[practice.pk])
    addresses = [
        history.format(bad),
        history.format(bad) + f"{version}/",
        history.format(practice.pk) + f"{bad}/",
        history.format(bad) + f"compare/?from={version}&to={version}",
        f"{compare}?from={bad}&to={version}",
        f"{compare}?from={version}&to={bad}",
    ]
    # the test client raises a server error's exception: none may happen
    statuses = {address: staff_client.get(address).status_code for address in addresses}
    assert statuses == dict.fromkeys(addresses, 404)


def test_a_version_of_another_practice_is_404_under_this_ones_address(
    sample_practices, staff_client
):
    practice, other = Practice.objects.order_by("pk")[:2]
    for each in (practice, other):
        with one_version(each, reason="the one version"):
            each.save()
    ours, theirs = practice.history.get().pk, other.history.get().pk
    version_page = reverse("admin:practices_practice_simple_history", args=[practice.pk, theirs])
    compare = reverse("admin:practices_practice_compare", args=[practice.pk])
    assert staff_client.get(version_page).status_code == 404
    assert staff_client.get(compare, {"from": theirs, "to": ours}).status_code == 404
    assert staff_client.get(compare, {"from": ours, "to": ours}).status_code == 200


def post_unchanged_with(staff_client, practice, **changes):
    url, data = change_form_data(staff_client, practice)
    data.update(
        challenges=list(practice.challenges.values_list("pk", flat=True)),
        support_types=list(practice.support_types.values_list("pk", flat=True)),
        priorities=list(practice.priorities.values_list("pk", flat=True)),
        recommendations=list(practice.recommendations.values_list("pk", flat=True)),
        **changes,
    )
    return staff_client.post(url, {key: value for key, value in data.items() if value is not None})


def test_ticking_every_taxonomy_decided_marks_the_practice_reviewed_in_its_history(
    sample_practices, staff_client
):
    practice = Practice.objects.get(slug="newco-helsinki")
    assert not practice.is_reviewed
    response = post_unchanged_with(staff_client, practice, tags_reviewed="on")
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.is_reviewed and practice.reviewed_by == "curator"
    assert Practice.history.filter(id=practice.pk).first().reviewed_by == "curator"


def test_a_reviewed_practice_saved_again_keeps_who_and_when_and_unticking_clears_it(
    sample_practices, staff_client
):
    practice = Practice.objects.get(slug="newco-helsinki")
    practice.mark_reviewed(by="Someone earlier")
    practice.save()
    when = practice.reviewed_at
    post_unchanged_with(staff_client, practice, tags_reviewed="on", title="Renamed")
    practice.refresh_from_db()
    assert (practice.title, practice.reviewed_by, practice.reviewed_at) == (
        "Renamed",
        "Someone earlier",
        when,
    )
    post_unchanged_with(staff_client, practice, tags_reviewed="")
    practice.refresh_from_db()
    assert (practice.reviewed_at, practice.reviewed_by) == (None, "")


def test_saving_without_ticking_leaves_an_unreviewed_practice_unreviewed(
    sample_practices, staff_client
):
    practice = Practice.objects.get(slug="newco-helsinki")
    post_unchanged_with(staff_client, practice, title="Renamed")
    practice.refresh_from_db()
    assert practice.title == "Renamed" and not practice.is_reviewed

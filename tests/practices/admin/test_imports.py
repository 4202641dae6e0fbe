"""An import's preview a person can use: the counts first, each practice counted once, each
count opening its list, one page of 50 at a time, conflicts in words, Confirm above and below;
for the STIP Compass file and the CSV file alike, without any script."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from practices.intake.stip.importer import import_stip
from practices.models import Practice, StrategicChallenge
from tests.practices.intake.stip.test_importer import comma_file, row, upload_stip
from tests.shared_data import STIP_FILE, needs_stip_file

pytestmark = pytest.mark.django_db

STIP_IMPORT = reverse("admin:practices_practice_import_stip")
URI = "http://stip.oecd.org/2021/data/policyInitiatives/"


def counts_of(page) -> dict[str, int]:
    """The count of each group the summary shows: {"new": 4, "with conflicts": 1, ...}."""
    found = re.findall(r"<strong>(\d+)</strong> ([a-z ]+?)(?:</a>)?(?:<br>|</li>)", page)
    return {label: int(count) for count, label in found}


def test_each_practice_is_counted_once_and_the_counts_add_up_to_the_file(taxonomies, staff_client):
    import_stip(comma_file([row(1), row(2), row(3), row(4)]))
    Practice.objects.filter(source_id=f"{URI}1").update(title="Edited")  # a conflict only
    edited = Practice.objects.get(source_id=f"{URI}2")
    edited.title = "Edited too"
    edited.save()
    renewed = [
        row(1),
        row(2, StartDateYear="2019"),  # a conflict (title) and an update (start year)
        row(3, StartDateYear="2020"),  # an update
        row(4),  # unchanged
        row(5),  # new
        row(6),  # new
    ]
    page = upload_stip(staff_client, comma_file(renewed)).content.decode()
    counts = counts_of(page)
    assert counts == {"new": 2, "changed": 1, "unchanged": 1, "with conflicts": 2}
    assert sum(counts.values()) == len(renewed)
    assert "2 conflicting fields in 2 practices, kept as curators left them" in page
    assert not Practice.objects.filter(source_id=f"{URI}5").exists()  # a preview writes nothing


def test_a_conflict_reads_as_a_sentence_with_labels_not_slugs(taxonomies, staff_client):
    import_stip(comma_file([row(1, TH42="1")]))  # innovation, proposed
    practice = Practice.objects.get()
    practice.challenges.set(StrategicChallenge.objects.filter(slug__in=["innovation", "skills"]))
    page = upload_stip(staff_client, comma_file([row(1, TH42="1")])).content.decode()
    assert (
        "<li>Strategic challenges: you have Innovation, Skills; the file proposes Innovation</li>"
        in page
    )
    assert "[&#x27;innovation" not in page and "skills&#x27;]" not in page  # no Python lists


def test_confirm_is_offered_above_and_below_the_list_and_both_confirm(taxonomies, staff_client):
    preview = upload_stip(staff_client, comma_file([row(1), row(2)]))
    page = preview.content.decode()
    assert page.count('<input type="submit" class="default" name="confirm"') == 2
    assert page.count(f'name="token" value="{preview.context["token"]}"') == 2
    assert (
        page.index('name="confirm"')
        < page.index('id="preview-list"')
        < page.rindex('name="confirm"')
    )


def test_a_long_list_is_paged_by_50_with_a_link_to_the_next(taxonomies, staff_client):
    preview = upload_stip(staff_client, comma_file([row(number) for number in range(1, 61)]))
    page = preview.content.decode()
    assert len(re.findall(r"<li>Cluster programme \d+ <small>", page)) == 50
    assert "New: 60 practices, 1–50 on this page" in page
    following = re.search(r'<a href="([^"]+)" rel="next">Next 50 →</a>', page)
    second = staff_client.get(following.group(1).replace("&amp;", "&")).content.decode()
    assert len(re.findall(r"<li>Cluster programme \d+ <small>", second)) == 10
    assert "51–60 on this page" in second and 'rel="prev"' in second
    assert 'rel="next"' not in second
    assert not Practice.objects.exists()


def test_a_count_opens_its_list_and_a_wrong_group_or_page_shows_the_first(taxonomies, staff_client):
    import_stip(comma_file([row(1)]))
    preview = upload_stip(staff_client, comma_file([row(1), row(2)]))
    token = preview.context["token"]
    unchanged = staff_client.get(STIP_IMPORT, {"preview": token, "show": "unchanged"})
    assert "Unchanged: 1 practice" in unchanged.content.decode()
    assert "Cluster programme 1" in unchanged.content.decode()
    for show, page in [("nonsense", "1"), ("new", "abc"), ("conflicts", "999")]:
        response = staff_client.get(STIP_IMPORT, {"preview": token, "show": show, "page": page})
        assert response.status_code == 200
        assert "New: 1 practice" in response.content.decode()  # the only group with any


def test_a_page_of_a_preview_that_is_gone_asks_to_upload_again(taxonomies, staff_client):
    preview = upload_stip(staff_client, comma_file([row(1)]))
    staff_client.post(STIP_IMPORT, {"confirm": "1", "token": preview.context["token"]})
    response = staff_client.get(STIP_IMPORT, {"preview": preview.context["token"]}, follow=True)
    assert "That preview has expired or was already confirmed" in response.content.decode()
    response = staff_client.get(STIP_IMPORT, {"preview": "../../etc/passwd"}, follow=True)
    assert response.status_code == 200
    assert "upload the file again" in response.content.decode()


def test_the_csv_imports_preview_is_the_same_short_page(sample_practices, staff_client):
    from tests.practices.intake.csv.test_importer import export_bytes

    exported = export_bytes(staff_client).decode("utf-8-sig")
    changed = exported.replace("Circular Flanders,Vlaanderen", "Circular Flanders (VC),Vlaanderen")
    page = staff_client.post(
        reverse("admin:practices_practice_import"),
        {"file": _upload(changed.encode())},
    ).content.decode()
    assert counts_of(page) == {"new": 0, "changed": 1, "unchanged": 14, "with conflicts": 0}
    assert page.count('name="confirm"') == 2
    assert "<li>Title: Circular Flanders → Circular Flanders (VC)</li>" in page


def _upload(content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("practices.csv", content, content_type="text/csv")


@needs_stip_file
def test_the_preview_of_the_shared_file_over_the_sample_data_is_short(taxonomies, staff_client):
    call_command("loaddata", "stip_practices", verbosity=0)
    response = upload_stip(staff_client, STIP_FILE.read_bytes())
    page = response.content.decode()
    counts = counts_of(page)
    assert counts == {"new": 208, "changed": 0, "unchanged": 0, "with conflicts": 70}
    assert sum(counts.values()) == 278  # the initiatives of the file
    assert len(page.encode()) < 300_000
    assert page.count('<tr>\n            <th scope="row">') == 50
    assert page.count('name="confirm"') == 2

from curation.tagging.documents import document_of, for_suggesting, mapping_of
from practices.models import Practice
from tests.factories import make_practice


def test_the_mapping_names_the_stip_theme_and_instrument_behind_each_proposal(taxonomies):
    practice = make_practice(origin="stip", instruments=("networking-and-collaborative-platforms",))
    Practice.objects.filter(pk=practice.pk).update(source_themes=["TH31", "TH47", "TH92"])
    practice = for_suggesting(Practice.objects.filter(pk=practice.pk)).get()
    mapping = mapping_of(practice)
    assert set(mapping) == {"challenge", "priority", "support"}
    assert mapping["challenge"] == {
        "innovation": "STIP theme TH31 (Financial support to business R&D and innovation "
        "(Innovation in firms and innovative entrepreneurship))"
    }
    assert mapping["priority"] == {
        "green-transition": "STIP theme TH92 (Green energy transitions (Research and "
        "innovation for society))"
    }
    assert list(mapping["support"]) == ["networking"]
    assert mapping["support"] == {
        "networking": "STIP instrument PI021 (Networking and collaborative platforms)"
    }


def test_a_practice_not_from_stip_has_no_mapping(taxonomies):
    practice = make_practice(origin="curator")
    Practice.objects.filter(pk=practice.pk).update(source_themes=["TH92"])
    practice = for_suggesting(Practice.objects.filter(pk=practice.pk)).get()
    assert mapping_of(practice) == {}


def test_a_document_holds_the_curated_tags_by_parameter(taxonomies):
    practice = make_practice(challenges=("skills",), support=("intelligence",), priorities=())
    document = document_of(for_suggesting(Practice.objects.filter(pk=practice.pk)).get())
    assert document.tags == {
        "challenge": {"skills"},
        "priority": set(),
        "support": {"intelligence"},
        "recommendation": set(),
    }
    assert document.decided("challenge") and not document.decided("priority")


def test_a_reviewed_practice_decided_every_taxonomy_even_an_empty_one(taxonomies):
    practice = make_practice(priorities=())
    practice.mark_reviewed(by="A curator")
    practice.save()
    document = document_of(for_suggesting(Practice.objects.filter(pk=practice.pk)).get())
    assert document.decided("priority") and document.decided("recommendation")

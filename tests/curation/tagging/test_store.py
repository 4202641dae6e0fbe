import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from skops import io as skops_io

from curation.tagging import service, store
from curation.tagging.documents import published_documents
from practices.models import Practice


@pytest.fixture
def no_saved_model():
    if default_storage.exists(store.MODEL_NAME):
        default_storage.delete(store.MODEL_NAME)
    yield
    if default_storage.exists(store.MODEL_NAME):
        default_storage.delete(store.MODEL_NAME)


def test_a_trained_suggester_saved_and_loaded_suggests_the_same(
    all_sample_practices, no_saved_model
):
    trained = service.train()
    loaded = store.load()
    practice = Practice.objects.get(slug="circular-flanders")
    assert service.suggestions_for(practice, loaded) == service.suggestions_for(practice, trained)
    assert service.current() is not None


def test_without_a_model_the_stip_mapping_alone_is_suggested(all_sample_practices, no_saved_model):
    assert service.current() is None
    practice = (
        Practice.objects.filter(origin="stip", instrument_types__code="PI021")
        .exclude(instrument_types__code__in=["PI017", "PI014", "PI031", "PI023"])
        .first()
    )
    suggestions = service.suggestions_for(practice)
    assert [s.value for s in suggestions["support"]] == ["networking"]
    assert suggestions["support"][0].reason.startswith("STIP instrument PI021")
    assert suggestions["recommendation"] == []


def test_a_saved_file_holding_other_types_is_refused(db, no_saved_model):
    from collections import Counter

    default_storage.save(store.MODEL_NAME, ContentFile(skops_io.dumps({"x": Counter()})))
    with pytest.raises(store.UntrustedModel, match="collections.Counter"):
        store.load()


def test_the_documents_read_the_published_practices_only(all_sample_practices):
    Practice.objects.filter(slug="circular-flanders").update(is_published=False)
    slugs = {document.slug for document in published_documents()}
    assert "circular-flanders" not in slugs
    assert len(slugs) == Practice.objects.filter(is_published=True).count()

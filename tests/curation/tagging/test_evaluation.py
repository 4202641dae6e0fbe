import pytest

from curation.tagging.documents import Document, published_documents
from curation.tagging.evaluation import constant_values, evaluate, scores_of


def test_scores_count_single_values_and_average_dice_over_practices():
    pairs = [({"a", "b"}, {"a"}), (set(), {"c"}), (set(), set())]
    scores = scores_of(pairs)
    assert scores.precision == 0.5  # 1 right of 2 suggested
    assert scores.recall == 0.5  # 1 found of 2 curated
    assert scores.dice == pytest.approx((2 / 3 + 0 + 1) / 3)
    assert scores.practices == 3


def test_nothing_suggested_has_no_precision():
    assert scores_of([(set(), {"a"})]).precision is None


def test_the_constant_baseline_is_what_most_decided_practices_carry():
    documents = [
        Document("a", "A", "", tags={"challenge": {"innovation", "skills"}}),
        Document("b", "B", "", tags={"challenge": {"innovation"}}),
        Document("c", "C", "", tags={"challenge": {"skills", "innovation"}}),
        Document("d", "D", "", tags={"challenge": set()}),  # not decided: not counted
    ]
    assert constant_values(documents, "challenge") == {"innovation", "skills"}


@pytest.mark.django_db
def test_on_the_sample_data_the_suggester_beats_both_baselines_and_recommends_precisely(
    all_sample_practices,
):
    results = evaluate(published_documents())
    for param in ("challenge", "support"):
        suggester = results[param]["suggester"].dice
        assert suggester > results[param]["mapping"].dice, param
        assert suggester > results[param]["constant"].dice, param
    assert results["recommendation"]["suggester"].precision >= 0.6

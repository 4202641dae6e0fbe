import pytest

from curation.tagging.documents import Document
from curation.tagging.suggester import (
    MIN_PRECISION,
    MIN_RIGHT,
    Suggester,
    best_threshold,
    mapping_precision,
    mentioned_phrase,
    wilson_lower_bound,
)

GREEN = "wind turbines renewable energy decarbonisation of factories climate"
DIGITAL = "software platforms artificial intelligence data analytics for firms"


def corpus():
    """Twelve practices, half about green energy and half about digital tools; each one is
    tagged with its subject and carries Innovation."""
    documents = []
    for number in range(6):
        for subject, words in (("green-transition", GREEN), ("digital-transition", DIGITAL)):
            documents.append(
                Document(
                    slug=f"{subject}-{number}",
                    title=f"{subject} practice {number}",
                    text=f"{words} cluster programme number {number}",
                    tags={
                        "priority": {subject},
                        "challenge": {"innovation"},
                        "support": {"networking"},
                        "recommendation": set(),
                    },
                )
            )
    return documents


@pytest.fixture(scope="module")
def suggester():
    return Suggester().fit(corpus())


def test_a_practice_about_renewable_energy_is_suggested_the_green_transition_with_its_words(
    suggester,
):
    document = Document(slug="new", title="New", text="renewable energy for climate and factories")
    suggested = {s.value: s for s in suggester.suggest(document)["priority"]}
    assert set(suggested) == {"green-transition"}
    assert "renewable" in suggested["green-transition"].reason
    assert "like: green-transition practice" in suggested["green-transition"].reason
    assert 0 < suggested["green-transition"].confidence <= 1


def test_the_other_subject_is_suggested_the_other_value(suggester):
    document = Document(slug="new", title="New", text="artificial intelligence and data software")
    assert [s.value for s in suggester.suggest(document)["priority"]] == ["digital-transition"]


def test_a_value_no_practice_carries_is_never_suggested(suggester):
    document = Document(slug="new", title="New", text="resilience crisis recovery pandemic shocks")
    assert "resilience" not in {s.value for s in suggester.suggest(document)["priority"]}


def test_a_rare_value_is_suggested_only_when_a_defining_phrase_is_mentioned(suggester):
    hub = Document(slug="hub", title="Hub", text="a network of Digital Innovation Hubs")
    other = Document(slug="other", title="Other", text="a network of innovation platforms")
    suggested = suggester.suggest(hub)["recommendation"]
    assert [s.value for s in suggested] == ["r8"]
    assert 'mentions "digital innovation hub"' in suggested[0].reason
    assert suggester.suggest(other)["recommendation"] == []


def test_the_stip_mapping_is_added_with_its_code_as_the_reason(suggester):
    document = Document(
        slug="stip",
        title="STIP",
        text="nothing anyone learned",
        mapping={"support": {"business-services": "STIP instrument PI014 (innovation vouchers)"}},
    )
    suggested = {s.value: s for s in suggester.suggest(document)["support"]}
    assert suggested["business-services"].reason == "STIP instrument PI014 (innovation vouchers)"


def test_the_best_threshold_lies_below_the_lowest_score_whose_precision_is_shown():
    scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
    truth = [True, True, True, True, False, True, False, False, False]
    # from 0.6: 4 right of 4, precision shown even at its interval's lower end (0.71); from
    # 0.4: 5 of 6, whose lower end (0.55) is below 0.6; halfway down to the next score
    assert best_threshold(scores, truth) == pytest.approx(0.55)


def test_no_threshold_when_too_few_suggestions_are_right_to_show_precision():
    assert MIN_PRECISION > 0.5 and MIN_RIGHT == 3
    assert best_threshold([0.9, 0.8, 0.7], [False, True, False]) is None
    assert best_threshold([0.9, 0.8, 0.1], [True, True, False]) is None  # 2 right: luck?
    assert best_threshold([0.9, 0.8], [False, False]) is None


def test_equal_scores_are_never_split_by_a_threshold():
    # 0.6 three times, one right: a threshold takes all three (4 of 6, too imprecise) or none
    scores = [0.9, 0.8, 0.7, 0.6, 0.6, 0.6]
    truth = [True, True, True, True, False, False]
    assert best_threshold(scores, truth) == pytest.approx(0.65)


def test_the_wilson_lower_bound_is_strict_on_few_trials_and_close_on_many():
    assert wilson_lower_bound(3, 3) == pytest.approx(0.647, abs=0.001)
    assert wilson_lower_bound(4, 6) == pytest.approx(0.410, abs=0.001)
    assert 0.74 < wilson_lower_bound(80, 100) < 0.8
    assert wilson_lower_bound(0, 0) == 0.0


def test_a_phrase_is_found_as_a_word_start_and_short_ones_whole():
    assert mentioned_phrase("Public-private partnerships", "recommendation", "r9")
    assert mentioned_phrase("a PPP for clusters", "recommendation", "r9") == "ppp"
    assert mentioned_phrase("the appps of clusters", "recommendation", "r9") is None
    assert mentioned_phrase("European digital policies", "recommendation", "r10")


def test_the_mapping_precision_counts_only_decided_practices():
    documents = [
        Document(
            "a", "A", "", tags={"support": {"networking"}}, mapping={"support": {"networking": "x"}}
        ),
        Document(
            "b",
            "B",
            "",
            tags={"support": {"intelligence"}},
            mapping={"support": {"networking": "x"}},
        ),
        Document("c", "C", "", tags={"support": set()}, mapping={"support": {"networking": "x"}}),
    ]
    assert mapping_precision(documents) == {"support": {"networking": 0.5}}

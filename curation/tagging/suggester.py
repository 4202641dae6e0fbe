"""Suggested tags learned from the published practices, each with a confidence and a reason a
curator can check.

For each value of each suggested taxonomy three signals are read, all over the same TF-IDF
vectors of a practice's words (word unigrams and bigrams, and character n-grams within words,
which catch "digitalisation" and "digital" alike):

- a logistic regression, when enough practices carry the value and enough do not
  (``MIN_EXAMPLES`` each): its probability, explained by the words that weighed most;
- the nearest published practices: how many of the closest ones carry the value, explained
  as "like: <their titles>";
- the value's definition (``definitions.py``): how close the practice's words are to it.

A value fewer than ``MIN_EXAMPLES`` practices carry cannot be learned or cross-validated: it
is suggested only when the practice mentions one of its defining phrases (``PHRASES``), with
the precision those phrases had on the practices seen (smoothed towards ``PHRASE_PRIOR``).

Their weighted mean is the value's confidence. Each value has its own threshold, chosen on
the training practices by cross-validation: the one with the best F1 among those reaching
``MIN_PRECISION``; a value whose predictions never reach it is not suggested at all. The tags
the import's STIP mapping proposes are added with the precision the mapping had on the same
practices, so the workspace shows one list per taxonomy.

Everything is plain data and scikit-learn objects, so it is saved with skops (``store.py``).
"""

import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from curation.tagging.definitions import DEFINITIONS, PHRASES, SUGGESTED
from curation.tagging.documents import Document
from practices.text import fold

MIN_EXAMPLES = 4  # practices with, and without, a value before a regression learns it
MIN_PRECISION = 0.6  # what a value's suggestions must reach, cross-validated, to be made
# and how many right suggestions must show it: one lucky hit among few examples proves nothing
MIN_RIGHT = 3
# The precision a threshold must reach is the lower end of its Wilson interval at this z (90 %
# one-sided): 3 right of 3 passes, 4 of 6 does not; with many suggestions, it is their rate.
CONFIDENCE_Z = 1.28
NEIGHBOURS = 5
MAX_FEATURES = 20_000  # of each vectoriser: the saved model stays a few megabytes
FOLDS = 5  # of the evaluation
THRESHOLD_FOLDS = 3  # of the choice of thresholds inside a fit: enough, and a fit stays quick
# How the three signals weigh, with a regression and without one.
WEIGHTS_WITH_REGRESSION = {"regression": 0.6, "neighbours": 0.25, "definition": 0.15}
WEIGHTS_WITHOUT = {"neighbours": 0.6, "definition": 0.4}
MAPPING_PRECISION_UNKNOWN = 0.5
TOP_WORDS = 3
SIMILAR_SHOWN = 2
PHRASE_PRIOR = 0.6  # how often a defining phrase is taken to be right before it is seen
PHRASE_PRIOR_WEIGHT = 2  # as many practices as that prior counts for


@dataclass
class Suggested:
    """One suggested value of a taxonomy."""

    value: str
    confidence: float
    reason: str

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "confidence": round(float(self.confidence), 2),
            "reason": self.reason,
        }


class Suggester:
    """Learns from documents with ``fit``; ``suggest`` answers for one document."""

    def __init__(self, state: dict | None = None):
        self.state = state or {}

    @property
    def fitted(self) -> bool:
        return bool(self.state)

    # Learning

    def fit(self, documents: list[Document], *, choose_thresholds: bool = True) -> "Suggester":
        """Learn from ``documents`` (the published practices); with ``choose_thresholds``,
        choose each value's threshold by cross-validation over them first."""
        words = TfidfVectorizer(
            ngram_range=(1, 2),
            sublinear_tf=True,
            stop_words="english",
            strip_accents="unicode",
            max_features=MAX_FEATURES,
        )
        characters = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            sublinear_tf=True,
            strip_accents="unicode",
            max_features=MAX_FEATURES,
        )
        texts = [document.text for document in documents]
        self.__dict__.pop("words", None)  # a suggester fitted again reads its new vocabulary
        self.__dict__.pop("characters", None)
        definition_texts = [text for param in SUGGESTED for text in DEFINITIONS[param].values()]
        words.fit(texts + definition_texts)
        characters.fit(texts + definition_texts)
        state = {
            "words": vectoriser_spec(words),
            "characters": vectoriser_spec(characters),
            "titles": [document.title for document in documents],
            "slugs": [document.slug for document in documents],
            "tags": {
                param: [sorted(document.tags.get(param, ())) for document in documents]
                for param in SUGGESTED
            },
            "decided": {
                param: [document.decided(param) for document in documents] for param in SUGGESTED
            },
        }
        self.state = state
        matrix = self._vectors(texts)
        state["matrix"] = matrix
        state["definitions"] = {
            param: {value: self._vectors([text]) for value, text in DEFINITIONS[param].items()}
            for param in SUGGESTED
        }
        state["regressions"] = {}
        for param in SUGGESTED:
            rows = [i for i, decided in enumerate(state["decided"][param]) if decided]
            state["regressions"][param] = {}
            for value in DEFINITIONS[param]:
                carries = np.array([value in state["tags"][param][i] for i in rows])
                if carries.sum() >= MIN_EXAMPLES and (~carries).sum() >= MIN_EXAMPLES:
                    regression = LogisticRegression(
                        C=4.0, class_weight="balanced", solver="liblinear", random_state=0
                    )
                    regression.fit(matrix[rows], carries)
                    state["regressions"][param][value] = regression
        state["rare"], state["phrase_confidence"] = {}, {}
        for param in SUGGESTED:
            decided = [d for d in documents if d.decided(param)]
            state["rare"][param] = sorted(
                value
                for value in DEFINITIONS[param]
                if sum(value in d.tags[param] for d in decided) < MIN_EXAMPLES
            )
            state["phrase_confidence"][param] = {}
            for value in state["rare"][param]:
                mentioning = [d for d in decided if mentioned_phrase(d.text, param, value)]
                if not PHRASES.get(param, {}).get(value):
                    continue
                right = sum(value in d.tags[param] for d in mentioning)
                confidence = (right + PHRASE_PRIOR * PHRASE_PRIOR_WEIGHT) / (
                    len(mentioning) + PHRASE_PRIOR_WEIGHT
                )
                if confidence >= MIN_PRECISION:
                    state["phrase_confidence"][param][value] = confidence
        state["thresholds"], state["mapping_precision"] = (
            self._cross_validated(documents) if choose_thresholds else ({}, {})
        )
        return self

    def _cross_validated(self, documents):
        """(thresholds, mapping precision) chosen on out-of-fold scores of ``documents``."""
        scores = {param: {value: [] for value in DEFINITIONS[param]} for param in SUGGESTED}
        truth = {param: {value: [] for value in DEFINITIONS[param]} for param in SUGGESTED}
        folds = KFold(n_splits=min(THRESHOLD_FOLDS, len(documents)), shuffle=True, random_state=0)
        for train, held_out in folds.split(documents):
            fold = Suggester().fit([documents[i] for i in train], choose_thresholds=False)
            for i in held_out:
                document = documents[i]
                document_scores = fold.scores(document)
                for param in SUGGESTED:
                    if not document.decided(param):
                        continue
                    for value, score in document_scores[param].items():
                        scores[param][value].append(score)
                        truth[param][value].append(value in document.tags[param])
        thresholds = {
            param: {
                value: best_threshold(scores[param][value], truth[param][value])
                for value in DEFINITIONS[param]
            }
            for param in SUGGESTED
        }
        return thresholds, mapping_precision(documents)

    # Answering

    @cached_property
    def words(self) -> TfidfVectorizer:
        return vectoriser_of(self.state["words"])

    @cached_property
    def characters(self) -> TfidfVectorizer:
        return vectoriser_of(self.state["characters"])

    def _vectors(self, texts):
        return sparse.hstack(
            [self.words.transform(texts), self.characters.transform(texts)]
        ).tocsr()

    def scores(self, document: Document) -> dict:
        """{parameter: {value: confidence 0..1}} of every value, threshold or not."""
        vector, similarity = self._read(document)
        return {param: self._scores(document, param, vector, similarity)[0] for param in SUGGESTED}

    def _read(self, document):
        """The document's vector and its similarity to every practice learned from."""
        vector = self._vectors([document.text])
        return vector, (self.state["matrix"] @ vector.T).toarray().ravel()

    def _scores(self, document, param, vector, similarity):
        state = self.state
        decided = np.array(state["decided"][param], dtype=bool)
        similarity = np.where(decided, similarity, -1.0)
        # a document the suggester learned from is not its own neighbour
        similarity[[i for i, slug in enumerate(state["slugs"]) if slug == document.slug]] = -1.0
        nearest = [i for i in np.argsort(-similarity)[:NEIGHBOURS] if similarity[i] > 0]
        definitions = {
            value: float((definition @ vector.T).toarray()[0, 0])
            for value, definition in state["definitions"][param].items()
        }
        closest_definition = max(definitions.values()) or 1.0
        scores, evidence = {}, {}
        for value in DEFINITIONS[param]:
            carrying = [i for i in nearest if value in state["tags"][param][i]]
            weight = sum(similarity[i] for i in nearest)
            signals = {
                "neighbours": (sum(similarity[i] for i in carrying) / weight) if weight else 0.0,
                "definition": definitions[value] / closest_definition,
            }
            regression = state["regressions"][param].get(value)
            if regression is not None:
                signals["regression"] = float(regression.predict_proba(vector)[0, 1])
            weights = WEIGHTS_WITH_REGRESSION if regression is not None else WEIGHTS_WITHOUT
            scores[value] = sum(weights[name] * signals[name] for name in weights)
            evidence[value] = (vector, regression, carrying)
        return scores, evidence

    def suggest(self, document: Document) -> dict:
        """{parameter: [Suggested, ...]} best first: the values above their thresholds, and
        the ones the STIP mapping proposes."""
        suggestions = {}
        vector, similarity = self._read(document)
        for param in SUGGESTED:
            scores, evidence = self._scores(document, param, vector, similarity)
            thresholds = self.state["thresholds"].get(param, {})
            chosen = {}
            rare = self.state["rare"][param]
            for value, confidence in self.state["phrase_confidence"][param].items():
                if phrase := mentioned_phrase(document.text, param, value):
                    chosen[value] = Suggested(
                        value, confidence, f'mentions "{phrase}", from the value\'s definition'
                    )
            for value, score in scores.items():
                if value in rare:
                    continue
                threshold = thresholds.get(value)
                if threshold is not None and score >= threshold:
                    chosen[value] = Suggested(value, score, self._reason(param, value, evidence))
            for value, code in document.mapping.get(param, {}).items():
                precision = self.state["mapping_precision"].get(param, {}).get(value)
                confidence = MAPPING_PRECISION_UNKNOWN if precision is None else precision
                if value in chosen:
                    chosen[value].confidence = max(chosen[value].confidence, confidence)
                    chosen[value].reason = f"{chosen[value].reason}; {code}"
                else:
                    chosen[value] = Suggested(value, confidence, code)
            suggestions[param] = sorted(chosen.values(), key=lambda s: (-s.confidence, s.value))
        return suggestions

    def _reason(self, param, value, evidence) -> str:
        vector, regression, carrying = evidence[value]
        if regression is not None:
            weights = regression.coef_[0][: len(self.words.vocabulary_)]
        else:
            weights = self.state["definitions"][param][value].toarray()[0][
                : len(self.words.vocabulary_)
            ]
        present = vector[:, : len(weights)].toarray()[0]
        weighed = present * weights
        names = self.state["words"]["terms"]
        top = [names[j] for j in np.argsort(-weighed)[:TOP_WORDS] if weighed[j] > 0]
        parts = []
        if top:
            parts.append("words: " + ", ".join(top))
        if carrying:
            titles = [self.state["titles"][i] for i in carrying[:SIMILAR_SHOWN]]
            parts.append("like: " + "; ".join(titles))
        return "; ".join(parts) or "close to the value's definition"


def vectoriser_spec(vectoriser: TfidfVectorizer) -> dict:
    """A fitted vectoriser as plain data: its parameters, terms in column order and weights
    (a vocabulary saved as arrays loads in milliseconds; as a dictionary, in seconds)."""
    params = {
        name: value
        for name, value in vectoriser.get_params().items()
        if name not in ("vocabulary", "dtype")
    }
    return {"params": params, "terms": vectoriser.get_feature_names_out(), "idf": vectoriser.idf_}


def vectoriser_of(spec: dict) -> TfidfVectorizer:
    """The fitted vectoriser ``vectoriser_spec`` describes."""
    vectoriser = TfidfVectorizer(**spec["params"], vocabulary=list(spec["terms"]))
    vectoriser.idf_ = spec["idf"]
    return vectoriser


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    return fold(text)  # once a text: every value's phrases are looked for in it


def mentioned_phrase(text: str, param: str, value: str) -> str | None:
    """The first of the value's defining phrases that ``text`` mentions, else None."""
    folded = _folded(text)
    for phrase in PHRASES.get(param, {}).get(value, ()):
        ending = r"\b" if len(phrase) <= 4 else ""  # "ppp" alone, "polic" starts "policies"
        if re.search(r"\b" + re.escape(phrase) + ending, folded):
            return phrase
    return None


def best_threshold(scores: list[float], truth: list[bool]) -> float | None:
    """The score from which suggesting a value gives the best F1 among those with at least
    ``MIN_RIGHT`` right suggestions whose precision, at the lower end of its Wilson interval,
    is at least ``MIN_PRECISION``; halfway down to the next score, so that a practice a little
    less alike than those seen is still suggested it. None when no score shows that."""
    if not any(truth):
        return None
    order = sorted(zip(scores, truth, strict=True), key=lambda pair: -pair[0])
    positives = sum(truth)
    best, best_f1, right = None, 0.0, 0
    for rank, (score, carries) in enumerate(order, start=1):
        right += carries
        if rank < len(order) and order[rank][0] == score:
            continue  # a threshold cannot split equal scores
        precision, recall = right / rank, right / positives
        if right >= MIN_RIGHT and wilson_lower_bound(right, rank) >= MIN_PRECISION:
            f1 = 2 * precision * recall / (precision + recall)
            if f1 > best_f1:
                below = order[rank][0] if rank < len(order) else score
                best, best_f1 = (score + below) / 2, f1
    return best


def wilson_lower_bound(right: int, total: int, z: float = CONFIDENCE_Z) -> float:
    """The lower end of the Wilson score interval of ``right`` successes in ``total``: how low
    the true rate may be, given so few trials."""
    if not total:
        return 0.0
    rate = right / total
    centre = rate + z * z / (2 * total)
    margin = z * math.sqrt(rate * (1 - rate) / total + z * z / (4 * total * total))
    return (centre - margin) / (1 + z * z / total)


def mapping_precision(documents: list[Document]) -> dict:
    """{parameter: {value: precision}} of the STIP mapping's proposals over the documents
    whose taxonomy a curator decided."""
    counts: dict = {}
    for document in documents:
        for param, proposed in document.mapping.items():
            if not document.decided(param):
                continue
            for value in proposed:
                right, total = counts.setdefault(param, {}).get(value, (0, 0))
                counts[param][value] = (right + (value in document.tags[param]), total + 1)
    return {
        param: {value: right / total for value, (right, total) in values.items()}
        for param, values in counts.items()
    }

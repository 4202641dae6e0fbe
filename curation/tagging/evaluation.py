"""How good the suggestions are: cross-validated over the published practices, per taxonomy,
against what curators chose, for the suggester (learned, with the STIP mapping), the mapping
alone and a constant baseline (the values most practices carry).

Precision and recall count single values over all practices (micro-averaged); Dice is the
overlap of the suggested and the curated set of one practice, 2|S∩C| / (|S| + |C|), averaged
over practices (1 when both are empty), the measure the STIP Compass reports for its own
suggestions. Only practices whose taxonomy a curator decided count (``Document.decided``).
"""

from collections import Counter
from dataclasses import dataclass

from sklearn.model_selection import KFold

from curation.tagging.definitions import SUGGESTED
from curation.tagging.documents import Document
from curation.tagging.suggester import FOLDS, Suggester

METHODS = ("suggester", "mapping", "constant")


@dataclass
class Scores:
    precision: float | None  # None when nothing was suggested
    recall: float | None  # None when nothing was curated
    dice: float
    practices: int


def scores_of(pairs: list[tuple[set, set]]) -> Scores:
    """Scores of (suggested, curated) sets, one pair a practice."""
    suggested = sum(len(s) for s, _ in pairs)
    curated = sum(len(c) for _, c in pairs)
    right = sum(len(s & c) for s, c in pairs)
    dice = [2 * len(s & c) / (len(s) + len(c)) if s or c else 1.0 for s, c in pairs]
    return Scores(
        precision=right / suggested if suggested else None,
        recall=right / curated if curated else None,
        dice=sum(dice) / len(dice) if dice else 0.0,
        practices=len(pairs),
    )


def constant_values(documents: list[Document], param: str) -> set:
    """The values more than half the decided practices carry, or else the most common one."""
    decided = [document for document in documents if document.decided(param)]
    counts = Counter(value for document in decided for value in document.tags[param])
    common = {value for value, count in counts.items() if count > len(decided) / 2}
    return common or {value for value, _ in counts.most_common(1)}


def evaluate(documents: list[Document], *, folds: int = FOLDS) -> dict:
    """{parameter: {method: Scores}} cross-validated over ``documents``."""
    pairs = {param: {method: [] for method in METHODS} for param in SUGGESTED}
    splitter = KFold(n_splits=min(folds, len(documents)), shuffle=True, random_state=1)
    for train, held_out in splitter.split(documents):
        training = [documents[i] for i in train]
        suggester = Suggester().fit(training)
        constants = {param: constant_values(training, param) for param in SUGGESTED}
        for i in held_out:
            document = documents[i]
            suggested = suggester.suggest(document)
            for param in SUGGESTED:
                if not document.decided(param):
                    continue
                curated = document.tags[param]
                pairs[param]["suggester"].append(({s.value for s in suggested[param]}, curated))
                pairs[param]["mapping"].append((set(document.mapping.get(param, {})), curated))
                pairs[param]["constant"].append((constants[param], curated))
    return {
        param: {method: scores_of(pairs[param][method]) for method in METHODS}
        for param in SUGGESTED
    }


def table(results: dict) -> str:
    """The results as a Markdown table."""
    lines = [
        "| taxonomy | method | precision | recall | Dice | practices |",
        "|---|---|---|---|---|---|",
    ]

    def shown(number):
        return "–" if number is None else f"{number:.2f}"

    for param, methods in results.items():
        for method, scores in methods.items():
            lines.append(
                f"| {param} | {method} | {shown(scores.precision)} | {shown(scores.recall)} "
                f"| {scores.dice:.2f} | {scores.practices} |"
            )
    return "\n".join(lines)

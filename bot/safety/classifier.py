"""A classifier dedicated to safety routes, trained on normalised text.

Rasa's intent classifier ranks some forty intents from the raw text; this one learns only the
routes (``danger``, ``disclosure``, ``concern``, ``check`` and ``none`` for every other
intent) from the normalised text, so text-speak and look-alike letters read as plain words, and
with balanced class weights, so the rarer safety routes are not drowned by ordinary questions.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

NO_ROUTE = "none"
# Inverse regularisation strength, chosen on the development set (tests/eval/safety_dev.csv).
REGULARISATION_C = 5.0
RANDOM_STATE = 7


def train_route_classifier(normalised_texts: list[str], routes: list[str]) -> Pipeline:
    """Return a classifier fitted to ``routes`` (one per text; ``none`` for non-safety)."""
    features = make_union(
        TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"
        ),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
    )
    model = LogisticRegression(
        C=REGULARISATION_C, class_weight="balanced", max_iter=2000, random_state=RANDOM_STATE
    )
    return make_pipeline(features, model).fit(normalised_texts, routes)


def route_scores(classifier: Pipeline, normalised: str) -> dict[str, float]:
    """Return the probability of each safety route (``none`` left out) for one message."""
    probabilities = classifier.predict_proba([normalised])[0]
    return {
        str(route): float(p)
        for route, p in zip(classifier.classes_, probabilities, strict=True)
        if route != NO_ROUTE
    }

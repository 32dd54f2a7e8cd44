"""A classifier dedicated to safety routes, trained on normalised text.

It learns the routes (``danger``, ``self_harm``, ``disclosure``, ``concern``, ``check`` and
``none``) from the labelled messages in ``data/safety/*.csv`` and from every NLU example of the
assistant's other intents (all ``none``), on the normalised text, so text-speak and look-alike
letters read as plain words. Its probabilities are one source of evidence for the
conversation-level decision, never the decision itself.

There are two models, trained on the same messages. The *content* model never sees words of
time ("tonight", "right now", "in an hour"; in Welsh "heno", "nawr", "mewn awr") or numbers:
they are removed before it trains and before it reads a message, so a word of time can never
make a message look harmful (trained with them, "my mates are coming round tonight" scored 0.77
for danger, and "Dwi'n nôl fy merch o'r disgo am 10 heno", collecting a daughter from a disco,
0.71). The *timing* model sees
everything and says how likely a message is danger now; the decision uses it only for messages
the content model or the patterns already show to be harmful.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

NO_ROUTE = "none"
# Harmless messages told in the grammar of urgent news ("mum has just told me were going to
# florida im literally shaking"): they teach the content model that the grammar is not harm. The
# timing model reads only messages already shown to be harm, so it does not learn from them.
CONTENT_ONLY_PREFIX = "everyday_news_in_urgent_grammar"
ROUTES = ("danger", "self_harm", "disclosure", "concern", "check", NO_ROUTE)
# Inverse regularisation strength, chosen on the tuning sets. Classes are not re-weighted:
# with equal weights the rare routes no longer outvote everyday messages (measured on the
# tuning sets: 0.93 of must-escalate messages above the score only 1% of everyday ones reach,
# against 0.85 with balanced weights).
REGULARISATION_C = 10.0
RANDOM_STATE = 7
WORDS_OF_TIME = re.compile(
    r"\b(right now|now|tonight|today|later|this (morning|afternoon|evening|weekend)|tomorrow|"
    r"in (a|an|\d+|a few|half an|one|two|ten|twenty) (minutes|minute|hours|hour|mins)|"
    r"at the moment|currently|soon|after school|this second|just now|asap|as we speak|"
    r"every night|each night|again|"
    # Welsh, as the Welsh reading writes it (accents folded, radical forms)
    r"nawr|rwan|rwan hyn|nawr hyn|heno|heddiw|yfory|fory|ar hyn o bryd|bore ma|pnawn ma|"
    r"prynhawn ma|nes ymlaen|wedyn|cyn bo hir|mewn (awr|hanner awr|munud|\d+ munud)|"
    r"ar ol ysgol|bob nos|eto)\b"
)


NUMBER = re.compile(r"\b\d+\b")


def content_text(normalised: str) -> str:
    """Return what the content model reads: no words of time, and every number as ``num``.

    Ages are weighed by the reviewed rules (an adult and a child of 13 is not "16 and 15"), so
    the content model is not left to guess from the digits.
    """
    return " ".join(NUMBER.sub("num", WORDS_OF_TIME.sub(" ", normalised)).split())


def read_labelled_messages(folder: Path) -> list[tuple[str, str, bool]]:
    """Return ``(text, route, for_timing)`` for every row of the ``*.csv`` files in ``folder``.

    ``for_timing`` is False for the rows of the files only the content model learns from.
    """
    rows = []
    for path in sorted(folder.glob("*.csv")):
        for_timing = not path.name.startswith(CONTENT_ONLY_PREFIX)
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["route"] not in ROUTES:
                    raise ValueError(f"{path.name}: unknown route {row['route']!r}")
                rows.append((row["text"], row["route"], for_timing))
    return rows


@dataclass(frozen=True)
class TextModel:
    """A fitted logistic regression over word and character n-grams.

    It is read without sklearn's per-call overhead (about a millisecond a message): each
    vectorizer's features times its block of the coefficients, plus the intercept, through a
    softmax, exactly as ``LogisticRegression.predict_proba`` computes it for several classes.
    """

    vectorizers: tuple[TfidfVectorizer, ...]
    weights: tuple[np.ndarray, ...]  # per vectorizer: features x classes
    intercept: np.ndarray
    classes: tuple[str, ...]

    def probabilities(self, text: str) -> dict[str, float]:
        """Return the probability of each class for one text."""
        logits = self.intercept.copy()
        for vectorizer, weight in zip(self.vectorizers, self.weights, strict=True):
            logits += np.asarray(vectorizer.transform([text]) @ weight).ravel()
        exponentials = np.exp(logits - logits.max())
        shares = exponentials / exponentials.sum()
        return {route: float(p) for route, p in zip(self.classes, shares, strict=True)}


def fit_text_model(texts: list[str], routes: list[str]) -> TextModel:
    """Fit the vectorizers and the logistic regression; return them as a ``TextModel``."""
    vectorizers = (
        TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"
        ),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
    )
    blocks = [vectorizer.fit_transform(texts) for vectorizer in vectorizers]
    model = LogisticRegression(C=REGULARISATION_C, max_iter=3000, random_state=RANDOM_STATE)
    model.fit(hstack(blocks).tocsr(), routes)
    edges = np.cumsum([0, *(block.shape[1] for block in blocks)])
    weights = tuple(
        np.ascontiguousarray(model.coef_[:, start:stop].T) for start, stop in pairwise(edges)
    )
    return TextModel(vectorizers, weights, model.intercept_.copy(), tuple(map(str, model.classes_)))


@dataclass(frozen=True)
class RouteClassifier:
    """The content model (blind to words of time) and the timing model."""

    content: TextModel
    timing: TextModel


def train_route_classifier(
    normalised_texts: list[str], routes: list[str], for_timing: list[bool]
) -> RouteClassifier:
    """Return both models fitted to ``routes`` (one per text; ``none`` for non-safety).

    The timing model learns only from the texts marked ``for_timing``.
    """
    timed = [i for i, keep in enumerate(for_timing) if keep]
    return RouteClassifier(
        content=fit_text_model([content_text(text) for text in normalised_texts], routes),
        timing=fit_text_model([normalised_texts[i] for i in timed], [routes[i] for i in timed]),
    )


def route_scores(classifier: RouteClassifier, normalised: str) -> dict[str, float]:
    """Return the content model's probability of each safety route (``none`` left out)."""
    scores = classifier.content.probabilities(content_text(normalised))
    return {route: p for route, p in scores.items() if route != NO_ROUTE}


def danger_now_score(classifier: RouteClassifier, normalised: str) -> float:
    """Return the timing model's probability that the message is danger happening now."""
    return classifier.timing.probabilities(normalised)["danger"]

import pytest

from bot.content.catalogue import load_catalogue
from bot.safety.classifier import (
    CONTENT_ONLY_PREFIX,
    content_text,
    danger_now_score,
    read_labelled_messages,
    route_scores,
    train_route_classifier,
)
from bot.safety.component import read_message
from bot.safety.normalise import normalise
from bot.safety.patterns import PatternSet

TEXTS = [
    ("he is outside my house now and says he will hurt me", "danger"),
    ("they are outside now with a knife", "danger"),
    ("my uncle touched me when i was little", "disclosure"),
    ("he made me send pictures last year", "disclosure"),
    ("i am going to the cinema tonight", "none"),
    ("what is grooming", "none"),
    ("can you help me with homework now", "none"),
    ("my mum is outside picking me up", "none"),
]

ALL_TIMED = [True] * len(TEXTS)


def test_the_content_model_reads_no_words_of_time_and_no_numbers():
    assert content_text("he is 19 and coming tonight right now") == "he is num and coming"


def test_both_models_score_every_route_and_now():
    classifier = train_route_classifier([t for t, _ in TEXTS], [r for _, r in TEXTS], ALL_TIMED)
    scores = route_scores(classifier, "he is outside now")
    assert set(scores) == {"danger", "disclosure"}
    assert 0 <= danger_now_score(classifier, "he is outside now") <= 1
    # a word of time changes what the timing model says, never the content model
    with_time = route_scores(classifier, "i am going to the cinema tonight")
    without = route_scores(classifier, "i am going to the cinema")
    assert with_time["danger"] == without["danger"]


def test_rows_for_the_content_model_only_leave_the_timing_model_as_it_was(tmp_path):
    news = "mum has just told me were going to florida now im shaking"
    (tmp_path / "danger.csv").write_text(
        "text,route,about\n" + "".join(f"{t},{r},\n" for t, r in TEXTS), encoding="utf-8"
    )
    (tmp_path / f"{CONTENT_ONLY_PREFIX}.csv").write_text(
        f"text,route,about\n{news},none,none\n", encoding="utf-8"
    )
    rows = read_labelled_messages(tmp_path)
    assert [timed for _, _, timed in rows] == [*ALL_TIMED, False]
    texts, routes = [t for t, _, _ in rows], [r for _, r, _ in rows]
    with_news = train_route_classifier(texts, routes, [timed for _, _, timed in rows])
    without = train_route_classifier(texts[:-1], routes[:-1], ALL_TIMED)
    message = "he has just told me hes outside now"
    assert danger_now_score(with_news, message) == danger_now_score(without, message)
    assert route_scores(with_news, message) != route_scores(without, message)


def test_the_fast_reading_gives_exactly_what_sklearn_would():
    from scipy.sparse import hstack
    from sklearn.linear_model import LogisticRegression

    from bot.safety.classifier import RANDOM_STATE, REGULARISATION_C, fit_text_model

    texts, routes = [t for t, _ in TEXTS], [r for _, r in TEXTS]
    model = fit_text_model(texts, routes)
    features = hstack([v.transform(texts) for v in model.vectorizers]).tocsr()
    reference = LogisticRegression(
        C=REGULARISATION_C, max_iter=3000, random_state=RANDOM_STATE
    ).fit(features, routes)
    for index, text in enumerate(texts):
        fast = model.probabilities(text)
        expected = reference.predict_proba(features[index])[0]
        for route, p in zip(reference.classes_, expected, strict=True):
            assert abs(fast[route] - p) < 1e-6


def test_the_timing_model_does_not_read_when_something_was_told():
    # a timing model for which "tonight" is what makes danger
    texts = ["he hurts her tonight", "they hurt him tonight", "he hurts her", "they hurt him"]
    texts += ["what is grooming", "i like cats"]
    routes = ["danger", "danger", "disclosure", "disclosure", "none", "none"]
    classifier = train_route_classifier(texts, routes, [True] * len(texts))
    patterns = PatternSet(load_catalogue().safety_patterns)
    told = "tonight she told me he hurts her"
    signals = read_message(told, normalise(told), patterns, classifier, frozenset(texts))
    assert "told_at" in signals.indicators
    assert signals.scores["now"] == pytest.approx(
        danger_now_score(classifier, "she told me he hurts her")
    )
    assert signals.scores["now"] < danger_now_score(classifier, normalise(told))

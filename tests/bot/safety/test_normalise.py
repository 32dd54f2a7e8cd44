import pytest

from bot.safety.normalise import normalise


@pytest.mark.parametrize(
    "raw, expected",
    [
        (
            "im being f\u200borced to have s3x n im only 12",
            "i am being forced to have sex and i am only 12",
        ),
        ("HELPPPP ME pls", "help me please"),
        ("my bf is 22 n wants nudez 2nite", "my boyfriend is 22 and wants nudes tonight"),
        ("Іm scаred", "i am scared"),  # Cyrillic look-alikes
        ("Ηe is οutside", "he is outside"),  # Greek look-alikes
        ("\x00\x01hi\x7f", "hi"),
        ("ｆｕｌｌｗｉｄｔｈ", "fullwidth"),  # NFKC
        ("r4pe", "rape"),
        ("I’m 13", "i am 13"),
        ("🙂🙂", ""),
        ("", ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_ages_and_numbers_are_not_leetspeak():
    assert normalise("he is 24 and i am 15") == "he is 24 and i am 15"

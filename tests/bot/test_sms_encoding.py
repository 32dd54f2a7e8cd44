from bot.sms_encoding import MAX_SMS_CHARACTERS, count_segments, is_gsm7, split_for_sms


def test_plain_text_is_gsm7_and_fits_one_segment_up_to_160():
    assert count_segments("a" * 160).segments == 1
    assert count_segments("a" * 161).segments == 2
    assert count_segments("a" * 306).segments == 2
    assert count_segments("a" * 307).segments == 3


def test_extension_characters_take_two_units():
    assert count_segments("€" * 80).units == 160
    assert count_segments("€" * 81).segments == 2


def test_one_emoji_switches_to_ucs2():
    text = "Call Childline 🙂"
    assert not is_gsm7(text)
    count = count_segments(text + "a" * 60)
    assert count.encoding == "UCS-2"
    assert count.segments == 2  # 16 + 60 = 76 units > 70


def test_curly_quotes_are_not_gsm7():
    assert not is_gsm7("it’s")
    assert is_gsm7("it's")


def test_long_and_emoji_texts_split_into_messages_of_at_most_three_segments():
    for text in ["x" * 2000, "word " * 400, "😀" * 400, "line\n" * 300]:
        parts = split_for_sms(text)
        assert len(parts) > 1
        assert all(count_segments(p.text).segments == p.segments <= 3 for p in parts)
        assert all(len(p.text) <= MAX_SMS_CHARACTERS for p in parts)
        assert "".join(p.text for p in parts).replace("\n", "").replace(" ", "") == text.replace(
            "\n", ""
        ).replace(" ", "")
    assert split_for_sms("") == []
    assert [p.text for p in split_for_sms("short\ntext")] == ["short\ntext"]


def test_a_reference_is_never_split_from_its_words():
    sentence = "I have passed this on. Your reference number is K7MQ-4XPB. Keep it safe."
    for filler in range(380, 470, 3):
        text = ("word " * (filler // 5)).strip() + ". " + sentence
        parts = [p.text for p in split_for_sms(text)]
        assert any("Your reference number is K7MQ-4XPB." in p for p in parts), (filler, parts)
        assert " ".join(parts).split() == text.split()  # nothing lost or added

"""Page texts: every text the chat page uses is present, reviewed like wording."""

import pytest
import yaml

from bot.content.catalogue import load_catalogue
from bot.content.page_text import REQUIRED_PAGE_TEXTS
from bot.content.schema import ContentError


def test_every_page_text_is_present_and_reviewable(catalogue):
    assert {t.id for t in catalogue.page_texts} == set(REQUIRED_PAGE_TEXTS)
    assert {f"page:{i}" for i in REQUIRED_PAGE_TEXTS} <= set(catalogue.reviewable())


def test_a_missing_or_unknown_page_text_is_refused(content_copy):
    page_file = content_copy / "web" / "page.yml"
    data = yaml.safe_load(page_file.read_text())
    page_file.write_text(yaml.safe_dump({"texts": data["texts"][1:]}))
    with pytest.raises(ContentError, match="missing page texts"):
        load_catalogue(content_copy)
    page_file.write_text(yaml.safe_dump({"texts": [*data["texts"], {"id": "x", "text": "y"}]}))
    with pytest.raises(ContentError, match="unknown page text"):
        load_catalogue(content_copy)


def test_every_page_text_has_its_welsh_and_a_text_without_it_is_refused(catalogue, content_copy):
    for text in catalogue.page_texts:
        assert text.in_language("cy") == text.cy != text.text
        assert text.in_language("en") == text.in_language(None) == text.text
    page_file = content_copy / "web" / "page.yml"
    data = yaml.safe_load(page_file.read_text())
    data["texts"][0].pop("cy")
    page_file.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match="needs a non-empty 'cy'"):
        load_catalogue(content_copy)

"""Read a message that holds markup as the words a person would see, not the markup's code.

A message can carry HTML ("<img src=x onerror=...>", "<script>...</script>"): an attack, or
text pasted from a web page. The safety net reads what such a message says, so the names and
code inside markup must not count as words a person wrote (they would let a three-word feeling
after a payload be judged as a long message). Python's own HTML parser finds the markup. A tag is
dropped only when it is an HTML or SVG element, or carries attribute values: "<3", "age <16" and
words a young person puts in angle brackets ("he said <come here>") stay as they were written.
Script and style contents are code and are dropped with their tags (unless the tag is never
closed: then they are read, as the safety net fails towards the person); entities are read
("&lt;3" -> "<3"). The raw text is kept unchanged for the record.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Something that can open a tag, a comment or a declaration ("<" and then a letter, "/", "!" or
# "?"), or an entity ("&lt;", "&#60;").
MARKUP_START = re.compile(r"<[a-zA-Z/!?]|&#?\w+;")
# The elements of HTML (WHATWG), with the SVG and MathML roots and the obsolete ones that
# attack payloads use; their tags are dropped whatever their attributes.
ELEMENT_NAMES = """
    a abbr address animate animatemotion animatetransform area article aside audio b base
    basefont bdi bdo bgsound big blink blockquote body br button canvas caption center cite code
    col colgroup data datalist dd del details dfn dialog dir div dl dt em embed fieldset
    figcaption figure font footer foreignobject form frame frameset g h1 h2 h3 h4 h5 h6 head
    header hgroup hr html i iframe image img input ins isindex kbd keygen label layer legend li
    link listing main map mark marquee math menu meta meter nav nobr noembed noframes noscript
    object ol optgroup option output p param path picture plaintext pre progress q rp rt ruby s
    samp script search section select set slot small source span strike strong style sub summary
    sup svg table tbody td template textarea tfoot th thead time title tr track tt u ul use var
    video wbr xmp"""
ELEMENTS = frozenset(ELEMENT_NAMES.split())
# Elements whose contents are code or hidden, never words for a reader.
HIDDEN_CONTENTS = frozenset({"script", "style", "template", "noscript", "xmp", "title"})


class _VisibleText(HTMLParser):
    """Collect the text a reader would see; keep what only looks like a tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden: list[str] = []  # the contents of a script or style not yet closed
        self.hidden_depth = 0
        self._dropped: set[str] = set()  # tags dropped for their attributes: drop their ends

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_CONTENTS:
            self.hidden_depth += 1
        else:
            self.handle_startendtag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ELEMENTS:
            self.parts.append(" ")
        elif any(value for _, value in attrs):
            self._dropped.add(tag)
            self.parts.append(" ")
        else:
            self.parts.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_CONTENTS:
            self.hidden_depth = max(0, self.hidden_depth - 1)
            self.hidden.clear()
        elif tag in ELEMENTS or tag in self._dropped:
            self.parts.append(" ")
        else:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        (self.hidden if self.hidden_depth else self.parts).append(data)


def visible_text(text: str) -> str:
    """Return ``text`` with its HTML markup, scripts and styles taken out (see above)."""
    if not MARKUP_START.search(text):
        return text
    parser = _VisibleText()
    try:
        parser.feed(text)
        parser.close()
    except AssertionError:
        # a malformed marked section ("<![ x") stops Python's parser: read the text as typed
        return text
    # the parser keeps an unclosed script's text unread (``rawdata``): it is read as words
    return "".join([*parser.parts, *parser.hidden, parser.rawdata])

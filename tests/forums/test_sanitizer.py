"""Nothing executable survives the Markdown pipeline that posts are stored with."""

import re
from html.parser import HTMLParser

import pytest

from forums.text import render_post_body

CORPUS = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](javascript&colon;alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "[x](VBScript:msgbox(1))",
    "[x](file:///etc/passwd)",
    "[ref]: javascript:alert(1)\n\n[Klick][ref]",
    "<javascript:alert(1)>",
    "![bild](javascript:alert(1))",
    "![bild](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![bild](data:image/png;base64,iVBORw0KGgo=)",
    '![a" onerror="alert(1)](http://example.org/x.png)',
    '[x](http://example.org "t" onmouseover="alert(1)")',
    '[x](http://example.org "\\" onmouseover=alert(1) x=\\"")',
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<a href='javascript:alert(1)'>x</a>",
    "<details open ontoggle=alert(1)>",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<object data='javascript:alert(1)'></object>",
    "<form action='javascript:alert(1)'><button>x</button></form>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "<scr<script>ipt>alert(1)</script>",
    "[x](\\javascript:alert(1))",
    "[<img src=x onerror=alert(1)>](http://example.org)",
    "@[<script>alert(1)</script>](/members/1/)",
]


ALLOWED_OUTPUT_TAGS = {"p", "a", "code", "pre", "strong", "em", "br", "blockquote", "ul", "ol", "li", "h2"}
# A browser strips tabs and newlines from URLs, then reads a scheme as letters up to ":".
SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _elements(html):
    collector = _Collector()
    collector.feed(html)
    return collector.elements


def _scheme(url):
    cleaned = re.sub(r"^[\x00-\x20]+|[\x00-\x20]+$", "", re.sub(r"[\t\n\r]", "", url))
    match = SCHEME_RE.match(cleaned)
    return match.group(1).lower() if match else ""


@pytest.mark.parametrize("text", CORPUS)
def test_nothing_executable_survives(text, db):
    html = render_post_body(text)
    for tag, attributes in _elements(html):
        assert tag in ALLOWED_OUTPUT_TAGS, html
        assert set(attributes) <= {"href", "title", "rel", "start"}, html
        if "href" in attributes:
            assert _scheme(attributes["href"]) in ("", "http", "https", "mailto"), html
    lowered = html.lower()
    for dangerous in ("<script", "<iframe", "<img", "<svg", "<style", "<object", "<form", "<math", "<details"):
        assert dangerous not in lowered, html


def test_external_images_become_links(db):
    html = render_post_body("![Plakat](https://example.org/plakat.png)")
    assert '<a href="https://example.org/plakat.png"' in html
    assert "<img" not in html


def test_links_get_nofollow_noopener(db):
    html = render_post_body("[Sozialbericht](https://example.org/bericht.pdf)")
    assert 'rel="nofollow noopener noreferrer"' in html


def test_raw_html_is_shown_as_text(db):
    assert "&lt;b&gt;" in render_post_body("<b>fett</b>")


def test_headings_start_below_the_page_title(db):
    assert "<h2>" in render_post_body("# Überschrift")
    assert "<h1>" not in render_post_body("# Überschrift")

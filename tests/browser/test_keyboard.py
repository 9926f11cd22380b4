"""Keyboard-only journeys: reply to a thread and upload a file with Tab, Enter, Space and typing,
with a visible focus indicator on every element reached."""

import pytest

from tests.browser.conftest import login
from tests.browser.test_a11y_pages import EMAIL, PASSWORD, demo_thread

FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== "none";
  return {
    visible: outline || shadow,
    tag: el.tagName, id: el.id, name: el.getAttribute("name") || "", type: el.type || "",
    text: (el.innerText || el.value || "").trim().slice(0, 60), href: el.getAttribute("href") || ""
  };
}"""


def tab_until(page, matches, *, limit=250, backwards=False):
    """Press Tab (or Shift+Tab) until ``matches(focus)``; every focused element must show focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focus = page.evaluate(FOCUS_STATE)
        if focus is None:
            continue
        assert focus["visible"], f"focus not visible on {focus}"
        if matches(focus):
            return focus
    raise AssertionError("element not reached with the keyboard")


def open_file_chooser_with_space(page, attempts=3):
    """Space on a focused file field opens the chooser. Once in CI, headless Chromium opened none
    on the first press within 15 s, so the key is pressed again (still only the keyboard)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        try:
            with page.expect_file_chooser(timeout=5000) as chooser:
                page.keyboard.press("Space")
            return chooser.value
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
            assert page.evaluate("document.activeElement.type") == "file"


@pytest.mark.browser
def test_reply_to_a_thread_with_the_keyboard_only(page, demo_data):
    login(page, EMAIL, PASSWORD)
    thread = demo_thread()
    page.goto(f"/forums/threads/{thread.pk}/")
    tab_until(page, lambda f: f["tag"] == "A" and f["href"] == "#reply-form")
    page.keyboard.press("Enter")
    tab_until(page, lambda f: f["tag"] == "TEXTAREA" and f["name"] == "body", limit=5)
    page.keyboard.type("Danke, das hilft uns in Jena weiter – per Tastatur geschrieben.")
    tab_until(page, lambda f: f["tag"] == "BUTTON" and f["type"] == "submit", limit=5)
    page.keyboard.press("Enter")
    page.get_by_text("per Tastatur geschrieben").first.wait_for()

    from forums.models import Post

    assert Post.objects.filter(thread=thread, body__contains="per Tastatur geschrieben").exists()


@pytest.mark.browser
def test_upload_a_file_with_the_keyboard_only(page, demo_data, tmp_path):
    from tests.documents.factories import pdf_bytes

    pdf = tmp_path / "Tastatur-Bericht.pdf"
    pdf.write_bytes(pdf_bytes("Sozialbericht per Tastatur"))
    login(page, EMAIL, PASSWORD)
    page.goto("/documents/upload/")
    tab_until(page, lambda f: f["tag"] == "INPUT" and f["type"] == "file")
    open_file_chooser_with_space(page).set_files(str(pdf))
    tab_until(page, lambda f: f["tag"] == "INPUT" and f["name"] == "title")
    page.keyboard.type("Bericht über die Tastatur")
    tab_until(page, lambda f: f["tag"] == "BUTTON" and f["type"] == "submit")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/upload/" not in url)

    from documents.models import Document

    assert Document.objects.filter(title="Bericht über die Tastatur").exists()

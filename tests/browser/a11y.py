"""axe-core (shipped inside the axe-playwright-python package) run in Chromium."""

from axe_playwright_python.sync_playwright import Axe

WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def axe_violations(page) -> list[dict]:
    results = _axe.run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}, "resultTypes": ["violations"]}
    )
    return results.response["violations"]


def assert_accessible(page, label: str = "") -> None:
    violations = axe_violations(page)
    if violations:
        lines = [f"axe found {len(violations)} WCAG 2.1 AA violation(s) on {label or page.url}:"]
        for violation in violations:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
        raise AssertionError("\n".join(lines))

"""Accessibility checks with axe-core (vendor/package.json, installed by `make vendor`).

    from tests.e2e.a11y import assert_accessible
    await assert_accessible(page, "licenses page, wide")

fails listing every "serious" or "critical" violation on the page as it is now (open dialogs
included): the rule, its impact, the elements (CSS selectors) and what to do."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page

from tests.servers import ROOT

AXE = ROOT / "vendor" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {' '.join(map(str, node['target']))}" for node in violation["nodes"])
    return "\n".join(lines)


async def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page."""
    if not AXE.is_file():
        raise RuntimeError(f"{AXE} is missing: run `make vendor`")
    if not await page.evaluate("typeof window.axe === 'object'"):
        # Evaluated rather than added as a <script>: the page's Content-Security-Policy
        # allows no inline script, and the browser driver's evaluation is not subject to it.
        await page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    found = await page.evaluate(
        """async () => {
            const result = await axe.run(document, { resultTypes: ["violations"] });
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({ target: n.target, impact: n.impact })),
            }));
        }"""
    )
    return [v for v in found if v["impact"] in BLOCKING]


async def assert_accessible(page: Page, name: str) -> None:
    """Fails with every serious or critical axe-core violation of `page`; `name` says which
    page and state it was, in the failure message."""
    found = await violations(page)
    assert not found, f"accessibility violations on {name}:\n{describe(found)}"

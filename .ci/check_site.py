"""Open the built docs site in headless Chromium, as a reader would, and fail on what they'd hit.

    python .ci/check_site.py SITE_DIR [--screenshots DIR]

SITE_DIR is the output of ``mkdocs build``. It is served on 127.0.0.1 and opened in Debian's
Chromium (/usr/bin/chromium) driven by Playwright; Playwright never downloads a browser here.
Every page must load without a console error or a failed request; every internal link,
anchor and image must resolve; the search must find ``external_id`` and
``WebhookVerificationError``; a code block's copy button must put the code on the clipboard;
the API reference must show each method's signature with its parameters. Screenshots of the
home page and of one guide are written for people to look at.

Requests that leave 127.0.0.1 (the theme's web fonts, links to GitHub) are blocked and
listed, never sent: the check has no network and its result does not depend on one.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import posixpath
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from playwright.sync_api import (
    ConsoleMessage,
    Error,
    Page,
    Request,
    Response,
    Route,
    sync_playwright,
)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# As the machine notes say: without the background-networking flags Chromium keeps trying to
# reach Google's hosts, which this closed network refuses.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SEARCHES = ("external_id", "WebhookVerificationError")
GUIDE = "guides/errors-and-retries/"
# The method whose signature must list these parameters (a minimum, not the whole list).
SIGNATURE = ("resources/documents/", "numora.resources.documents.Documents.create")
SIGNATURE_PARAMETERS = ("schema", "file_url", "external_id")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # Chromium drops connections it no longer needs (a page navigated away mid-load):
        # the broken pipe that leaves is not a problem of the site.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on a free port of 127.0.0.1 for as long as the block runs."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)
    ids: dict[str, set[str]] = field(default_factory=dict)  # page path -> element ids
    links: list[tuple[str, str]] = field(default_factory=list)  # (page path, href)

    def fail(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")


def pages(site: Path) -> list[str]:
    """Every page of the site, as URL paths relative to its root (``guides/async/``)."""
    found = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        if rel == "404.html":
            continue
        found.append(rel.removesuffix("index.html"))
    return found


def target_file(site: Path, path: str) -> Path | None:
    """The file that serves URL path ``path`` (``a/b/`` -> ``a/b/index.html``), if any."""
    rel = unquote(path).lstrip("/")
    candidate = site / rel
    if rel == "" or rel.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def visit(page: Page, base: str, path: str, report: Report) -> None:
    """Load one page; record its console errors, failed loads, broken images, ids, links."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not _external(base, message.location.get("url", "")):
            errors.append(message.text)

    def on_failed(request: Request) -> None:
        # ERR_ABORTED: a late load (the favicon) cut off by the next page.goto, not a fault.
        if not _external(base, request.url) and request.failure != "net::ERR_ABORTED":
            errors.append(f"request failed: {request.url} ({request.failure})")

    def on_response(response: Response) -> None:
        if response.status >= 400 and not _external(base, response.url):
            errors.append(f"{response.url} answered {response.status}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    try:
        response = page.goto(base + path, wait_until="load")
        if response is None or response.status != 200:
            report.fail(path, f"answered {response.status if response else 'nothing'}")
        for url in page.evaluate(
            "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
            ".map(i => i.currentSrc || i.src)"
        ):
            report.fail(path, f"image does not load: {url}")
        report.ids[path] = set(page.evaluate(_IDS))
        hrefs = page.evaluate(_HREFS)
        report.links.extend((path, href) for href in hrefs)
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("requestfailed", on_failed)
        page.remove_listener("response", on_response)
    for error in errors:
        report.fail(path, f"console error: {error}")


# What an anchor (#fragment) can point at: an element's id, or an <a name=...>.
_IDS = """() => [
    ...[...document.querySelectorAll('[id]')].map(e => e.id),
    ...[...document.querySelectorAll('a[name]')].map(e => e.name),
]"""
_HREFS = "() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"


def _external(base: str, url: str) -> bool:
    return bool(url) and not url.startswith(base) and not url.startswith(("data:", "blob:"))


def check_links(site: Path, report: Report) -> int:
    """Every internal link leads to a page or file of the site, and its anchor exists there."""
    checked = 0
    for source, href in report.links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
            continue  # external: not ours to check offline
        url, fragment = urldefrag(urljoin("/" + source, href))
        target_path = posixpath.normpath(url) + ("/" if url.endswith("/") else "")
        target = target_file(site, target_path)
        checked += 1
        if target is None:
            report.fail(source, f"broken link {href!r}")
            continue
        if fragment and target.name == "index.html":
            page_path = target.parent.relative_to(site).as_posix()
            page_path = "" if page_path == "." else page_path + "/"
            if page_path in report.ids and unquote(fragment) not in report.ids[page_path]:
                report.fail(source, f"link {href!r}: no anchor #{fragment} on {page_path or '/'}")
    return checked


def check_search(page: Page, base: str, report: Report) -> None:
    for term in SEARCHES:
        page.goto(base, wait_until="load")
        box = page.locator("input.md-search__input")
        box.click()  # on a wide window the search box sits in the header
        box.press_sequentially(term)  # typed: the theme searches on key presses
        results = page.locator(".md-search-result__item")
        try:
            results.first.wait_for(state="visible", timeout=15_000)
        except Error:  # no result appeared in time: that is the finding
            report.fail("search", f"no result for {term!r}")
            continue
        text = page.locator(".md-search-result").inner_text()
        if term.lower() not in text.lower():
            report.fail("search", f"results for {term!r} do not mention it")
        else:
            print(f"search {term!r}: {results.count()} results")


def check_copy_button(page: Page, base: str, report: Report) -> None:
    page.goto(base + "getting-started/", wait_until="load")
    # The theme adds the buttons when the page loads (the class differs across versions).
    button = page.locator("button.md-clipboard, button.md-code__button[data-md-type='copy']")
    blocks = page.locator("div.highlight").filter(has=button)
    if blocks.count() == 0:
        report.fail("copy button", "no code block with a copy button on getting-started/")
        return
    python = blocks.filter(has_text="from numora import")  # several lines, to copy them all
    block = python.first if python.count() else blocks.first
    code = block.locator("code").inner_text()
    block.hover()
    block.locator(button).first.click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    if copied.strip() != code.strip():
        report.fail("copy button", f"clipboard holds {copied[:60]!r}, not the block's code")
    else:
        print(f"copy button: copied {len(copied.splitlines())} lines of code")


def check_signatures(page: Page, base: str, report: Report) -> None:
    """Each method has its signature right under its heading: on the reference pages (written
    by mkdocstrings) and on the resource pages (written by docs/_hooks/api_reference.py, a
    code block ``client.documents.create(...)`` under each method's heading)."""
    methods = 0
    for path in sorted(p for p in report.ids if p.startswith("reference/")):
        page.goto(base + path, wait_until="load")
        found = page.evaluate(
            """() => [...document.querySelectorAll('.doc-heading')]
                .filter(h => h.querySelector('.doc-symbol-method'))
                .map(h => {
                    const next = h.nextElementSibling;
                    const sig = next && next.classList.contains('doc-signature')
                        ? next.innerText : null;
                    const name = h.querySelector('.doc-object-name').innerText.trim();
                    return [h.id, name, sig];
                })"""
        )
        for heading_id, name, signature in found:
            methods += 1
            if signature is None or not signature.replace(" ", "").startswith(name + "("):
                report.fail(path, f"method {heading_id} has no signature")
    for path in sorted(p for p in report.ids if p.startswith("resources/")):
        page.goto(base + path, wait_until="load")
        for heading_id, signature in _resource_signatures(page):
            methods += 1
            name = heading_id.rsplit(".", 1)[1]
            if signature is None or f".{name}(" not in signature.replace(" ", ""):
                report.fail(path, f"method {heading_id} has no signature")
    if methods == 0:
        report.fail("API reference", "no method found on the reference pages")
    path, heading_id = SIGNATURE
    page.goto(base + path, wait_until="load")
    text = dict(_resource_signatures(page)).get(heading_id) or ""
    missing = [name for name in SIGNATURE_PARAMETERS if name not in text]
    if missing:
        report.fail(path, f"{heading_id}'s signature lacks {missing}: {text!r}")
    print(f"API reference: {methods} methods, each with its signature")


def _resource_signatures(page: Page) -> list[tuple[str, str | None]]:
    """(heading id, text of the first code block before the next heading) per method."""
    found: list[tuple[str, str | None]] = page.evaluate(
        """() => [...document.querySelectorAll('h3[id^="numora.resources."]')]
            .map(h => {
                let next = h.nextElementSibling;
                while (next && !/^H[1-6]$/.test(next.tagName)
                       && !next.classList.contains('highlight')) {
                    next = next.nextElementSibling;
                }
                const sig = next && next.classList.contains('highlight')
                    ? next.innerText : null;
                return [h.id, sig];
            })"""
    )
    return found


def screenshots(page: Page, base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, path in (("home", ""), ("guide-errors-and-retries", GUIDE)):
        page.goto(base + path, wait_until="load")
        page.screenshot(path=out / f"{name}.png", full_page=False)
        print(f"screenshot: {out / f'{name}.png'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the output of mkdocs build")
    parser.add_argument("--screenshots", type=Path, default=Path("site-screenshots"))
    args = parser.parse_args()
    site: Path = args.site.resolve()
    report = Report()
    all_pages = pages(site)
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))

        def block_external(route: Route) -> None:
            report.blocked.add(urlsplit(route.request.url).netloc)
            route.abort("blockedbyclient")

        context.route(lambda url: not url.startswith(base), block_external)
        page = context.new_page()
        for path in all_pages:
            visit(page, base, path, report)
        links = check_links(site, report)
        print(f"{len(all_pages)} pages loaded, {links} internal links and anchors checked")
        check_search(page, base, report)
        check_copy_button(page, base, report)
        check_signatures(page, base, report)
        screenshots(page, base, args.screenshots)
        browser.close()
    if report.blocked:
        print(f"blocked (never sent): requests to {', '.join(sorted(report.blocked))}")
    for problem in report.problems:
        print(f"FAIL {problem}", file=sys.stderr)
    print(f"docs site: {len(report.problems)} problems")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""`tuoke extract`: run generic extraction on saved pages, attachments or http(s) URLs.

Prints one JSON object per mention on stdout; unused labels and problems go to stderr, so a
page from a portal tuoke has never seen can be judged in seconds.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path

import typer

from kernel.contracts import PAGE_KINDS
from kernel.errors import UserError

KINDS = PAGE_KINDS
_ATTACHMENT = re.compile(r"\.(xlsx?|xlsm|pdf|csv)$", re.IGNORECASE)
_PRINTED = ("role", "name", "amount_yuan", "lot", "rank", "uscc", "address", "project_name", "project_code", "published_at", "source_url")


def _read(target: str) -> tuple[bytes, dict, str]:
    if target.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(urllib.request.Request(target, headers={"User-Agent": "tuoke-extract"}), timeout=30) as response:
                return response.read(), dict(response.headers.items()), target
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise UserError(f"cannot fetch {target}: {getattr(exc, 'reason', exc)}") from exc
    path = Path(target)
    if not path.is_file():
        raise UserError(f"{target}: no such file (give a saved page, an attachment or an http(s) URL)")
    return path.read_bytes(), {}, path.resolve().as_uri()


def guess_kind(page: bytes | str, url: str | None = None, headers: dict | None = None) -> str:
    """The extractor kind for a page when neither --source nor --kind says it: from the page's own
    headline, URL, opening sentence and structure (scrapers.extract.pagekind), never its menus; a page
    none of them names is read by each extractor in turn and the one that finds evidence decides."""
    from scrapers.extract import extract_auto

    body = page.encode("utf-8") if isinstance(page, str) else page
    return extract_auto(body, url or "", headers=headers)[1].extract_as


def extract_command(
    targets: list[str] = typer.Argument(..., help="Saved pages / attachments (xlsx, xls, pdf, csv) or http(s) URLs."),
    source: str = typer.Option(None, "--source", help="Source id: its kind and detail selectors are used."),
    kind: str = typer.Option(None, "--kind", help=f"Page kind: {', '.join(KINDS)} (default: from --source or the page)."),
) -> None:
    """Extract mentions from pages or attachments; JSON lines on stdout, warnings on stderr."""
    from scrapers.extract import extract_attachment, extract_auto, extract_page

    if kind and kind not in KINDS:
        raise UserError(f"--kind {kind!r} is not one of {', '.join(KINDS)}")
    config = None
    if source:
        from kernel.sources import get_source

        found = get_source(source)
        config = {**found.raw, "detail": found.detail, "region": found.region}
        kind = kind or (found.kind if found.kind != "auto" else None)  # auto: each page by its headline
    for target in targets:
        body, headers, url = _read(target)
        decided = None
        if _ATTACHMENT.search(target.split("?")[0]):
            page_kind = kind or "procurement_award"
            result = extract_attachment(body, target.rsplit("/", 1)[-1], kind=page_kind, config=config)
        elif kind:
            page_kind = kind
            result = extract_page(body, url, kind=page_kind, headers=headers, config=config)
        else:  # the page's own headline, URL, sentence or structure; else each extractor in turn
            result, decided = extract_auto(body, url, headers=headers, config=config)
            page_kind = decided.extract_as
        for mention in result.mentions:
            row = {key: mention.get(key) for key in _PRINTED}
            row["source_url"] = url
            row.update({k: v for k, v in mention.items() if k not in row and v not in (None, {}, False)})
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        if result.unused_labels:
            sys.stderr.write(f"{target}: unused labels: {', '.join(result.unused_labels)}\n")
        for reason, detail in result.problems:
            sys.stderr.write(f"{target}: problem {reason}: {detail}\n")
        if decided is not None:  # why this kind: the headline, URL or sentence that decided it
            sys.stderr.write(f"{target}: page kind {decided.kind} ({decided.evidence})\n")
        sys.stderr.write(f"{target}: kind={page_kind} mentions={len(result.mentions)} attachments={len(result.attachment_links)}\n")


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)

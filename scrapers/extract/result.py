"""PageResult and the mention record every extractor fills (keys fixed by docs/CONTRACTS.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

from kernel.contracts import EXTRACTED_MENTION_KEYS, NOTICE_KEYS
from scrapers.extract.org_names import clean_name, looks_like_org, name_problem

MENTION_KEYS = EXTRACTED_MENTION_KEYS  # what an extractor fills (kernel.contracts)
_ID_PARAMS = ("noticeid", "id", "infoid", "articleid", "guid", "docid", "contentid", "newsid", "bulletinid", "uuid")


@dataclass
class PageResult:
    mentions: list[dict] = field(default_factory=list)
    notice: dict = field(default_factory=lambda: dict.fromkeys(NOTICE_KEYS))
    unused_labels: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    attachment_links: list[str] = field(default_factory=list)
    names_found: int = 0  # organisations the recogniser found where a party may stand (placement.py)
    unplaced_names: list[str] = field(default_factory=list)  # found, in no mention: no role evidence

    def problem(self, reason: str, detail: str) -> None:
        if (reason, detail) not in self.problems:
            self.problems.append((reason, detail))

    def unused(self, label: str) -> None:
        label = re.sub(r"\s+", "", label).strip(":：")
        if label and label not in self.unused_labels:
            self.unused_labels.append(label)

    def accept_name(self, raw: str | None, what: str = "name") -> str | None:
        """Cleaned name, or None with a `not_a_name` problem when it is obviously not a company."""
        name = clean_name(raw)
        why = name_problem(name)
        if why is None:
            return name
        if raw and raw.strip():
            self.problem("not_a_name", f"{what} {raw.strip()[:60]!r} dropped: {why}")
        return None

    def accept_org(self, raw: str | None, what: str = "name") -> str | None:
        """Like accept_name, and the name must end like an organisation (a field label, a person, an
        address or a sentence taken for a name is recorded as a `not_an_organisation` problem)."""
        name = self.accept_name(raw, what)
        if name is None or looks_like_org(name):
            return name
        self.problem("not_an_organisation", f"{what} {name[:60]!r} dropped: it does not end like an organisation's name")
        return None

    def add(self, url: str | None, region: str | None = None, **values) -> dict:
        mention = dict.fromkeys(MENTION_KEYS)
        for key in NOTICE_KEYS:
            mention[key] = self.notice.get(key)
        mention["url"] = url
        mention["region"] = region
        mention["is_correction"] = bool(self.notice.get("is_correction"))
        mention["extra"] = {}
        for key, value in values.items():
            if key in mention and value not in (None, ""):
                mention[key] = value
            elif key not in mention and value not in (None, "", [], {}):
                mention["extra"][key] = value
        self.mentions.append(mention)
        return mention


def notice_id_from_url(url: str | None) -> str | None:
    """A notice id from the URL: an id-like query parameter, else the last path segment's stem."""
    if not url:
        return None
    parsed = urlparse(url)
    query = {k.lower(): v for k, v in parse_qs(parsed.query).items()}
    for key in _ID_PARAMS:
        if query.get(key) and query[key][0].strip():
            return query[key][0].strip()
    segment = parsed.path.rstrip("/").rsplit("/", 1)[-1]
    stem = segment.rsplit(".", 1)[0] if "." in segment else segment
    return stem or None

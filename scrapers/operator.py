"""The crawler's identity: a User-Agent naming the operator and how to reach them.

From `configs/crawler.yaml` (`operator.name`, `operator.contact`), the contact overridable by env
`TUOKE_OPERATOR_CONTACT`. A contact must be a `mailto:` address, an e-mail address or an http(s)
URL; a crawl without one refuses to start (one line naming the file).
"""

from __future__ import annotations

import os
import re

import yaml

from kernel.errors import UserError
from kernel.paths import configs_dir

CRAWLER_VERSION = "0.2"
_CONTACT = re.compile(r"^(mailto:)?[^@\s()]+@[^@\s()]+\.[^@\s()]+$|^https?://[^\s()]+$")


def operator_contact() -> tuple[str, str]:
    """(name, contact) of whoever runs the crawler."""
    path = configs_dir() / "crawler.yaml"
    data = {}
    if path.exists():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise UserError(f"{path}: not valid YAML ({exc})") from None
    operator = data.get("operator") or {}
    name = str(operator.get("name") or "tuoke crawler").strip()
    contact = (os.environ.get("TUOKE_OPERATOR_CONTACT") or str(operator.get("contact") or "")).strip()
    if not _CONTACT.match(contact):
        raise UserError(f"{path}: operator.contact must be an e-mail address or an http(s) URL that reaches the "
                        f"crawler's operator (got {contact!r}); or set TUOKE_OPERATOR_CONTACT")
    return name, contact


def crawler_user_agent() -> str:
    name, contact = operator_contact()
    return f"tuoke-crawler/{CRAWLER_VERSION} (+{contact}; {name}; obeys robots.txt)"

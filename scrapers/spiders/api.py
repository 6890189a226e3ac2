"""API spider: a JSON list endpoint with paging (e.g. centralized-procurement SPAs) → detail
pages or attachments addressed by notice id.

`list.api`: `url`, `method` (POST|GET), `body` (first-page payload), `page_param`, `items_path`
(dotted path to the list), `id_field`, `detail_url` (template with `{field}` of each item),
optional `attachment_url`, `title_field`, `date_field`, `total_path`, `max_pages`. Paging stops at
an empty page, at `total`, at max_pages, or at a page whose notices were all seen. Seen is decided by notice id
here (the list tells it before any detail is fetched).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

from scrapy import Request
from scrapy.http import JsonRequest, Response

from scrapers.items import Quarantined
from scrapers.spiders.base import SourceSpider, fill_template, headers_dict


def dig(data: Any, path: str | None) -> Any:
    for part in (path or "").split("."):
        if not part:
            continue
        data = data.get(part) if isinstance(data, dict) else None
    return data


class ApiSpider(SourceSpider):
    @property
    def api(self) -> dict[str, Any]:
        return self.source.list.get("api") or {}

    async def start(self):
        first = int(self.api.get("first_page", (self.api.get("body") or {}).get(self.api.get("page_param", "index"), 1)))
        yield self.api_request(first)

    def api_request(self, page: int) -> Request:
        page_param = self.api.get("page_param", "index")
        body = {**(self.api.get("body") or {}), page_param: page}
        meta = {"page_type": "list", "cacheable": False, "page_no": page}
        url = self.api.get("url") or self.source.start_urls[0]
        if str(self.api.get("method", "POST")).upper() == "GET":
            sep = "&" if "?" in url else "?"
            return Request(url + sep + urlencode(body), callback=self.parse_api, errback=self.on_error,
                           meta=meta, dont_filter=True)
        return JsonRequest(url, data=body, method="POST", callback=self.parse_api, errback=self.on_error,
                           meta=meta, dont_filter=True)

    def page_body(self, response: Response) -> bytes:
        """A detail answered as JSON becomes `<title>` + its HTML (paths `detail_html_path`, `detail_title_path`)."""
        html_path = self.api.get("detail_html_path")
        if not html_path:
            return response.body
        from scrapers.extract import decode_body

        try:
            data = json.loads(decode_body(response.body, headers_dict(response)))
        except ValueError:
            return response.body  # not JSON after all: extraction reports what it finds
        content = dig(data, html_path)
        if not isinstance(content, str):
            return response.body
        title = html.escape(str(dig(data, self.api.get("detail_title_path")) or ""), quote=False)
        return (f'<html><head><meta charset="utf-8"><title>{title}</title></head>'
                f"<body>{content}</body></html>").encode()

    def files_request(self, values: dict[str, Any], notice: dict[str, Any]) -> Request:
        """The API call that lists one notice's files (never cached: a notice may gain files)."""
        files = self.api["files"]
        body = fill_template(files.get("body") or "{notice_id}", values)
        meta = {"page_type": "list", "cacheable": False, "notice_id": values.get("notice_id"), "parent_notice": notice}
        return Request(fill_template(files["url"], values), method=str(files.get("method") or "POST").upper(),
                       body=body.encode("utf-8"), headers={"Content-Type": "application/json;charset=UTF-8"},
                       callback=self.parse_files, errback=self.on_error, meta=meta, dont_filter=True)

    def parse_files(self, response: Response, **_: Any) -> Iterator[Any]:
        from scrapers.extract import decode_body

        files = self.api["files"]
        try:
            data = json.loads(decode_body(response.body, headers_dict(response)))
        except ValueError as exc:
            yield Quarantined(url=response.url, reason="bad_json", detail=f"file list API answered non-JSON: {exc}",
                              snippet=response.body[:300].decode("utf-8", "replace"))
            return
        entries = dig(data, files.get("items_path"))
        if not isinstance(entries, list):
            yield Quarantined(url=response.url, reason="bad_json",
                              detail=f"{files.get('items_path')} is not a list in the file list answer")
            return
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            url = fill_template(files["file_url"], {k: quote(str(v), safe="/") for k, v in entry.items()})
            if self.seen.seen_url(url):
                self.count("skipped_seen")
                continue
            name = entry.get(files.get("name_field") or "") or None
            yield self.attachment_request(url, notice_id=response.meta.get("notice_id"), filename=name,
                                          parent_notice=response.meta.get("parent_notice"))

    def parse_api(self, response: Response, **_: Any) -> Iterator[Any]:
        from scrapers.extract import decode_body

        self.count("list_pages")
        try:
            data = json.loads(decode_body(response.body, headers_dict(response)))
        except ValueError as exc:
            yield Quarantined(url=response.url, reason="bad_json", detail=f"list API answered non-JSON: {exc}",
                              snippet=response.body[:300].decode("utf-8", "replace"))
            return
        items = dig(data, self.api.get("items_path")) or []
        if not isinstance(items, list):
            yield Quarantined(url=response.url, reason="bad_json",
                              detail=f"{self.api.get('items_path')} is not a list in the API answer")
            return
        id_field = self.api.get("id_field", "noticeId")
        new = 0
        for entry in items:
            notice_id = entry.get(id_field)
            if self.seen.seen_notice(notice_id):
                self.count("skipped_seen")
                continue
            new += 1
            notice = {"notice_id": str(notice_id) if notice_id is not None else None,
                      "notice_title": entry.get(self.api.get("title_field", "title")),
                      "published_at": entry.get(self.api.get("date_field", "noticePublishTime"))}
            values = {**entry, "notice_id": notice_id}
            if self.api.get("detail_url"):
                url = fill_template(self.api["detail_url"], values)
                yield self.detail_request(url, notice_id=notice_id, parent_notice=notice)
            if self.api.get("attachment_url"):
                url = fill_template(self.api["attachment_url"], values)
                yield self.attachment_request(url, notice_id=notice_id, parent_notice=notice)
            if self.api.get("files"):
                yield self.files_request(values, notice)
        page = int(response.meta.get("page_no") or 1)
        max_pages = int(self.api.get("max_pages") or self.source.list.get("max_pages") or 10_000)
        if not items:
            return
        if not new and self.stop_when_seen:
            self.logger.info("every notice on API page %s was seen before: paging stops", page)
            return
        total = dig(data, self.api.get("total_path")) if self.api.get("total_path") else None
        size = (self.api.get("body") or {}).get(self.api.get("size_param", "size"))
        if isinstance(total, int) and isinstance(size, int) and page * size >= total:
            return
        if page < max_pages:
            yield self.api_request(page + 1)

"""Generators of hostile files for the hardening tests (made at test time, nothing stored)."""

from __future__ import annotations

import io
import zipfile


def xlsx(rows: list[list], live_formulas: bool = False) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("=") and not live_formulas:
                cell.data_type = "s"  # text that looks like a formula, as a stranger's file would hold it
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def srdi_xlsx(names: list[str]) -> bytes:
    return xlsx([["序号", "企业名称"], *[[i + 1, n] for i, n in enumerate(names)]])


def xlsx_bomb(megabytes: int, names: list[str] | None = None) -> bytes:
    """A valid workbook whose first sheet carries `megabytes` MB of blanks (compresses ~1000x)."""
    good = srdi_xlsx(names or ["杭州甲科技有限公司"])
    out = io.BytesIO()
    blanks = b" " * 2**20
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                                   compresslevel=1) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, data)
                continue
            with dst.open(item.filename, "w", force_zip64=True) as member:  # streamed: no 1 GB string
                member.write(data)
                for _ in range(megabytes):
                    member.write(blanks)
    return out.getvalue()


def xlsx_ratio_bomb() -> bytes:
    """Under the total size limit, but one member expands thousands of times."""
    return xlsx_bomb(20)


def xlsx_far_cell() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "企业名称"])
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf(pages: int) -> bytes:
    """A minimal valid PDF with `pages` empty pages (hand-written objects and xref)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def pdf_stream_bomb(megabytes: int) -> bytes:
    """A one-page PDF carrying a Flate stream of `megabytes` MB of zeros (compresses ~1000x)."""
    import zlib

    compressor = zlib.compressobj(1)
    chunk = b"\0" * 2**20
    data = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    stream = (b"9 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data)) + data + b"\nendstream\nendobj\n"
    return pdf(1).replace(b"xref", stream + b"xref", 1)


def html_page(body: str, title: str = "中标结果公告") -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1>{body}"
            "</body></html>").encode()


def deep_award(depth: int, name: str = "杭州深层科技有限公司") -> bytes:
    inner = f"<p>中标供应商名称：{name}</p><p>中标金额：1000元</p>"
    return html_page("<div>" * depth + inner + "</div>" * depth)


def deep_tables_award(depth: int, name: str) -> bytes:
    """The winner inside `depth` tables, each in a cell of the one around it."""
    inner = f"<p>中标供应商名称：{name}</p><p>中标金额：1000元</p>"
    return html_page("<table><tr><td>" * depth + inner + "</td></tr></table>" * depth)


def long_table(rows: int, prefix: str = "杭州") -> bytes:
    body = "".join(f"<tr><td>{i + 1}</td><td>{prefix}第{i + 1}号科技有限公司</td></tr>" for i in range(rows))
    return html_page(f"<table><tr><th>序号</th><th>企业名称</th></tr>{body}</table>", title="2025年专精特新中小企业名单")

"""A tiny PDF writer for Chinese tables, with no font file.

The machine has no CJK font to embed (only DejaVu under /usr/share/fonts, and no pip package in the
venv bundles one), so fpdf2 cannot write Chinese. PDF itself has an answer: the Adobe standard CJK
font `STSong-Light` with the `UniGB-UCS2-H` CMap may be referenced without embedding (viewers
substitute a local Song face; pdfminer/pdfplumber map the codes back to Unicode through their
bundled Adobe-GB1 CMaps). This module writes exactly that: text + ruling lines, deterministic bytes.
"""

from __future__ import annotations

PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points


def _hex_ucs2(text: str) -> str:
    return "".join(f"{ord(ch):04X}" for ch in text if ord(ch) < 0x10000)


def _text_width(text: str, size: float) -> float:
    return sum(size * (0.5 if ord(ch) < 0x80 else 1.0) for ch in text)


class CjkPdf:
    def __init__(self, title: str = "") -> None:
        self.pages: list[list[str]] = []
        self.title = title

    def add_page(self) -> None:
        self.pages.append([])

    def text(self, x: float, y: float, text: str, size: float = 10.0) -> None:
        """Write text with its baseline at (x, y), y measured from the top of the page."""
        if not self.pages:
            self.add_page()
        # ASCII goes through the CJK font too (UniGB-UCS2-H covers it, half-width).
        self.pages[-1].append(f"BT /F1 {size:.1f} Tf {x:.2f} {PAGE_H - y:.2f} Td <{_hex_ucs2(text)}> Tj ET")

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.pages[-1].append(f"{x1:.2f} {PAGE_H - y1:.2f} m {x2:.2f} {PAGE_H - y2:.2f} l S")

    def table(self, x: float, y: float, widths: list[float], rows: list[list[str]], *, row_h: float = 20.0,
              size: float = 9.0, bottom: float = 790.0, repeat_header: bool = False) -> float:
        """Ruled table starting at (x, y); breaks across pages like real PDF lists. Returns the end y."""
        header = rows[0]
        top = y
        drawn: list[float] = [top]

        def close_block(top_y: float, ys: list[float]) -> None:
            right = x + sum(widths)
            for yy in ys:
                self.line(x, yy, right, yy)
            xx = x
            for w in [0.0] + widths:
                xx += w
                self.line(xx, top_y, xx, ys[-1])

        for index, row in enumerate(rows):
            if y + row_h > bottom:
                close_block(top, drawn)
                self.add_page()
                y = top = 50.0
                drawn = [top]
                if repeat_header and index > 0:
                    self._row(x, y, widths, header, row_h, size)
                    y += row_h
                    drawn.append(y)
            self._row(x, y, widths, row, row_h, size)
            y += row_h
            drawn.append(y)
        close_block(top, drawn)
        return y

    def _row(self, x: float, y: float, widths: list[float], row: list[str], row_h: float, size: float) -> None:
        xx = x
        for cell, w in zip(row, widths):
            cell = str(cell)
            fit = size
            while _text_width(cell, fit) > w - 4 and fit > 5:
                fit -= 0.5
            self.text(xx + 2, y + row_h / 2 + fit / 2 - 1, cell, fit)
            xx += w

    def output(self) -> bytes:
        objects: list[bytes] = []

        def add(obj: str | bytes) -> int:
            objects.append(obj.encode("latin-1") if isinstance(obj, str) else obj)
            return len(objects)

        catalog = add("")  # placeholder, filled below
        pages_obj = add("")
        font_desc = add("<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
                        "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
        cid_font = add(f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
                       f"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
                       f"/FontDescriptor {font_desc} 0 R /DW 1000 /W [1 95 500 814 939 500 7712 7716 500] >>")
        font = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H "
                   f"/Encoding /UniGB-UCS2-H /DescendantFonts [{cid_font} 0 R] >>")
        page_ids = []
        for ops in self.pages or [[]]:
            stream = ("0.5 w\n" + "\n".join(ops)).encode("latin-1")
            content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
            page_ids.append(add(
                f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {PAGE_W:.0f} {PAGE_H:.0f}] "
                f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"
            ))
        objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode()
        kids = " ".join(f"{p} 0 R" for p in page_ids)
        objects[pages_obj - 1] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()
        info = add("<< /Producer (tuoke demo) /Title <FEFF" + _hex_ucs2(self.title) + "> >>")

        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for off in offsets:
            out += b"%010d 00000 n \n" % off
        out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objects) + 1, catalog, info, xref)
        return bytes(out)

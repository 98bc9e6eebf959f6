"""A small html.parser reader of the report: section ids, images, tables with data-value cells."""

from __future__ import annotations

from html.parser import HTMLParser


class ReportParser(HTMLParser):
    """Collects element ids, <img> sources, external references and every table's rows.

    ``tables[id]`` is a list of rows; each row a list of cells ``(text, data-value or None, attrs)``.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.images: list[dict] = []
        self.external: list[str] = []
        self.tables: dict[str, list] = {}
        self._table: list | None = None
        self._row: list | None = None
        self._cell: list | None = None
        self._cell_attrs: dict = {}
        self._row_attrs: dict = {}
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        for key in ("src", "href"):
            v = a.get(key)
            if v and (v.startswith("http:") or v.startswith("https:") or v.startswith("//")):
                self.external.append(v)
        if tag == "link":
            self.external.append(str(a))
        if tag == "script" and a.get("src"):
            self.external.append(a["src"])
        if tag == "img":
            self.images.append(a)
        if tag == "table":
            self._table = self.tables.setdefault(a.get("id", f"table{len(self.tables)}"), [])
        elif tag == "tr" and self._table is not None:
            self._row, self._row_attrs = [], a
        elif tag in ("td", "th") and self._row is not None:
            self._cell, self._cell_attrs = [], a

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            self._row.append((text, self._cell_attrs.get("data-value"), self._cell_attrs))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse(text: str) -> ReportParser:
    p = ReportParser()
    p.feed(text)
    p.close()
    return p


def rows_by_label(table) -> dict[str, tuple]:
    """First cell text -> the row's cells."""
    return {row[0][0]: row for row in table if row}

"""Bounding what an uploaded file can cost before anything parses it.

An .xlsx is a zip of XML parts, and what a parser spends is set by the parts' unpacked sizes, not by the
upload's: a 3 MB file can hold 35 MB of shared strings that openpyxl reads whole before the first row. So
an upload is checked in two cheap steps, each refusing with a Chinese message that names the limit:

- `upload_read` takes at most `FUND_UPLOAD_MAX_BYTES` + 1 bytes of it (and `UploadCapHandler`, the first
  of Django's upload handlers, never stores more than that of any file, so a 2 GB body costs no disk);
- `workbook_check` reads only the zip's directory and the chosen sheet's row tags: the number of parts,
  each part's unpacked size and compression ratio (a zip bomb), the shared strings, every worksheet, the
  total, and the rows the sheet really has (its `<dimension>` may claim anything either way).

Every limit is a setting (`FUND_UPLOAD_MAX_BYTES`, `FUND_XLSX_*`, see fund/settings/base.py).

`workbook_open` and `sheet_rows` then read a checked workbook's values as Excel last calculated them, with
one difference from openpyxl's `data_only`: a formula that was never calculated (a file written by a
program, not saved by Excel) reads as `FORMULA_WITHOUT_RESULT`, not as an empty cell.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97–2003 .xls
SHARED_STRINGS = "xl/sharedStrings.xml"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
# A part this small cannot cost much whatever its ratio (a few KB of styles compress 50:1 legitimately).
RATIO_FLOOR_BYTES = 1024 * 1024
# The workbook's own index parts are a few KB; parsed here with ElementTree, so bounded on their own.
INDEX_PART_MAX_BYTES = 1024 * 1024
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def size_text(size: int) -> str:
    """Bytes as people read them on the upload page: "5 MB", "35.2 MB", "800 KB"."""
    if size >= 1024 * 1024:
        text = f"{size / 1024 / 1024:.1f}".removesuffix(".0")
        return f"{text} MB"
    return f"{max(1, round(size / 1024))} KB"


class WorkbookRefused(Exception):
    """The upload is refused before it is opened. `code` says which check: empty, too_large, xls, not_xlsx,
    parts, unpacked, part, shared_strings, ratio, rows."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class WorkbookLimits:
    max_bytes: int
    max_unpacked_bytes: int
    max_part_bytes: int
    max_shared_strings_bytes: int
    max_ratio: int
    max_parts: int

    @classmethod
    def from_settings(cls) -> WorkbookLimits:
        return cls(
            max_bytes=settings.FUND_UPLOAD_MAX_BYTES,
            max_unpacked_bytes=settings.FUND_XLSX_MAX_UNPACKED_BYTES,
            max_part_bytes=settings.FUND_XLSX_MAX_PART_BYTES,
            max_shared_strings_bytes=settings.FUND_XLSX_MAX_SHARED_STRINGS_BYTES,
            max_ratio=settings.FUND_XLSX_MAX_RATIO,
            max_parts=settings.FUND_XLSX_MAX_PARTS,
        )


@dataclass(frozen=True)
class WorkbookShape:
    """What the check saw: the sheet it chose (by title, else the first) and how many rows that sheet holds
    (row elements, blank formatted rows included); None when the workbook's index could not be read."""

    sheet_title: str | None
    sheet_part: str | None
    rows: int | None


def upload_read(file: Any, *, max_bytes: int | None = None) -> bytes:
    """At most one byte past the limit, so an oversized upload is known without reading it all."""
    limit = settings.FUND_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    return data if isinstance(data, bytes) else str(data).encode()


def workbook_check(
    data: bytes,
    *,
    limits: WorkbookLimits | None = None,
    sheet: str | None = None,
    max_rows: int | None = None,
    rows_message: Callable[[str, int, int], str] | None = None,
) -> WorkbookShape:
    """Refuse (WorkbookRefused) an .xlsx whose parsing would cost more than the limits allow; otherwise say
    which sheet would be read and how many rows it has. Reads the zip's directory, the workbook's index and
    the chosen sheet's bytes (counting rows as they stream), never the shared strings."""
    limits = limits or WorkbookLimits.from_settings()
    if not data:
        raise WorkbookRefused("empty", "文件为空")
    if len(data) > limits.max_bytes:
        raise WorkbookRefused("too_large", f"文件超过 {size_text(limits.max_bytes)} 的上限，请分批上传")
    if data.startswith(OLE_MAGIC):
        raise WorkbookRefused("xls", "不支持 Excel 97-2003（.xls）格式，请另存为 .xlsx 后上传")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_archive(archive, limits, sheet, max_rows, rows_message)
    except WorkbookRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, RuntimeError,
            NotImplementedError, ElementTree.ParseError, KeyError) as exc:
        raise WorkbookRefused("not_xlsx", "不是有效的 Excel 文件（.xlsx）") from exc


def _check_archive(
    archive: zipfile.ZipFile, limits: WorkbookLimits, sheet: str | None, max_rows: int | None,
    rows_message: Callable[[str, int, int], str] | None,
) -> WorkbookShape:
    members = archive.infolist()
    names = {m.filename for m in members}
    if WORKBOOK not in names or "[Content_Types].xml" not in names:
        raise WorkbookRefused("not_xlsx", "不是有效的 Excel 文件（.xlsx）")
    if len(members) > limits.max_parts:
        raise WorkbookRefused("parts", f"文件包含 {len(members)} 个部件，超过上限 {limits.max_parts} 个，请另存为新文件后上传")
    for member in members:
        # zipfile stops at the declared size, so declared sizes bound what reading can cost.
        if member.filename == SHARED_STRINGS and member.file_size > limits.max_shared_strings_bytes:
            raise WorkbookRefused(
                "shared_strings",
                f"文件中的文字内容（共享字符串表）解压后为 {size_text(member.file_size)}，超过上限 "
                f"{size_text(limits.max_shared_strings_bytes)}；请只保留名单内容，另存为新文件后上传",
            )
        if member.file_size > limits.max_part_bytes:
            raise WorkbookRefused(
                "part", f"文件中的 {member.filename} 解压后为 {size_text(member.file_size)}，超过单个部件的上限 "
                f"{size_text(limits.max_part_bytes)}；请删除多余的行、列或工作表后上传",
            )
    for member in members:
        # Under every size limit and still inflating a thousandfold: built to cost, not a spreadsheet.
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
            raise WorkbookRefused(
                "ratio", f"文件压缩比异常（{member.filename} 为 1:{ratio:.0f}，上限 1:{limits.max_ratio}），"
                "疑似恶意构造的压缩文件，已拒绝",
            )
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked_bytes:
        raise WorkbookRefused(
            "unpacked", f"文件解压后共 {size_text(unpacked)}，超过上限 {size_text(limits.max_unpacked_bytes)}；"
            "请删除多余的工作表或内容后上传",
        )
    title, part = _sheet_part(archive, names, sheet)
    if part is None:
        return WorkbookShape(title, None, None)
    rows = _count_rows(archive, part)
    if max_rows is not None and rows > max_rows:
        message = (rows_message(title or "", rows, max_rows) if rows_message
                   else f"工作表“{title}”有 {rows} 行，超过上限 {max_rows} 行")
        raise WorkbookRefused("rows", message)
    return WorkbookShape(title, part, rows)


def _index(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    if archive.getinfo(name).file_size > INDEX_PART_MAX_BYTES:
        raise WorkbookRefused("part", f"文件中的 {name} 超过上限 {size_text(INDEX_PART_MAX_BYTES)}，请另存为新文件后上传")
    return ElementTree.fromstring(archive.read(name))


def _sheet_part(archive: zipfile.ZipFile, names: set[str], wanted: str | None) -> tuple[str | None, str | None]:
    """The sheet called `wanted`, else the first, as (title, part name), found as openpyxl finds it: the
    workbook's <sheets> and their relationships. (None, None) when the index does not say."""
    if WORKBOOK_RELS not in names:
        return None, None
    sheets = [(s.get("name"), s.get(f"{NS_REL}id")) for s in _index(archive, WORKBOOK).iter(f"{NS_MAIN}sheet")]
    targets = {r.get("Id"): r.get("Target") or "" for r in _index(archive, WORKBOOK_RELS).iter(f"{NS_PKG_REL}Relationship")}
    if not sheets:
        return None, None
    title, rel = next(((t, r) for t, r in sheets if wanted is not None and t == wanted), sheets[0])
    target = targets.get(rel)
    if not target:
        return title, None
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return title, (part if part in names else None)


def _count_rows(archive: zipfile.ZipFile, part: str) -> int:
    """Row elements in a sheet's XML, counted as it streams (a tag split across two chunks counts once)."""
    count, tail, keep = 0, b"", 64
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            buffer = tail + chunk
            cut = max(len(buffer) - keep, 0)
            count += sum(1 for m in ROW_TAG.finditer(buffer) if m.start() < cut)
            tail = buffer[cut:]
    return count + len(ROW_TAG.findall(tail))


class UploadCapHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: passes on at most FUND_UPLOAD_MAX_BYTES + 1 bytes of each uploaded file
    and drops the rest as it is read off the socket, so the handlers after it (memory, temporary file) never
    hold an oversized upload; the form or service then sees a file one byte too long and refuses it."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.passed = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        room = settings.FUND_UPLOAD_MAX_BYTES + 1 - self.passed
        if room <= 0:
            return None
        kept = raw_data[:room]
        self.passed += len(kept)
        return kept

    def file_complete(self, file_size: int) -> None:
        return None


class FormulaWithoutResult:
    """A cell holding a formula with no cached result: not empty, but nothing to read either."""

    def __repr__(self) -> str:
        return "<formula without result>"


FORMULA_WITHOUT_RESULT = FormulaWithoutResult()


def workbook_open(data: bytes) -> Any:
    """openpyxl's read-only workbook over `data` (already through `workbook_check`), cached values only.
    Close it when done."""
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data), read_only=True, data_only=True)


def sheet_rows(workbook: Any, sheet: Any, *, max_col: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(Excel row number, the first `max_col` values) of each row `sheet` stores, as `iter_rows(values_only=
    True)` reads them, except that a formula without a cached result is FORMULA_WITHOUT_RESULT.

    openpyxl's read-only parser drops the formula of a cell when it reads cached values; this parser keeps
    the one fact needed. It reads the sheet's part as openpyxl itself does (its reader, its archive)."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell = super().parse_cell(element)
            # No <v>, or an empty one as openpyxl writes (<v/>); an empty text result is t="str" with <v></v>.
            if (cell["value"] is None and element.find(FORMULA_TAG) is not None and element.get("t") != "str"
                    and not element.findtext(VALUE_TAG)):
                cell["value"] = FORMULA_WITHOUT_RESULT
            return cell

    with workbook._archive.open(sheet._worksheet_path) as source:
        parser = Parser(
            source, workbook.shared_strings, data_only=True, epoch=workbook.epoch,
            date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            values: list[Any] = [None] * max_col
            for cell in cells:
                if 1 <= cell["column"] <= max_col:
                    values[cell["column"] - 1] = cell["value"]
            yield number, tuple(values)

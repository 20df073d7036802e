"""Reading a contacts spreadsheet (CSV or XLSX) into stakeholder fields, refusing bad input with the
row and column at fault. Pure Python: the store commits the result, the GUI shows the preview.

Italian and German spreadsheets come as ``;``-separated cp1252 or UTF-8 with BOM and use a decimal
comma; headers may be in any of the three languages; an XLSX may start with a merged title row and
end with empty rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, count, islice, repeat
from pathlib import Path
from typing import IO, Any

from ssd_starter.core.bulk import collector_paused
from ssd_starter.core.errors import UserError, ValidationError
from ssd_starter.core.stakeholders import FIELD_LABELS, clean_stakeholder_fields
from ssd_starter.core.value_mapping import How, Match, match, normalize
from ssd_starter.core.vocabulary import Attitude, Category, LabelledEnum, Role, Sector, Stage
from ssd_starter.i18n import N_, _

MAX_BYTES = 20 * 2**20
MAX_ROWS = 100_000  # an edge list of 80,000 relations is a real district's size
MAX_COLUMNS = 200
MAX_UNCOMPRESSED = 200 * 2**20
MAX_RATIO = 100
HEADER_SCAN_ROWS = 10
# Rows read at all, blank ones included: an XLSX naming row 1,048,576 makes the reader produce every row
# before it, and a CSV of 20 MB can hold 20 million line ends.
MAX_PHYSICAL_ROWS = 2 * MAX_ROWS
# More delimiters than this on one line cannot be a table of MAX_COLUMNS columns (unless quoted text holds
# thousands of them): refused before the csv module builds a list of a million cells.
MAX_LINE_DELIMITERS = 50 * MAX_COLUMNS


class ImportRefused(UserError):
    """The file cannot be imported; ``row`` and ``column`` (1-based, as the spreadsheet shows them) say where."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None, **params: Any) -> None:
        super().__init__(message, row=row, column=column, **params)
        self.row = row
        self.column = column


@dataclass
class SheetTable:
    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]  # the spreadsheet's own number of each row, for messages
    encoding: str = ""
    delimiter: str = ""


FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "nome", "denominazione", "ragione sociale", "organizzazione", "organisation", "organization",
             "ente", "akteur", "bezeichnung", "organisation name", "actor", "attore", "label", "element"),
    "category": ("category", "categoria", "tipologia", "tipo", "kategorie", "typ", "art", "type", "element type"),
    "sector": ("sector", "settore", "sektor", "branche"),
    "municipality": ("municipality", "comune", "gemeinde", "town", "city", "citta", "ort", "localita"),
    "roles": ("roles", "role", "ruolo", "ruoli", "rolle", "rollen"),
    "influence": ("influence", "influenza", "einfluss", "power", "potere", "macht"),
    "interest": ("interest", "interesse"),
    "attitude": ("attitude", "atteggiamento", "haltung", "einstellung", "posizione"),
    "stage": ("stage", "engagement stage", "fase", "stadio", "stufe", "phase", "coinvolgimento"),
    "contact_person": ("contact", "contact person", "referente", "persona di contatto", "contatto",
                       "ansprechperson", "ansprechpartner", "kontaktperson", "kontakt"),
    "email": ("email", "e mail", "mail", "posta elettronica", "e mail adresse"),
    "phone": ("phone", "telephone", "telefono", "tel", "telefon", "cellulare", "mobile", "handy"),
    "consent": ("consent", "consenso", "consenso privacy", "privacy", "einwilligung", "zustimmung"),
    "consent_date": ("consent date", "data consenso", "data del consenso", "datum einwilligung",
                     "einwilligungsdatum"),
    "consent_purpose": ("consent purpose", "finalita", "finalita del consenso", "zweck", "zweck der einwilligung"),
    "notes": ("notes", "note", "annotazioni", "notizen", "bemerkungen", "anmerkungen", "kommentar", "description",
              "descrizione", "beschreibung"),
}
REQUIRED_FIELDS = ("name",)
YES = {"1", "yes", "y", "true", "si", "sì", "s", "ja", "j", "x", "ok", "vero", "wahr"}
NO = {"0", "no", "n", "false", "nein", "falso", "falsch", ""}


normalize_header = normalize
normalize_name = normalize  # for finding duplicates: case, accents, punctuation and spacing do not matter


# -- reading ----------------------------------------------------------------------------------

def read_table(path: Path) -> SheetTable:
    """The file's (first) table."""
    data = _read_bytes(path)
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(data)
    return read_csv(data)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRefused(N_("The file cannot be read: {reason}."), reason=exc.strerror or str(exc)) from exc
    if size > MAX_BYTES:
        raise ImportRefused(N_("The file is larger than {limit} MB: split it into smaller files."),
                            limit=MAX_BYTES // 2**20)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportRefused(N_("The file cannot be read: {reason}."), reason=exc.strerror or str(exc)) from exc


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:HEADER_SCAN_ROWS + 5] if line.strip()]
    best, best_score = ",", -1
    for candidate in (";", ",", "\t", "|"):
        counts = [line.count(candidate) for line in lines]
        if not counts or max(counts) == 0:
            continue
        # a real delimiter appears a steady number of times on most lines
        common = max(set(counts), key=counts.count)
        score = counts.count(common) * common
        if common and score > best_score:
            best, best_score = candidate, score
    return best


@collector_paused()
def read_csv(data: bytes) -> SheetTable:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused(N_("This file is not a table (CSV or XLSX): it contains binary data."))
    try:
        text, encoding = _decode(data)
    except UnicodeDecodeError as exc:
        raise ImportRefused(N_("The text encoding of the file is not recognised.")) from exc
    delimiter = _delimiter(text[:20_000])
    try:
        raw_rows = _bounded_text_rows(csv.reader(_checked_lines(text, delimiter), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportRefused(N_("The file is not a readable CSV table ({reason})."), reason=str(exc)) from exc
    table = _to_table(raw_rows)
    table.encoding, table.delimiter = encoding, delimiter
    return table


def _checked_lines(text: str, delimiter: str) -> Iterable[str]:
    """The physical lines, each refused before the reader splits it when it holds too many delimiters (a line
    of a million columns never becomes a row). Split and counted in C (a generator cost 0.1 s per 80,000
    lines), but never more lines than the reader may take: a longer file goes line by line, refused as soon as
    the reader passes its limit."""
    lines = list(islice(io.StringIO(text, newline=""), MAX_PHYSICAL_ROWS + 1))
    if len(lines) > MAX_PHYSICAL_ROWS:
        return _checked_line_by_line(text, delimiter)
    if lines and max(map(str.count, lines, repeat(delimiter))) > MAX_LINE_DELIMITERS:
        raise _too_many_columns()
    return lines


def _checked_line_by_line(text: str, delimiter: str) -> Iterator[str]:
    for line in io.StringIO(text, newline=""):
        if line.count(delimiter) > MAX_LINE_DELIMITERS:
            raise _too_many_columns()
        yield line


def _too_many_columns() -> ImportRefused:
    return ImportRefused(N_("The table has more than {limit} columns."), limit=MAX_COLUMNS)


def _too_many_rows() -> ImportRefused:
    return ImportRefused(N_("The table has more than {limit} rows: split it into smaller files."), limit=MAX_ROWS)


def _bounded_text_rows(rows: Iterable[list[str]]) -> list[list[str]]:
    """_bounded_rows for a reader that gives text (CSV), checked over the whole table at once instead of row by
    row (an 80,000-line edge list reads in two thirds of the time): the reader stops one row past the physical
    limit, and _checked_lines has already bounded each physical line's delimiters."""
    table = list(islice(rows, MAX_PHYSICAL_ROWS + 1))
    if len(table) > MAX_PHYSICAL_ROWS:
        raise _too_many_rows()
    # Rows wider than MAX_COLUMNS (padding of empty cells, which are no columns, or a record spread over lines
    # by quoted line breaks) go the careful way, which trims the padding and refuses the rest.
    if table and max(map(len, table)) > MAX_COLUMNS:
        return _bounded_rows(table, text_cells=True)
    cells = [list(map(str.strip, row)) for row in table]
    if sum(map(any, cells)) > MAX_ROWS + HEADER_SCAN_ROWS:  # the header may sit below a few title rows
        raise _too_many_rows()
    return cells


def _bounded_rows(rows: Iterable[Sequence[Any]], *, text_cells: bool = False) -> list[list[str]]:
    """The rows as text, refused the moment the reader reaches a row past the limits — never after reading a
    million columns or rows. Empty cells past the last column are no columns (spreadsheets pad rows with them).
    Every cell comes out stripped. ``text_cells``: the reader gives text already (CSV): no conversion."""
    table: list[list[str]] = []
    filled = 0
    for number, row in enumerate(rows, start=1):
        if number > MAX_PHYSICAL_ROWS:
            raise _too_many_rows()
        if (not any(row)) if text_cells else _blank(row):
            table.append([])
            continue
        if len(row) > MAX_COLUMNS:
            if any(_cell_text(value) for value in row[MAX_COLUMNS:]):
                raise _too_many_columns()
            row = row[:MAX_COLUMNS]
        cells = list(map(str.strip, row)) if text_cells else [_cell_text(value) for value in row]
        if any(cells):
            filled += 1
            if filled > MAX_ROWS + HEADER_SCAN_ROWS:  # the header may sit below a few title rows
                raise _too_many_rows()
        table.append(cells)
    return table


def _blank(row: Sequence[Any]) -> bool:
    """Tested at C speed: openpyxl hands over a padded row for each of a million missing rows."""
    nones = row.count(None)  # by identity, the fastest test there is
    if nones == len(row):
        return True
    # comparing None with "" is the slow path, so only for rows that may be blank (0 and False are values)
    return not any(row) and nones + row.count("") == len(row)


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportRefused(N_("The XLSX file is damaged.")) from exc
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 2**20:
            raise ImportRefused(N_("The XLSX file expands to an implausible size and was not opened."))
    if total > MAX_UNCOMPRESSED:
        raise ImportRefused(N_("The XLSX file expands to an implausible size and was not opened."))
    # Every member, not just the first sheet: openpyxl parses every sheet once on opening (to find its size
    # when the sheet does not say), and which member is a sheet is for the workbook's own XML to say.
    for info in archive.infolist():
        with archive.open(info) as member:
            _scan_sheet_xml(member)


def read_xlsx(data: bytes) -> SheetTable:
    """The first sheet."""
    return read_xlsx_sheets(data, first_only=True)[0][1]


@collector_paused()
def read_xlsx_sheets(data: bytes, *, first_only: bool = False) -> list[tuple[str, SheetTable]]:
    """(sheet name, table) of every sheet holding a table: a workbook of actors and relations, a Kumu or
    Onodo export (elements and connections). Empty sheets are passed over."""
    _check_zip(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook  # noqa: BLE001
        raise _unreadable_xlsx(exc) from exc
    tables: list[tuple[str, SheetTable]] = []
    try:
        for sheet in workbook.worksheets[:1] if first_only else workbook.worksheets:
            # The declared size may be "A1:XFD1048576" for three rows of data: read the rows that are there.
            sheet.reset_dimensions()
            raw_rows = _trimmed(_bounded_rows(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)))
            if first_only or any(any(row) for row in raw_rows):
                tables.append((sheet.title, _to_table(raw_rows)))
    except ImportRefused:
        raise
    except Exception as exc:  # the sheet itself is parsed only now: entities, broken XML  # noqa: BLE001
        raise _unreadable_xlsx(exc) from exc
    finally:
        workbook.close()
    if not tables:
        raise ImportRefused(N_("The file is empty."))
    return tables


def read_sheets(path: Path) -> list[tuple[str, SheetTable]]:
    """Every table in a file: one for a CSV, one per filled sheet of an XLSX."""
    data = _read_bytes(path)
    if data[:4] == b"PK\x03\x04":
        return read_xlsx_sheets(data)
    return [("", read_csv(data))]


def _trimmed(rows: list[list[str]]) -> list[list[str]]:
    """Rows cut to the widest one that has a value: openpyxl pads every row to the width it was asked for."""
    width = max((max((i + 1 for i, cell in enumerate(row) if cell), default=0) for row in rows), default=0)
    return [row[:width] for row in rows]


def _unreadable_xlsx(exc: Exception) -> ImportRefused:
    from defusedxml import DefusedXmlException

    cause: BaseException | None = exc
    while cause is not None:  # openpyxl wraps what the parser raised in a ValueError of its own
        if isinstance(cause, DefusedXmlException):
            return ImportRefused(N_("The XLSX file declares XML entities, which spreadsheets do not need: it was "
                                    "not opened."))
        cause = cause.__cause__ or cause.__context__
    return ImportRefused(N_("The XLSX file could not be opened ({reason})."), reason=type(exc).__name__)


# A row's start tag, and a cell that holds something: <c …>, not the <c …/> of a formatted empty cell.
_ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_FILLED_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(?:\s[^<>]*[^/<>]|\s)?>")
SCAN_CHUNK = 2**20
TAG_TAIL = 512  # longer than any row or cell start tag that matters


def _scan_sheet_xml(xml: IO[bytes]) -> None:
    """Count rows and filled cells in a sheet's XML with regular expressions, before openpyxl builds a
    Python object for every cell: it takes a minute over one row of a million cells, this a few milliseconds
    to refuse it. Other members of the workbook hold no rows and pass."""
    rows = cells = 0
    pending = b""
    while True:
        chunk = xml.read(SCAN_CHUNK)
        data = pending + chunk
        # A tag cut by the end of this read is counted with the next one. Looked for only near the end: a
        # long text holds no "<", and carrying it over each round would copy it again and again.
        cut = data.rfind(b"<", max(0, len(data) - TAG_TAIL)) if chunk else -1
        body, pending = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
        first, *started = _ROW_START.split(body)
        cells += len(_FILLED_CELL.findall(first))
        for part in started:
            rows, cells = rows + 1, len(_FILLED_CELL.findall(part))
            if cells > MAX_COLUMNS:
                break
        if cells > MAX_COLUMNS:
            raise _too_many_columns()
        if rows > MAX_PHYSICAL_ROWS:
            raise _too_many_rows()
        if not chunk:
            return


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _to_table(raw_rows: list[list[str]]) -> SheetTable:
    """``raw_rows`` as _bounded_rows gives them: text, stripped."""
    # the cells come stripped (_bounded_rows); empty rows anywhere (e.g. trailing) go
    # (rows and their numbers picked in C: a list of pairs cost 0.1 s per 80,000 rows)
    filled = list(map(any, raw_rows))
    numbers, kept = list(compress(count(1), filled)), list(compress(raw_rows, filled))
    if not kept:
        raise ImportRefused(N_("The file is empty."))
    header_at = _find_header(list(zip(numbers[:HEADER_SCAN_ROWS], kept[:HEADER_SCAN_ROWS], strict=True)))
    header_number, headers = numbers[header_at], kept[header_at]
    body, body_numbers = kept[header_at + 1:], numbers[header_at + 1:]
    if len(headers) > MAX_COLUMNS:
        raise ImportRefused(N_("The table has more than {limit} columns."), limit=MAX_COLUMNS)
    if len(body) > MAX_ROWS:
        raise ImportRefused(N_("The table has more than {limit} rows: split it into smaller files."), limit=MAX_ROWS)
    if sum(1 for h in headers if h) < 1 or (len(headers) == 1 and not guess_mapping(headers)):
        raise ImportRefused(N_("This file does not look like a table: no columns were found in row {row}."),
                            row=header_number)
    width = len(headers)
    if any(len(row) != width for row in body):
        body = [row if len(row) == width else (row + [""] * width)[:width] for row in body]
    return SheetTable(headers=headers, rows=body, row_numbers=body_numbers)


def _find_header(numbered: list[tuple[int, list[str]]]) -> int:
    """The header is the first row naming at least two known fields; else the first row of 2+ cells."""
    for index, (_n, row) in enumerate(numbered[:HEADER_SCAN_ROWS]):
        if len(guess_mapping(row)) >= 2:
            return index
    for index, (_n, row) in enumerate(numbered[:HEADER_SCAN_ROWS]):
        if sum(1 for cell in row if cell) >= 2:
            return index
    return 0


# -- mapping columns to fields ----------------------------------------------------------------

@lru_cache(maxsize=1)
def header_words() -> dict[str, tuple[str, ...]]:
    """field → the header words that name it: the synonyms above and our own column titles in every
    language (so a workbook this program exported, in any language, maps back by itself)."""
    from ssd_starter.i18n import LANGUAGES, translations_for

    words = {name: set(synonyms) for name, synonyms in FIELD_SYNONYMS.items()}
    for name, label in FIELD_LABELS.items():
        if name in words:
            words[name].update(normalize(translations_for(lang).gettext(label)) for lang in LANGUAGES)
    return {name: tuple(sorted(found)) for name, found in words.items()}


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """field → column index, from header names in it/de/en. Exact synonyms win over partial ones."""
    normalized = [normalize_header(h) for h in headers]
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for exact in (True, False):
        for field_name, synonyms in header_words().items():
            if field_name in mapping:
                continue
            for column, header in enumerate(normalized):
                if column in taken or not header:
                    continue
                hit = header in synonyms if exact else any(
                    header.startswith(s + " ") or header.endswith(" " + s) for s in synonyms if len(s) > 3)
                if hit:
                    mapping[field_name] = column
                    taken.add(column)
                    break
    return mapping


# -- values -----------------------------------------------------------------------------------

NO_NAME = N_("No name: the row was skipped.")
CHOICES: dict[str, type[LabelledEnum]] = {"category": Category, "sector": Sector, "attitude": Attitude,
                                          "stage": Stage, "roles": Role}
ROLE_SEPARATORS = re.compile(r"[,;/|+]")


@dataclass
class ValueChoice:
    """One distinct text of a vocabulary column and the value it maps to (None: left empty)."""

    field: str
    text: str  # as first written in the file
    count: int
    match: Match


@dataclass
class CellProblem:
    """A cell the import leaves empty (or a row it skips), and why: reported by row, never fatal."""

    row: int
    column: str
    value: str
    problem: UserError


ValueMap = Mapping[str, Mapping[str, str | None]]  # field → normalized text → id (None: leave empty)


def _parse_score(text: str) -> int | None:
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return None
    number = float(cleaned)
    if not number.is_integer():
        raise ValueError(text)
    return int(number)


def _parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _parse_bool(text: str) -> bool:
    value = normalize_header(text)
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(text)


def cell_parts(field_name: str, text: str) -> list[str]:
    """The vocabulary words in one cell: several for roles ("Produttore, Inserimento lavorativo")."""
    if field_name == "roles":
        return [p.strip() for p in ROLE_SEPARATORS.split(text) if p.strip()]
    return [text.strip()] if text.strip() else []


def choose(field_name: str, text: str, value_map: ValueMap | None = None) -> Match:
    """What a vocabulary cell means: the user's own mapping first, then the vocabulary's."""
    chosen = (value_map or {}).get(field_name, {})
    key = normalize(text)
    if key in chosen:
        return Match(chosen[key], How.CHOSEN)
    return match(CHOICES[field_name], text)


class RowReader:
    """Reads rows into actor fields; what it cannot read it reports and leaves out, keeping the text."""

    def __init__(self, table: SheetTable, mapping: Mapping[str, int], value_map: ValueMap | None,
                 strict: bool) -> None:
        self.table, self.mapping, self.value_map, self.strict = table, mapping, value_map, strict
        self.problems: list[CellProblem] = []
        self.values: dict[str, dict[str, ValueChoice]] = {f: {} for f in CHOICES if f in mapping}

    def _problem(self, row: int, field_name: str, text: str, problem: UserError) -> None:
        column = self.table.headers[self.mapping[field_name]] if field_name in self.mapping else field_name
        if self.strict:
            raise ImportRefused(N_("Row {row}, column “{column}”: {problem}"), row=row, column=column,
                                problem=problem.message())
        self.problems.append(CellProblem(row, column, text, problem))

    def _choice(self, row: int, field_name: str, text: str, as_written: list[str]) -> list[str]:
        ids: list[str] = []
        for part in cell_parts(field_name, text):
            found = choose(field_name, part, self.value_map)
            seen = self.values[field_name].setdefault(normalize(part), ValueChoice(field_name, part, 0, found))
            seen.count += 1
            if found.value:
                if self.strict and found.how == How.CLOSE:
                    self._problem(row, field_name, part, UserError(N_("“{value}” is not a valid value."),
                                                                    value=part))
                ids.append(found.value)
            elif found.how != How.CHOSEN:  # the user chose to leave it empty: nothing to keep
                if self.strict:
                    self._problem(row, field_name, part, UserError(N_("“{value}” is not a valid value."),
                                                                    value=part))
                as_written.append(_("{field} as written: {text}").format(field=_(FIELD_LABELS[field_name]),
                                                                          text=part))
        return ids

    def read(self, values: list[str], row: int) -> dict[str, Any] | None:
        """The row's fields, or None for a row without a name (reported)."""
        raw = {name: values[column].strip() for name, column in self.mapping.items()}
        if not raw.get("name"):
            self._problem(row, "name", "", UserError(NO_NAME))
            return None
        fields: dict[str, Any] = {}
        as_written: list[str] = []
        for name, text in raw.items():
            try:
                self._read_cell(fields, name, text, row, as_written)
            except ValueError:
                self._problem(row, name, text, UserError(N_("“{value}” is not a valid value."), value=text))
        if as_written:
            fields["notes"] = "\n".join(filter(None, [fields.get("notes", ""), *as_written]))
        return self._cleaned(fields, row, raw)

    def _read_cell(self, fields: dict[str, Any], name: str, text: str, row: int, as_written: list[str]) -> None:
        if name in ("influence", "interest"):
            score = _parse_score(text)
            if score is not None:
                fields[name] = score
        elif name == "roles":
            fields[name] = self._choice(row, name, text, as_written)
        elif name in CHOICES:
            ids = self._choice(row, name, text, as_written)
            if ids:
                fields[name] = ids[0]
        elif name == "consent":
            fields[name] = _parse_bool(text)
        elif name == "consent_date":
            fields[name] = _parse_date(text)
        elif text or name == "name":
            fields[name] = text

    def _cleaned(self, fields: dict[str, Any], row: int, raw: Mapping[str, str]) -> dict[str, Any]:
        """The domain's own checks (scores 1–5, lengths): a field failing them is left out and reported."""
        for _attempt in range(len(fields) + 1):
            try:
                return clean_stakeholder_fields(fields)
            except ValidationError as exc:
                if exc.field == "name" or exc.field not in fields:
                    raise
                self._problem(row, exc.field, str(raw.get(exc.field, fields[exc.field])), exc)
                del fields[exc.field]
        return clean_stakeholder_fields(fields)


@dataclass
class ImportPlan:
    """What an import would do: new actors, duplicates (of existing actors or of earlier rows), what each
    vocabulary column's values map to, and the cells and rows left out."""

    new: list[dict[str, Any]]
    duplicates: list[tuple[int, dict[str, Any], str]]  # (spreadsheet row, fields, existing actor id)
    repeated_in_file: list[int]  # rows repeating an earlier row of the same file (skipped)
    total_rows: int
    problems: list[CellProblem] = field(default_factory=list)
    values: dict[str, list[ValueChoice]] = field(default_factory=dict)

    @property
    def skipped(self) -> list[int]:
        """Rows not imported for want of a name."""
        return [p.row for p in self.problems if p.problem.template == NO_NAME]

    def unmapped(self) -> list[ValueChoice]:
        """Values that match nothing (their text is kept in the notes): for the user to map."""
        return [v for choices in self.values.values() for v in choices if v.match.value is None
                and v.match.how != How.CHOSEN]

    def to_confirm(self) -> list[ValueChoice]:
        return [v for choices in self.values.values() for v in choices if v.match.how == How.CLOSE]


@collector_paused()
def plan_import(table: SheetTable, mapping: Mapping[str, int], existing: Iterable[Mapping[str, Any]], *,
                value_map: ValueMap | None = None, strict: bool = False) -> ImportPlan:
    """Read every row. A cell that cannot be read is left empty and reported by row, a vocabulary word that
    matches nothing is kept in the notes as written, a row without a name is skipped and reported; with
    ``strict`` the first such cell refuses the whole file instead (naming row and column)."""
    for required in REQUIRED_FIELDS:
        if required not in mapping:
            raise ImportRefused(N_("No column for the actor's name was found. Map a column to “Name”."),
                                column=required)
    reader = RowReader(table, mapping, value_map, strict)
    by_name = {normalize_name(a["name"]): a["id"] for a in existing}
    seen: dict[str, int] = {}
    plan = ImportPlan(new=[], duplicates=[], repeated_in_file=[], total_rows=len(table.rows))
    for values, number in zip(table.rows, table.row_numbers, strict=True):
        fields = reader.read(values, number)
        if fields is None:
            continue
        key = normalize_name(fields["name"])
        if key in seen:
            plan.repeated_in_file.append(number)
        elif key in by_name:
            plan.duplicates.append((number, fields, by_name[key]))
        else:
            plan.new.append(fields)
        seen.setdefault(key, number)
    plan.problems = reader.problems
    plan.values = {name: list(choices.values()) for name, choices in reader.values.items()}
    return plan

"""Reading an uploaded file as CSV, the same way for every import: a size cap, UTF-8 (with or
without its byte-order mark), no binary data, strict quoting, a header row. A file that fails
is refused with its line, and nothing is read further."""

import csv
import io

from practices.intake.report import ImportProblem

MAX_FILE_BYTES = 200 * 1024 * 1024


def content_of(source) -> bytes:
    """The bytes of an upload or of a file opened in binary mode (at most one byte past the
    cap, enough to tell the file is too large)."""
    return source if isinstance(source, bytes) else source.read(MAX_FILE_BYTES + 1)


def read_csv(raw: bytes, report, delimiters: str = ",") -> list[list[str]] | None:
    """The records of ``raw``, the header first; None, with the problem in ``report``, when
    it cannot be read. With several ``delimiters``, the one the first line uses most."""
    if len(raw) > MAX_FILE_BYTES:
        report.problems.append(
            ImportProblem(1, "", f"The file is larger than {MAX_FILE_BYTES // 2**20} MB.")
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        report.problems.append(
            ImportProblem(line, "", "The file is not UTF-8 text (save it as CSV UTF-8).")
        )
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        report.problems.append(
            ImportProblem(line, "", "The file holds binary data: it is not a CSV file.")
        )
        return None
    first_line = text.split("\n", 1)[0]
    delimiter = max(delimiters, key=first_line.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        report.problems.append(ImportProblem(0, "", f"The file is not valid CSV: {error}."))
        return None
    if not records:
        report.problems.append(ImportProblem(1, "", "The file is empty: expected a header row."))
        return None
    return records

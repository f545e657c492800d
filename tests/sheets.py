"""Reading the portal's printable sheets in tests: a title block, a blank row, then the
header row (the first row with more than one value) and the data."""


def table(sheet) -> tuple[list, list[tuple]]:
    """``(header, rows)`` of a sheet written with ``core.xlsx.PrintableSheet``."""
    rows = list(sheet.iter_rows(values_only=True))
    for index, row in enumerate(rows):
        if sum(1 for v in row if v not in (None, "")) > 1:
            return list(row), rows[index + 1:]
    return [], []

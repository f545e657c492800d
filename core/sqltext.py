"""Translated text in set-based SQL (the sweeps of the deadline engine).

A sweep writes one notice per person for thousands of rows in one INSERT … SELECT, so
the notice's title is built by the database: the gettext template's fixed pieces go in
as query PARAMETERS, its ``%(name)s`` placeholders become columns. Text is never
spliced into the SQL, so a translation may hold quotes, ``%`` or anything else."""
import re

# ``%%`` is a literal percent sign; ``%(name)s`` a placeholder. A stray ``%`` stays text.
_TOKEN = re.compile(r"%%|%\((\w+)\)s")


def concat(template: str, columns: dict[str, str], *, name: str) -> tuple[str, dict[str, str]]:
    """``(sql, params)``: ``template`` as an SQL concatenation of named parameters
    (``%(<name>_<n>)s``) and the SQL expressions of ``columns`` for its placeholders.
    A placeholder with no column is kept as text, as Python's ``%`` would fail on it."""
    parts: list[str] = []
    params: dict[str, str] = {}
    text = ""

    def flush():
        nonlocal text
        if text:
            key = f"{name}_{len(params)}"
            params[key] = text
            parts.append(f"%({key})s")
            text = ""

    position = 0
    for match in _TOKEN.finditer(template):
        text += template[position:match.start()]
        position = match.end()
        column = columns.get(match.group(1)) if match.group(1) else None
        if column is None:
            text += "%" if match.group(0) == "%%" else match.group(0)
        else:
            flush()
            parts.append(f"({column})")
    text += template[position:]
    flush()
    return (" || ".join(parts) if parts else "''"), params

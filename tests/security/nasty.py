"""Hostile input, shared by the fuzzing tests: markup that must come back escaped,
SQL, template and format-string injection, NUL bytes, huge, odd and malformed values."""
import re

MARK = "xss7q"
NASTY = [
    f'<script>alert("{MARK}1")</script>',
    f'"><img src=x onerror=alert("{MARK}2")>',
    f"'><svg onload=alert('{MARK}3')>",
    f"javascript:alert('{MARK}4')",
    "' OR '1'='1' --",
    "'; DROP TABLE core_unit; --",
    "{{ 7*7 }}{% debug %}",
    "%s%s%s%n%x",
    "\x00nul\x00",
    "../../../../etc/passwd",
    "\u202eRTL override\u202c \ufeff zero\u200bwidth",
    "Nguye\u0302\u0303n Va\u0306n A\u0301nh 👶🏫",
    "A" * 10_000,
    "-1",
    "99999999999999999999999",
    "2026-02-30",
    "NaN",
    "[]",
    '{"$gt": ""}',
    " ",
]

# What must never appear raw in an HTML answer: an executable piece of the markup above.
UNESCAPED = re.compile(rf"<script>alert\(\"{MARK}|<img src=x onerror|<svg onload", re.I)


def leaks(response) -> str | None:
    """The raw, unescaped hostile markup if an HTML answer echoes it."""
    if "html" not in response.get("Content-Type", ""):
        return None
    match = UNESCAPED.search(response.content.decode("utf-8", "replace"))
    return match.group(0) if match else None

"""What each domain app contributes to the machinery core runs, so that core never
names an app (docs/architecture.md, "Walls").

Each app registers from its ``AppConfig.ready()``:

* ``public_section(render, *, order, watch={}, cache_keys=None)`` — its section of the
  unit's public page (/u/<slug>/): ``render(unit)`` returns ``{"template": ..., **context}``
  or None; ``watch`` maps each model whose saves and deletes change the section to a
  function ``row -> unit_id`` (the unit whose cached page is then dropped on commit);
  ``cache_keys(slug)`` lists the app's own cache entries dropped with the unit's page.
* ``deadline_sweep(sweep, *, order)`` — ``sweep(now) -> {counter: n}``, set-based and
  idempotent, run by the deadline engine (core/engine.py) in its own transaction.
* ``demo_step(seed, *, order)`` — ``seed(*, unit, users, today) -> str`` summary, run by
  ``manage.py seed_demo`` in its own transaction.
* ``outbox(model)`` — a subclass of ``core.models.OutboxMessage`` (messages to people
  without an account) whose due rows every engine run sends (``core.notify``).
* ``large_export(kind, start)`` — ``start(*, user, query, rows) -> url``: an app that runs
  exports in the background (the KPI app's export jobs) takes over a download too large for
  one request; the page that offers the download asks ``large_export_start(kind)`` and sends
  the person to the address it returns (None: nobody registered, the download runs at once).

``order`` places a contribution among the others (lowest first); registering the same
callable twice keeps one entry, so a repeated ``ready()`` changes nothing."""
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Contribution:
    run: Callable  # a section's render(unit), a sweep(now), a demo seed(*, unit, users, today)
    order: int
    cache_keys: Callable[[str], list[str]] | None = None  # public sections only


_sections: list[Contribution] = []
_sweeps: list[Contribution] = []
_demo_steps: list[Contribution] = []
_outboxes: list = []
_large_exports: dict[str, Callable] = {}


def _add(entries: list[Contribution], entry: Contribution) -> None:
    if any(existing.run is entry.run for existing in entries):
        return
    entries.append(entry)
    entries.sort(key=lambda e: e.order)


def public_section(render: Callable, *, order: int, watch: dict | None = None,
                   cache_keys: Callable[[str], list[str]] | None = None) -> None:
    from core import public_page

    _add(_sections, Contribution(run=render, order=order, cache_keys=cache_keys))
    for model, unit_id_of in (watch or {}).items():
        public_page.watch(model, unit_id_of)


def deadline_sweep(sweep: Callable, *, order: int) -> None:
    _add(_sweeps, Contribution(run=sweep, order=order))


def demo_step(seed: Callable, *, order: int) -> None:
    _add(_demo_steps, Contribution(run=seed, order=order))


def public_sections() -> list[Callable]:
    return [entry.run for entry in _sections]


def deadline_sweeps() -> list[Callable]:
    return [entry.run for entry in _sweeps]


def demo_steps() -> list[Callable]:
    return [entry.run for entry in _demo_steps]


def public_cache_keys(slug: str) -> list[str]:
    """The apps' own cache entries that go with the unit's public page."""
    return [key for entry in _sections if entry.cache_keys for key in entry.cache_keys(slug)]


def outbox(model) -> None:
    if model not in _outboxes:
        _outboxes.append(model)


def outboxes() -> list:
    return list(_outboxes)


def large_export(kind: str, start: Callable) -> None:
    _large_exports[kind] = start


def large_export_start(kind: str) -> Callable | None:
    return _large_exports.get(kind)

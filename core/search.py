"""Searching text the way people type it: without marks, in any case
(docs/decisions/register-search.md).

A table searched by what people type keeps a column of that text folded (``core.text.fold``),
written with the row, and a ``TrigramIndex`` on it: PostgreSQL's pg_trgm then answers
``LIKE '%…%'`` for three letters or more without reading the table. The query is folded the
same way (``folded_contains``). Folding in SQL instead, at query time (``FoldedName``), costs
about 8 µs a row: fine for a thousand units, seconds for a million dossiers."""
from django.contrib.postgres.indexes import GinIndex
from django.db import models

from core.text import fold


def folded_contains(field: str, query: str) -> models.Q:
    """A filter: the folded column ``field`` contains the folded ``query``; ``%`` and ``_``
    typed in it are matched as text."""
    return models.Q(**{f"{field}__contains": fold(query.strip())})


class TrigramIndex(GinIndex):
    """A GIN index of trigrams on PostgreSQL, with pg_trgm (created by the migration that adds
    the index): ``TrigramIndex(fields=[...], opclasses=["gin_trgm_ops"], name=...)``. SQLite,
    in development, gets a plain index of the same fields instead, which it can build."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return models.Index(fields=self.fields, name=self.name).create_sql(model, schema_editor, using=using)


class FoldedTextField(models.TextField):
    """Other fields of the row, joined by spaces and folded (``core.text.fold``): a column to
    search and index. Django writes it with the row, in ``pre_save``, which runs for every
    field on ``save()`` and ``bulk_create()`` and for the fields named on
    ``save(update_fields=...)``: name this field there too when a source changes.
    ``QuerySet.update()`` of a source leaves it stale."""

    def __init__(self, *args, sources=(), **kwargs):
        self.sources = tuple(sources)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_default", "")  # rows inserted by raw SQL get an empty one
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["sources"] = self.sources
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = fold(" ".join(str(getattr(model_instance, source) or "") for source in self.sources))
        setattr(model_instance, self.attname, value)
        return value

"""A submitted form, read and checked as the command line checks its options: one sentence naming the field."""

from __future__ import annotations

import unicodedata
from datetime import date
from enum import StrEnum
from typing import TypeVar
from urllib.parse import parse_qsl

from doetank_cli import dates
from doetank_cli.clock import today
from doetank_cli.errors import UsageError
from doetank_cli.i18n import _
from doetank_cli.vocab import FIRST_DAY, LAST_DAY

#: a note is at most 1 MB (lifecycle.MAX_NOTE); a form is that and a little more
MAX_BODY = 1024 * 1024 + 64 * 1024
MAX_FIELDS = 50
#: fields whose text keeps its lines (a note); every other field is one line of the record
MULTILINE = frozenset({"tekst"})

E = TypeVar("E", bound=StrEnum)


class BadForm(Exception):
    """A body that is no form at all (not UTF-8, not urlencoded, too many fields): 400, nothing read."""


def parse(body: bytes, content_type: str) -> dict[str, str]:
    """The fields of an application/x-www-form-urlencoded body, the first of each name. Another content type gives an
    empty form (so a POST without its CSRF field is refused as such)."""
    if content_type.split(";", 1)[0].strip().lower() != "application/x-www-form-urlencoded":
        return {}
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise BadForm from None
    form: dict[str, str] = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


class Form:
    """The fields of one submission, each read once with its label for messages."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields

    def raw(self, key: str) -> str:
        return self.fields.get(key, "")

    def text(self, key: str, label: str, *, required: bool = False) -> str | None:
        """The field's text, NFC, trimmed; None when empty (or a UsageError naming it when required)."""
        value = unicodedata.normalize("NFC", self.fields.get(key, ""))
        if key in MULTILINE:
            value = value.replace("\r\n", "\n").replace("\r", "\n")  # a browser sends CRLF from a textarea
        else:
            value = " ".join(value.split())  # a field is one line of the record: line breaks and tabs are spaces
        if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value):
            raise UsageError(_("{field} holds control characters; type it again.").format(field=label))
        value = value.strip() if key not in MULTILINE else value
        if not value:
            if required:
                raise UsageError(_("Fill in {field}.").format(field=label))
            return None
        return value

    def required(self, key: str, label: str) -> str:
        value = self.text(key, label, required=True)
        assert value is not None
        return value

    def date(self, key: str, label: str, *, required: bool = False) -> date | None:
        value = self.text(key, label, required=required)
        if value is None:
            return None
        day = dates.parse(value, today())  # the same forms as every date option of the CLI
        if day is None:
            raise UsageError(
                _("{field}: '{value}' is not a date; write it as {forms}.").format(
                    field=label, value=value, forms=dates.forms()
                )
            )
        if not FIRST_DAY <= day <= LAST_DAY:
            raise UsageError(
                _("{field}: {value} lies outside {first} to {last}; is it a typo?").format(
                    field=label, value=value, first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()
                )
            )
        return day

    def choice(self, key: str, label: str, enum: type[E], *, required: bool = False) -> E | None:
        value = self.text(key, label, required=required)
        if value is None:
            return None
        try:
            return enum(value)
        except ValueError:
            raise UsageError(
                _("{field} must be one of: {choices}.").format(field=label, choices=", ".join(e.value for e in enum))
            ) from None

    def flag(self, key: str) -> bool:
        return self.fields.get(key, "") not in ("", "0", "false", "nee")

    def url(self, key: str, label: str) -> str:
        value = self.required(key, label)
        if not value.lower().startswith(("https://", "http://")):
            raise UsageError(_("{field} must be a web address starting with https:// or http://.").format(field=label))
        return value

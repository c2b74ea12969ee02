"""Texts the engine shows to people, in whatever language the caller speaks.

The engine imports nothing from Odoo, yet its headers, labels and notes end up
on Odoo screens in the user's language. So every such text is a msgid with
named placeholders (``%(name)s``), and whoever shows it passes a *translator*:
a callable ``tr(template, **params) -> str`` that translates ``template`` and
fills in ``params``. The command line passes nothing and gets ``english``.

Texts decided at fit time but read later, possibly by someone else, are kept
as a ``Note`` (template and parameters, storable as JSON) and rendered when
shown, so each reader gets them in their own language.

Numbers inside texts are given as numbers (an int, or a ``Number`` that says
how many decimals and whether it is a share shown as a percentage), never
formatted by the engine: the translator writes them the reader's way, so an
Indonesian reader sees "1,256" for an average of 1.256 purchases and "1.256"
for a thousand two hundred fifty-six (see ``localized``).

``tools/i18n.py`` finds the msgids by reading the source: a string literal
given as first argument to one of ``MARKERS`` is a msgid. Templates must
therefore be literals at the call (not f-strings, not built with ``+`` or
``.format``); a text kept in a constant is marked where it is written with
``N_`` and translated where it is shown with ``tr(constant)``.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

# The call names whose first argument tools/i18n.py extracts.
MARKERS = ("N_", "tr", "Note")

Translator = Callable[..., str]


def N_(text: str) -> str:
    """Mark ``text`` for extraction where it is defined; translated where shown."""
    return text


@dataclass(frozen=True)
class Number:
    """A number inside a sentence: written by the translator in the reader's
    convention, with ``decimals`` decimals; ``percent`` for a share (0.25)
    shown as a percentage (25%)."""

    value: float
    decimals: int = 0
    percent: bool = False

    def to_json(self) -> dict:
        return {
            "number": self.value,
            "decimals": self.decimals,
            "percent": self.percent,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> Number:
        return cls(data["number"], data["decimals"], data["percent"])


@dataclass(frozen=True)
class NumberFormat:
    """Thousands separator, decimal point (groups of three) and date format
    (``strftime``) of a language."""

    thousands: str = ","
    decimal: str = "."
    date_format: str = "%Y-%m-%d"

    def text(self, value) -> object:
        """``value`` as the reader writes it: a Number, an int (a count,
        grouped) or a date; anything else is left to the template."""
        if isinstance(value, datetime.date):
            return value.strftime(self.date_format)
        if isinstance(value, bool) or not isinstance(value, int | Number):
            return value
        number = value if isinstance(value, Number) else Number(value)
        shown = number.value * 100.0 if number.percent else number.value
        if shown != shown:  # nan: no number to show
            return "-"
        plain = f"{shown:,.{number.decimals}f}"
        if plain.startswith("-") and not any(c in "123456789" for c in plain):
            plain = plain[1:]  # -0.0 reads as 0.0
        text = "".join(
            self.thousands if c == "," else self.decimal if c == "." else c
            for c in plain
        )
        return text + "%" if number.percent else text


def significant(value: float, digits: int = 4) -> Number:
    """``value`` to ``digits`` significant digits, as a Number written without
    an exponent: 19150.3 as 19,150 and 0.0012345 as 0.001235, never 1.915e+04."""
    if not value or value != value or value in (float("inf"), float("-inf")):
        return Number(value)
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    return Number(round(value, digits - 1 - magnitude), decimals)


def localized(translate: Callable[..., str], numbers: NumberFormat) -> Translator:
    """A translator from ``translate(template, **params)`` (which translates and
    fills in text parameters) that first writes the numbers with ``numbers``."""

    def tr(template: str, /, **params) -> str:
        return translate(
            template, **{name: numbers.text(value) for name, value in params.items()}
        )

    return tr


def _fill(template: str, /, **params) -> str:
    """Without params the template is returned as it is, as Odoo does, so a
    text such as "80% by default" needs no escaping."""
    return template % params if params else template


# The translator of the command line: no translation, English numbers.
english: Translator = localized(_fill, NumberFormat())


@dataclass(frozen=True)
class Note:
    """A sentence decided now and rendered later in the reader's language.

    ``params`` values are str, int, float or Number, or a Note (a reason
    inside a sentence, rendered in the same language), so a note survives JSON.
    """

    template: str
    params: Mapping[str, str | int | float | Number | Note] = field(
        default_factory=dict
    )

    def __post_init__(self):
        for name, value in self.params.items():
            if not isinstance(value, str | int | float | Number | Note):
                raise TypeError(f"note parameter {name!r} is not JSON-safe: {value!r}")

    def render(self, tr: Translator = english) -> str:
        params = {
            name: value.render(tr) if isinstance(value, Note) else value
            for name, value in self.params.items()
        }
        return tr(self.template, **params)

    def to_json(self) -> dict:
        params = {
            name: value.to_json() if isinstance(value, Note | Number) else value
            for name, value in self.params.items()
        }
        return {"template": self.template, "params": params}

    @classmethod
    def from_json(cls, data: Mapping) -> Note:
        params = {
            name: _param_from_json(value) for name, value in data["params"].items()
        }
        return cls(data["template"], params)

    def __str__(self) -> str:
        return self.render()


def _param_from_json(value):
    if not isinstance(value, Mapping):
        return value
    return Number.from_json(value) if "number" in value else Note.from_json(value)


def note_json(note: Note | None) -> dict | None:
    """An optional note as JSON (null when there is none)."""
    return note.to_json() if note else None


def note_from_json(data: Mapping | None) -> Note | None:
    return Note.from_json(data) if data else None


def join_notes(notes: Iterable[Note], tr: Translator = english) -> str:
    """Several notes as one paragraph, as the reports and the CLI show them."""
    return " ".join(note.render(tr) for note in notes)


class TextError(ValueError):
    """A ValueError whose message is a Note, for errors that end up in a note.

    ``str(error)`` is the English text, so callers that only print it need
    nothing new; callers that show it to users translate ``error.note``.
    """

    def __init__(self, note: Note):
        super().__init__(note)
        self.note = note

"""Texts the engine shows to people, in whatever language the caller speaks.

The engine imports nothing from Odoo, yet its headers, labels and notes end up
on Odoo screens in the user's language. So every such text is a msgid with
named placeholders (``%(name)s``), and whoever shows it passes a *translator*:
a callable ``tr(template, **params) -> str`` that translates ``template`` and
fills in ``params``. The command line passes nothing and gets ``english``.

Texts decided at fit time but read later, possibly by someone else, are kept
as a ``Note`` (template and parameters, storable as JSON) and rendered when
shown, so each reader gets them in their own language.

``tools/i18n.py`` finds the msgids by reading the source: a string literal
given as first argument to one of ``MARKERS`` is a msgid. Templates must
therefore be literals at the call (not f-strings, not built with ``+`` or
``.format``); a text kept in a constant is marked where it is written with
``N_`` and translated where it is shown with ``tr(constant)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

# The call names whose first argument tools/i18n.py extracts.
MARKERS = ("N_", "tr", "Note")

Translator = Callable[..., str]


def N_(text: str) -> str:
    """Mark ``text`` for extraction where it is defined; translated where shown."""
    return text


def english(template: str, /, **params) -> str:
    """The translator of the command line: no translation, only formatting.

    Without params the template is returned as it is, as Odoo does, so a text
    such as "80% by default" needs no escaping.
    """
    return template % params if params else template


@dataclass(frozen=True)
class Note:
    """A sentence decided now and rendered later in the reader's language.

    ``params`` values are str, int or float, or a Note (a reason inside a
    sentence, rendered in the same language), so a note survives JSON.
    """

    template: str
    params: Mapping[str, str | int | float | Note] = field(default_factory=dict)

    def __post_init__(self):
        for name, value in self.params.items():
            if not isinstance(value, str | int | float | Note):
                raise TypeError(f"note parameter {name!r} is not JSON-safe: {value!r}")

    def render(self, tr: Translator = english) -> str:
        params = {
            name: value.render(tr) if isinstance(value, Note) else value
            for name, value in self.params.items()
        }
        return tr(self.template, **params)

    def to_json(self) -> dict:
        params = {
            name: value.to_json() if isinstance(value, Note) else value
            for name, value in self.params.items()
        }
        return {"template": self.template, "params": params}

    @classmethod
    def from_json(cls, data: Mapping) -> Note:
        params = {
            name: cls.from_json(value) if isinstance(value, Mapping) else value
            for name, value in data["params"].items()
        }
        return cls(data["template"], params)

    def __str__(self) -> str:
        return self.render()


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

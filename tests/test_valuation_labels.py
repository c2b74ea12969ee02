"""The customer values list and its filters, as a manager reads them: every
column and filter label fits its place in English and in Bahasa Indonesia
(long words cut to "Nilai Seumur Hidup ..." are no label), and every figure
column explains itself in its help text."""

from pathlib import Path

import polib
import pytest
from lxml import etree

ADDON = Path(__file__).resolve().parents[1] / "addons" / "crm_valuation"
VIEWS = etree.parse(str(ADDON / "views" / "crm_valuation_value_views.xml"))
INDONESIAN = polib.pofile(str(ADDON / "i18n" / "id.po"))
# What a 140 px list column and the filter menu show without cutting.
LABEL_LENGTH = 20
FILTER_LENGTH = 24
SELF_EXPLAINING = {"partner_id", "company_id", "currency_id"}


def _list_columns():
    view = VIEWS.xpath("//record[@id='crm_valuation_value_view_list']//list")[0]
    return [
        node.get("name")
        for node in view.iter("field")
        if node.get("column_invisible") != "1"
    ]


def _field_entries(name, kind):
    occurrence = (
        f"model:ir.model.fields,{kind}:crm_valuation.field_crm_valuation_value__{name}"
    )
    return [
        entry
        for entry in INDONESIAN
        if any(place == occurrence for place, _line in entry.occurrences)
    ]


@pytest.mark.parametrize("name", _list_columns())
def test_list_column_labels_fit_in_both_languages(name):
    (label,) = _field_entries(name, "field_description")
    assert len(label.msgid) <= LABEL_LENGTH, label.msgid
    assert label.msgstr and len(label.msgstr) <= LABEL_LENGTH, label.msgstr


@pytest.mark.parametrize(
    "name", [name for name in _list_columns() if name not in SELF_EXPLAINING]
)
def test_every_figure_column_explains_itself(name):
    (help_text,) = _field_entries(name, "help")
    assert help_text.msgstr, name


def test_filter_labels_fit_in_both_languages():
    filters = VIEWS.xpath(
        "//record[@id='crm_valuation_value_view_search']//filter/@string"
    )
    assert len(filters) > 10
    for label in filters:
        entry = INDONESIAN.find(label)
        assert entry and entry.msgstr, label
        assert len(label) <= FILTER_LENGTH, label
        assert len(entry.msgstr) <= FILTER_LENGTH, entry.msgstr

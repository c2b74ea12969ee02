"""The engine's texts: marked for extraction, translated everywhere they are
shown, English by default, and appended to the addon's template for Odoo."""

import ast
import datetime
import json
import re
from pathlib import Path

import openpyxl
import polib
import pytest
from valuation_data import (
    THIN_CSV,
    chart_texts,
    cli_texts,
    sheet_texts,
    write_transactions_csv,
)

from crm_engine.valuation import (
    ValuationSettings,
    value_customers,
    workbook_content,
    write_workbook,
)
from crm_engine.valuation.cli import read_transactions
from crm_engine.valuation.export import COLUMNS, GRADE_WORDS, HIGHLIGHTS, METHODOLOGY
from crm_engine.valuation.forecast import MODEL_WORDS
from crm_engine.valuation.holdout import HoldoutReport, grade_for
from crm_engine.valuation.rfm import SEGMENTS
from crm_engine.valuation.summary import DAYS_PER_UNIT
from crm_engine.valuation.texts import (
    MARKERS,
    Note,
    Number,
    NumberFormat,
    TextError,
    english,
    join_notes,
    localized,
    significant,
)
from crm_engine.valuation.workbook import SHEET_NAME_LENGTH, SHEETS, sheet_names
from tools.i18n import (
    ENGINE_TEXTS,
    append_engine_terms,
    engine_terms,
    marked_calls,
    uses_engine_texts,
)

ENGLISH_OUTPUT = Path(__file__).parent / "data" / "valuation_cli_english.json"
ENGINE_FILES = sorted(ENGINE_TEXTS.glob("*.py"))
MARK = "ID»"


def marked(template, **params):
    """A translator that leaves a visible trace on every text it translates."""
    return MARK + english(template, **params)


# Extraction ------------------------------------------------------------------


@pytest.mark.parametrize("path", ENGINE_FILES, ids=lambda path: path.name)
def test_every_marked_literal_is_extracted(path):
    """Checked against a plain text search, independent of the AST scan."""
    pattern = r"\b(?:" + "|".join(MARKERS) + r")\(\s*[\"']"
    in_source = len(re.findall(pattern, path.read_text()))
    literals = [
        call.args[0].value
        for call in marked_calls(path)
        if isinstance(call.args[0], ast.Constant)
    ]
    assert len(literals) == in_source
    terms = engine_terms()
    assert all(path.name in terms[literal] for literal in literals)


def test_constants_shown_to_people_are_extracted():
    terms = engine_terms()
    shown = [
        *(column.header for column in COLUMNS.values()),
        *METHODOLOGY,
        *SHEETS,
        *SEGMENTS,
        *MODEL_WORDS,
        *DAYS_PER_UNIT,
        *GRADE_WORDS.values(),
        *(text for pair in HIGHLIGHTS.values() for text in pair),
        grade_for(0.5, 1.0),
        grade_for(1.0, 1.0),
        grade_for(2.0, 1.0),
    ]
    assert [text for text in shown if text not in terms] == []


def _name(call):
    return getattr(call.func, "id", None) or call.func.attr


def _placeholders(template):
    return set(re.findall(r"%\((\w+)\)s", template))


def _given_params(call):
    """The parameter names a marked call gives, or None when not known here
    (``N_`` marks a template filled where it is used)."""
    if _name(call) == "N_":
        return None
    if call.keywords:
        return {keyword.arg for keyword in call.keywords}
    if len(call.args) > 1:
        params = call.args[1]
        if not isinstance(params, ast.Dict):
            return None
        return {key.value for key in params.keys}
    return set()


@pytest.mark.parametrize("path", ENGINE_FILES, ids=lambda path: path.name)
def test_texts_are_literal_templates_with_named_placeholders(path):
    for call in marked_calls(path):
        where = f"{path.name}:{call.lineno}"
        first = call.args[0]
        # A variable holds a text marked where it was written; anything else
        # (f-string, concatenation, .format) would hide the msgid.
        assert isinstance(first, ast.Constant | ast.Name | ast.Attribute), where
        if not isinstance(first, ast.Constant):
            continue
        template = first.value
        assert isinstance(template, str), where
        assert "{" not in template, where
        given = _given_params(call)
        if given:
            rest = re.sub(r"%\(\w+\)s", "", template)
            assert "%" not in rest, f"{where}: positional placeholder"
            assert _placeholders(template) == given, where
        elif given is not None:
            assert not re.search(r"%\(|%[sdfr]", template), f"{where}: no params"


# Notes -----------------------------------------------------------------------


def test_note_round_trips_json_and_renders_in_any_language():
    reason = Note("no purchases on or before %(date)s", {"date": "2024-01-01"})
    note = Note("Holdout check skipped: %(reason)s.", {"reason": reason, "weeks": 26.5})
    again = Note.from_json(json.loads(json.dumps(note.to_json())))
    assert again == note
    english_text = "Holdout check skipped: no purchases on or before 2024-01-01."
    assert str(again) == again.render() == english_text
    assert again.render(marked) == (
        "ID»Holdout check skipped: ID»no purchases on or before 2024-01-01."
    )
    assert join_notes((note, Note("Lost"))) == english_text + " Lost"


def test_fitted_parameters_read_without_an_exponent_in_any_language():
    indonesian = NumberFormat(thousands=".", decimal=",")
    assert indonesian.text(significant(19150.34)) == "19.150"
    assert indonesian.text(significant(11_174_300.0)) == "11.170.000"
    assert indonesian.text(significant(0.88937)) == "0,8894"
    assert NumberFormat().text(significant(0.00123456)) == "0.001235"
    assert NumberFormat().text(significant(97.19)) == "97.19"
    assert NumberFormat().text(significant(-4.4991)) == "-4.499"
    assert NumberFormat().text(significant(0.0)) == "0"


def test_dates_in_texts_follow_the_readers_format():
    indonesian = NumberFormat(thousands=".", decimal=",", date_format="%d/%m/%Y")
    tr = localized(lambda template, **params: template % params, indonesian)
    day = datetime.date(2026, 6, 4)
    assert tr("up to %(day)s", day=day) == "up to 04/06/2026"
    assert tr("up to %(day)s", day=day) != tr("up to %(day)s", day=str(day))
    assert NumberFormat().text(day) == "2026-06-04"


def test_note_refuses_parameters_json_cannot_hold():
    with pytest.raises(TypeError, match="JSON-safe"):
        Note("%(day)s", {"day": object()})


def test_text_error_reads_as_english_and_carries_its_note():
    error = TextError(Note("no purchases on or before %(date)s", {"date": "x"}))
    assert isinstance(error, ValueError)
    assert str(error) == "no purchases on or before x"
    assert error.note.render(marked) == "ID»no purchases on or before x"


# The workbook in another language --------------------------------------------


@pytest.fixture(scope="module")
def valuations(tmp_path_factory):
    folder = tmp_path_factory.mktemp("texts")
    fitted, thin = folder / "fitted.csv", folder / "thin.csv"
    write_transactions_csv(fitted)
    thin.write_text(THIN_CSV)
    return [
        value_customers(
            read_transactions(fitted), "2024-06-30", ValuationSettings(holdout_weeks=13)
        ),
        value_customers(read_transactions(thin), "2024-06-30"),
    ]


@pytest.mark.parametrize("which", ["fitted", "thin"])
def test_workbook_content_translates_every_word(tmp_path, valuations, which):
    valuation = valuations[["fitted", "thin"].index(which)]
    path = write_workbook(tmp_path / "v.xlsx", workbook_content(valuation, tr=marked))
    book = openpyxl.load_workbook(path)
    cells = [text for sheet in book.worksheets for text in sheet_texts(sheet)]
    assert all(name.startswith(MARK) for name in book.sheetnames + chart_texts(path))
    # Data and names of published models are not translated: customer ids,
    # RFM cells, the valuation date, ABC letters, cut-offs, model names, "-".
    data = {
        *map(str, valuation.table["customer"]),
        *valuation.table["rfm_cell"],
        valuation.as_of.isoformat(),
        *"ABC",
        "80% / 95%",
        valuation.model,
        "-",
    }
    untranslated = {text for text in cells if not text.startswith(MARK)} - data
    assert untranslated == set()
    if which == "thin":
        assert {"ID»Baseline", "ID»Not checked", "ID»revenue", "ID»weeks"} <= set(cells)
        skipped = "ID»Holdout check skipped: ID»no purchases on or before"
        assert any(skipped in text for text in cells)
    else:
        assert {"ID»margin", "ID»Parameter alpha"} <= set(cells)
        assert {"ID»Good", "ID»Fair", "ID»Poor"} & set(cells)


def test_segments_are_counted_whatever_the_language(valuations):
    valuation = valuations[0]
    content = workbook_content(valuation, tr=marked)
    labels, counts = content.segments.values[:2]
    assert list(labels) == [MARK + name for name in SEGMENTS]
    assert sum(counts) == len(valuation.table["customer"])
    headers = [column.header for column in content.customers.columns]
    shown = content.customers.values[headers.index(MARK + "Segment")]
    assert set(shown) <= set(labels)


def test_sheet_names_stay_valid_whatever_the_translation(tmp_path, valuations):
    names = sheet_names(["Lembar [kerja]: ringkasan/nilai pelanggan*"] * 5)
    assert len(set(name.casefold() for name in names)) == 5
    assert all(len(name) <= SHEET_NAME_LENGTH for name in names)
    assert not any(set("[]:*?/\\") & set(name) for name in names)
    assert sheet_names(["''", "x"]) == ("(1)", "x")

    def long_words(template, **params):
        return "Satu nama yang terlalu panjang untuk Excel"

    content = workbook_content(valuations[0], tr=long_words)
    book = openpyxl.load_workbook(write_workbook(tmp_path / "v.xlsx", content))
    pareto = "Satu nama yang terlalu panj (4)"
    assert len(book.sheetnames) == 5 and len(book[pareto]._charts) == 1


def test_command_line_output_stays_english(tmp_path):
    """Byte for byte what the command line wrote before its texts were made
    translatable. Regenerate the file only for an intended change of wording."""
    expected = json.loads(ENGLISH_OUTPUT.read_text(encoding="utf-8"))
    assert cli_texts(tmp_path) == expected


# The template for Odoo -------------------------------------------------------

POT_HEADER = """# Translation of Odoo Server.
msgid ""
msgstr ""
"Project-Id-Version: Odoo Server 18.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

"""
POT_ENTRIES = """#. module: crm_valuation
#: model:ir.model.fields,field_description:crm_valuation.field_value__segment
msgid "Segment"
msgstr ""

#. module: crm_valuation
#. odoo-python
#: code:addons/crm_valuation/report/crm_valuation_run_xlsx.py:0
msgid "Customer valuation of %(company)s as of %(date)s"
msgstr ""
"""


def test_engine_terms_are_appended_once_as_python_code_terms(tmp_path):
    pot_path = tmp_path / "crm_valuation.pot"
    pot_path.write_text(POT_HEADER + POT_ENTRIES)
    terms = engine_terms()
    assert append_engine_terms(pot_path) == len(terms)
    written = pot_path.read_text()
    assert append_engine_terms(pot_path) == 0
    assert pot_path.read_text() == written

    template = polib.pofile(str(pot_path))
    msgids = [entry.msgid for entry in template]
    assert len(msgids) == len(set(msgids)) == len(terms) + 1
    assert msgids == sorted(msgids)
    new = template.find("Holdout check skipped: %(reason)s.")
    assert new.comment == "module: crm_valuation\nodoo-python"
    assert new.occurrences == [("code:crm_engine/valuation/pipeline.py", "0")]
    # Exported by Odoo as a field label: completed, not repeated.
    segment = template.find("Segment")
    assert segment.comment == "module: crm_valuation\nodoo-python"
    assert segment.occurrences == [
        (
            "model:ir.model.fields,field_description:"
            "crm_valuation.field_value__segment",
            "",
        ),
        ("code:crm_engine/valuation/export.py", "0"),
    ]
    assert template.find("Customers").occurrences == [
        ("code:crm_engine/valuation/export.py", "0"),
        ("code:crm_engine/valuation/workbook.py", "0"),
    ]
    addon_term = template.find("Customer valuation of %(company)s as of %(date)s")
    assert addon_term.occurrences == [
        ("code:addons/crm_valuation/report/crm_valuation_run_xlsx.py", "0")
    ]


def test_only_addons_depending_on_the_engine_get_its_terms():
    assert uses_engine_texts(
        {"external_dependencies": {"python": ["numpy", "crm_engine"]}}
    )
    assert not uses_engine_texts({"depends": ["crm_valuation", "queue_job"]})


# Numbers in the reader's convention ------------------------------------------

INDONESIAN = NumberFormat(thousands=".", decimal=",")


def test_numbers_inside_texts_follow_the_readers_convention():
    report_json = {
        "calibration_end": "2024-01-01",
        "holdout_end": "2024-06-30",
        "customers": 1256,
        "actual_total": 415.0,
        "model": "MBG/NBD",
        "note": None,
        "model_accuracy": {"predicted_total": 1639.4, "mae": 1.256, "correlation": 0.5},
        "baseline_accuracy": {"predicted_total": 700.0, "mae": 1.5, "correlation": 0.4},
        "grade": "good",
    }
    report = HoldoutReport.from_json(report_json)
    indonesian = localized(english, INDONESIAN)
    text = report.describe(indonesian)
    assert "1,256 purchases with the model" in text
    assert "1.639 purchases by these 1.256 customers" in text
    assert "1.256 purchases with the model" in report.describe()
    assert "1,639 purchases by these 1,256 customers" in report.describe()
    note = Note(
        "%(share)s of %(count)s", {"share": Number(0.6312, 1, True), "count": 12345}
    )
    again = Note.from_json(json.loads(json.dumps(note.to_json())))
    assert again == note
    assert again.render(indonesian) == "63,1% of 12.345"
    assert again.render() == "63.1% of 12,345"
    assert INDONESIAN.text(Number(-5874.7, 2)) == "-5.874,70"
    assert INDONESIAN.text(Number(-0.0001, 2)) == "0,00"
    assert INDONESIAN.text(True) is True and INDONESIAN.text("1.5") == "1.5"

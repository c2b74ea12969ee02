"""Deal registration conflicts: what counts as the same customer."""

from crm_engine.partner import find_conflicts, normalize_name, score_conflict
from crm_engine.partner.conflict import email_domain, significant_word


def test_legal_forms_and_punctuation_do_not_count():
    assert normalize_name("PT. Sinar Jaya, Tbk") == "sinar jaya"
    assert normalize_name("CV Sinar-Jaya") == "sinar jaya"
    assert significant_word("PT Maju Bersama Sentosa") == "bersama"


def test_same_vat_written_differently_is_a_strong_conflict():
    score, reasons = score_conflict(
        {"name": "Toko Abadi", "vat": "01.234.567.8-901.000"},
        {"name": "Abadi Store", "vat": "012345678901000"},
    )
    assert reasons == ("vat",)
    assert score == 60


def test_free_mail_domains_are_no_evidence():
    assert email_domain("budi@gmail.com") == ""
    assert email_domain("Budi <budi@sinarjaya.co.id>") == "sinarjaya.co.id"
    assert email_domain("not an address") == ""
    score, _reasons = score_conflict(
        {"name": "A", "email": "x@gmail.com"}, {"name": "B", "email": "y@gmail.com"}
    )
    assert score == 0


def test_all_evidence_caps_at_100_and_orders_strongest_first():
    deal = {"name": "PT Sinar Jaya", "vat": "123456789", "email": "a@sinarjaya.id"}
    candidates = [
        {"kind": "lead", "id": 1, "name": "Sinar Jaya Abadi", "email": "b@other.id"},
        {
            "kind": "customer",
            "id": 2,
            "name": "CV Sinar Jaya",
            "vat": "123-456-789",
            "email": "c@sinarjaya.id",
        },
        {"kind": "registration", "id": 3, "name": "Unrelated Trading"},
    ]
    found = find_conflicts(deal, candidates)
    # "Sinar Jaya Abadi" is another company: the name alone is too far off.
    assert [c.ref for c in found] == [2]
    assert found[0].score == 100
    assert found[0].reasons == ("vat", "email_domain", "name")


def test_short_or_empty_vat_never_matches():
    assert score_conflict({"name": "", "vat": "1"}, {"name": "", "vat": "1"}) == (0, ())
    assert score_conflict({"name": None}, {"name": None}) == (0, ())

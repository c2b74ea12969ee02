"""Where the CDNOW reference data are looked for, and what their absence does."""

import pytest
from valuation_data import cdnow_dir


def test_missing_cdnow_skips_outside_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CRM_SHARED_DATA", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        cdnow_dir()


def test_missing_cdnow_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CRM_SHARED_DATA", str(tmp_path))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CDNOW reference data"):
        cdnow_dir()

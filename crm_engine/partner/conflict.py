"""Is a registered deal already someone's? Score a registration against
existing leads, customers and other registrations.

A shared tax number is near proof, a shared company mail domain strong
evidence, a similar company name a hint; the score adds them up to 100.
"""

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

# Legal forms and filler words that say nothing about which company it is.
LEGAL_WORDS = frozenset(
    {
        "pt",
        "cv",
        "ud",
        "tbk",
        "persero",
        "koperasi",
        "yayasan",
        "firma",
        "fa",
        "ltd",
        "limited",
        "llc",
        "inc",
        "corp",
        "co",
        "company",
        "gmbh",
        "sa",
        "sarl",
        "bv",
        "nv",
        "plc",
        "the",
    }
)
# Mail domains anyone can have: the same one says nothing about the company.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "yahoo.com",
        "yahoo.co.id",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "icloud.com",
        "aol.com",
        "mail.com",
        "proton.me",
        "protonmail.com",
        "ymail.com",
        "rocketmail.com",
    }
)
WEIGHTS = {"vat": 60, "email_domain": 30, "name": 40}
NAME_THRESHOLD = 0.82
MIN_SCORE = 25


@dataclass(frozen=True)
class Conflict:
    """A candidate that looks like the registered customer."""

    kind: str
    ref: int
    label: str
    score: int
    reasons: tuple


def normalize_name(name):
    """Lower case, no accents or punctuation, no legal forms."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(char for char in text if not unicodedata.combining(char))
    words = re.findall(r"[a-z0-9]+", text.lower())
    return " ".join(word for word in words if word not in LEGAL_WORDS)


def normalize_vat(vat):
    """Digits and letters only, upper case: 01.234.567.8-901.000 == 012345678901000."""
    return re.sub(r"[^0-9A-Z]", "", (vat or "").upper())


def email_domain(email):
    """The company part of an address, or '' for free mail and bad input."""
    match = re.search(
        r"@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\s*>?\s*$", (email or "").strip()
    )
    if not match:
        return ""
    domain = match.group(1).lower()
    return "" if domain in FREE_MAIL_DOMAINS else domain


def name_similarity(left, right):
    """0..1 similarity of two normalised company names."""
    left, right = normalize_name(left), normalize_name(right)
    if not left or not right:
        return 0.0
    if left == right:
        return 1.0
    return SequenceMatcher(None, left, right).ratio()


def score_conflict(deal, candidate):
    """``(score, reasons)`` of one candidate against the registered deal.

    ``deal`` and ``candidate`` are mappings with ``name``, ``vat``, ``email``.
    """
    reasons = []
    score = 0
    vat = normalize_vat(deal.get("vat"))
    if vat and len(vat) >= 5 and vat == normalize_vat(candidate.get("vat")):
        score += WEIGHTS["vat"]
        reasons.append("vat")
    domain = email_domain(deal.get("email"))
    if domain and domain == email_domain(candidate.get("email")):
        score += WEIGHTS["email_domain"]
        reasons.append("email_domain")
    similarity = name_similarity(deal.get("name"), candidate.get("name"))
    if similarity >= NAME_THRESHOLD:
        score += round(WEIGHTS["name"] * similarity)
        reasons.append("name")
    return min(score, 100), tuple(reasons)


def find_conflicts(deal, candidates, min_score=MIN_SCORE):
    """Candidates scoring ``min_score`` or more, the strongest first.

    Each candidate is a mapping with ``kind``, ``id``, ``label`` besides the
    fields :func:`score_conflict` reads.
    """
    found = []
    for candidate in candidates:
        score, reasons = score_conflict(deal, candidate)
        if score >= min_score:
            found.append(
                Conflict(
                    candidate["kind"],
                    candidate["id"],
                    candidate.get("label") or candidate.get("name") or "",
                    score,
                    reasons,
                )
            )
    found.sort(key=lambda conflict: (-conflict.score, conflict.kind, conflict.ref))
    return found


def significant_word(name):
    """The longest word of the normalised name: what a database prefilter searches."""
    words = normalize_name(name).split()
    return max(words, key=len) if words else ""

"""Reseller programme arithmetic: deal conflicts, lead matching, levels,
commissions and receivable aging. No Odoo import: the crm_partner_portal addon
reads the records, calls these functions and writes their results."""

from .aging import AGING_BUCKETS, aging
from .commission import commission_amount, rate_for, statement_totals
from .conflict import Conflict, find_conflicts, normalize_name, score_conflict
from .levels import LevelRule, evaluate_level
from .matching import Candidate, rank_candidates

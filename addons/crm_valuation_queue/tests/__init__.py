from . import test_valuation_jobs

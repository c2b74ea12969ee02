from . import test_account_tier_card

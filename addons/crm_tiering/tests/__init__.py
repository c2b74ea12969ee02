from . import test_tier_review
from . import test_tier_security
from . import test_tier_concurrency
from . import test_tier_rules
from . import test_tier_simulator
from . import test_tier_portal
from . import test_tier_panel

from . import test_deal_registration
from . import test_partner_offer
from . import test_levels_commissions
from . import test_portal_routes
from . import test_portal_tours
from . import test_level_by_hand
from . import test_product_search
from . import test_dashboard

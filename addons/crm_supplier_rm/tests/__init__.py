from . import test_scorecard_compute
from . import test_scorecard_settings
from . import test_purchasing_controls
from . import test_supplier_portal
from . import test_supplier_security
from . import test_scorecard_xlsx

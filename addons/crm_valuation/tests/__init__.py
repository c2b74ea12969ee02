from . import test_valuation_run
from . import test_valuation_security
from . import test_segment_wizard
from . import test_valuation_xlsx
from . import test_pg_binary
from . import test_valuation_reading
from . import test_valuation_run_form

from . import crm_tier_simulator
from . import crm_tier_simulator_line

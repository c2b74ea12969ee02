"""Next best offer: association rules, per-customer recommendations, up-sell
candidates, their offline evaluation and the timing of the offer.

Plain Python (numpy, scipy), no Odoo. The Odoo addon reads confirmed order
lines into ``Purchases`` and the sellable products into ``Catalogue``, calls
``recommend`` and ``association_rules`` and stores what they return;
``evaluate`` checks the recommender against the most-popular baseline on a
time split.
"""

from .baskets import Catalogue, Purchases
from .evaluation import Evaluation, evaluate
from .recommender import RecommendSettings, Recommendations, recommend
from .rules import Rules, association_rules
from .timing import expected_next_purchase

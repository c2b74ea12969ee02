"""Order lines and products as sparse 0/1 matrices over catalogue positions."""

import dataclasses

import numpy as np
from scipy import sparse


@dataclasses.dataclass(frozen=True)
class Purchases:
    """One row per confirmed order line (several lines of a product may repeat)."""

    customer: np.ndarray  # customer id (int)
    order: np.ndarray  # order id (int)
    product: np.ndarray  # product id (int)
    date: np.ndarray  # datetime64[D], the order's day

    def __post_init__(self):
        sizes = {len(self.customer), len(self.order), len(self.product)}
        if len(sizes | {len(self.date)}) != 1:
            raise ValueError("purchase columns differ in length")

    def where(self, mask):
        return Purchases(
            self.customer[mask], self.order[mask], self.product[mask], self.date[mask]
        )


@dataclasses.dataclass(frozen=True)
class Catalogue:
    """The products recommendations are made of, one row each.

    ``sellable`` marks those that may be offered (active, can be sold);
    the others still count as evidence in baskets and rules.
    """

    product: np.ndarray  # product id (int), unique
    category: np.ndarray  # category id (int)
    price: np.ndarray  # list price (float)
    sellable: np.ndarray  # bool

    def __post_init__(self):
        if len(np.unique(self.product)) != len(self.product):
            raise ValueError("catalogue products must be unique")

    @property
    def size(self):
        return len(self.product)

    def positions(self, product_ids):
        """Catalogue position of each id, -1 for ids not in the catalogue."""
        order = np.argsort(self.product, kind="stable")
        ids = np.asarray(product_ids)
        found = np.searchsorted(self.product, ids, sorter=order)
        found = np.minimum(found, max(self.size - 1, 0))
        if not self.size:
            return np.full(ids.shape, -1)
        hit = self.product[order[found]] == ids
        return np.where(hit, order[found], -1)

    def category_positions(self):
        """(category ids, category position of each product)."""
        categories, position = np.unique(self.category, return_inverse=True)
        return categories, position


def incidence(rows, columns, row_count, column_count):
    """Sparse 0/1 matrix with a one where any (row, column) pair occurs."""
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, columns)),
        shape=(row_count, column_count),
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def customer_items(purchases, catalogue):
    """(customer ids, customers x products 0/1 matrix) of the purchases."""
    position = catalogue.positions(purchases.product)
    known = position >= 0
    customers, row = np.unique(purchases.customer[known], return_inverse=True)
    matrix = incidence(row, position[known], len(customers), catalogue.size)
    return customers, matrix


def order_items(purchases, catalogue):
    """Orders x products 0/1 matrix (an order is the basket of the rules)."""
    position = catalogue.positions(purchases.product)
    known = position >= 0
    _orders, row = np.unique(purchases.order[known], return_inverse=True)
    return incidence(row, position[known], len(_orders), catalogue.size)

"""Computation behind the CRM strategy suite, importing nothing from Odoo.

The Odoo addons under ``addons/`` are glue around these functions; analysts without
Odoo can run them on a CSV export through the command-line entry points.
"""

"""Opening an Odoo environment on a database from a plain Python process."""

import contextlib

import odoo
from odoo.modules.registry import Registry

# Generated history is not news: no tracking messages, no mail, no invitations.
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
    "no_reset_password": True,
    "skip_sms": True,
}


@contextlib.contextmanager
def environment(config_path, database, extra_args=()):
    """A superuser environment; commits when the block ends without error."""
    odoo.tools.config.parse_config(
        ["-c", str(config_path), "-d", database, "--log-level=warn", *extra_args]
    )
    registry = Registry(database)
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, dict(QUIET))

# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where a valuation's work is made durable: commits in a batch job, savepoints
under tests, nothing in a button's request."""

from odoo.modules import module


class CommitPoints:
    """Where a run's work is made durable.

    In a batch job (``commit=True``) each point commits, and an error rolls
    back to the last one, so the run can resume from there. Under tests, whose
    transaction the test owns, savepoints stand in for the commits. Otherwise
    (a button) nothing commits and an error undoes the whole run.
    """

    def __init__(self, cr, commit):
        self.cr = cr
        self.commit = commit
        self.real = commit and not module.current_test
        self.savepoint = None

    def __enter__(self):
        if not self.real:
            self.savepoint = self.cr.savepoint()
        return self

    def reached(self):
        if not self.commit:
            return
        if self.real:
            self.cr.commit()  # pylint: disable=invalid-commit
        else:
            self.savepoint.close(rollback=False)
            self.savepoint = self.cr.savepoint()

    def __exit__(self, exc_type, exc_value, traceback):
        if self.real:
            if exc_type is not None:
                self.cr.rollback()
        else:
            self.savepoint.close(rollback=exc_type is not None)
        return False

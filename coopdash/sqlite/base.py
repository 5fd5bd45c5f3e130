"""SQLite as Django has it, with a statement timeout like PostgreSQL's.

A statement running longer than STATEMENT_TIMEOUT milliseconds (DJANGO_STATEMENT_TIMEOUT; web
servers get 5 s, see coopdash/wsgi.py) is interrupted through SQLite's progress handler, and
the request is answered with a 503 (coopdash.middleware.StatementTimeoutMiddleware).
"""

import time

from django.conf import settings
from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.statement_deadline = None
        self.execute_wrappers.append(self.timed)

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        # Asked every 10,000 virtual-machine steps (well under a millisecond).
        connection.set_progress_handler(self.over_time, 10_000)
        return connection

    def over_time(self):
        """Non-zero makes SQLite stop the statement with "interrupted"."""
        return int(
            self.statement_deadline is not None and time.monotonic() > self.statement_deadline
        )

    def timed(self, execute, sql, params, many, context):
        limit = getattr(settings, "STATEMENT_TIMEOUT", 0)
        if not limit:
            return execute(sql, params, many, context)
        self.statement_deadline = time.monotonic() + limit / 1000
        try:
            return execute(sql, params, many, context)
        finally:
            self.statement_deadline = None

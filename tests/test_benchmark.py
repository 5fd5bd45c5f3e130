"""The benchmark command and the trivial view it measures against."""

import io
import re

import pytest
from django.core.management import call_command

from partners.models import Agreement

pytestmark = pytest.mark.django_db


def test_liveness_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live/")
    assert response.status_code == 200 and response.content == b"ok"


def test_benchmark_measures_every_page_and_cleans_up(tmp_path):
    before = Agreement.objects.count()
    out, report = io.StringIO(), tmp_path / "PERFORMANCE.md"
    report.write_text("# Performance\n\nProse that stays.\n", encoding="utf-8")
    for _ in range(2):  # the second run replaces the first run's section
        out = io.StringIO()
        call_command(
            "benchmark",
            scales=[0, 20],
            repeat=1,
            write=str(report),
            stdout=out,
            stderr=io.StringIO(),
        )
    table = out.getvalue()
    for page in ["trivial view", "dashboard", "map", "timeline", "coverage", "CSV export"]:
        assert f"| {page} |" in table
    assert "+20" in table and "Served (page cache warm)" in table
    assert "After a change" in table  # the first render after a save, nothing kept
    document = report.read_text()
    assert document.startswith("# Performance\n\nProse that stays.")
    assert len(re.findall(r"### (sqlite|postgresql) \d+\.\d+", document)) == 1
    assert Agreement.objects.count() == before


def test_synthetic_command_adds_and_removes():
    out = io.StringIO()
    call_command("synthetic", count=12, seed=2, stdout=out)
    assert "Added 12" in out.getvalue()
    call_command("synthetic", remove=True, stdout=out)
    assert "Removed 12" in out.getvalue()


def test_the_rehearsal_tells_each_traceback_in_the_servers_logs_to_its_moment(tmp_path):
    """bench/rehearsal.py groups the servers' tracebacks by exception and by the event they
    fell in: it must read the time of the log lines coopdash writes (settings.LOGGING)."""
    import logging.config
    import sys
    import time

    from django.conf import settings

    sys.path.insert(0, str(settings.BASE_DIR / "bench"))
    try:
        import rehearsal
    finally:
        sys.path.pop(0)
    log = tmp_path / "gunicorn-A.log"
    config = {**settings.LOGGING, "disable_existing_loggers": False}
    config["handlers"] = {
        "file": {"class": "logging.FileHandler", "filename": str(log), "formatter": "timed"}
    }
    config["root"] = {"handlers": ["file"], "level": "WARNING"}
    before = time.time()
    logging.config.dictConfig(config)
    try:
        try:
            try:
                raise ConnectionError("the server closed the connection")
            except ConnectionError as cause:
                raise RuntimeError("the database went away") from cause
        except RuntimeError:
            logging.getLogger("django.request").exception("Internal Server Error: /en/")
    finally:
        logging.config.dictConfig(settings.LOGGING)
    found = rehearsal.tracebacks(log)
    assert [exception for _stamp, exception in found] == ["RuntimeError: the database went away"]
    assert before - 1 <= found[0][0] <= time.time() + 1  # the line's own time, with its offset
    record = {"events": [("PostgreSQL restarted", before, time.time(), "")]}
    assert rehearsal.grouped_tracebacks(found, record, before - 60) == [
        "  - 1 × `RuntimeError: the database went away` (PostgreSQL restarted)"
    ]

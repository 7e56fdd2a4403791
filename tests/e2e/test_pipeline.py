"""End to end: `make run`'s pipeline through Airflow (`dag.test()`) on SQLite, then a rerun of the week."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from nyengget.warehouse.db import make_engine
from nyengget.warehouse.schema import nyengget_weekly, outbox, programme_versions, programmes, source_runs

W47, W48 = date(2026, 11, 16), date(2026, 11, 23)
pytestmark = pytest.mark.slow


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NYENGGET_"))}
    return {**env, "NYENGGET_HOME": str(home)}


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    """Run both replayed weeks once for the whole module (the slow part)."""
    home = tmp_path_factory.mktemp("e2e") / "home"
    result = subprocess.run([sys.executable, "-m", "nyengget.local_run"], env=_env(home), capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    engine = make_engine(f"sqlite:///{home / 'warehouse.sqlite'}")
    yield home, engine, result.stdout
    engine.dispose()


def _count(engine, table, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_both_weeks_have_a_list(pipeline):
    _, engine, stdout = pipeline
    assert _count(engine, nyengget_weekly, nyengget_weekly.c.week_start == W47) > 0
    assert _count(engine, nyengget_weekly, nyengget_weekly.c.week_start == W48) >= 50
    with engine.connect() as conn:
        opds = conn.execute(select(func.count(func.distinct(nyengget_weekly.c.opd_code)))
                            .where(nyengget_weekly.c.week_start == W48)).scalar_one()
    assert opds >= 5
    # the planners' summaries at the end: one per region of the sample regions.yaml
    serang, cilegon = stdout.split("Nyengget Kota Serang pekan 2026-W48", 1)[1].split("Nyengget Kota Cilegon pekan")
    summary = serang
    assert "Peluang teratas per OPD:" in summary and "Laporan:" in summary and "nyengget-2026-W48.xlsx" in summary
    assert "Peluang teratas per OPD:" in cilegon and "nyengget-2026-W48-36.72.xlsx" in cilegon
    for developer_talk in ("flags:", "warehouse:", "↳"):
        assert developer_talk not in summary, developer_talk
    assert len(summary.splitlines()) <= opds + 10  # one line per OPD, a few more


def test_emails_reports_and_source_health(pipeline):
    home, engine, _ = pipeline
    emails = list((home / "outbox").glob("*.eml"))
    assert len(emails) >= 5
    assert _count(engine, outbox, outbox.c.status == "sent") == len(emails)
    assert (home / "reports" / "nyengget-2026-W48.xlsx").stat().st_size > 5000
    assert (home / "reports" / "nyengget-2026-W48.html").stat().st_size > 5000
    with engine.connect() as conn:
        weeks = conn.execute(select(source_runs.c.source, func.count()).group_by(source_runs.c.source)).all()
    assert weeks and all(n == 2 for _, n in weeks)
    assert (home / "reports" / "nyengget-2026-W48-36.72.xlsx").stat().st_size > 5000


def test_two_regions_each_get_their_own_list_and_emails(pipeline):
    """`make run` shows two regions: each its own innovations, list, digests and planners' summary."""
    home, engine, _ = pipeline
    with engine.connect() as conn:
        lists = dict(conn.execute(select(nyengget_weekly.c.region_code, func.count())
                                  .where(nyengget_weekly.c.week_start == W48).group_by(nyengget_weekly.c.region_code)).all())
        prefixes = {r: {i[:4] for i in conn.execute(select(nyengget_weekly.c.innovation_id).distinct().where(
            nyengget_weekly.c.region_code == r)).scalars()} for r in lists}
        summaries = dict(conn.execute(select(outbox.c.region_code, outbox.c.recipient)
                                      .where(outbox.c.kind == "planner_summary", outbox.c.week_start == W48)).all())
    assert set(lists) == {"36.73", "36.72"} and all(n > 0 for n in lists.values())
    assert prefixes == {"36.73": {"SRG-"}, "36.72": {"CLG-"}}  # never one region's innovation in another's list
    assert summaries == {"36.73": "perencana@bappeda.example.go.id",
                         "36.72": "perencana@bappeda.cilegon.example.go.id"}
    cilegon = [p for p in (home / "outbox").glob("2026-11-23_36.72_opd_digest*.eml")]
    assert cilegon and all("From: Nyengget Bappeda Kota Cilegon" in p.read_text() for p in cilegon)


def test_week_two_changes_are_recorded(pipeline):
    _, engine = pipeline[:2]
    assert _count(engine, programme_versions, programme_versions.c.week_start == W48,
                  programme_versions.c.version > 1) >= 2
    assert _count(engine, programmes, programmes.c.status == "disappeared") >= 1
    assert _count(engine, nyengget_weekly, nyengget_weekly.c.week_start == W48, nyengget_weekly.c.is_changed) >= 1


def test_rerunning_the_week_changes_nothing_and_sends_nothing(pipeline):
    home, engine, _ = pipeline
    with engine.connect() as conn:
        before = conn.execute(select(nyengget_weekly).where(nyengget_weekly.c.week_start == W48)
                              .order_by(nyengget_weekly.c.innovation_id, nyengget_weekly.c.programme_id)).all()
    emails_before = sorted(p.name for p in (home / "outbox").glob("*.eml"))
    result = subprocess.run([sys.executable, "-m", "nyengget.cli", "weekly", "--week", "2026-W48"],
                            env=_env(home), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "0 queued, 0 sent" in result.stdout
    with engine.connect() as conn:
        after = conn.execute(select(nyengget_weekly).where(nyengget_weekly.c.week_start == W48)
                             .order_by(nyengget_weekly.c.innovation_id, nyengget_weekly.c.programme_id)).all()
    assert after == before
    assert sorted(p.name for p in (home / "outbox").glob("*.eml")) == emails_before


def test_the_cli_signs_links_with_the_airflow_variable_the_tasks_and_server_read(pipeline):
    """The `nyengget` CLI process reads the Variable from the Airflow metadata database, like tasks do."""
    from nyengget.review import links

    home, _, _ = pipeline
    secret = "variable-secret-" + "x" * 32
    setup = ("import sys\nfrom pathlib import Path\nfrom nyengget.orchestration.local import configure\n"
             "configure(Path(sys.argv[1]))\n")
    set_var = setup + "from airflow.models.variable import Variable\nVariable.set('nyengget_link_secret', sys.argv[2])\n"
    sign = setup + ("from datetime import date\nfrom nyengget.review import links\n"
                    "print(links.dismiss_url(date(2026, 11, 23), 'I1', 'P1', 'DINKES'))\n")
    unset = setup + "from airflow.models.variable import Variable\nVariable.delete('nyengget_link_secret')\n"
    run = [sys.executable, "-c"]
    assert subprocess.run([*run, set_var, str(home), secret], env=_env(home), capture_output=True,
                          timeout=300).returncode == 0
    try:
        out = subprocess.run([*run, sign, str(home)], env=_env(home), capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr[-2000:]
        token = out.stdout.strip().splitlines()[-1].rsplit("/tautan/", 1)[1]
        assert links.read_token(token, secret=secret).opd_code == "DINKES"
    finally:
        subprocess.run([*run, unset, str(home)], env=_env(home), capture_output=True, timeout=300)

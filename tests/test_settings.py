"""The one settings object: validation, read once, and the documents generated from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from nyengget.settings import REPO_ROOT, Settings, env_example, get_settings, readme_table, reset_settings

# A read of a NYENGGET_* variable (or Airflow's AIRFLOW_CONN_NYENGGET_*) from the process environment.
ENV_READ = re.compile(r"""(os\.environ\.get|os\.getenv|environ\.get|os\.environ\[)\(?\s*["'][A-Z_]*NYENGGET_""")
ASSIGNMENT = re.compile(r"""os\.environ\[["'][A-Z_]+["']\]\s*=[^=]""")


def _package_sources() -> list[Path]:
    roots = [REPO_ROOT / "include" / "nyengget", REPO_ROOT / "dags", REPO_ROOT / "plugins"]
    return [p for root in roots for p in root.rglob("*.py") if p.name != "settings.py"]


def test_no_module_but_settings_reads_nyengget_variables():
    offenders = []
    for path in _package_sources():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ENV_READ.search(line) and not ASSIGNMENT.search(line):
                offenders.append(f"{path.relative_to(REPO_ROOT)}:{n}: {line.strip()}")
    assert not offenders, "read NYENGGET_* through nyengget.settings.get_settings():\n" + "\n".join(offenders)


def test_the_grep_catches_a_read():
    assert ENV_READ.search('x = os.environ.get("NYENGGET_TOP_K", "5")')
    assert ENV_READ.search("os.environ['AIRFLOW_CONN_NYENGGET_WAREHOUSE']")
    assert not ENV_READ.search('os.environ.setdefault("NYENGGET_RETRY_DELAY_SECONDS", "5")')


def test_env_example_is_generated_from_settings():
    assert (REPO_ROOT / ".env.example").read_text(encoding="utf-8") == env_example(), \
        "regenerate it: make env-example"


def test_env_example_names_every_variable():
    text = env_example()
    for field in Settings.model_fields.values():
        assert f"# {field.json_schema_extra['env']}=" in text


def test_readme_settings_table_is_generated_from_settings():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- settings-table:start -->\n(.*?)<!-- settings-table:end -->", readme, re.S)
    assert block, "README.md lacks the settings-table markers"
    assert block.group(1) == readme_table(), "regenerate it: make env-example"


def test_read_once_until_the_environment_changes(monkeypatch):
    first = get_settings()
    assert get_settings() is first
    monkeypatch.setenv("NYENGGET_TOP_K", "7")
    second = get_settings()
    assert second is not first and second.top_k == 7
    reset_settings()
    assert get_settings() is not second and get_settings().top_k == 7


@pytest.mark.parametrize(("name", "value"), [("NYENGGET_TOP_K", "many"), ("NYENGGET_TOP_K", "0"),
                                             ("NYENGGET_LEVEL", "desa"), ("NYENGGET_MAIL_DELIVERY", "pigeon"),
                                             ("NYENGGET_SEND_EMPTY", "perhaps")])
def test_invalid_values_are_refused_naming_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=name):
        get_settings()


def test_values_are_typed(monkeypatch, nyengget_home):
    monkeypatch.setenv("NYENGGET_ALERT_EMAILS", " a@x.go.id, b@x.go.id ,")
    monkeypatch.setenv("NYENGGET_SEND_EMPTY", "yes")
    monkeypatch.setenv("NYENGGET_TIME_SCHEDULES", "off")
    monkeypatch.setenv("NYENGGET_SOURCES_BASE_URL", "")  # set and empty: the real sites
    monkeypatch.setenv("NYENGGET_PUBLIC_URL", "https://nyengget.example.go.id/")
    monkeypatch.setenv("NYENGGET_SAMPLE_DIR", "/data/serang")
    s = get_settings()
    assert s.alert_recipients == ("a@x.go.id", "b@x.go.id")
    assert s.send_empty is True and s.time_schedules is False and s.sources_base_url is None
    assert s.public_base_url == "https://nyengget.example.go.id"
    assert s.home == nyengget_home.resolve() and s.users_file is None
    # the OPD and innovation files are the regions file's unless set (they override the default region's)
    assert s.opds_file is None and s.regions_file == Path("/data/serang/regions.yaml")


def test_empty_recipient_list_means_nobody(monkeypatch):
    monkeypatch.setenv("NYENGGET_PLANNER_EMAILS", "")
    assert get_settings().planner_recipients == ()


def test_the_link_secret_is_not_printed(monkeypatch):
    monkeypatch.setenv("NYENGGET_LINK_SECRET", "s3cr3t-value-that-is-long-enough")
    s = get_settings()
    assert "s3cr3t" not in repr(s) and s.link_secret.get_secret_value().startswith("s3cr3t")

"""The link/CSRF secret fails closed: generated for the embedded default, required anywhere else, and no
constant of the source (old dev default, compose values, any string literal) can forge a link."""

from __future__ import annotations

import ast
import re
import stat
from pathlib import Path

import pytest
import yaml

from factories import W48
from nyengget.review import csrf, links, signing

REPO = Path(__file__).resolve().parents[2]
OLD_DEV_SECRET = "nyengget-dev-only-link-secret-do-not-use-in-production"


@pytest.fixture(autouse=True)
def no_airflow_variable(monkeypatch):
    monkeypatch.delenv("NYENGGET_LINK_SECRET", raising=False)
    monkeypatch.delenv("AIRFLOW_VAR_NYENGGET_LINK_SECRET", raising=False)


def test_the_embedded_default_generates_one_random_secret_under_its_home(nyengget_home):
    first = signing.link_secret()
    path = nyengget_home / "secrets" / "link-secret"
    assert path.read_text().strip() == first and len(first) >= 48
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing.link_secret() == first  # every later use (CLI, DAG task, api-server) reads the same
    token = links.make_token(links.DismissLink(W48, "I1", "P1", "DINKES"))
    assert links.read_token(token).opd_code == "DINKES"


@pytest.mark.parametrize("setting", [
    ("NYENGGET_WAREHOUSE_URL", "postgresql+psycopg://nyengget@127.0.0.1/nyengget"),
    ("NYENGGET_SMTP_URL", "smtp://mail.example.go.id:587"),
    ("NYENGGET_MAIL_DELIVERY", "smtp"),
    ("AIRFLOW_CONN_SMTP_DEFAULT", '{"conn_type": "smtp", "host": "mail.example.go.id"}'),
])
def test_any_other_setup_refuses_to_sign_or_verify_until_configured(monkeypatch, setting):
    monkeypatch.delenv("NYENGGET_MAIL_DELIVERY")
    monkeypatch.setenv(*setting)
    with pytest.raises(signing.SecretNotConfigured, match="NYENGGET_LINK_SECRET.*nyengget_link_secret"):
        links.dismiss_url(W48, "I1", "P1", "DINKES")
    with pytest.raises(signing.SecretNotConfigured):
        csrf.valid("anything", "user")
    monkeypatch.setenv("AIRFLOW_VAR_NYENGGET_LINK_SECRET", "v" * 40)  # the Airflow Variable, as the CLI sees it
    assert signing.link_secret() == "v" * 40


@pytest.mark.parametrize("bad", [OLD_DEV_SECRET, "change-me", "dev-only-jwt-secret-change-me"])
def test_published_or_short_secrets_are_refused(monkeypatch, bad):
    monkeypatch.setenv("NYENGGET_LINK_SECRET", bad)
    with pytest.raises(signing.SecretNotConfigured):
        signing.link_secret()


def _source_constants() -> set[str]:
    """Every string literal of the Python sources and every word-like value of the config files."""
    found: set[str] = set()
    for path in [*REPO.glob("include/**/*.py"), *REPO.glob("dags/*.py"), *REPO.glob("plugins/**/*.py"),
                 *(p for p in REPO.glob("tests/**/*.py") if p != Path(__file__)), *REPO.glob("bench/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and 4 <= len(node.value) <= 200:
                found.add(node.value)
    for path in [REPO / "docker-compose.yaml", REPO / ".env.example", REPO / "Makefile", *REPO.glob("scripts/*"),
                 *REPO.glob("include/**/*.yaml"), *REPO.glob("docker/*")]:
        if path.is_file():
            found.update(re.findall(r"[A-Za-z0-9_\-.:/+=]{6,}", path.read_text(encoding="utf-8", errors="replace")))
    return found


def test_a_link_or_csrf_token_signed_with_any_constant_of_the_source_is_refused():
    constants = _source_constants()
    assert OLD_DEV_SECRET not in constants  # the old default is gone from the source
    constants |= {OLD_DEV_SECRET}
    assert len(constants) > 1000
    link = links.DismissLink(W48, "I9", "P9", "DLH")
    accepted = []
    for constant in constants:
        forged = links.make_token(link, secret=constant)
        try:
            links.read_token(forged)
            accepted.append(constant)
        except links.LinkInvalid:
            pass
        if csrf.valid(signing.serializer(csrf.SALT, constant).dumps("bappeda"), "bappeda"):
            accepted.append(constant)
    assert accepted == []


def test_forged_link_is_refused_by_the_page(client_for, seeded):
    forged = links.make_token(links.DismissLink(W48, "I1", "P1", "DINKES"), secret=OLD_DEV_SECRET)
    assert client_for(None).get(f"/tautan/{forged}").status_code == 400


def test_the_review_page_answers_503_without_a_secret(client_for, seeded, monkeypatch):
    monkeypatch.delenv("NYENGGET_LINK_SECRET", raising=False)
    monkeypatch.setenv("NYENGGET_MAIL_DELIVERY", "smtp")
    assert client_for(None).get("/tautan/whatever").status_code == 503


def test_compose_requires_its_secrets_from_the_environment():
    env = yaml.safe_load((REPO / "docker-compose.yaml").read_text())["x-airflow-common"]["environment"]
    for name, variable in (("AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW_JWT_SECRET"),
                           ("AIRFLOW__CORE__FERNET_KEY", "AIRFLOW_FERNET_KEY"),
                           ("NYENGGET_LINK_SECRET", "NYENGGET_LINK_SECRET")):
        assert re.fullmatch(r"\$\{" + variable + r":\?[^}]+\}", env[name]), (name, env[name])

"""The api-server's internals are imported by one adapter module only."""

from __future__ import annotations

import importlib.util

from nyengget.orchestration import review_auth as airflow_auth
from nyengget.settings import REPO_ROOT


def test_only_the_adapter_imports_api_server_internals():
    roots = [REPO_ROOT / "include" / "nyengget", REPO_ROOT / "plugins", REPO_ROOT / "dags"]
    users = sorted(str(p.relative_to(REPO_ROOT)) for root in roots for p in root.rglob("*.py")
                   if "airflow.api_fastapi" in p.read_text(encoding="utf-8"))
    assert users == ["include/nyengget/orchestration/review_auth.py"]


def test_the_plugin_mounts_the_app_with_the_adapter():
    spec = importlib.util.spec_from_file_location("nyengget_review", REPO_ROOT / "plugins" / "nyengget_review.py")
    nyengget_review = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(nyengget_review)

    assert nyengget_review.NyenggetReviewPlugin.fastapi_apps[0]["app"] is nyengget_review.review_app
    assert nyengget_review.airflow_identity is airflow_auth.airflow_identity

"""Airflow plugin: the Nyengget review page at /nyengget on the api-server, linked in the navigation."""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from nyengget.orchestration.review_auth import airflow_identity, airflow_login_url
from nyengget.review.app import create_app

review_app = create_app(auth=airflow_identity, login_url=airflow_login_url)


class NyenggetReviewPlugin(AirflowPlugin):
    name = "nyengget_review"
    fastapi_apps = [{"app": review_app, "url_prefix": "/nyengget", "name": "Nyengget — telaah daftar mingguan"}]
    external_views = [{
        "name": "Nyengget",
        "href": "/nyengget/",
        "destination": "nav",
        "url_route": "nyengget",
        "category": "browse",
    }]

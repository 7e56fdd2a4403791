"""The review plugin's adapter to the Airflow api-server's authentication: the only module that imports
api-server internals (`airflow.api_fastapi`), so an Airflow upgrade that moves them is fixed here."""

from __future__ import annotations

from fastapi import HTTPException, Request

from nyengget.review.auth import Identity, NotAuthenticated


async def airflow_identity(request: Request) -> Identity:
    """The user the Airflow api-server authenticated (Bearer header first, then the `_token` cookie)."""
    from airflow.api_fastapi.core_api.security import bearer_scheme, get_user

    credentials = await bearer_scheme(request)
    try:
        user = await get_user(request, None, credentials)
    except HTTPException as exc:
        raise NotAuthenticated(str(exc.detail)) from exc
    return Identity(username=user.get_name(), via_header=credentials is not None)


def airflow_login_url(next_url: str) -> str:
    """Airflow's login page, coming back to `next_url` afterwards."""
    from airflow.api_fastapi.app import get_auth_manager

    return get_auth_manager().get_url_login(next_url=next_url)

"""FastAPI dependencies shared by the pages and the API: the engine and the logged-in viewer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from nyengget.review.auth import Viewer, viewer_for


async def current_viewer(request: Request) -> Viewer:
    """The logged-in user with their scope (raises NotAuthenticated / Forbidden)."""
    identity = await request.app.state.authenticate(request)
    return viewer_for(identity, request.app.state.user_map())


def engine_of(request: Request) -> Engine:
    return request.app.state.engine_factory()


ViewerDep = Annotated[Viewer, Depends(current_viewer)]
EngineDep = Annotated[Engine, Depends(engine_of)]

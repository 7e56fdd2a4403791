"""A source that a retry cannot fix fails its task at once; network and 5xx trouble keeps its retries."""

from __future__ import annotations

import pytest
from werkzeug import Response

from factories import W48
from nyengget.pipeline.sources import SourceBroken, SourceFailed, ingest_one


@pytest.mark.parametrize(("status", "error"), [(404, SourceBroken), (503, SourceFailed)])
def test_a_source_fails_permanently_only_when_a_retry_cannot_help(httpserver, sources_file, status, error):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/berita/").respond_with_response(Response("gone", status=status))
    sources_file(f"""sources:
  - name: ann_broken
    adapter: announcements
    urls: [{httpserver.url_for('/berita/')}]
    pool: nyengget_host_test
    min_delay_s: 0
    options: {{ministry: Test, funding_type: Hibah Daerah, fetch: {{retries: 0, backoff_factor: 0}}}}
""")
    with pytest.raises(error) as info:
        ingest_one("ann_broken", W48)
    assert type(info.value) is error

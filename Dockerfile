# Airflow image with the nyengget package and its pinned requirements (used by docker-compose.yaml).
FROM apache/airflow:3.3.2-python3.11

COPY --chown=airflow:root requirements.txt constraints.txt /opt/nyengget/
RUN pip install --no-cache-dir -r /opt/nyengget/requirements.txt -c /opt/nyengget/constraints.txt

COPY --chown=airflow:root pyproject.toml README.md /opt/nyengget/
COPY --chown=airflow:root include /opt/nyengget/include
RUN pip install --no-cache-dir --no-deps -e /opt/nyengget

"""The planners' review page: a FastAPI app mounted in the Airflow api-server at `/nyengget`."""

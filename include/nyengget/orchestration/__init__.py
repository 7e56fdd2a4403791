"""Airflow glue: DAG support (assets, schedules, quality gates, notifiers, week parameters), pools, the
local Airflow of `make up`, and the review plugin's adapter to api-server internals (the only module that
imports them)."""

"""The bodies of the DAG tasks: plain functions on the configured warehouse, testable without Airflow.

Each returns a small dict (counts) — the only thing that goes to XCom.
"""

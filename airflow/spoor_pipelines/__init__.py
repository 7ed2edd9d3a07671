"""Spoor's pipeline graph (conf/pipelines.json) for schedulers, in plain Python (no Airflow import)."""

from .graph import Job, Pipeline, load_pipelines, parse_duration, airflow_command

__all__ = ["Job", "Pipeline", "load_pipelines", "parse_duration", "airflow_command"]

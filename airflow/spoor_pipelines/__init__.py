"""Spoor's pipeline graph (conf/pipelines.json) for schedulers, in plain Python (no Airflow import)."""

from .graph import (Job, Pipeline, PipelineConfigError, airflow_command, load_pipelines,
                    parse_duration, spark_submit_args)

__all__ = ["Job", "Pipeline", "PipelineConfigError", "airflow_command", "load_pipelines",
           "parse_duration", "spark_submit_args"]

"""Airflow DAGs for Spoor's pipelines: one DAG per pipeline of conf/pipelines.json, one task per job.

A thin wrapper: the graph, schedules and retry policy come from spoor_pipelines (plain Python, tested
without Airflow); each task runs the job's `bin/spoor` command, which submits Spark jobs with
spark-submit (`bin/spoor batch JOB`), so a job runs exactly as it does by hand or under
`bin/spoor run`. Works with Airflow 2.4+ and 3.x.

Deployment: put this file and airflow/spoor_pipelines on the scheduler's DAG path, and set
  SPOOR_HOME          the Spoor checkout or install on the workers (default: two levels above this file)
  SPOOR_SPARK_MASTER  the cluster for Spark jobs, e.g. spark://master:7077 or yarn (default: local[2])
  SPOOR_CONF          a site configuration that includes conf/spoor.conf (see conf/cluster.conf.example)
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(_HERE))

from spoor_pipelines import airflow_command, load_pipelines  # noqa: E402

try:  # Airflow 3
    from airflow.sdk import DAG
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.operators.bash import BashOperator

import pendulum  # noqa: E402  (ships with Airflow)

SPOOR_HOME = os.environ.get("SPOOR_HOME", os.path.dirname(os.path.dirname(_HERE)))
PIPELINES = os.environ.get("SPOOR_PIPELINES", os.path.join(SPOOR_HOME, "conf", "pipelines.json"))
# Passed to every task; only Spark jobs (spark: true) read SPOOR_SPARK_MASTER.
TASK_ENV = {k: v for k, v in os.environ.items() if k.startswith("SPOOR_") or k in ("PATH", "JAVA_HOME", "HOME")}


def build_dags():
    dags = {}
    for pipeline in load_pipelines(PIPELINES):
        dag = DAG(
            dag_id=f"spoor_{pipeline.name}",
            description=pipeline.description,
            schedule=pipeline.schedule,
            start_date=pendulum.datetime(pipeline.start_date.year, pipeline.start_date.month,
                                         pipeline.start_date.day, tz="UTC"),
            catchup=pipeline.catchup,
            max_active_runs=pipeline.max_active_runs,
            default_args={"retries": pipeline.retries, "retry_delay": pipeline.retry_delay,
                          "execution_timeout": pipeline.timeout},
            tags=["spoor"],
        )
        tasks = {}
        for job in pipeline.jobs:
            tasks[job.name] = BashOperator(
                task_id=job.name,
                bash_command=airflow_command(SPOOR_HOME, job),
                env=TASK_ENV,
                append_env=True,
                retries=job.retries,
                dag=dag,
            )
        for upstream, downstream in pipeline.edges():
            tasks[upstream] >> tasks[downstream]
        dags[dag.dag_id] = dag
    return dags


# Airflow discovers DAGs among a module's globals.
globals().update(build_dags())

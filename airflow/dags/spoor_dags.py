"""Airflow DAGs for Spoor's pipelines: one DAG per pipeline of conf/pipelines.json, one task per job.

A thin wrapper: the graph, schedules and retry policy come from spoor_pipelines (plain Python, no Airflow
import). Two variants of the same graph, chosen by SPOOR_AIRFLOW_SUBMIT on the scheduler:

  bin-spoor (default)  every task runs the job's `bin/spoor` command (BashOperator); Spark jobs go
                       through `bin/spoor batch`, i.e. spark-submit on SPOOR_SPARK_MASTER, exactly as
                       by hand or under `bin/spoor run`.
  spark-submit         jobs with `"spark": true` are submitted by SparkSubmitOperator to the Airflow
                       connection SPOOR_SPARK_CONN_ID (default spark_default: its host is the master,
                       e.g. spark://master:7077 or yarn), as the application jar (dist/: the jobs and
                       what Spark does not ship, in one file) with --class BatchMain; the other jobs
                       still run through bin/spoor. The worker needs Spark's spark-submit on its PATH.

Both keep the DAG ids, so a deployment can switch without losing its run history. Tested with Airflow
3.x (python/airflow-requirements.txt); the README says what a worker needs.

Settings (environment of the scheduler/DAG processor):
  SPOOR_HOME               the Spoor install on the workers (default: two levels above this file)
  SPOOR_PIPELINES          the pipelines file (default: SPOOR_HOME/conf/pipelines.json)
  SPOOR_AIRFLOW_SUBMIT     bin-spoor or spark-submit
  SPOOR_SPARK_CONN_ID      spark-submit only: the Spark connection (default spark_default)
  SPOOR_SPARK_APPLICATION  spark-submit only: the application jar (default: SPOOR_HOME/dist/target/spoor-app-*.jar)
"""

import glob
import os
import sys

_HERE = os.path.dirname(os.path.realpath(__file__))  # a symlink in another DAG folder still finds its package
sys.path.insert(0, os.path.dirname(_HERE))

import pendulum  # noqa: E402  (ships with Airflow)
from airflow.providers.standard.operators.bash import BashOperator  # noqa: E402
from airflow.sdk import DAG  # noqa: E402

from spoor_pipelines import airflow_command, load_pipelines, spark_submit_args  # noqa: E402

SPOOR_HOME = os.environ.get("SPOOR_HOME", os.path.dirname(os.path.dirname(_HERE)))
PIPELINES = os.environ.get("SPOOR_PIPELINES", os.path.join(SPOOR_HOME, "conf", "pipelines.json"))
SUBMIT = os.environ.get("SPOOR_AIRFLOW_SUBMIT", "bin-spoor")
if SUBMIT not in ("bin-spoor", "spark-submit"):
    raise ValueError(f"SPOOR_AIRFLOW_SUBMIT: 'bin-spoor' or 'spark-submit', not '{SUBMIT}'")


class SparkApplication:
    """What SparkSubmitOperator submits for a batch job: the application jar and its class."""

    def __init__(self):
        application = os.environ.get("SPOOR_SPARK_APPLICATION")
        if not application:
            jars = glob.glob(os.path.join(SPOOR_HOME, "dist", "target", "spoor-app-*.jar"))
            if not jars:
                raise FileNotFoundError(f"no application jar under {SPOOR_HOME}/dist/target (build Spoor with "
                                        "`mvn -B -DskipTests package`, or set SPOOR_SPARK_APPLICATION)")
            application = jars[0]
        self.application = application
        self.conn_id = os.environ.get("SPOOR_SPARK_CONN_ID", "spark_default")

    def operator(self, job, dag):
        from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
        return SparkSubmitOperator(
            task_id=job.name,
            conn_id=self.conn_id,
            application=self.application,
            java_class="dev.spoor.batch.BatchMain",
            application_args=spark_submit_args(job),
            name=f"spoor-batch-{job.command[1]}",
            env_vars={"SPOOR_HOME": SPOOR_HOME},
            retries=job.retries,
            dag=dag,
        )


def build_dags():
    spark = SparkApplication() if SUBMIT == "spark-submit" else None
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
            if spark and job.spark:
                tasks[job.name] = spark.operator(job, dag)
            else:
                # No env: the task sees the worker's environment (where secrets such as
                # SPOOR_ERASURE_SECRET belong), and nothing of the scheduler's is stored in the DAG.
                tasks[job.name] = BashOperator(task_id=job.name, bash_command=airflow_command(SPOOR_HOME, job),
                                               retries=job.retries, dag=dag)
        for upstream, downstream in pipeline.edges():
            tasks[upstream] >> tasks[downstream]
        dags[dag.dag_id] = dag
    return dags


# Airflow discovers DAGs among a module's globals.
globals().update(build_dags())

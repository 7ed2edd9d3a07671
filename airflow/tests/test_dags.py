"""The DAG file in a real Airflow DagBag builds exactly the graph of conf/pipelines.json: tasks,
dependencies, schedule, catch-up, retries, timeouts and commands, in both variants (bin/spoor and
SparkSubmitOperator). Run with the Airflow environment (python/venv.sh airflow), AIRFLOW_HOME set to a
scratch directory by the caller (AirflowDagsTest)."""

import os
import tempfile
import unittest
from unittest import mock

import pendulum
from airflow.dag_processing.dagbag import DagBag
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import CronTriggerTimetable
from airflow.sdk.execution_time import macros

from spoor_pipelines import load_pipelines

HOME = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DAGS = os.path.join(HOME, "airflow", "dags")
PIPELINES_FILE = os.path.join(HOME, "conf", "pipelines.json")
PIPELINES = load_pipelines(PIPELINES_FILE)


def dag_bag(**env) -> DagBag:
    with mock.patch.dict(os.environ, {"SPOOR_HOME": HOME, **env}):
        return DagBag(dag_folder=DAGS)


def render(task, text, logical_date, run_after=None):
    """A template of the task as Airflow renders it for a run of that logical date (None: a manual run
    of Airflow 3 without one), due at run_after (default: the logical date, as a scheduled run)."""
    run = mock.Mock(logical_date=logical_date, run_after=run_after or logical_date)
    return task.render_template(text, {"dag": task.dag, "dag_run": run, "macros": macros})


class BinSpoorDagsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.bag = dag_bag()

    def test_the_dag_folder_imports_without_errors(self):
        self.assertEqual(self.bag.import_errors, {})
        self.assertEqual(sorted(self.bag.dag_ids), sorted(f"spoor_{p.name}" for p in PIPELINES))

    def test_tasks_and_dependencies_equal_conf(self):
        for pipeline in PIPELINES:
            dag = self.bag.dags[f"spoor_{pipeline.name}"]
            self.assertEqual([t.task_id for t in dag.tasks], [j.name for j in pipeline.jobs], pipeline.name)
            for job in pipeline.jobs:
                task = dag.get_task(job.name)
                self.assertEqual(sorted(task.upstream_task_ids), sorted(job.depends_on), job.name)
                self.assertIsInstance(task, BashOperator)
            # Airflow's own check: a topological order exists.
            self.assertEqual(len(dag.topological_sort()), len(pipeline.jobs))

    def test_schedule_catchup_retries_and_timeouts_equal_conf(self):
        for pipeline in PIPELINES:
            dag = self.bag.dags[f"spoor_{pipeline.name}"]
            # Airflow 3 reads a cron schedule (or preset) as a CronTriggerTimetable in the DAG's zone.
            self.assertEqual(dag.timetable.expression, CronTriggerTimetable(pipeline.schedule, timezone="UTC").expression)
            self.assertEqual(str(dag.timetable.timezone), "UTC")
            self.assertEqual(dag.catchup, pipeline.catchup, pipeline.name)
            self.assertEqual(dag.start_date, pendulum.datetime(pipeline.start_date.year, pipeline.start_date.month,
                                                               pipeline.start_date.day, tz="UTC"))
            self.assertEqual(dag.max_active_runs, pipeline.max_active_runs)
            for job in pipeline.jobs:
                task = dag.get_task(job.name)
                self.assertEqual(task.retries, job.retries, job.name)
                self.assertEqual(task.retry_delay, pipeline.retry_delay, job.name)
                self.assertEqual(task.execution_timeout, pipeline.timeout, job.name)

    def test_a_daily_run_covers_the_last_full_day(self):
        # The daily run of 16 November (due at 02:30) computes as of the 15th; so does a run triggered by
        # hand on the 16th without a logical date.
        task = self.bag.dags["spoor_daily"].get_task("features")
        tick = pendulum.datetime(2026, 11, 16, 2, 30, tz="UTC")
        self.assertEqual(render(task, task.bash_command, tick),
                         f"{HOME}/bin/spoor batch features --run-id spoor_daily-20261116T023000 --as-of 2026-11-15")
        by_hand = pendulum.datetime(2026, 11, 16, 9, 41, 7, tz="UTC")
        self.assertEqual(render(task, task.bash_command, None, by_hand),
                         f"{HOME}/bin/spoor batch features --run-id spoor_daily-20261116T094107 --as-of 2026-11-15")


class ExistingDagFolderTest(unittest.TestCase):
    def test_a_symlink_to_the_dag_file_in_another_dag_folder_loads_the_same_dags(self):
        # The README's step for an existing deployment: link spoor_dags.py into its DAG folder.
        folder = tempfile.mkdtemp()
        os.symlink(os.path.join(DAGS, "spoor_dags.py"), os.path.join(folder, "spoor_dags.py"))
        with mock.patch.dict(os.environ):
            os.environ.pop("SPOOR_HOME", None)
            bag = DagBag(dag_folder=folder)
        self.assertEqual(bag.import_errors, {})
        self.assertEqual(sorted(bag.dag_ids), sorted(f"spoor_{p.name}" for p in PIPELINES))
        task = bag.dags["spoor_hourly"].get_task("land")
        self.assertEqual(task.bash_command, f"{HOME}/bin/spoor land")


class SparkSubmitDagsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.application = os.path.join(tempfile.mkdtemp(), "spoor-app-0.1.0.jar")
        cls.bag = dag_bag(SPOOR_AIRFLOW_SUBMIT="spark-submit", SPOOR_SPARK_APPLICATION=cls.application,
                          SPOOR_SPARK_CONN_ID="spark_cluster")

    def test_spark_jobs_are_submitted_and_the_others_still_run_bin_spoor(self):
        self.assertEqual(self.bag.import_errors, {})
        for pipeline in PIPELINES:
            dag = self.bag.dags[f"spoor_{pipeline.name}"]
            self.assertEqual([t.task_id for t in dag.tasks], [j.name for j in pipeline.jobs])
            for job in pipeline.jobs:
                task = dag.get_task(job.name)
                self.assertIsInstance(task, SparkSubmitOperator if job.spark else BashOperator, job.name)
                self.assertEqual(sorted(task.upstream_task_ids), sorted(job.depends_on), job.name)
                self.assertEqual(task.retries, job.retries, job.name)

    def test_a_batch_job_is_the_application_jar_with_its_arguments_and_nothing_to_ship(self):
        task = self.bag.dags["spoor_daily"].get_task("sessionize")
        self.assertEqual(task._conn_id, "spark_cluster")
        self.assertEqual(task.application, self.application)
        self.assertEqual(task._java_class, "dev.spoor.batch.BatchMain")
        self.assertIsNone(task.jars)
        due = pendulum.datetime(2026, 11, 16, 2, 30, tz="UTC")
        self.assertEqual([render(task, a, due) for a in task.application_args],
                         ["sessionize", "--run-id", "spoor_daily-20261116T023000", "--as-of", "2026-11-15"])

    def test_the_spark_connection_makes_the_spark_submit_command_line(self):
        # Airflow's own hook builds the command from the connection (defined here by environment, as
        # AIRFLOW_CONN_<ID> is on a worker): the master is the connection's host.
        task = self.bag.dags["spoor_daily"].get_task("publish")
        with mock.patch.dict(os.environ, {"AIRFLOW_CONN_SPARK_CLUSTER": "spark://spark-master.internal:7077"}):
            command = task._get_hook()._build_spark_submit_command(task.application)
        self.assertEqual(command[:3], ["spark-submit", "--master", "spark://spark-master.internal:7077"])
        self.assertNotIn("--jars", command)
        self.assertEqual(command[command.index("--name") + 1], "spoor-batch-publish")
        self.assertEqual(command[command.index("--class"):][:5],
                         ["--class", "dev.spoor.batch.BatchMain", self.application, "publish", "--run-id"])

    def test_the_default_application_is_the_built_application_jar(self):
        home = tempfile.mkdtemp()
        os.makedirs(os.path.join(home, "dist", "target"))
        assembly = os.path.join(home, "dist", "target", "spoor-app-0.1.0.jar")
        open(assembly, "w").close()
        bag = dag_bag(SPOOR_AIRFLOW_SUBMIT="spark-submit", SPOOR_HOME=home, SPOOR_PIPELINES=PIPELINES_FILE)
        self.assertEqual(bag.import_errors, {})
        self.assertEqual(bag.dags["spoor_daily"].get_task("features").application, assembly)

    def test_an_unknown_variant_is_an_import_error_naming_the_setting(self):
        bag = dag_bag(SPOOR_AIRFLOW_SUBMIT="kubernetes")
        self.assertEqual(len(bag.import_errors), 1)
        self.assertIn("SPOOR_AIRFLOW_SUBMIT", next(iter(bag.import_errors.values())))


if __name__ == "__main__":
    unittest.main()

"""The DAG file builds exactly the graph of conf/pipelines.json (tasks, dependencies, policy, commands)."""

import datetime
import importlib.util
import os
import unittest

from spoor_pipelines import airflow_command, load_pipelines
from tests import fake_airflow

HOME = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DAG_FILE = os.path.join(HOME, "airflow", "dags", "spoor_dags.py")


def import_dags():
    fake_airflow.install()
    os.environ["SPOOR_HOME"] = HOME
    spec = importlib.util.spec_from_file_location("spoor_dags_under_test", DAG_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class DagsMatchConfTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.module = import_dags()
        cls.pipelines = load_pipelines(os.path.join(HOME, "conf", "pipelines.json"))

    def test_one_dag_per_pipeline(self):
        dag_ids = sorted(k for k, v in vars(self.module).items() if isinstance(v, fake_airflow.DAG))
        self.assertEqual(dag_ids, sorted(f"spoor_{p.name}" for p in self.pipelines))

    def test_tasks_and_dependencies_equal_conf(self):
        for pipeline in self.pipelines:
            dag = getattr(self.module, f"spoor_{pipeline.name}")
            self.assertEqual(list(dag.tasks), [j.name for j in pipeline.jobs], pipeline.name)
            for job in pipeline.jobs:
                self.assertEqual(sorted(dag.tasks[job.name].upstream), sorted(job.depends_on), job.name)

    def test_schedule_catchup_and_retries_equal_conf(self):
        for pipeline in self.pipelines:
            dag = getattr(self.module, f"spoor_{pipeline.name}")
            self.assertEqual(dag.kwargs["schedule"], pipeline.schedule)
            self.assertEqual(dag.kwargs["catchup"], pipeline.catchup)
            self.assertEqual(dag.kwargs["start_date"].date(), pipeline.start_date)
            self.assertEqual(dag.kwargs["default_args"]["retry_delay"], pipeline.retry_delay)
            self.assertEqual(dag.kwargs["default_args"]["execution_timeout"], pipeline.timeout)
            for job in pipeline.jobs:
                self.assertEqual(dag.tasks[job.name].kwargs["retries"], job.retries)

    def test_each_task_runs_its_bin_spoor_command(self):
        daily = next(p for p in self.pipelines if p.name == "daily")
        dag = self.module.spoor_daily
        for job in daily.jobs:
            self.assertEqual(dag.tasks[job.name].bash_command, airflow_command(HOME, job))
        self.assertTrue(dag.tasks["publish"].bash_command.endswith(
            "batch publish --run-id {{ dag.dag_id }}-{{ ts_nodash }}"))


if __name__ == "__main__":
    unittest.main()

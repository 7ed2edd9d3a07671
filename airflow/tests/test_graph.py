"""The graph logic the DAGs are built from, on the shipped conf/pipelines.json and on broken files."""

import datetime
import json
import os
import tempfile
import unittest

from spoor_pipelines import airflow_command, load_pipelines, parse_duration
from spoor_pipelines.graph import PipelineConfigError

HOME = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONF = os.path.join(HOME, "conf", "pipelines.json")


def write(doc) -> str:
    f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump(doc, f)
    f.close()
    return f.name


def pipeline(jobs):
    return {"pipelines": [{"name": "p", "schedule": "@daily", "start-date": "2026-11-01", "catchup": False,
                           "retries": 1, "retry-delay": "1m", "timeout": "1h", "jobs": jobs}]}


class ShippedPipelinesTest(unittest.TestCase):
    def setUp(self):
        self.pipelines = {p.name: p for p in load_pipelines(CONF)}

    def test_hourly_daily_and_maintenance_are_declared(self):
        self.assertEqual(list(self.pipelines), ["hourly", "daily", "maintenance"])
        self.assertEqual(self.pipelines["hourly"].order(), ["land", "clean"])
        self.assertEqual(self.pipelines["daily"].order(),
                         ["sessionize", "funnels", "features", "score", "segments", "publish"])
        self.assertEqual(self.pipelines["maintenance"].order(), ["compact", "vacuum", "archive"])

    def test_daily_edges_are_the_data_dependencies(self):
        self.assertEqual(self.pipelines["daily"].edges(), [
            ("sessionize", "features"), ("funnels", "features"), ("features", "score"),
            ("score", "segments"), ("segments", "publish")])

    def test_retry_policy_and_schedule(self):
        daily = self.pipelines["daily"]
        self.assertEqual(daily.schedule, "30 2 * * *")
        self.assertTrue(daily.catchup)
        self.assertEqual(daily.retry_delay, datetime.timedelta(minutes=10))
        self.assertEqual(daily.job("publish").retries, 4)
        self.assertEqual(daily.job("score").retries, daily.retries)
        self.assertFalse(self.pipelines["hourly"].catchup)

    def test_airflow_command_fills_templates(self):
        features = self.pipelines["daily"].job("features")
        self.assertEqual(airflow_command("/opt/spoor", features),
                         "/opt/spoor/bin/spoor batch features --run-id "
                         "{{ dag.dag_id }}-{{ (dag_run.logical_date or dag_run.run_after) | ts_nodash }} "
                         "--as-of {{ macros.ds_add((dag_run.logical_date or dag_run.run_after) | ds, -1) }}")


class BrokenPipelinesTest(unittest.TestCase):
    def assert_rejected(self, doc, *fragments):
        with self.assertRaises(PipelineConfigError) as caught:
            load_pipelines(write(doc))
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))

    def test_unknown_dependency(self):
        self.assert_rejected(pipeline([{"name": "a", "command": ["land"]},
                                       {"name": "b", "command": ["land"], "depends-on": ["c"]}]),
                             "pipelines[0].jobs[1].depends-on", "'c'")

    def test_cycle(self):
        self.assert_rejected(pipeline([{"name": "a", "command": ["land"], "depends-on": ["c"]},
                                       {"name": "b", "command": ["land"], "depends-on": ["a"]},
                                       {"name": "c", "command": ["land"], "depends-on": ["b"]}]),
                             "a -> c -> b -> a")

    def test_unknown_placeholder(self):
        self.assert_rejected(pipeline([{"name": "a", "command": ["batch", "clean", "--run-id", "{runid}"]}]),
                             "runid")

    def test_duplicate_job(self):
        self.assert_rejected(pipeline([{"name": "a", "command": ["land"]}, {"name": "a", "command": ["land"]}]),
                             "jobs[1].name")

    def test_missing_key(self):
        doc = pipeline([{"name": "a", "command": ["land"]}])
        del doc["pipelines"][0]["retry-delay"]
        self.assert_rejected(doc, "pipelines[0].retry-delay: missing")

    def test_durations(self):
        self.assertEqual(parse_duration("90s", "k"), datetime.timedelta(seconds=90))
        self.assertEqual(parse_duration("3h", "k"), datetime.timedelta(hours=3))
        with self.assertRaises(PipelineConfigError):
            parse_duration("soon", "k")


if __name__ == "__main__":
    unittest.main()

"""Reads conf/pipelines.json, the one declaration of Spoor's pipelines, into plain objects.

The Airflow DAGs (airflow/dags/spoor_dags.py) are a thin wrapper around this module; `bin/spoor run`
(Java) reads the same file. This module imports nothing outside the standard library (a worker's
Airflow brings its own versions of everything else). Validation mirrors the Java reader: unique names,
known dependencies, no cycles, known placeholders.

Run as a program, the package prints the graph as JSON: python3 -m spoor_pipelines conf/pipelines.json
"""

import datetime
import json
import os
import re
import shlex
from dataclasses import dataclass, field
from typing import Dict, List, Optional

PLACEHOLDERS = ("run_id", "as_of")
# How each placeholder is filled in by Airflow, from the run's date (its logical date: the cron tick of a
# scheduled or caught-up run, the date asked for in a manual or test run; else, for a manual run of
# Airflow 3 without one, when it was triggered): a run id bin/spoor accepts (letters, digits, . _ -),
# and as-of = the day before, the last full UTC day the run can see. Not `ds`: Airflow 3 schedules a
# cron expression with CronTriggerTimetable, whose logical date is the tick itself, so `ds` would be
# the day that has only just begun (Airflow 2's interval timetable made it the day before).
_RUN_DATE = "(dag_run.logical_date or dag_run.run_after)"
AIRFLOW_TEMPLATES = {
    "run_id": "{{ dag.dag_id }}-{{ %s | ts_nodash }}" % _RUN_DATE,
    "as_of": "{{ macros.ds_add(%s | ds, -1) }}" % _RUN_DATE,
}
_PLACEHOLDER = re.compile(r"\{([^}]*)\}")
_DURATION = re.compile(r"^\s*(\d+)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 0.001}


class PipelineConfigError(ValueError):
    """conf/pipelines.json is not valid; the message names the key."""


@dataclass(frozen=True)
class Job:
    name: str
    command: List[str]
    depends_on: List[str] = field(default_factory=list)
    spark: bool = False
    retries: int = 0

    def render(self, values: Dict[str, str]) -> List[str]:
        """The command with its placeholders replaced by values[name]."""
        return [_PLACEHOLDER.sub(lambda m: values[m.group(1)], arg) for arg in self.command]


@dataclass(frozen=True)
class Pipeline:
    name: str
    description: str
    schedule: str
    start_date: datetime.date
    catchup: bool
    max_active_runs: int
    retries: int
    retry_delay: datetime.timedelta
    timeout: datetime.timedelta
    jobs: List[Job]

    def job(self, name: str) -> Job:
        return next(j for j in self.jobs if j.name == name)

    def edges(self) -> List[tuple]:
        """(upstream, downstream) pairs, in declaration order."""
        return [(dep, j.name) for j in self.jobs for dep in j.depends_on]

    def order(self) -> List[str]:
        """Dependencies first; among jobs ready together, declaration order (as bin/spoor run)."""
        done: List[str] = []
        while len(done) < len(self.jobs):
            ready = [j.name for j in self.jobs if j.name not in done and all(d in done for d in j.depends_on)]
            if not ready:
                raise PipelineConfigError(f"pipeline {self.name}: the dependencies have a cycle")
            done.append(ready[0])
        return done


def parse_duration(text: str, key: str) -> datetime.timedelta:
    """A HOCON-style duration as conf/ writes them: 90s, 10m, 3h, 1d (a bare number is milliseconds)."""
    match = _DURATION.match(str(text))
    if not match:
        raise PipelineConfigError(f"{key}: '{text}' is not a duration such as 10m")
    seconds = int(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise PipelineConfigError(f"{key}: '{text}' must be positive")
    return datetime.timedelta(seconds=seconds)


def _require(obj: dict, key: str, where: str, kind):
    if key not in obj:
        raise PipelineConfigError(f"{where}.{key}: missing")
    value = obj[key]
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        raise PipelineConfigError(f"{where}.{key}: {value!r} is not a {kind.__name__}")
    return value


def _name(obj: dict, where: str) -> str:
    value = _require(obj, "name", where, str)
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", value):
        raise PipelineConfigError(f"{where}.name: '{value}' is not a lower-case name (letters, digits, _)")
    return value


def _cycle(jobs: List[Job]) -> Optional[str]:
    upstream = {j.name: j.depends_on for j in jobs}
    state: Dict[str, int] = {}

    def visit(name, path):
        if state.get(name) == 2:
            return None
        path = path + [name]
        if state.get(name) == 1:
            return " -> ".join(path[path.index(name):])
        state[name] = 1
        for dep in upstream[name]:
            found = visit(dep, path)
            if found:
                return found
        state[name] = 2
        return None

    for job in jobs:
        found = visit(job.name, [])
        if found:
            return found
    return None


def _pipeline(obj: dict, where: str) -> Pipeline:
    name = _name(obj, where)
    retries = _require(obj, "retries", where, int)
    jobs: List[Job] = []
    for i, raw in enumerate(_require(obj, "jobs", where, list)):
        at = f"{where}.jobs[{i}]"
        job_name = _name(raw, at)
        if any(j.name == job_name for j in jobs):
            raise PipelineConfigError(f"{at}.name: '{job_name}' is used twice in pipeline {name}")
        command = _require(raw, "command", at, list)
        if not command or not all(isinstance(a, str) for a in command):
            raise PipelineConfigError(f"{at}.command: expected a bin/spoor command such as [\"batch\", \"clean\"]")
        unknown = sorted({m for a in command for m in _PLACEHOLDER.findall(a)} - set(PLACEHOLDERS))
        if unknown:
            raise PipelineConfigError(f"{at}.command: placeholders among {list(PLACEHOLDERS)}, not {unknown}")
        jobs.append(Job(job_name, list(command), list(raw.get("depends-on", [])), bool(raw.get("spark", False)),
                        int(raw.get("retries", retries))))
    if not jobs:
        raise PipelineConfigError(f"{where}.jobs: at least one job")
    names = [j.name for j in jobs]
    for i, job in enumerate(jobs):
        for dep in job.depends_on:
            if dep not in names:
                raise PipelineConfigError(f"{where}.jobs[{i}].depends-on: '{dep}' is not one of {names}")
    cycle = _cycle(jobs)
    if cycle:
        raise PipelineConfigError(f"{where}.jobs: the dependencies have a cycle: {cycle}")
    try:
        start = datetime.date.fromisoformat(_require(obj, "start-date", where, str))
    except ValueError:
        raise PipelineConfigError(f"{where}.start-date: '{obj['start-date']}' is not a date such as 2026-11-01")
    return Pipeline(name=name, description=obj.get("description", ""), schedule=_require(obj, "schedule", where, str),
                    start_date=start, catchup=_require(obj, "catchup", where, bool),
                    max_active_runs=int(obj.get("max-active-runs", 1)), retries=retries,
                    retry_delay=parse_duration(_require(obj, "retry-delay", where, str), f"{where}.retry-delay"),
                    timeout=parse_duration(_require(obj, "timeout", where, str), f"{where}.timeout"), jobs=jobs)


def load_pipelines(path: str) -> List[Pipeline]:
    """Every pipeline of the file, validated; raises PipelineConfigError naming the key."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise PipelineConfigError(f"{path}: {e}")
    pipelines: List[Pipeline] = []
    for i, raw in enumerate(_require(doc, "pipelines", path, list)):
        pipeline = _pipeline(raw, f"pipelines[{i}]")
        if any(p.name == pipeline.name for p in pipelines):
            raise PipelineConfigError(f"pipelines[{i}].name: '{pipeline.name}' is used twice")
        pipelines.append(pipeline)
    return pipelines


def airflow_command(spoor_home: str, job: Job) -> str:
    """The bash command an Airflow task runs: bin/spoor with the job's arguments, Airflow templates in."""
    args = job.render(AIRFLOW_TEMPLATES)
    # Templates must reach Airflow's Jinja unquoted-but-safe: they expand to [A-Za-z0-9._-] and dates.
    quoted = [a if a in AIRFLOW_TEMPLATES.values() else shlex.quote(a) for a in args]
    return " ".join([shlex.quote(f"{spoor_home}/bin/spoor")] + quoted)


def spark_submit_args(job: Job) -> List[str]:
    """The application arguments of a Spark job submitted as BatchMain (the cluster variant of the DAGs):
    its `batch JOB ...` command without `batch`, Airflow templates in."""
    if not job.spark or job.command[0] != "batch":
        raise PipelineConfigError(f"job {job.name}: only `batch` jobs with spark: true are submitted as BatchMain")
    return job.render(AIRFLOW_TEMPLATES)[1:]


def as_json(pipelines: List[Pipeline]) -> dict:
    """The graph as {pipeline: {"order": [...], "edges": [[up, down], ...]}} (compared with Java's in CI)."""
    return {p.name: {"order": p.order(), "edges": [list(e) for e in p.edges()],
                     "schedule": p.schedule, "retries": {j.name: j.retries for j in p.jobs}} for p in pipelines}


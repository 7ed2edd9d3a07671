"""A stand-in for the few Airflow names the DAG file uses, recording what it builds.

Airflow cannot be installed where Spoor is built (no PyPI), so the DAG file is imported against this
recorder to check the tasks, dependencies and arguments it produces. It checks our wrapper, not Airflow.
"""

import sys
import types


class DAG:
    def __init__(self, dag_id, **kwargs):
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.tasks = {}


class BashOperator:
    def __init__(self, task_id, bash_command, dag, **kwargs):
        self.task_id = task_id
        self.bash_command = bash_command
        self.kwargs = kwargs
        self.upstream = []
        dag.tasks[task_id] = self

    def __rshift__(self, other):
        other.upstream.append(self.task_id)
        return other


def install():
    """Registers airflow, airflow.operators.bash and pendulum modules backed by the recorder."""
    airflow = types.ModuleType("airflow")
    airflow.DAG = DAG
    operators = types.ModuleType("airflow.operators")
    bash = types.ModuleType("airflow.operators.bash")
    bash.BashOperator = BashOperator
    pendulum = types.ModuleType("pendulum")
    import datetime
    pendulum.datetime = lambda y, m, d, tz: datetime.datetime(y, m, d, tzinfo=datetime.timezone.utc)
    sys.modules.update({"airflow": airflow, "airflow.operators": operators, "airflow.operators.bash": bash,
                        "pendulum": pendulum})

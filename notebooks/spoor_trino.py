"""Trino from a notebook: SQL over Spoor's lake into a pandas DataFrame.

Uses the Trino JDBC driver through JPype's DB-API (Debian's python3-jpype; PyPI's `trino` client is not
installable where Spoor is built). Where to connect comes from the environment `bin/spoor notebooks`
sets, defaulting to the local stack:
  SPOOR_TRINO_URL       jdbc:trino://127.0.0.1:8080
  SPOOR_TRINO_CATALOG   delta
  SPOOR_TRINO_SCHEMA    spoor
  SPOOR_TRINO_JDBC_JAR  the trino-jdbc jar (default: the one in ~/.m2 that Spoor's build resolved)
"""

import decimal
import glob
import os
import re

import jpype
import jpype.dbapi2 as dbapi2
import pandas as pd

HOME = os.environ.get("SPOOR_HOME", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JPYPE_JAR = "/usr/share/java/org.jpype.jar"


def _jdbc_jar() -> str:
    jar = os.environ.get("SPOOR_TRINO_JDBC_JAR")
    if jar:
        return jar
    found = sorted(glob.glob(os.path.expanduser("~/.m2/repository/io/trino/trino-jdbc/*/trino-jdbc-*.jar")))
    if not found:
        raise RuntimeError("no trino-jdbc jar: build Spoor first (mvn -B -DskipTests package) or set SPOOR_TRINO_JDBC_JAR")
    return found[-1]


def connect():
    """A DB-API connection to Trino, catalog and schema of the lake selected."""
    if not jpype.isJVMStarted():
        jpype.startJVM(classpath=[_jdbc_jar(), JPYPE_JAR], convertStrings=True)
    url = os.environ.get("SPOOR_TRINO_URL", "jdbc:trino://127.0.0.1:8080").rstrip("/")
    catalog = os.environ.get("SPOOR_TRINO_CATALOG", "delta")
    schema = os.environ.get("SPOOR_TRINO_SCHEMA", "spoor")
    return dbapi2.connect(f"{url}/{catalog}/{schema}", driver="io.trino.jdbc.TrinoDriver",
                          driver_args={"user": "spoor"})


def query(sql: str) -> pd.DataFrame:
    """Runs one statement and returns its rows."""
    with connect() as connection:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            columns = [d[0] for d in cursor.description]
            frame = pd.DataFrame(cursor.fetchall(), columns=columns)
    # Trino DECIMALs arrive as decimal.Decimal; plots and arithmetic want floats.
    for column in frame.columns:
        values = frame[column].dropna()
        if len(values) and all(isinstance(v, decimal.Decimal) for v in values):
            frame[column] = frame[column].astype(float)
    return frame


def ready_query(name: str) -> str:
    """A ready query of conf/queries/NAME.sql, without comments and the final ';' (JDBC takes one statement)."""
    with open(os.path.join(HOME, "conf", "queries", name + ".sql"), encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"--[^\n]*", "", text).strip()
    return text[:-1] if text.endswith(";") else text

"""Spoor's lake from a notebook: SQL on Trino into pandas, or the Delta tables read directly.

Trino through its official Python client (`trino`, DB-API; pandas through its SQLAlchemy dialect).
Where to connect comes from the environment `bin/spoor notebooks` sets, defaulting to the local stack:
  SPOOR_TRINO_URL       jdbc:trino://127.0.0.1:8080 (or http://host:port)
  SPOOR_TRINO_USER      spoor
  SPOOR_TRINO_PASSWORD  for a Trino that authenticates: then HTTPS, verified against
  SPOOR_TRINO_TRUST_CERTIFICATE  a PEM certificate or CA (default: the system's)
  SPOOR_TRINO_CATALOG   delta
  SPOOR_TRINO_SCHEMA    spoor
  SPOOR_LAKE_ROOT       the lake's directory (default: var/lake of the checkout)
"""

import decimal
import os
import re
from urllib.parse import urlparse

import pandas as pd
import requests
import trino
import trino.auth
from sqlalchemy import create_engine

HOME = os.environ.get("SPOOR_HOME", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _server() -> tuple:
    url = os.environ.get("SPOOR_TRINO_URL", "jdbc:trino://127.0.0.1:8080")
    parsed = urlparse(url.removeprefix("jdbc:").replace("trino://", "http://", 1))
    return parsed.hostname or "127.0.0.1", parsed.port or 8080


def _catalog_schema() -> tuple:
    return os.environ.get("SPOOR_TRINO_CATALOG", "delta"), os.environ.get("SPOOR_TRINO_SCHEMA", "spoor")


def _login() -> dict:
    """The user, and for a Trino that authenticates, HTTPS with the password and what to verify it by."""
    login = {"user": os.environ.get("SPOOR_TRINO_USER", "spoor")}
    password = os.environ.get("SPOOR_TRINO_PASSWORD")
    if password:
        login["http_scheme"] = "https"
        login["auth"] = trino.auth.BasicAuthentication(login["user"], password)
        certificate = os.environ.get("SPOOR_TRINO_TRUST_CERTIFICATE")
        if certificate:
            # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE of the environment override a session's
            # own CA file: a session that ignores the environment verifies against this one.
            session = requests.Session()
            session.trust_env = False
            session.verify = certificate
            login["http_session"] = session
    return login


def connect():
    """A DB-API connection to Trino, catalog and schema of the lake selected."""
    host, port = _server()
    catalog, schema = _catalog_schema()
    return trino.dbapi.connect(host=host, port=port, catalog=catalog, schema=schema, **_login())


def engine():
    """A SQLAlchemy engine on Trino, for pandas.read_sql."""
    host, port = _server()
    catalog, schema = _catalog_schema()
    login = _login()
    user = login.pop("user")
    return create_engine(f"trino://{user}@{host}:{port}/{catalog}/{schema}", connect_args=login)


def query(sql: str) -> pd.DataFrame:
    """Runs one statement and returns its rows (pandas.read_sql over the SQLAlchemy dialect)."""
    with engine().connect() as connection:
        frame = pd.read_sql(sql, connection)
    # Trino DECIMALs arrive as decimal.Decimal; plots and arithmetic want floats.
    for column in frame.columns:
        values = frame[column].dropna()
        if len(values) and all(isinstance(v, decimal.Decimal) for v in values):
            frame[column] = frame[column].astype(float)
    return frame


def ready_query(name: str) -> str:
    """A ready query of conf/queries/NAME.sql, without comments and the final ';' (one statement)."""
    with open(os.path.join(HOME, "conf", "queries", name + ".sql"), encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"--[^\n]*", "", text).strip()
    return text[:-1] if text.endswith(";") else text


def lake_table(name: str) -> str:
    """The directory of a lake table, for reading it directly (deltalake)."""
    root = os.environ.get("SPOOR_LAKE_ROOT", os.path.join(HOME, "var", "lake"))
    return os.path.join(root if os.path.isabs(root) else os.path.join(HOME, root), name)

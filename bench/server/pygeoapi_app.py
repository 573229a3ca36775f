"""pygeoapi's Starlette app for gunicorn (uvicorn workers), with an sqlite3 that can load SpatiaLite.

pygeoapi's SQLiteGPKG provider calls `enable_load_extension`, which a Python built without
`--enable-loadable-sqlite-extensions` (pyenv's default) lacks; pysqlite3 (PyPI, pysqlite3-binary) has it. The provider
imports `sqlite3`, so pysqlite3 is put in its place before pygeoapi is imported. PYGEOAPI_CONFIG and
PYGEOAPI_OPENAPI must be set (run.py does). `python pygeoapi_app.py ARGS…` runs pygeoapi's command line the same way
(`openapi generate` opens every provider)."""
import sqlite3
import sys

if not hasattr(sqlite3.Connection, "enable_load_extension"):
    import pysqlite3

    sys.modules["sqlite3"] = pysqlite3

if __name__ == "__main__":
    from pygeoapi import cli

    sys.argv[0] = "pygeoapi"
    sys.exit(cli())

from pygeoapi.starlette_app import APP  # noqa: E402

__all__ = ["APP"]

"""Alembic's environment for GridWatch stores: always given an open connection by data/store/migrate.py
(there is no alembic.ini; the URL never passes through a file)."""

from alembic import context

from data.store.models import Base

connection = context.config.attributes["connection"]
# SQLite cannot alter most of a table in place: batch mode rebuilds it (data/store/migrate.py then
# restores the GeoPackage parts a rebuild drops: R-tree triggers, append-only triggers).
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite", transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()

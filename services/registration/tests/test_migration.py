"""The migrations build exactly the tables the models describe (alembic finds nothing to add)."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from services.registration.service import SERVICE


def test_the_migrations_build_exactly_the_models_on_sqlite(runtime):
    with runtime.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SERVICE.base.metadata) == []

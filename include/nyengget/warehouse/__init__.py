"""The warehouse: SQLAlchemy Core schema, Alembic migrations, engine and transactional writes."""

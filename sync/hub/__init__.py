"""The county hub (县级平台): FastAPI app, its own database and Alembic history."""

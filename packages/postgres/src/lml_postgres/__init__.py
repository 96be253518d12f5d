"""PostgreSQL pool factory and the migration runner."""

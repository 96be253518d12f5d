#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised: creates the application
# role with its password. Migration 0001 finds it and only grants it what it needs.
set -eu
psql --set ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     --set app_password="$LML_DATABASE_APP_PASSWORD" <<'SQL'
create role lml_app login nosuperuser nobypassrls nocreatedb nocreaterole
    password :'app_password';
SQL

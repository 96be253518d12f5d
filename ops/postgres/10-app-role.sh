#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised, as the image's superuser:
# creates the owner of the lml database (an ordinary role, as on managed PostgreSQL: no
# superuser, no BYPASSRLS) and the application role. Migration 0001 finds lml_app and
# only grants it what it needs; migrations run as lml_owner.
set -eu
psql --set ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     --set owner_password="$DB_OWNER_PASSWORD" --set app_password="$DB_APP_PASSWORD" \
     --set database="$POSTGRES_DB" <<'SQL'
create role lml_owner login nosuperuser nobypassrls nocreatedb nocreaterole
    password :'owner_password';
create role lml_app login nosuperuser nobypassrls nocreatedb nocreaterole
    password :'app_password';
alter database :"database" owner to lml_owner;
alter schema public owner to lml_owner;
SQL

#!/bin/sh
# Run by the postgres image on its first start (it runs *.sh in /docker-entrypoint-initdb.d and skips
# roles.psql, which it does not recognize). Creates the owner and application roles: see roles.psql.
set -eu
psql --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner=represalia_owner -v owner_password="$REPRESALIA_OWNER_PASSWORD" \
  -v app=represalia_app -v app_password="$REPRESALIA_APP_PASSWORD" \
  -v db="$POSTGRES_DB" \
  -f /docker-entrypoint-initdb.d/roles.psql

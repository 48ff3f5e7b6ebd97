-- One database per service, because each service owns its data and reaches no other's tables.
-- PostgreSQL's image runs this once, when the postgres-data volume is first created; `kx migrate`
-- then creates the tables.
CREATE DATABASE registration OWNER kx;
CREATE DATABASE notifications OWNER kx;
CREATE DATABASE learning OWNER kx;
CREATE DATABASE expenses OWNER kx;

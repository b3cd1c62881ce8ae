-- One database per service that owns data (appraisal, feedback, reporting,
-- webhooks); the gateway keeps
-- none. Run once by the postgres image (/docker-entrypoint-initdb.d) on an empty data
-- directory, as POSTGRES_USER, who owns the four databases. Tables are created by each
-- service's own migrations (`kinerja-<service> migrate`), never here.
CREATE DATABASE appraisal;
CREATE DATABASE feedback;
CREATE DATABASE reporting;
CREATE DATABASE webhooks;

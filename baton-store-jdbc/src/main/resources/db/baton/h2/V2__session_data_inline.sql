-- Session data as an inline character string instead of a CLOB. H2 keeps CLOBs in a separate LOB map,
-- and every commit then asks its LOB cleaner to run (measured: about 8% of a migration's CPU, see
-- docs/benchmarks.md). An encoded session is a few kilobytes; one over a million characters is refused
-- by the database with an error naming this column.
ALTER TABLE ${prefix}sessions ALTER COLUMN session_data SET DATA TYPE CHARACTER VARYING(1000000);

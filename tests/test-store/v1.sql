-- SPDX-License-Identifier: GPL-3.0-or-later
-- A moa result store of schema version 1 (core/moa-store.c, migrations[0]), with one complete
-- run of two procedures, for tests/test-store.c: it is opened, migrated to version 2, and its
-- data must survive. Built into a binary .db by the sqlite3 CLI (tests/meson.build).
-- Every number is made up and chosen to be summed by hand:
--   p-uno (area "anagrafe", scenario "s-uno" = the programme): before 1000 (citizens 400 EUR and
--     20 h, businesses 600), after 700 (citizens 300 EUR and 15 h, businesses 400);
--   p-due (area "commercio", no scenario): 500 (citizens 100 EUR and 10 h, businesses 400);
--   programme: before 1500, after 1200, saving 300 (20 %); citizens' hours 30 -> 25.
--   Territories: provinces MI (share 0.6) and BG (share 0.4) of both procedures, and the
--   municipality 015146 (not a province, so not in the report's provinces).

BEGIN;
CREATE TABLE run (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'complete')),
  catalog_id TEXT NOT NULL CHECK (catalog_id <> ''),
  catalog_title_it TEXT,
  catalog_title_en TEXT,
  catalog_file TEXT NOT NULL,
  catalog_sha256 TEXT NOT NULL CHECK (length (catalog_sha256) = 64),
  inputs_sha256 TEXT NOT NULL CHECK (length (inputs_sha256) = 64),
  moa_version TEXT NOT NULL,
  seed INTEGER NOT NULL,
  iterations INTEGER NOT NULL CHECK (iterations >= 0),
  cost_model TEXT NOT NULL,
  cost_model_version TEXT,
  price_year INTEGER NOT NULL,
  currency TEXT NOT NULL CHECK (currency <> ''),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  units_total INTEGER NOT NULL CHECK (units_total >= 0),
  CHECK ((status = 'complete') = (finished_at IS NOT NULL))
);
CREATE TABLE input_file (
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  role TEXT NOT NULL
    CHECK (role IN ('catalog', 'territories', 'procedure', 'scenario', 'cost-model')),
  sha256 TEXT NOT NULL CHECK (length (sha256) = 64),
  PRIMARY KEY (run_id, path)
) WITHOUT ROWID;
CREATE TABLE territory (
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  territory_id TEXT NOT NULL CHECK (territory_id <> ''),
  ordinal INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('region', 'province', 'municipality', 'other')),
  parent_id TEXT,
  population REAL CHECK (population >= 0),
  source TEXT,
  file TEXT,
  line INTEGER,
  PRIMARY KEY (run_id, territory_id)
) WITHOUT ROWID;
CREATE TABLE procedure (
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  procedure_id TEXT NOT NULL CHECK (procedure_id <> ''),
  ordinal INTEGER,
  file TEXT NOT NULL,
  title_it TEXT,
  title_en TEXT,
  area TEXT,
  authority TEXT,
  legal_basis TEXT,
  cost_model TEXT NOT NULL,
  cost_model_version TEXT,
  price_year INTEGER NOT NULL,
  currency TEXT NOT NULL,
  cases REAL NOT NULL CHECK (cases >= 0),
  source TEXT,
  PRIMARY KEY (run_id, procedure_id)
);
CREATE TABLE unit (
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  procedure_id TEXT NOT NULL,
  committed_at TEXT NOT NULL,
  PRIMARY KEY (run_id, procedure_id),
  FOREIGN KEY (run_id, procedure_id) REFERENCES procedure (run_id, procedure_id)
    ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE scenario (
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  procedure_id TEXT NOT NULL,
  scenario_id TEXT NOT NULL CHECK (scenario_id <> ''),
  ordinal INTEGER NOT NULL,
  file TEXT NOT NULL,
  parent_id TEXT,
  programme INTEGER NOT NULL CHECK (programme IN (0, 1)),
  title_it TEXT,
  title_en TEXT,
  iterations INTEGER NOT NULL CHECK (iterations >= 0),
  one_off REAL NOT NULL,
  one_off_years REAL,
  one_off_per_year REAL,
  payback_years REAL,
  interaction REAL,
  PRIMARY KEY (run_id, procedure_id, scenario_id),
  FOREIGN KEY (run_id, procedure_id) REFERENCES procedure (run_id, procedure_id)
    ON DELETE CASCADE
);
CREATE UNIQUE INDEX scenario_programme ON scenario (run_id, procedure_id)
  WHERE programme = 1;
CREATE TABLE figure (
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  procedure_id TEXT NOT NULL,
  scenario_id TEXT NOT NULL,
  side TEXT GENERATED ALWAYS AS
    (CASE scenario_id WHEN '' THEN 'before' ELSE 'after' END) VIRTUAL,
  kind TEXT NOT NULL CHECK (kind IN ('total', 'citizens', 'businesses', 'administration',
                                     'obligation', 'group', 'segment', 'activity')),
  entity_id TEXT NOT NULL CHECK (entity_id <> ''),
  obligation_id TEXT NOT NULL DEFAULT '',
  segment_id TEXT NOT NULL DEFAULT '',
  ordinal INTEGER NOT NULL,
  title_it TEXT,
  title_en TEXT,
  target_kind TEXT CHECK (target_kind IN ('citizen', 'business', 'administration')),
  legal_reference TEXT,
  one_off INTEGER NOT NULL DEFAULT 0 CHECK (one_off IN (0, 1)),
  cases REAL NOT NULL,
  visits REAL,
  per_case_burden REAL NOT NULL,
  per_case_hours REAL NOT NULL,
  hours REAL NOT NULL,
  external_hours REAL NOT NULL,
  internal REAL NOT NULL,
  overhead REAL NOT NULL,
  external REAL NOT NULL,
  acquisitions REAL NOT NULL,
  out_of_pocket REAL NOT NULL,
  cost REAL NOT NULL,
  bau REAL NOT NULL,
  burden REAL NOT NULL,
  citizens_hours REAL NOT NULL,
  one_off_burden REAL NOT NULL,
  one_off_hours REAL NOT NULL,
  CHECK ((kind = 'activity') = (obligation_id <> '')),
  PRIMARY KEY (run_id, procedure_id, scenario_id, kind, entity_id, obligation_id,
               segment_id),
  FOREIGN KEY (run_id, procedure_id) REFERENCES procedure (run_id, procedure_id)
    ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE measure (
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  procedure_id TEXT NOT NULL,
  scenario_id TEXT NOT NULL,
  measure_id TEXT NOT NULL CHECK (measure_id <> ''),
  ordinal INTEGER NOT NULL,
  type TEXT NOT NULL,
  title_it TEXT,
  title_en TEXT,
  saving REAL NOT NULL,
  saving_alone REAL,
  citizens_hours REAL NOT NULL,
  citizens_hours_alone REAL,
  businesses REAL NOT NULL,
  businesses_alone REAL,
  one_off REAL NOT NULL,
  justification TEXT,
  source TEXT,
  PRIMARY KEY (run_id, procedure_id, scenario_id, measure_id),
  FOREIGN KEY (run_id, procedure_id, scenario_id)
    REFERENCES scenario (run_id, procedure_id, scenario_id) ON DELETE CASCADE
);
CREATE TABLE stat (
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  procedure_id TEXT NOT NULL,
  scenario_id TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('before', 'after', 'saving')),
  quantity TEXT NOT NULL
    CHECK (quantity IN ('burden', 'citizens_hours', 'citizens_burden', 'businesses')),
  n INTEGER NOT NULL CHECK (n > 0),
  point REAL NOT NULL,
  mean REAL NOT NULL,
  sd REAL NOT NULL,
  p5 REAL NOT NULL,
  p50 REAL NOT NULL,
  p95 REAL NOT NULL,
  ci_low REAL NOT NULL,
  ci_high REAL NOT NULL,
  CHECK ((scenario_id = '') = (side = 'before')),
  PRIMARY KEY (run_id, procedure_id, scenario_id, side, quantity),
  FOREIGN KEY (run_id, procedure_id) REFERENCES procedure (run_id, procedure_id)
    ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE assumption (
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  procedure_id TEXT NOT NULL,
  scenario_id TEXT NOT NULL,
  element TEXT NOT NULL CHECK (element <> ''),
  segment_id TEXT NOT NULL,
  parameter TEXT NOT NULL CHECK (parameter <> ''),
  ordinal INTEGER NOT NULL,
  value TEXT NOT NULL,
  source TEXT,
  source_from TEXT NOT NULL
    CHECK (source_from IN ('element', 'obligation', 'procedure', 'model', 'none')),
  CHECK ((source IS NULL) = (source_from = 'none')),
  PRIMARY KEY (run_id, procedure_id, scenario_id, element, segment_id, parameter)
);
CREATE TABLE territory_result (
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  procedure_id TEXT NOT NULL,
  territory_id TEXT NOT NULL,
  cases REAL,
  cases_given INTEGER NOT NULL CHECK (cases_given IN (0, 1)),
  share REAL NOT NULL CHECK (share >= 0),
  burden_before REAL NOT NULL,
  burden_after REAL NOT NULL,
  citizens_hours_before REAL NOT NULL,
  citizens_hours_after REAL NOT NULL,
  citizens_burden_before REAL NOT NULL,
  citizens_burden_after REAL NOT NULL,
  businesses_before REAL NOT NULL,
  businesses_after REAL NOT NULL,
  PRIMARY KEY (run_id, procedure_id, territory_id),
  FOREIGN KEY (run_id, procedure_id) REFERENCES procedure (run_id, procedure_id)
    ON DELETE CASCADE,
  FOREIGN KEY (run_id, territory_id) REFERENCES territory (run_id, territory_id)
    ON DELETE CASCADE
) WITHOUT ROWID;

PRAGMA application_id = 1836015905;
PRAGMA user_version = 1;

INSERT INTO run (id, status, catalog_id, catalog_title_it, catalog_title_en, catalog_file,
                 catalog_sha256, inputs_sha256, moa_version, seed, iterations, cost_model,
                 cost_model_version, price_year, currency, started_at, finished_at, units_total)
VALUES (1, 'complete', 'prova-v1', 'Catalogo di prova', 'Test catalog', 'catalogo.xml',
        '1111111111111111111111111111111111111111111111111111111111111111',
        '2222222222222222222222222222222222222222222222222222222222222222',
        '0.0.9', 42, 0, 'it-moa', '2024.1', 2024, 'EUR', '2024-05-01T10:00:00Z',
        '2024-05-01T10:05:00Z', 2);

INSERT INTO input_file VALUES
  (1, 'catalogo.xml', 0, 'catalog', '1111111111111111111111111111111111111111111111111111111111111111'),
  (1, 'p-uno.xml', 1, 'procedure', '3333333333333333333333333333333333333333333333333333333333333333');

INSERT INTO territory VALUES
  (1, 'MI', 0, 'Milano', 'province', NULL, 3000000, 'illustrative', 'catalogo.xml', 20),
  (1, 'BG', 1, 'Bergamo', 'province', NULL, 2000000, 'illustrative', 'catalogo.xml', 21),
  (1, '015146', 2, 'Milano (comune)', 'municipality', 'MI', 1400000, 'illustrative',
   'catalogo.xml', 22);

INSERT INTO procedure VALUES
  (1, 'p-uno', 0, 'p-uno.xml', 'Procedura uno', 'Procedure one', 'anagrafe', 'Comune', NULL,
   'it-moa', '2024.1', 2024, 'EUR', 100, NULL),
  (1, 'p-due', 1, 'p-due.xml', 'Procedura due', 'Procedure two', 'commercio', 'Comune', NULL,
   'it-moa', '2024.1', 2024, 'EUR', 50, NULL);

INSERT INTO scenario VALUES
  (1, 'p-uno', 's-uno', 0, 's-uno.xml', NULL, 1, 'Scenario uno', 'Scenario one', 0, 0, 10, 0,
   NULL, 0);

-- figure columns: run, procedure, scenario, kind, entity, obligation, segment, ordinal,
-- title it/en, target_kind, legal_reference, one_off, cases, visits, per_case burden/hours,
-- hours, external_hours, internal, overhead, external, acquisitions, out_of_pocket, cost, bau,
-- burden, citizens_hours, one_off burden/hours
INSERT INTO figure (run_id, procedure_id, scenario_id, kind, entity_id, obligation_id,
                    segment_id, ordinal, title_it, title_en, target_kind, legal_reference,
                    one_off, cases, visits, per_case_burden, per_case_hours, hours,
                    external_hours, internal, overhead, external, acquisitions, out_of_pocket,
                    cost, bau, burden, citizens_hours, one_off_burden, one_off_hours) VALUES
  (1, 'p-uno', '', 'total', 'p-uno', '', '', 0, 'Procedura uno', 'Procedure one', NULL, NULL,
   0, 100, NULL, 10, 0.5, 50, 0, 1000, 0, 0, 0, 0, 1000, 0, 1000, 20, 0, 0),
  (1, 'p-uno', '', 'citizens', 'p-uno', '', '', 1, NULL, NULL, NULL, NULL,
   0, 40, NULL, 10, 0.5, 20, 0, 400, 0, 0, 0, 0, 400, 0, 400, 20, 0, 0),
  (1, 'p-uno', '', 'businesses', 'p-uno', '', '', 2, NULL, NULL, NULL, NULL,
   0, 60, NULL, 10, 0.5, 30, 0, 600, 0, 0, 0, 0, 600, 0, 600, 0, 0, 0),
  (1, 'p-uno', '', 'obligation', 'domanda', '', '', 0, 'Domanda', 'Application', NULL,
   'L. 1/2000', 0, 100, NULL, 10, 0.5, 50, 0, 1000, 0, 0, 0, 0, 1000, 0, 1000, 20, 0, 0),
  (1, 'p-uno', 's-uno', 'total', 'p-uno', '', '', 0, 'Procedura uno', 'Procedure one', NULL,
   NULL, 0, 100, NULL, 7, 0.35, 35, 0, 700, 0, 0, 0, 0, 700, 0, 700, 15, 0, 0),
  (1, 'p-uno', 's-uno', 'citizens', 'p-uno', '', '', 1, NULL, NULL, NULL, NULL,
   0, 40, NULL, 7.5, 0.375, 15, 0, 300, 0, 0, 0, 0, 300, 0, 300, 15, 0, 0),
  (1, 'p-uno', 's-uno', 'businesses', 'p-uno', '', '', 2, NULL, NULL, NULL, NULL,
   0, 60, NULL, 6.67, 0.33, 20, 0, 400, 0, 0, 0, 0, 400, 0, 400, 0, 0, 0),
  (1, 'p-uno', 's-uno', 'obligation', 'domanda', '', '', 0, 'Domanda', 'Application', NULL,
   'L. 1/2000', 0, 100, NULL, 7, 0.35, 35, 0, 700, 0, 0, 0, 0, 700, 0, 700, 15, 0, 0),
  (1, 'p-due', '', 'total', 'p-due', '', '', 0, 'Procedura due', 'Procedure two', NULL, NULL,
   0, 50, NULL, 10, 0.2, 10, 0, 500, 0, 0, 0, 0, 500, 0, 500, 10, 0, 0),
  (1, 'p-due', '', 'citizens', 'p-due', '', '', 1, NULL, NULL, NULL, NULL,
   0, 10, NULL, 10, 1, 10, 0, 100, 0, 0, 0, 0, 100, 0, 100, 10, 0, 0),
  (1, 'p-due', '', 'businesses', 'p-due', '', '', 2, NULL, NULL, NULL, NULL,
   0, 40, NULL, 10, 0, 0, 0, 400, 0, 0, 0, 0, 400, 0, 400, 0, 0, 0),
  (1, 'p-due', '', 'obligation', 'scia', '', '', 0, 'SCIA', 'SCIA', NULL, NULL,
   0, 50, NULL, 10, 0.2, 10, 0, 500, 0, 0, 0, 0, 500, 0, 500, 10, 0, 0);

INSERT INTO measure VALUES
  (1, 'p-uno', 's-uno', 'online', 0, 'digitalise-submission', 'Domanda online',
   'Online application', 300, 300, 5, 5, 200, 200, 0, 'No trip to the office.',
   'illustrative');

INSERT INTO assumption VALUES
  (1, 'p-uno', '', 'domanda/compilazione', '', 'time', 0, '30 min', 'illustrative', 'element'),
  (1, '', '', 'it-moa/overhead', '', 'rate', 0, '0.25', 'Handbook', 'element');

INSERT INTO territory_result VALUES
  (1, 'p-uno', 'MI', NULL, 0, 0.6, 600, 420, 12, 9, 240, 180, 360, 240),
  (1, 'p-uno', 'BG', NULL, 0, 0.4, 400, 280, 8, 6, 160, 120, 240, 160),
  (1, 'p-uno', '015146', NULL, 0, 0.28, 280, 196, 5.6, 4.2, 112, 84, 168, 112),
  (1, 'p-due', 'MI', 30, 1, 0.6, 300, 300, 6, 6, 60, 60, 240, 240),
  (1, 'p-due', 'BG', 20, 1, 0.4, 200, 200, 4, 4, 40, 40, 160, 160);

INSERT INTO unit VALUES
  (1, 'p-uno', '2024-05-01T10:02:00Z'),
  (1, 'p-due', '2024-05-01T10:04:00Z');

COMMIT;

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Catalogs: the procedures a region measures, the scenario of its simplification programme for
 * each, the cost model and price year, and the territories with their case numbers or
 * populations (docs/catalog-format.md). */
#pragma once

#include <glib.h>

#include "moa-procedure.h"

G_BEGIN_DECLS

typedef enum
{
  MOA_TERRITORY_REGION,
  MOA_TERRITORY_PROVINCE,
  MOA_TERRITORY_MUNICIPALITY,
  MOA_TERRITORY_OTHER, /* a union of municipalities, a district, ... */
} MoaTerritoryKind;

/* "region", "province", "municipality", "other"; NULL for a value outside the enum. */
const char *
moa_territory_kind_to_string (MoaTerritoryKind kind);
gboolean
moa_territory_kind_from_string (const char *s, MoaTerritoryKind *kind);

/* One scenario of a catalog procedure. */
typedef struct
{
  char *file;         /* resolved: relative paths are taken from the catalog's folder */
  gboolean programme; /* the "after" state of the programme (exactly one per procedure that
                       * has scenarios) */
  int line;           /* in the catalog file */
} MoaCatalogScenario;

/* One procedure of the catalog. */
typedef struct
{
  char *id;             /* the procedure's id, as its file must declare it */
  char *file;           /* resolved as above */
  GPtrArray *scenarios; /* MoaCatalogScenario*, possibly empty */
  int line;
} MoaCatalogProcedure;

/* A territory: its cases per year for some procedures, and/or its population. Figures of a
 * procedure in a territory are the procedure's figures scaled by
 * moa_catalog_territory_share(): the per-case results do not depend on the territory, so no
 * territory repeats an evaluation or a simulation. */
typedef struct
{
  char *id;   /* e.g. the ISTAT code "015146" */
  char *name; /* "Milano" */
  MoaTerritoryKind kind;
  char *parent;      /* the id of the territory it belongs to (a province), or NULL */
  double population; /* residents; NAN when not given */
  GHashTable *cases; /* procedure id -> double* cases per year (may be empty, never NULL) */
  char *source;      /* where the figures come from, or "illustrative" */
  char *file;        /* the catalog or CSV file it was read from */
  int line;          /* its line there */
} MoaTerritory;

typedef struct _MoaCatalog MoaCatalog;

/* Loads a catalog file and the CSV files of territories it names. Every problem found is
 * appended to @problems (when not NULL), each naming the file, line and element (or CSV
 * column). The procedure and scenario files are only checked to exist here (the batch loads
 * them). Returns a new catalog, or NULL with @error set from the first problem. Parsed as the
 * other formats are: no network, no entities, bounded sizes. */
MoaCatalog *
moa_catalog_load_file (const char *path, GPtrArray *problems,
                       GError **error) G_GNUC_WARN_UNUSED_RESULT;

void
moa_catalog_free (MoaCatalog *catalog);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaCatalog, moa_catalog_free)

/* Borrowed accessors. */
const char *
moa_catalog_get_file (const MoaCatalog *catalog); /* as given to load */
const char *
moa_catalog_get_id (const MoaCatalog *catalog);
const MoaTitle *
moa_catalog_get_title (const MoaCatalog *catalog);
const char *
moa_catalog_get_cost_model (const MoaCatalog *catalog); /* model id, e.g. "it-moa" */
int
moa_catalog_get_price_year (const MoaCatalog *catalog);
const char *
moa_catalog_get_currency (const MoaCatalog *catalog); /* "EUR" */
/* The population the procedures' own figures refer to (the region's residents): a territory
 * given by population has the share population / this. NAN when the catalog gives none (then
 * every territory must give its cases). */
double
moa_catalog_get_population (const MoaCatalog *catalog);
const char *
moa_catalog_get_source (const MoaCatalog *catalog); /* may be NULL */
/* MoaCatalogProcedure*, catalog order. */
GPtrArray *
moa_catalog_get_procedures (const MoaCatalog *catalog);
/* MoaTerritory*, file order (inline territories first, then each CSV file in order). */
GPtrArray *
moa_catalog_get_territories (const MoaCatalog *catalog);
/* Every file the catalog reads: itself, its CSV files, its procedures and scenarios (resolved
 * paths, in that order, without duplicates). A run hashes each of them. */
GPtrArray *
moa_catalog_get_input_files (const MoaCatalog *catalog);

/* The share of the procedure's figures that falls on @territory: its cases divided by
 * @procedure_cases (the procedure's recurring cases per year) when the territory gives cases for
 * @procedure_id, else its population divided by the catalog's population. Returns the share and
 * stores the territory's cases per year in @cases (may be NULL). Returns NAN when neither
 * applies (the loader already reports such a territory, so this only happens for procedures
 * outside the catalog). */
double
moa_catalog_territory_share (const MoaCatalog *catalog, const MoaTerritory *territory,
                             const char *procedure_id, double procedure_cases, double *cases);

G_END_DECLS

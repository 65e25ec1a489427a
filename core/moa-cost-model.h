/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cost models: named, versioned parameter sets with sources (standard activities, tariffs,
 * overhead, citizens' time), loaded from models/ like procedures. */
#pragma once

#include <glib.h>

#include "moa-procedure.h"
#include "moa-value.h"

G_BEGIN_DECLS

typedef struct
{
  char *id;
  int line;
  MoaTitle title;
  /* Default times by complexity for business (and administration, external) performers and
   * for citizens; an entry is NULL when the model has no time for it. MOA_DIM_TIME. */
  MoaValue *business_time[3];
  MoaValue *citizen_time[3];
  char *source;
} MoaStandardActivity;

typedef struct
{
  char *id;
  int line;
  MoaTitle title;
  MoaValue *rate;    /* MOA_DIM_RATE */
  gboolean external; /* a rate for external professionals: no overhead is added */
  char *source;
} MoaTariffProfile;

typedef struct
{
  char *id;
  int line;
  MoaTitle title;
  MoaValue *time; /* MOA_DIM_TIME, one way and back */
  MoaValue *cost; /* MOA_DIM_MONEY */
  char *source;
} MoaTravelEntry;

typedef struct
{
  char *id;
  int line;
  MoaTitle title;
} MoaObligationType;

typedef struct
{
  gatomicrefcount ref; /* atomic: shared by worker threads */
  char *file;
  int line;

  char *id;
  char *version;
  MoaTitle title;
  char *currency;
  int price_year;
  char *source;

  double overhead_rate; /* share added to internal labour cost (0.25 = 25 %) */
  char *overhead_source;

  gboolean citizen_time_monetised;
  MoaValue *citizen_rate; /* MOA_DIM_RATE, NULL when not monetised */
  char *citizen_source;

  char *default_business_tariff; /* tariff profile ids, may be NULL */
  char *default_administration_tariff;
  char *default_external_tariff;

  GPtrArray *obligation_types;    /* MoaObligationType* */
  GPtrArray *standard_activities; /* MoaStandardActivity* */
  GPtrArray *tariffs;             /* MoaTariffProfile* */
  GPtrArray *travel;              /* MoaTravelEntry* */

  GHashTable *activity_index; /* id -> MoaStandardActivity* */
  GHashTable *tariff_index;   /* id -> MoaTariffProfile* */
  GHashTable *type_index;     /* id -> MoaObligationType* */
} MoaCostModel;

/* Loads a cost model file, with the same guarantees and problem reporting as
 * moa_procedure_load_file(). */
MoaCostModel *
moa_cost_model_load_file (const char *path, GPtrArray *problems,
                          GError **error) G_GNUC_WARN_UNUSED_RESULT;

MoaCostModel *
moa_cost_model_ref (MoaCostModel *model);
void
moa_cost_model_unref (MoaCostModel *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaCostModel, moa_cost_model_unref)

MoaStandardActivity *
moa_cost_model_get_activity (const MoaCostModel *model, const char *id);
MoaTariffProfile *
moa_cost_model_get_tariff (const MoaCostModel *model, const char *id);
MoaObligationType *
moa_cost_model_get_type (const MoaCostModel *model, const char *id);

/* A set of cost models found by id. */
typedef struct _MoaModelSet MoaModelSet;

MoaModelSet *
moa_model_set_new (void) G_GNUC_WARN_UNUSED_RESULT;
void
moa_model_set_free (MoaModelSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaModelSet, moa_model_set_free)

/* Loads every *.xml file of @dir (sorted by name) into @set. Problems of any file are appended
 * to @problems; returns FALSE with @error set from the first when there were any. */
gboolean
moa_model_set_load_dir (MoaModelSet *set, const char *dir, GPtrArray *problems, GError **error);

/* Adds @model (a new reference is taken). A model with the same id is replaced. */
void
moa_model_set_add (MoaModelSet *set, MoaCostModel *model);

/* Borrowed, NULL when absent. */
MoaCostModel *
moa_model_set_lookup (const MoaModelSet *set, const char *id);

/* Borrowed array of MoaCostModel*, sorted by id. */
GPtrArray *
moa_model_set_get_models (const MoaModelSet *set);

/* The ids of the models of @set, sorted and joined by ", " ("eu-scm, it-moa"), or the
 * translated word "none" when the set is empty: for messages that list the models available.
 * Returns a new string. */
char *
moa_model_set_get_ids (const MoaModelSet *set) G_GNUC_WARN_UNUSED_RESULT;

/* The directory of the shipped cost models: $MOA_MODELS_DIR when set, else the source tree's
 * models/ when running from a build tree, else the installed one. Returns a new string. */
char *
moa_default_models_dir (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The procedure model: target groups, information obligations and their workflows. */
#pragma once

#include <glib.h>

#include "moa-value.h"

G_BEGIN_DECLS

typedef enum
{
  MOA_TARGET_CITIZEN,
  MOA_TARGET_BUSINESS,
  MOA_TARGET_ADMINISTRATION,
} MoaTargetKind;

typedef enum
{
  MOA_COMPLEXITY_NONE = -1,
  MOA_COMPLEXITY_SIMPLE = 0,
  MOA_COMPLEXITY_MEDIUM = 1,
  MOA_COMPLEXITY_HIGH = 2,
} MoaComplexity;

typedef enum
{
  MOA_NODE_START,
  MOA_NODE_END,
  MOA_NODE_ACTIVITY,
  MOA_NODE_XOR,       /* exclusive gateway: one branch, by probability */
  MOA_NODE_AND_SPLIT, /* parallel split: every branch */
  MOA_NODE_AND_JOIN,  /* parallel join: waits for every incoming branch, then continues once */
} MoaNodeKind;

/* A parameter: a default value and per-segment overrides (written <for segment="..."/>).
 * The default may be NULL when the attribute is absent. */
typedef struct
{
  MoaValue *value;
  GPtrArray *per_segment; /* MoaSegmentValue*, may be NULL */
} MoaParam;

typedef struct
{
  char *segment;
  MoaValue *value; /* NULL when @profile is set */
  char *profile;   /* tariff only: a tariff profile id of the cost model instead of a value */
  int line;
} MoaSegmentValue;

/* Title in Italian and English; either may be NULL. */
typedef struct
{
  char *it;
  char *en;
} MoaTitle;

typedef struct
{
  char *id;
  int line;
  MoaTitle title;
  MoaValue *population; /* MOA_DIM_COUNT: entities (firms, people) concerned */
  gboolean implicit;    /* written as population="" on its target group, no <segment> */
} MoaSegment;

typedef struct
{
  char *id;
  int line;
  MoaTargetKind kind;
  MoaTitle title;
  GPtrArray *segments; /* MoaSegment*, at least one */
} MoaTargetGroup;

typedef struct
{
  char *to;
  int line;
  MoaParam probability; /* XOR only; value NULL on the default branch */
  gboolean is_default;  /* XOR only: takes 1 - sum of the others */
} MoaBranch;

typedef struct
{
  MoaNodeKind kind;
  char *id;
  int line;
  char *next;          /* START, ACTIVITY, AND_JOIN: the following node */
  GPtrArray *branches; /* XOR, AND_SPLIT: MoaBranch* */
  MoaTitle title;

  /* ACTIVITY only */
  char *performer;          /* NULL: the addressee; "external"; or a target group id */
  char *standard;           /* standard activity id of the cost model, or NULL */
  MoaComplexity complexity; /* with @standard */
  MoaParam time;            /* MOA_DIM_TIME, overrides the standard time when set */
  char *tariff_profile;     /* tariff profile id of the cost model, or NULL */
  MoaParam tariff;          /* MOA_DIM_RATE, explicit tariff; excludes @tariff_profile */
  MoaParam fee;             /* MOA_DIM_MONEY, external fee per execution */
  MoaParam acquisitions;    /* MOA_DIM_MONEY, equipment/services bought per execution */
  MoaParam out_of_pocket;   /* MOA_DIM_MONEY, stamps, fees, travel, copies per execution */
  MoaParam bau;             /* MOA_DIM_FRACTION, business-as-usual share */
  char **tags;              /* NULL-terminated, may be NULL: travel, queueing, payment, ... */
  char *note;
  char *source;
} MoaNode;

typedef struct
{
  char *id;
  int line;
  MoaTitle title;
  char *type; /* obligation type id of the cost model */
  char *legal_reference;
  char *origin;         /* eu, national, regional, local */
  char **target_groups; /* NULL-terminated addressee target group ids */
  gboolean one_off;     /* recurrence="one-off" */
  MoaParam frequency;   /* MOA_DIM_COUNT, executions per entity per year (or once, one-off) */
  MoaParam cases;       /* MOA_DIM_COUNT, total cases per year; excludes @frequency */
  MoaParam compliance;  /* MOA_DIM_FRACTION, default 1 */
  char *note;
  char *source;
  char *start; /* id of the workflow's start node */
  int workflow_line;
  GPtrArray *nodes;       /* MoaNode*, in file order */
  GHashTable *node_index; /* id -> MoaNode* (borrowed) */
} MoaObligation;

/* A procedure. Reference-counted; the fields are the model and may be read directly.
 * Code that edits a procedure in place must call moa_procedure_reindex() afterwards. */
typedef struct
{
  gatomicrefcount ref; /* atomic: shared by worker threads */
  char *file;          /* path it was loaded from, or NULL */
  int line;

  char *id;
  int format;
  MoaTitle title;
  char *area;
  char *authority;
  char *legal_basis;
  char *cost_model;
  int price_year;
  char *currency;
  char *note;
  char *source;

  GPtrArray *target_groups; /* MoaTargetGroup* */
  GPtrArray *obligations;   /* MoaObligation* */

  GHashTable *group_index;      /* id -> MoaTargetGroup* */
  GHashTable *segment_index;    /* id -> MoaSegment* */
  GHashTable *segment_group;    /* segment id -> MoaTargetGroup* */
  GHashTable *obligation_index; /* id -> MoaObligation* */
} MoaProcedure;

/* Limits on input files (bounded parsing). */
#define MOA_MAX_FILE_SIZE (16 * 1024 * 1024)
#define MOA_MAX_DEPTH 32
#define MOA_MAX_ELEMENTS 200000

/* Loads a procedure file. Every problem found is appended to @problems (when not NULL), each
 * naming the file, line and element. Returns a new procedure, or NULL when any problem was
 * found, with @error set from the first one. The file is parsed without network access and
 * without expanding entities; a DOCTYPE declaring entities is refused. */
MoaProcedure *
moa_procedure_load_file (const char *path, GPtrArray *problems,
                         GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Same as moa_procedure_load_file() from memory; @name is used in messages. */
MoaProcedure *
moa_procedure_load_data (const char *data, gsize len, const char *name, GPtrArray *problems,
                         GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Returns the procedure in the file format (newly allocated, UTF-8). Loading the text again
 * gives a procedure for which moa_procedure_equal() is TRUE. */
char *
moa_procedure_to_xml (const MoaProcedure *procedure) G_GNUC_WARN_UNUSED_RESULT;

/* Writes moa_procedure_to_xml() to @path atomically. */
gboolean
moa_procedure_save (const MoaProcedure *procedure, const char *path, GError **error);

/* Deep comparison of the model (file name and line numbers ignored). */
gboolean
moa_procedure_equal (const MoaProcedure *a, const MoaProcedure *b);

MoaProcedure *
moa_procedure_new (void) G_GNUC_WARN_UNUSED_RESULT;
MoaProcedure *
moa_procedure_ref (MoaProcedure *procedure);
void
moa_procedure_unref (MoaProcedure *procedure);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaProcedure, moa_procedure_unref)

/* Rebuilds the id indexes after an edit. */
void
moa_procedure_reindex (MoaProcedure *procedure);

/* Lookups (borrowed, NULL when absent). */
MoaTargetGroup *
moa_procedure_get_target_group (const MoaProcedure *procedure, const char *id);
MoaSegment *
moa_procedure_get_segment (const MoaProcedure *procedure, const char *id);
MoaTargetGroup *
moa_procedure_get_segment_group (const MoaProcedure *procedure, const char *segment_id);
MoaObligation *
moa_procedure_get_obligation (const MoaProcedure *procedure, const char *id);
MoaNode *
moa_obligation_get_node (const MoaObligation *obligation, const char *id);

/* The value of @param for @segment: its override when there is one, else the default (may be
 * NULL). Borrowed. */
MoaValue *
moa_param_get (const MoaParam *param, const char *segment);

/* The tariff of activity @node for @segment: its <for> override when there is one, else the
 * activity's own. Exactly one of *@rate (explicit, borrowed) and *@profile (tariff profile id,
 * borrowed) is set, or neither when the activity gives no tariff. */
void
moa_node_get_tariff (const MoaNode *node, const char *segment, MoaValue **rate,
                     const char **profile);

/* Best title for @lang ("it" or "en"), falling back to the other language, then to @fallback. */
const char *
moa_title_get (const MoaTitle *title, const char *lang, const char *fallback);

const char *
moa_target_kind_to_string (MoaTargetKind kind);
gboolean
moa_target_kind_from_string (const char *s, MoaTargetKind *kind);
const char *
moa_complexity_to_string (MoaComplexity complexity);
gboolean
moa_complexity_from_string (const char *s, MoaComplexity *complexity);
const char *
moa_node_kind_to_string (MoaNodeKind kind); /* element name in the format */

/* Frees used by the loader and editors. */
void
moa_param_clear (MoaParam *param);
void
moa_title_clear (MoaTitle *title);
void
moa_segment_free (MoaSegment *segment);
void
moa_target_group_free (MoaTargetGroup *group);
void
moa_branch_free (MoaBranch *branch);
void
moa_node_free (MoaNode *node);
void
moa_obligation_free (MoaObligation *obligation);
void
moa_segment_value_free (MoaSegmentValue *sv);

G_END_DECLS

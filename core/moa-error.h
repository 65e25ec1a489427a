/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Error domains and codes of the moa engine: one domain per area. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reading a procedure or cost model file: syntax, structure, units. */
#define MOA_PARSE_ERROR (moa_parse_error_quark ())
typedef enum
{
  MOA_PARSE_ERROR_IO,                /* the file cannot be read */
  MOA_PARSE_ERROR_TOO_LARGE,         /* file, depth, or element count over the bound */
  MOA_PARSE_ERROR_MALFORMED,         /* not well-formed XML */
  MOA_PARSE_ERROR_ENTITY,            /* DOCTYPE with entities: refused */
  MOA_PARSE_ERROR_WRONG_ROOT,        /* root element is not the expected one */
  MOA_PARSE_ERROR_UNKNOWN_ELEMENT,   /* element not in the format */
  MOA_PARSE_ERROR_UNKNOWN_ATTRIBUTE, /* attribute not in the format */
  MOA_PARSE_ERROR_MISSING_ATTRIBUTE, /* a required attribute is absent */
  MOA_PARSE_ERROR_MISSING_ELEMENT,   /* a required child element is absent */
  MOA_PARSE_ERROR_DUPLICATE_ID,      /* two elements share an id */
  MOA_PARSE_ERROR_BAD_ID,            /* an id with characters outside [A-Za-z0-9._-] */
  MOA_PARSE_ERROR_BAD_NUMBER,        /* not a number, or not finite */
  MOA_PARSE_ERROR_BAD_UNIT,          /* unknown unit, or a unit of the wrong dimension */
  MOA_PARSE_ERROR_NEGATIVE,          /* a time, amount, rate or count below zero */
  MOA_PARSE_ERROR_OUT_OF_RANGE,      /* a probability or share outside [0, 1] */
  MOA_PARSE_ERROR_BAD_DISTRIBUTION,  /* unknown distribution or inconsistent parameters */
  MOA_PARSE_ERROR_BAD_ENUM,          /* an attribute value outside its list */
  MOA_PARSE_ERROR_CONFLICT,          /* two attributes that exclude each other */
  /* catalogs (docs/catalog-format.md) */
  MOA_PARSE_ERROR_UNKNOWN_REFERENCE,  /* names a procedure or territory the catalog lacks */
  MOA_PARSE_ERROR_CIRCULAR_REFERENCE, /* a chain of parent territories returns to itself */
} MoaParseError;

/* Semantic checks of a loaded procedure against its cost model and its workflows. */
#define MOA_VALIDATION_ERROR (moa_validation_error_quark ())
typedef enum
{
  MOA_VALIDATION_ERROR_UNKNOWN_COST_MODEL,
  MOA_VALIDATION_ERROR_UNKNOWN_STANDARD_ACTIVITY,
  MOA_VALIDATION_ERROR_UNKNOWN_TARIFF,
  MOA_VALIDATION_ERROR_UNKNOWN_OBLIGATION_TYPE,
  MOA_VALIDATION_ERROR_UNKNOWN_TARGET_GROUP,
  MOA_VALIDATION_ERROR_UNKNOWN_SEGMENT,
  MOA_VALIDATION_ERROR_DANGLING_FLOW,   /* a flow points at a node that does not exist */
  MOA_VALIDATION_ERROR_UNREACHABLE,     /* a node cannot be reached from the start */
  MOA_VALIDATION_ERROR_DEAD_END,        /* a node cannot reach an end */
  MOA_VALIDATION_ERROR_PROBABILITY_SUM, /* XOR branch probabilities do not sum to 1 */
  MOA_VALIDATION_ERROR_CERTAIN_LOOP,    /* a loop is repeated with probability 1 */
  MOA_VALIDATION_ERROR_BAD_GATEWAY,     /* a gateway with the wrong number of branches */
  MOA_VALIDATION_ERROR_MISSING_TIME,    /* activity with neither time nor standard activity */
  MOA_VALIDATION_ERROR_MISSING_TARIFF,  /* time that cannot be priced */
  MOA_VALIDATION_ERROR_BAD_PERFORMER,   /* performer is not a target group nor "external" */
  MOA_VALIDATION_ERROR_PRICE_YEAR,      /* currency differs from the cost model's */
  /* scenarios (docs/scenario-format.md) */
  MOA_VALIDATION_ERROR_CIRCULAR_BASELINE,  /* a chain of scenario baselines returns to a file */
  MOA_VALIDATION_ERROR_UNKNOWN_ELEMENT_ID, /* a measure names an id the procedure lacks */
  MOA_VALIDATION_ERROR_REMOVED_ELEMENT,    /* a measure names what an earlier measure removed */
  MOA_VALIDATION_ERROR_BAD_MEASURE,        /* a measure names an element of the wrong kind, or
                                            * a parameter that element does not have */
} MoaValidationError;

/* Evaluation: numerical failures. */
#define MOA_ENGINE_ERROR (moa_engine_error_quark ())
typedef enum
{
  MOA_ENGINE_ERROR_SINGULAR, /* I - Q is singular: a loop never exits */
  MOA_ENGINE_ERROR_NUMERIC,  /* a non-finite intermediate result */
  MOA_ENGINE_ERROR_FAILED,   /* any other failure (message says which) */
} MoaEngineError;

GQuark
moa_parse_error_quark (void);
GQuark
moa_validation_error_quark (void);
GQuark
moa_engine_error_quark (void);

/* A problem found in a file, kept so that one run can report all of them. */
typedef struct
{
  GQuark domain;
  int code;
  char *file;    /* as given by the caller, may be NULL */
  int line;      /* 1-based; 0 when unknown */
  char *element; /* the id of the element, or its name when it has no id; may be NULL */
  char *message; /* the full, translated message, already "file:line: element: what" */
} MoaProblem;

void
moa_problem_free (MoaProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaProblem, moa_problem_free)

/* Returns a new GPtrArray of MoaProblem*, freeing its elements. */
GPtrArray *
moa_problems_new (void) G_GNUC_WARN_UNUSED_RESULT;

/* Appends a problem to @problems and returns it (borrowed). The message is built as
 * "FILE:LINE: ELEMENT: TEXT", leaving out the parts that are NULL/0. */
MoaProblem *
moa_problems_add (GPtrArray *problems, GQuark domain, int code, const char *file, int line,
                  const char *element, const char *format, ...) G_GNUC_PRINTF (7, 8);

/* Sets @error from the first problem of @problems (if any); returns TRUE when it did. */
gboolean
moa_problems_propagate (GPtrArray *problems, GError **error);

G_END_DECLS

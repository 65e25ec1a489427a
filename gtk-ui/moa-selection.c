/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The selected obligation and node, by id: ids are stable across edits and undo, pointers
 * into the procedure are not. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include "moa-selection.h"

struct _MoaSelection
{
  GObject parent_instance;

  char *obligation_id;
  char *node_id;
};

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MoaSelection, moa_selection, G_TYPE_OBJECT)

static void
moa_selection_finalize (GObject *object)
{
  MoaSelection *self = MOA_SELECTION (object);

  g_free (self->obligation_id);
  g_free (self->node_id);
  G_OBJECT_CLASS (moa_selection_parent_class)->finalize (object);
}

static void
moa_selection_class_init (MoaSelectionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = moa_selection_finalize;

  /* MoaSelection::changed: the selected obligation or node changed. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
moa_selection_init (MoaSelection *self)
{
}

MoaSelection *
moa_selection_new (void)
{
  return g_object_new (MOA_TYPE_SELECTION, NULL);
}

void
moa_selection_select (MoaSelection *self, const char *obligation_id, const char *node_id)
{
  g_return_if_fail (MOA_IS_SELECTION (self));
  g_return_if_fail (obligation_id != NULL || node_id == NULL);

  if (g_strcmp0 (self->obligation_id, obligation_id) == 0
      && g_strcmp0 (self->node_id, node_id) == 0)
    return;
  /* Copy first: the arguments may be our own strings. */
  char *new_obligation = g_strdup (obligation_id);
  char *new_node = g_strdup (node_id);
  g_free (self->obligation_id);
  g_free (self->node_id);
  self->obligation_id = new_obligation;
  self->node_id = new_node;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
moa_selection_validate (MoaSelection *self, const MoaProcedure *procedure)
{
  g_return_if_fail (MOA_IS_SELECTION (self));
  g_return_if_fail (procedure != NULL);

  MoaObligation *obligation = self->obligation_id != NULL
                                  ? moa_procedure_get_obligation (procedure, self->obligation_id)
                                  : NULL;
  if (obligation == NULL)
    moa_selection_select (self, NULL, NULL);
  else if (self->node_id != NULL && moa_obligation_get_node (obligation, self->node_id) == NULL)
    moa_selection_select (self, self->obligation_id, NULL);
}

const char *
moa_selection_get_obligation_id (MoaSelection *self)
{
  g_return_val_if_fail (MOA_IS_SELECTION (self), NULL);
  return self->obligation_id;
}

const char *
moa_selection_get_node_id (MoaSelection *self)
{
  g_return_val_if_fail (MOA_IS_SELECTION (self), NULL);
  return self->node_id;
}

MoaNode *
moa_selection_get_node (MoaSelection *self, const MoaProcedure *procedure)
{
  g_return_val_if_fail (MOA_IS_SELECTION (self), NULL);
  g_return_val_if_fail (procedure != NULL, NULL);

  if (self->obligation_id == NULL || self->node_id == NULL)
    return NULL;
  MoaObligation *obligation = moa_procedure_get_obligation (procedure, self->obligation_id);
  return obligation != NULL ? moa_obligation_get_node (obligation, self->node_id) : NULL;
}

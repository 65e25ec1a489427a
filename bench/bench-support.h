/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the benchmark programs: a small fixed cost model, loading a model from
 * text, the peak memory of the process, and a large procedure built as XML text. */
#pragma once

#include <glib.h>

#include "moa.h"

/* A cost model with fixed values (overhead 25 %, staff 40 EUR/h, consultant 80 EUR/h, citizens
 * 15 EUR/h, one standard activity), all illustrative. */
extern const char bench_model_xml[];

/* Loads the cost model @xml through a temporary file (the loader reads files); aborts the
 * benchmark on failure. */
MoaCostModel *
bench_load_model (const char *xml);

/* Peak resident set of this process in KiB (VmHWM of /proc/self/status: unlike getrusage()'s
 * ru_maxrss it does not carry the peak of the parent that spawned the benchmark over exec());
 * -1 when unknown. */
long
bench_vm_hwm_kib (void);

/* The shape of bench_chain_procedure_xml()'s procedure. */
#define BENCH_CHAIN_ACTIVITIES 200
#define BENCH_CHAIN_GATEWAYS 20 /* one after every 10th activity */
#define BENCH_CHAIN_LOOPS 5     /* gateways 3, 7, 11, 15, 19 go back 6 activities */

/* A large procedure as XML text (newly allocated), with the id @id and the cost model "bench"
 * (bench_model_xml): a chain a0..a199; after a(10g+9) the gateway xg: for g in 3, 7, 11, 15, 19
 * a loop back to a(10g+4) with probability 0.2 (0.1 for the segment "large"), else a forward
 * skip over two activities with 0.3. Two target groups, one with two segments, so that the
 * workflow is solved three times an evaluation. Every activity a(i) with i % 7 == 3 is a
 * standard one (filling-forms, medium); with @external, every other one with i % 11 == 5 is
 * done by an external consultant (pert(1, 2, 4) h and a 100 EUR fee); the rest take 5 + i % 40
 * minutes and i % 3 EUR out of pocket. */
char *
bench_chain_procedure_xml (const char *id, gboolean external);

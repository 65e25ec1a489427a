/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the benchmark programs: a small fixed cost model, loading a model from
 * text, and the peak memory of the process. */
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The moa engine: one header for users of the core library. */
#pragma once

#include "moa-error.h"
#include "moa-value.h"
#include "moa-procedure.h"
#include "moa-cost-model.h"
#include "moa-result.h"
#include "moa-plan.h"
#include "moa-format.h"
#include "moa-random.h"
#include "moa-stats.h"
#include "moa-simulation.h"
#include "moa-cases.h"
#include "moa-sensitivity.h"
#include "moa-scenario.h"
#include "moa-compare.h"
#include "moa-catalog.h"
#include "moa-store.h"
#include "moa-batch.h"
#include "moa-report.h"

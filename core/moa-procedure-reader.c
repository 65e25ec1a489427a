/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stub: to be written */

#ifndef CIVIC_CGEOS_SHIM_H
#define CIVIC_CGEOS_SHIM_H
/* Only the reentrant (_r) API, with an explicit context per owner. */
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#endif

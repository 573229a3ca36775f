#ifndef CIVIC_CPROJ_SHIM_H
#define CIVIC_CPROJ_SHIM_H
#include <proj.h>
#endif

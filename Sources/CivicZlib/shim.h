#ifndef CIVIC_CZLIB_SHIM_H
#define CIVIC_CZLIB_SHIM_H
/* zlib's raw inflate, for reading workbook parts within their entry's bounds (CivicExcel's PartInflater). */
#include <zlib.h>
#endif

#ifndef CIVIC_CFREEXL_SHIM_H
#define CIVIC_CFREEXL_SHIM_H
/* FreeXL (Debian: libfreexl-dev): legacy Excel .xls (BIFF2–BIFF8 in an OLE2 compound file), read-only; the
   library GDAL's XLS driver uses. Only CivicExcel's XLSWorkbook imports it. */
#include <freexl.h>
#endif

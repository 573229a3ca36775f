#ifndef CIVIC_CLIBXML2_SHIM_H
#define CIVIC_CLIBXML2_SHIM_H
/* libxml2's SAX2 push parser only: no trees, no DTDs, no network (CivicExcel's XMLPushParser).
   Debian builds libxml2 with ICU, whose headers clash with the ICU bundled in Foundation; nothing here uses the
   ICU converters (only pointers to encoding handlers sit in the structures read), so they are left out. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#endif

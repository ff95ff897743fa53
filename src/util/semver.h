/* semver.h: comparing MAJOR.MINOR.PATCH version strings. */
#ifndef CXM_SEMVER_H
#define CXM_SEMVER_H

#include <stdbool.h>

/* Parses MAJOR.MINOR.PATCH (anything after PATCH is ignored) into part;
 * false when version does not start that way. */
bool semver_parse(const char *v, unsigned long long part[3]);

/* < 0, 0, > 0 as version a is lower, equal or higher than b: numerically
 * by MAJOR.MINOR.PATCH, byte order as a fallback. */
int semver_cmp(const char *a, const char *b);

#endif

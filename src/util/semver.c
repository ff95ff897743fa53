/* semver.c: comparing MAJOR.MINOR.PATCH version strings. */
#include "semver.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Parses MAJOR.MINOR.PATCH (anything after PATCH is ignored); false when
 * version does not start that way. */
bool semver_parse(const char *v, unsigned long long part[3])
{
	char *end;
	int i;

	for (i = 0; i < 3; i++) {
		if (*v < '0' || *v > '9')
			return false;
		errno = 0;
		part[i] = strtoull(v, &end, 10);
		if (errno)
			return false;
		v = end;
		if (i < 2) {
			if (*v != '.')
				return false;
			v++;
		}
	}
	return true;
}

/* < 0, 0, > 0 as version a is lower, equal or higher than b: numerically
 * by MAJOR.MINOR.PATCH, byte order as a fallback. */
int semver_cmp(const char *a, const char *b)
{
	unsigned long long pa[3], pb[3];
	int i;

	if (semver_parse(a, pa) && semver_parse(b, pb)) {
		for (i = 0; i < 3; i++)
			if (pa[i] != pb[i])
				return pa[i] < pb[i] ? -1 : 1;
	}
	return strcmp(a, b);
}


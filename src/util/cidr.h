/* cidr.h: matching client addresses against lists of IPv4/IPv6 networks. */
#ifndef CXM_CIDR_H
#define CXM_CIDR_H

#include <stdbool.h>

/* True when text is one network ("10.0.0.0/8", "::1/128", or a bare
 * address meaning /32 or /128). */
bool cidr_valid(const char *text);

/* True when addr (numeric IPv4 or IPv6) lies in any network of the
 * comma-separated list.  Invalid entries never match.  IPv4-mapped IPv6
 * addresses (::ffff:a.b.c.d) are compared as IPv4. */
bool cidr_list_match(const char *list, const char *addr);

#endif

/* cidr.c: network prefix matching over inet_pton. */
#include "cidr.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

struct net { int family; unsigned char addr[16]; int bits; };

static bool parse_addr(const char *s, struct net *n)
{
	if (inet_pton(AF_INET, s, n->addr) == 1) {
		n->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, n->addr) == 1) {
		static const unsigned char mapped[12] =
			{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
		if (memcmp(n->addr, mapped, 12) == 0) {
			memmove(n->addr, n->addr + 12, 4);
			n->family = AF_INET;
		} else {
			n->family = AF_INET6;
		}
		return true;
	}
	return false;
}

static bool parse_net(const char *s, size_t len, struct net *n)
{
	char tmp[64], *slash, *end;
	long bits;
	int max;

	if (len == 0 || len >= sizeof tmp)
		return false;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	slash = strchr(tmp, '/');
	if (slash)
		*slash = '\0';
	if (!parse_addr(tmp, n))
		return false;
	max = n->family == AF_INET ? 32 : 128;
	if (!slash) {
		n->bits = max;
		return true;
	}
	if (!slash[1] || strspn(slash + 1, "0123456789") != strlen(slash + 1) ||
	    strlen(slash + 1) > 3)
		return false;
	bits = strtol(slash + 1, &end, 10);
	if (*end || bits < 0 || bits > max)
		return false;
	n->bits = (int)bits;
	return true;
}

bool cidr_valid(const char *text)
{
	struct net n;

	return text && parse_net(text, strlen(text), &n);
}

static bool in_net(const struct net *net, const struct net *a)
{
	int full = net->bits / 8, rest = net->bits % 8;

	if (net->family != a->family)
		return false;
	if (memcmp(net->addr, a->addr, (size_t)full) != 0)
		return false;
	if (rest) {
		unsigned char mask = (unsigned char)(0xFF << (8 - rest));
		if ((net->addr[full] & mask) != (a->addr[full] & mask))
			return false;
	}
	return true;
}

bool cidr_list_match(const char *list, const char *addr)
{
	struct net a, net;
	const char *p = list;

	if (!list || !addr || !parse_addr(addr, &a))
		return false;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		while (len && *p == ' ') {
			p++;
			len--;
		}
		while (len && p[len - 1] == ' ')
			len--;
		if (parse_net(p, len, &net) && in_net(&net, &a))
			return true;
		if (!comma)
			break;
		p = comma + 1;
	}
	return false;
}

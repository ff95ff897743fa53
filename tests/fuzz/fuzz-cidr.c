/* fuzz-cidr.c: network lists and addresses from untrusted settings and headers never crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/cidr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The input is "LIST\nADDRESS": a proxy list and an address. */
	char *text = malloc(size + 1), *addr;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	addr = strchr(text, '\n');
	if (addr)
		*addr++ = '\0';
	else
		addr = text;
	(void)cidr_valid(text);
	if (cidr_list_match(text, addr)) {
		/* Only real addresses can match. */
		if (!*addr)
			__builtin_trap();
	}
	/* Every address is in 0.0.0.0/0 or ::/0, or is not an address. */
	if (cidr_list_match("0.0.0.0/0", addr) && cidr_list_match("::/0", addr))
		__builtin_trap();
	free(text);
	return 0;
}

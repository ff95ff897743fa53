/* session.c: the session lifetime rule. */
#include "session.h"

bool session_is_expired(int64_t now, int64_t created, int64_t last_seen,
			int64_t idle_seconds, int64_t max_seconds)
{
	if (created > now || last_seen > now || last_seen < created)
		return true;
	return now - last_seen > idle_seconds || now - created > max_seconds;
}

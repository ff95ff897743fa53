/* session.h: when a sign-in session has ended (pure). */
#ifndef CXM_SESSION_H
#define CXM_SESSION_H

#include <stdbool.h>
#include <stdint.h>

/* True when a session created at `created` and last used at `last_seen`
 * (Unix seconds) has ended at `now`: idle for more than idle_seconds, or
 * older than max_seconds in all.  A clock that went backwards (times in
 * the future) also ends it, to be safe. */
bool session_is_expired(int64_t now, int64_t created, int64_t last_seen,
			int64_t idle_seconds, int64_t max_seconds);

#endif

/* stmt.h: every SQL statement, by id; each engine has one SQL text per id. */
#ifndef CXM_STMT_H
#define CXM_STMT_H

enum stmt {
	STMT_MIGRATIONS_TABLE,   /* create schema_migrations if missing */
	STMT_MIGRATIONS_MAX,     /* -> max applied version or 0 */
	STMT_MIGRATIONS_INSERT,  /* (version, name, applied_at) */
	STMT_HEALTH,             /* -> count of applied migrations */
	STMT__MAX
};

#endif

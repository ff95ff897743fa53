/* render.h: organizations, services, users and audit entries as JSON. */
#ifndef CXM_API_RENDER_H
#define CXM_API_RENDER_H

#include <jansson.h>

#include "store/accounts.h"
#include "core/model.h"
#include "store/audit.h"

/* New references; NULL when out of memory. */
json_t *render_org(const struct org *o);
json_t *render_service(const struct service *s);
json_t *render_audit(const struct audit_entry *e);
/* A whole maturity model: levels, scales, functions with indicators and
 * tactics, scoring rules. */
json_t *render_model(const struct model *m);

#endif

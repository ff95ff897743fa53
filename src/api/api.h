/* api.h: JSON API handlers (one file per resource). */
#ifndef CXM_API_H
#define CXM_API_H

#include "http/req.h"
#include "http/resp.h"

/* GET /healthz : {"status":"ok","version":...,"db":"ok"}, 503 when the
 * database cannot be read. */
int api_healthz(struct req *r, struct resp *w);

/* POST /api/v1/csp-reports : logs a browser's Content-Security-Policy
 * violation report (one line, truncated) and answers 204. */
int api_csp_report(struct req *r, struct resp *w);

/* GET /api/v1/me : the caller, their grants and how they signed in. */
int api_me(struct req *r, struct resp *w);

/* /api/v1/orgs and /api/v1/orgs/{id} (orgs.c). */
int api_orgs_list(struct req *r, struct resp *w);
int api_org_create(struct req *r, struct resp *w);
int api_org_get(struct req *r, struct resp *w);
int api_org_update(struct req *r, struct resp *w);
int api_org_delete(struct req *r, struct resp *w);

/* /api/v1/services and /api/v1/services/{id} (services.c). */
int api_services_list(struct req *r, struct resp *w);
int api_service_create(struct req *r, struct resp *w);
int api_service_get(struct req *r, struct resp *w);
int api_service_update(struct req *r, struct resp *w);
int api_service_delete(struct req *r, struct resp *w);

/* GET /api/v1/audit/events : a text/event-stream of audit entries as
 * they commit (on any server sharing the database). */
int api_audit_events(struct req *r, struct resp *w);

/* GET /api/v1/audit?since=&limit=&action=&object_type=&actor=&before= */
int api_audit(struct req *r, struct resp *w);

/* /api/v1/models (models.c): the list (signed in), one model as JSON at
 * its newest or a given ?version= (signed in), and importing a YAML or
 * JSON model (admin): 201, 200 when identical, 409 for changed content
 * under a stored version, 422 with every problem's path, line and column. */
int api_models_list(struct req *r, struct resp *w);
int api_model_get(struct req *r, struct resp *w);
int api_model_import(struct req *r, struct resp *w);

#endif

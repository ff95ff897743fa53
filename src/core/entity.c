/* entity.c: validation rules for organizations, services and users (pure). */
#include "entity.h"

#include "util/utf8.h"

#include <ctype.h>
#include <string.h>

const char *const entity_org_kinds[] = {
	"department", "component", "office", "program", NULL,
};

const struct entity_channel entity_channels[] = {
	{ "website", "Website" },
	{ "mobile_app", "Mobile app" },
	{ "computer", "Computer" },
	{ "mobile", "Mobile" },
	{ "email", "Email" },
	{ "chatbot", "Chatbot" },
	{ "live_chat", "Live chat" },
	{ "sms_text_messages", "SMS text messages" },
	{ "social_media", "Social media" },
	{ "phone", "Phone" },
	{ "automated_phone", "Automated phone" },
	{ "in_person", "In person" },
	{ "self_service_kiosk", "Self-service kiosk" },
	{ "paper", "Paper" },
	{ "postal_mail", "Postal mail" },
	{ "fax", "Fax" },
	{ "other_digital", "Other digital" },
	{ "other_non_digital", "Other non-digital" },
	{ NULL, NULL },
};

const char *entity_channel_label(const char *key)
{
	const struct entity_channel *c;

	for (c = entity_channels; key && c->key; c++)
		if (strcmp(c->key, key) == 0)
			return c->label;
	return NULL;
}

size_t entity_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

bool entity_text_ok(const char *value, const char *field, bool required,
		    size_t max, struct errinfo *ei)
{
	size_t len;

	if (!value || !*value) {
		if (required)
			errinfo_add(ei, field, 0, 0, "is required");
		return !required;
	}
	len = strlen(value);
	if (!utf8_valid_text(value, len) || strpbrk(value, "\t\r\n")) {
		errinfo_add(ei, field, 0, 0,
			    "must be plain text without control characters");
		return false;
	}
	if (entity_chars(value) > max) {
		errinfo_add(ei, field, 0, 0, "must be at most %zu characters",
			    max);
		return false;
	}
	if (required && strspn(value, " ") == len) {
		errinfo_add(ei, field, 0, 0, "is required");
		return false;
	}
	return true;
}

static bool in_list(const char *v, const char *const *list)
{
	for (; v && *list; list++)
		if (strcmp(v, *list) == 0)
			return true;
	return false;
}

int entity_org_check(const struct org_input *in, struct errinfo *ei)
{
	struct errinfo own;
	size_t before;

	if (!ei) {
		errinfo_clear(&own);
		ei = &own;
	}
	before = ei->ndetails + ei->dropped_details;

	entity_text_ok(in->name, "name", true, ENTITY_NAME_MAX, ei);
	entity_text_ok(in->short_name, "short_name", false,
		       ENTITY_SHORT_NAME_MAX, ei);
	if (!in_list(in->kind, entity_org_kinds))
		errinfo_add(ei, "kind", 0, 0,
			    "must be one of department, component, office, program");
	if (in->parent_id < 0)
		errinfo_add(ei, "parent_id", 0, 0, "must be an organization id");
	if (ei->ndetails + ei->dropped_details > before)
		return errinfo_set(ei, ERR_INVALID,
				   "the organization has invalid fields");
	return 0;
}

int entity_service_check(const struct service_input *in, struct errinfo *ei)
{
	struct errinfo own;
	size_t before, i, j;

	if (!ei) {
		errinfo_clear(&own);
		ei = &own;
	}
	before = ei->ndetails + ei->dropped_details;

	entity_text_ok(in->name, "name", true, ENTITY_NAME_MAX, ei);
	entity_text_ok(in->description, "description", false,
		       ENTITY_DESCRIPTION_MAX, ei);
	if (in->org_id <= 0)
		errinfo_add(ei, "org_id", 0, 0, "is required");
	for (i = 0; i < in->nchannels; i++) {
		if (!entity_channel_label(in->channels[i])) {
			errinfo_add(ei, "channels", 0, 0,
				    "'%.40s' is not a known channel",
				    in->channels[i] ? in->channels[i] : "");
			continue;
		}
		for (j = 0; j < i; j++)
			if (strcmp(in->channels[i], in->channels[j]) == 0)
				errinfo_add(ei, "channels", 0, 0,
					    "'%s' is listed twice",
					    in->channels[i]);
	}
	if (in->annual_customers < -1 ||
	    in->annual_customers > 10000000000LL)
		errinfo_add(ei, "annual_customers", 0, 0,
			    "must be a whole number from 0 to 10000000000");
	if (ei->ndetails + ei->dropped_details > before)
		return errinfo_set(ei, ERR_INVALID,
				   "the service has invalid fields");
	return 0;
}

bool entity_email_normalize(const char *in, char *out, size_t cap)
{
	const char *at, *p;
	size_t len, i;

	if (!in)
		return false;
	len = strlen(in);
	if (len < 3 || len > ENTITY_EMAIL_MAX || len >= cap ||
	    !utf8_valid_text(in, len))
		return false;
	at = strchr(in, '@');
	if (!at || at == in || strchr(at + 1, '@') || !at[1])
		return false;
	for (p = in; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' ||
		    *p == '"' || *p == ',' || *p == ';')
			return false;
	p = strchr(at + 1, '.');
	if (!p || p == at + 1 || !p[1] || in[len - 1] == '.')
		return false;
	for (i = 0; i <= len; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	return true;
}

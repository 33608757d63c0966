/*
 * config.c - hipd's configuration: defaults and the "key = value" file
 * (keys documented in hipd(8)).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/identity.h"
#include "hip/proto.h"
#include "hipd/config.h"
#include "hipd/daemon.h"
#include "hipd/log.h"
#include "hipd/net.h"

void hipd_config_defaults(struct hipd_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->kernel, "xfrm");
	strcpy(cfg->state_dir, HIPD_DEFAULT_STATE_DIR);
	strcpy(cfg->run_dir, HIPD_DEFAULT_RUN_DIR);
	cfg->log_level = HIPD_LOG_INFO;
	cfg->puzzle_k = 8;
	cfg->idle_lifetime_s = 900;
	cfg->r2_sent_s = 10;
	cfg->msl_s = 120;
	cfg->default_hi_type = HIP_KEY_ECDSA_P256;
	strcpy(cfg->control_group, HIPD_DEFAULT_CONTROL_GROUP);
	/* Lifetimes: rekey after about a day or 2^32 bytes, well before the
	 * 32-bit ESP sequence number could wrap. */
	cfg->sa_soft_bytes = UINT64_C(4000000000);
	cfg->sa_hard_bytes = UINT64_C(4294000000);
	cfg->sa_soft_seconds = 82800;
	cfg->sa_hard_seconds = 86400;
	cfg->rekey_new_dh = true;
	cfg->locator_debounce_ms = 200;
	cfg->msrd_persist = true;
	strcpy(cfg->hosts_file, HIPD_DEFAULT_HOSTS_FILE);
}

void hipd_config_reload_base(const struct hipd_config *running,
			     struct hipd_config *base)
{
	hipd_config_defaults(base);
	/* set at start only (command line or file): kept as running, so a
	 * reload does not report a change the file did not make */
	strcpy(base->kernel, running->kernel);
	base->no_data_plane = running->no_data_plane;
	strcpy(base->state_dir, running->state_dir);
	strcpy(base->run_dir, running->run_dir);
	base->foreground = running->foreground;
	/* -v stays in force; a log-level line still sets the level */
	base->log_level = running->log_level;
}

/* A POSIX portable group name, or "none". */
static int valid_group_name(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n >= HIPD_GROUP_MAX || v[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = v[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
		      ch == '.'))
			return 0;
	}
	return 1;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1") ||
	    !strcmp(v, "on"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") ||
		 !strcmp(v, "0") || !strcmp(v, "off"))
		*out = false;
	else
		return -1;
	return 0;
}

static int parse_uint(const char *v, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long n;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n > max)
		return -1;
	*out = n;
	return 0;
}

static int parse_u64(const char *v, uint64_t *out)
{
	char *end;
	unsigned long long n;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || *end || n > UINT64_MAX)
		return -1;
	*out = (uint64_t)n;
	return 0;
}

/* An absolute path that fits, without control characters. */
static int parse_path(const char *v, char *dst, size_t cap)
{
	size_t n = strlen(v);

	if (v[0] != '/' || n >= cap)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return -1;
	memcpy(dst, v, n + 1);
	return 0;
}

int hipd_config_kernel_name_ok(const char *name)
{
	static const char *const known[] = { "xfrm", "pfkey" };

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(name, known[i]))
			return 0;
	return HIP_EINVAL;
}

/* Where the lifetime keys were set (0: not in this file), so a soft
 * limit not below its hard one is reported at the later line. */
struct config_lines {
	unsigned soft_bytes, hard_bytes, soft_seconds, hard_seconds;
	unsigned hit_suites;
};

static void config_note_line(struct config_lines *l, const char *key,
			     unsigned lineno)
{
	if (!strcmp(key, "sa-lifetime-soft-bytes"))
		l->soft_bytes = lineno;
	else if (!strcmp(key, "sa-lifetime-hard-bytes"))
		l->hard_bytes = lineno;
	else if (!strcmp(key, "sa-lifetime-soft-seconds"))
		l->soft_seconds = lineno;
	else if (!strcmp(key, "sa-lifetime-hard-seconds"))
		l->hard_seconds = lineno;
	else if (!strcmp(key, "hit-suites"))
		l->hit_suites = lineno;
}

static int check_pair(const char *path, unsigned soft_line,
		      unsigned hard_line, const char *soft_key,
		      const char *hard_key, char *err, size_t errcap)
{
	if (hard_line > soft_line)
		snprintf(err, errcap, "%s:%u: %s: must be above %s", path,
			 hard_line, hard_key, soft_key);
	else if (soft_line > 0)
		snprintf(err, errcap, "%s:%u: %s: must be below %s", path,
			 soft_line, soft_key, hard_key);
	else	/* only the defaults: cannot happen, they are ordered */
		snprintf(err, errcap, "%s: %s must be below %s", path,
			 soft_key, hard_key);
	return HIP_EFORMAT;
}

/* The HIT suite of identities of a key type (RFC 7401 5.2.10, RFC 9374). */
static unsigned key_type_suite(enum hip_key_type t)
{
	switch (t) {
	case HIP_KEY_RSA:
		return HIP_HIT_SUITE_RSA_DSA_SHA256;
	case HIP_KEY_ECDSA_P256:
	case HIP_KEY_ECDSA_P384:
		return HIP_HIT_SUITE_ECDSA_SHA384;
	case HIP_KEY_ED25519:
	case HIP_KEY_ED448:
		return HIP_HIT_SUITE_EDDSA_CSHAKE;
	}
	return 0;
}

/* Checks across keys, after the whole file is read. */
static int config_check(const struct hipd_config *c, const char *path,
			const struct config_lines *l, char *err,
			size_t errcap)
{
	if (c->sa_soft_bytes && c->sa_hard_bytes &&
	    c->sa_soft_bytes >= c->sa_hard_bytes)
		return check_pair(path, l->soft_bytes, l->hard_bytes,
				  "sa-lifetime-soft-bytes",
				  "sa-lifetime-hard-bytes", err, errcap);
	if (c->sa_soft_seconds && c->sa_hard_seconds &&
	    c->sa_soft_seconds >= c->sa_hard_seconds)
		return check_pair(path, l->soft_seconds, l->hard_seconds,
				  "sa-lifetime-soft-seconds",
				  "sa-lifetime-hard-seconds", err, errcap);
	if (c->n_hit_suites > 0 && c->n_identity_files == 0) {
		unsigned want = key_type_suite(c->default_hi_type);
		bool found = false;

		for (size_t i = 0; i < c->n_hit_suites; i++)
			found |= c->hit_suites[i] == want;
		if (!found) {
			snprintf(err, errcap, "%s:%u: hit-suites: does not "
				 "list %s, the suite of default-hi-type %s",
				 path, l->hit_suites, hipd_config_value_name(
					 HIPD_LIST_HIT_SUITE, want),
				 hip_key_type_name(c->default_hi_type));
			return HIP_EFORMAT;
		}
	}
	return 0;
}

/* ADDR or ADDR/PLEN, IPv4 stored v4-mapped (its prefix + 96). */
static int parse_prefix(const char *v, struct in6_addr *a, uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	struct in_addr v4;
	unsigned long n = 128;
	int is4 = 0;

	if (strlen(v) >= sizeof(buf))
		return -1;
	strcpy(buf, v);
	slash = strchr(buf, '/');
	if (slash != NULL) {
		*slash++ = '\0';
		if (parse_uint(slash, 128, &n) < 0)
			return -1;
	}
	if (inet_pton(AF_INET6, buf, a) != 1) {
		if (inet_pton(AF_INET, buf, &v4) != 1)
			return -1;
		hip_net_v4mapped(a, &v4);
		is4 = 1;
	}
	if (is4) {
		if (slash == NULL)
			n = 32;
		if (n > 32)
			return -1;
		n += 96;
	}
	*plen = (uint8_t)n;
	return 0;
}

static int prefix_match(const struct in6_addr *pfx, unsigned plen,
			const struct in6_addr *addr)
{
	unsigned full = plen / 8, rest = plen % 8;
	const uint8_t *x = pfx->s6_addr, *y = addr->s6_addr;

	if (memcmp(x, y, full))
		return 0;
	if (rest && ((x[full] ^ y[full]) & (0xff << (8 - rest)) & 0xff))
		return 0;
	return 1;
}

int hipd_config_ignored(const struct hipd_config *cfg,
			const struct in6_addr *addr)
{
	bool allowed = cfg->n_allow == 0;

	for (size_t i = 0; i < cfg->n_ignore; i++)
		if (prefix_match(&cfg->ignore[i], cfg->ignore_plen[i], addr))
			return 1;
	for (size_t i = 0; i < cfg->n_allow && !allowed; i++)
		allowed = prefix_match(&cfg->allow[i], cfg->allow_plen[i],
				       addr);
	return !allowed;
}

/* Repeatable keys: the first occurrence in a file replaces what the
 * list held before (defaults, or the previous file at a reload). */
static const char *const list_keys[] = {
	"ignore-locator", "locator", "identity",
};

static bool list_key_first(unsigned *seen, const char *key)
{
	for (unsigned i = 0; i < sizeof(list_keys) / sizeof(list_keys[0]);
	     i++) {
		if (strcmp(key, list_keys[i]))
			continue;
		if (*seen & (1u << i))
			return false;
		*seen |= 1u << i;
		return true;
	}
	return false;
}

static void config_list_clear(struct hipd_config *c, const char *key)
{
	if (!strcmp(key, "ignore-locator"))
		c->n_ignore = 0;
	else if (!strcmp(key, "locator"))
		c->n_allow = 0;
	else if (!strcmp(key, "identity"))
		c->n_identity_files = 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
			 e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* A preference list key into an array of n_max entries of width w. */
static const char *set_list(enum hipd_config_list kind, const char *val,
			    size_t n_max, void *arr, size_t w, size_t *count,
			    char *why, size_t whycap)
{
	unsigned ids[HIPD_CONFIG_LIST_CAP];
	char bad[40], names[256];
	size_t n;
	int r;

	r = hipd_config_list_parse(kind, val, ids, n_max, &n, bad,
				   sizeof(bad));
	if (r < 0) {
		hipd_config_value_names(kind, names, sizeof(names));
		if (r == HIP_EEXIST)
			snprintf(why, whycap, "'%s' listed twice", bad);
		else if (r == HIP_ENOSPC)
			snprintf(why, whycap, "more than %zu entries", n_max);
		else if (r == HIP_EUNSUPPORTED)
			snprintf(why, whycap, "'%s' is not supported by this "
				 "build (supported: %s)", bad, names);
		else
			snprintf(why, whycap, "unknown entry '%s' (known: %s)",
				 bad, names);
		return why;
	}
	for (size_t i = 0; i < n; i++) {
		if (w == sizeof(uint8_t))
			((uint8_t *)arr)[i] = (uint8_t)ids[i];
		else
			((uint16_t *)arr)[i] = (uint16_t)ids[i];
	}
	*count = n;
	return NULL;
}

const char *const hipd_config_keys[] = {
	"kernel", "data-plane", "hit-device",
	"identity", "default-hi-type", "hit-suites",
	"dh-groups", "esp-transforms", "puzzle-difficulty",
	"sa-lifetime-soft-bytes", "sa-lifetime-hard-bytes",
	"sa-lifetime-soft-seconds", "sa-lifetime-hard-seconds",
	"rekey-new-dh", "idle-lifetime", "r2-sent-timeout", "msl",
	"locator", "ignore-locator", "locator-debounce-ms", "hosts-file",
	"user", "control-group", "log-level", "msrd-persist", "msrd-file",
	NULL,
};

/* One "key = value"; NULL or why it is wrong (possibly in why[]). */
static const char *config_set(struct hipd_config *c, const char *key,
			      const char *val, char *why, size_t whycap)
{
	unsigned long n;
	unsigned bits;
	bool b;

	if (!strcmp(key, "kernel")) {
		if (hipd_config_kernel_name_ok(val) < 0)
			return "expected xfrm or pfkey";
		strcpy(c->kernel, val);
	} else if (!strcmp(key, "sa-lifetime-soft-bytes")) {
		if (parse_u64(val, &c->sa_soft_bytes) < 0)
			return "expected a number of bytes (0: no limit)";
	} else if (!strcmp(key, "sa-lifetime-hard-bytes")) {
		if (parse_u64(val, &c->sa_hard_bytes) < 0)
			return "expected a number of bytes (0: no limit)";
	} else if (!strcmp(key, "sa-lifetime-soft-seconds")) {
		if (parse_uint(val, UINT32_MAX, &n) < 0)
			return "expected seconds (0: no limit)";
		c->sa_soft_seconds = (uint32_t)n;
	} else if (!strcmp(key, "sa-lifetime-hard-seconds")) {
		if (parse_uint(val, UINT32_MAX, &n) < 0)
			return "expected seconds (0: no limit)";
		c->sa_hard_seconds = (uint32_t)n;
	} else if (!strcmp(key, "rekey-new-dh")) {
		if (parse_bool(val, &c->rekey_new_dh) < 0)
			return "expected yes or no";
	} else if (!strcmp(key, "locator-debounce-ms")) {
		if (parse_uint(val, 60000, &n) < 0)
			return "expected milliseconds from 0 to 60000";
		c->locator_debounce_ms = (uint32_t)n;
	} else if (!strcmp(key, "msrd-persist")) {
		if (parse_bool(val, &c->msrd_persist) < 0)
			return "expected yes or no";
	} else if (!strcmp(key, "msrd-file")) {
		if (parse_path(val, c->msrd_file, sizeof(c->msrd_file)) < 0)
			return "expected an absolute path";
	} else if (!strcmp(key, "data-plane")) {
		if (parse_bool(val, &b) < 0)
			return "expected yes or no";
		c->no_data_plane = !b;
	} else if (!strcmp(key, "puzzle-difficulty")) {
		if (parse_uint(val, 28, &n) < 0)
			return "expected a number of bits from 0 to 28";
		c->puzzle_k = (uint8_t)n;
	} else if (!strcmp(key, "idle-lifetime")) {
		if (parse_uint(val, 30 * 86400, &n) < 0)
			return "expected seconds (0: never), at most 30 days";
		c->idle_lifetime_s = (uint32_t)n;
	} else if (!strcmp(key, "r2-sent-timeout")) {
		if (parse_uint(val, 600, &n) < 0 || n == 0)
			return "expected seconds from 1 to 600";
		c->r2_sent_s = (uint32_t)n;
	} else if (!strcmp(key, "msl")) {
		if (parse_uint(val, 600, &n) < 0 || n == 0)
			return "expected seconds from 1 to 600";
		c->msl_s = (uint32_t)n;
	} else if (!strcmp(key, "ignore-locator")) {
		if (c->n_ignore == HIPD_MAX_IGNORE)
			return "too many ignore-locator lines";
		if (parse_prefix(val, &c->ignore[c->n_ignore],
				 &c->ignore_plen[c->n_ignore]) < 0)
			return "expected ADDRESS or ADDRESS/PREFIXLEN";
		c->n_ignore++;
	} else if (!strcmp(key, "locator")) {
		if (c->n_allow == HIPD_MAX_IGNORE)
			return "too many locator lines";
		if (parse_prefix(val, &c->allow[c->n_allow],
				 &c->allow_plen[c->n_allow]) < 0)
			return "expected ADDRESS or ADDRESS/PREFIXLEN";
		c->n_allow++;
	} else if (!strcmp(key, "identity")) {
		if (c->n_identity_files == HIPD_MAX_IDENTITY_FILES)
			return "too many identity lines";
		if (parse_path(val, c->identity_files[c->n_identity_files],
			       sizeof(c->identity_files[0])) < 0)
			return "expected the absolute path of a key file";
		for (size_t i = 0; i < c->n_identity_files; i++)
			if (!strcmp(c->identity_files[i], val))
				return "file listed twice";
		c->n_identity_files++;
	} else if (!strcmp(key, "dh-groups")) {
		return set_list(HIPD_LIST_DH, val, HIP_ENGINE_MAX_DH,
				c->dh_groups, sizeof(c->dh_groups[0]),
				&c->n_dh_groups, why, whycap);
	} else if (!strcmp(key, "hit-suites")) {
		return set_list(HIPD_LIST_HIT_SUITE, val, HIPD_LIST_MAX,
				c->hit_suites, sizeof(c->hit_suites[0]),
				&c->n_hit_suites, why, whycap);
	} else if (!strcmp(key, "esp-transforms")) {
		return set_list(HIPD_LIST_ESP, val, HIP_ENGINE_MAX_ESP,
				c->esp_transforms, sizeof(c->esp_transforms[0]),
				&c->n_esp_transforms, why, whycap);
	} else if (!strcmp(key, "hosts-file")) {
		if (!strcmp(val, "none"))
			c->hosts_file[0] = '\0';
		else if (parse_path(val, c->hosts_file,
				    sizeof(c->hosts_file)) < 0)
			return "expected an absolute path or none";
		c->hosts_file_set = true;
	} else if (!strcmp(key, "user")) {
		if (!valid_group_name(val) || !strcmp(val, "none"))
			return "expected a user name";
		strcpy(c->user, val);
	} else if (!strcmp(key, "default-hi-type")) {
		if (hip_key_type_parse(val, &c->default_hi_type, &bits) < 0 ||
		    bits != 0)
			return "expected ecdsa-p256, ecdsa-p384, rsa, "
			       "ed25519 or ed448";
	} else if (!strcmp(key, "hit-device")) {
		if (!strcmp(val, "dummy"))
			c->hitdev_lo = false;
		else if (!strcmp(val, "lo"))
			c->hitdev_lo = true;
		else
			return "expected dummy or lo";
	} else if (!strcmp(key, "control-group")) {
		if (!valid_group_name(val))
			return "expected a group name or none";
		strcpy(c->control_group, strcmp(val, "none") ? val : "");
		c->control_group_set = true;
	} else if (!strcmp(key, "log-level")) {
		if (hipd_log_level_parse(val, &c->log_level) < 0)
			return "expected err, warn, info or debug";
	} else {
		return "unknown key";
	}
	return NULL;
}

int hipd_config_read(FILE *f, const char *path, struct hipd_config *cfg,
		     char *err, size_t errcap)
{
	struct hipd_config *c = malloc(sizeof(*c));	/* ~50 KiB */
	char line[1024];
	struct config_lines lines = { 0 };
	unsigned seen = 0;
	unsigned lineno = 0;
	int r = HIP_EFORMAT;

	if (c == NULL) {
		snprintf(err, errcap, "%s: out of memory", path);
		return HIP_ENOMEM;
	}
	*c = *cfg;
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t len = strlen(line);
		char *eq, *key, *val, *p = line;
		char whybuf[384];
		const char *why;

		lineno++;
		if ((len == 0 || line[len - 1] != '\n') && !feof(f)) {
			/* a full buffer, or a NUL cut the line short */
			snprintf(err, errcap, "%s:%u: %s", path, lineno,
				 len + 1 < sizeof(line) ? "NUL character"
				 : "line too long");
			goto out;
		}
		p = trim(p);
		if (*p == '\0' || *p == '#')
			continue;
		eq = strchr(p, '=');
		if (eq == NULL) {
			snprintf(err, errcap, "%s:%u: expected 'key = value'",
				 path, lineno);
			goto out;
		}
		*eq = '\0';
		key = trim(p);
		val = trim(eq + 1);
		if (list_key_first(&seen, key))
			config_list_clear(c, key);
		why = *val ? config_set(c, key, val, whybuf, sizeof(whybuf))
			   : "empty value";
		if (why != NULL) {
			snprintf(err, errcap, "%s:%u: %s: %s", path, lineno,
				 key, why);
			goto out;
		}
		config_note_line(&lines, key, lineno);
	}
	if (ferror(f)) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		r = HIP_EIO;
		goto out;
	}
	if (config_check(c, path, &lines, err, errcap) < 0)
		goto out;
	*cfg = *c;
	r = 0;
out:
	free(c);
	return r;
}

int hipd_config_load(const char *path, struct hipd_config *cfg, char *err,
		     size_t errcap)
{
	FILE *f;
	int r;

	f = fopen(path, "re");
	if (f == NULL) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return HIP_EIO;
	}
	r = hipd_config_read(f, path, cfg, err, errcap);
	fclose(f);
	return r;
}

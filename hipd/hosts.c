/*
 * hosts.c - the peers file parser (see hosts.h, hip-hosts(5)).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hip/error.h"
#include "hip/hit.h"
#include "hip/proto.h"
#include "hipd/hosts.h"

static void seterr(char *err, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || cap == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
}

int hipd_hosts_name_ok(const char *s)
{
	size_t n = strlen(s);

	/* host-name characters (RFC 1123) plus '_'; no leading '-' or
	 * '.', which would read as an option or a hidden/relative name */
	if (n == 0 || n >= HIPD_HOSTS_NAME_MAX || s[0] == '-' || s[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      c == '.'))
			return 0;
	}
	return 1;
}

/* A HIT of a suite hipd can verify (RFC 7401 5.2.10, RFC 9374). */
static int hit_suite_known(const uint8_t hit[HIP_HIT_LEN])
{
	switch (hip_hit_suite_of(hit)) {
	case HIP_HIT_SUITE_RSA_DSA_SHA256:
	case HIP_HIT_SUITE_ECDSA_SHA384:
	case HIP_HIT_SUITE_EDDSA_CSHAKE:
		return 1;
	}
	return 0;
}

/* An IPv4 or IPv6 unicast address a HIP packet can be sent to; IPv4
 * v4-mapped.  Returns NULL or why not. */
static const char *parse_locator(const char *s, struct in6_addr *out)
{
	struct in_addr v4;
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) == 1) {
		if (IN6_IS_ADDR_UNSPECIFIED(&a) || IN6_IS_ADDR_MULTICAST(&a))
			return "not a unicast address";
		if (IN6_IS_ADDR_V4MAPPED(&a))
			return "write IPv4 locators as a.b.c.d";
		if (hip_hit_is_hit(a.s6_addr))
			return "a HIT cannot be a locator";
	} else if (inet_pton(AF_INET, s, &v4) == 1) {
		uint32_t h = ntohl(v4.s_addr);

		if (h == 0 || h == 0xffffffffu || (h >> 28) == 0xe)
			return "not a unicast address";
		memset(&a, 0, sizeof(a));
		a.s6_addr[10] = 0xff;
		a.s6_addr[11] = 0xff;
		memcpy(&a.s6_addr[12], &v4, 4);
	} else {
		return "not an IPv4 or IPv6 address";
	}
	*out = a;
	return NULL;
}

const struct hipd_host *hipd_hosts_by_name(const struct hipd_hosts *h,
					   const char *name)
{
	for (size_t i = 0; h != NULL && i < h->n; i++)
		if (strcmp(h->host[i].name, name) == 0)
			return &h->host[i];
	return NULL;
}

const struct hipd_host *hipd_hosts_by_hit(const struct hipd_hosts *h,
					  const uint8_t hit[HIP_HIT_LEN])
{
	for (size_t i = 0; h != NULL && i < h->n; i++)
		if (memcmp(h->host[i].hit, hit, HIP_HIT_LEN) == 0)
			return &h->host[i];
	return NULL;
}

/* One line (NUL-terminated, no newline) into *e: 1 a peer, 0 nothing
 * (blank or comment), or HIP_EFORMAT with why. */
static int parse_line(char *line, struct hipd_host *e, char *why,
		      size_t whycap)
{
	char *save = NULL, *tok, *hash = strchr(line, '#');
	const char *bad;

	if (hash != NULL)
		*hash = '\0';
	memset(e, 0, sizeof(*e));
	tok = strtok_r(line, " \t\r\v\f", &save);
	if (tok == NULL)
		return 0;
	if (!hipd_hosts_name_ok(tok)) {
		seterr(why, whycap, "'%.*s' is not a valid name (letters, "
		       "digits, '-', '_', '.'; at most %d)", 64, tok,
		       HIPD_HOSTS_NAME_MAX - 1);
		return HIP_EFORMAT;
	}
	strcpy(e->name, tok);
	tok = strtok_r(NULL, " \t\r\v\f", &save);
	if (tok == NULL) {
		seterr(why, whycap, "%s: expected a HIT after the name",
		       e->name);
		return HIP_EFORMAT;
	}
	if (hip_hit_from_str(tok, e->hit) < 0) {
		seterr(why, whycap, "%s: '%.*s' is not a HIT (an ORCHIDv2 "
		       "address in 2001:20::/28)", e->name, 64, tok);
		return HIP_EFORMAT;
	}
	if (!hit_suite_known(e->hit)) {
		seterr(why, whycap, "%s: HIT of unknown HIT suite %d",
		       e->name, hip_hit_suite_of(e->hit));
		return HIP_EFORMAT;
	}
	while ((tok = strtok_r(NULL, " \t\r\v\f", &save)) != NULL) {
		if (e->n_locators == HIP_ENGINE_MAX_LOCATORS) {
			seterr(why, whycap, "%s: more than %d locators",
			       e->name, HIP_ENGINE_MAX_LOCATORS);
			return HIP_EFORMAT;
		}
		bad = parse_locator(tok, &e->locators[e->n_locators]);
		if (bad != NULL) {
			seterr(why, whycap, "%s: locator '%.*s': %s", e->name,
			       64, tok, bad);
			return HIP_EFORMAT;
		}
		for (size_t i = 0; i < e->n_locators; i++)
			if (IN6_ARE_ADDR_EQUAL(&e->locators[i],
					       &e->locators[e->n_locators])) {
				seterr(why, whycap, "%s: locator '%s' listed "
				       "twice", e->name, tok);
				return HIP_EFORMAT;
			}
		e->n_locators++;
	}
	if (e->n_locators == 0) {
		seterr(why, whycap, "%s: expected at least one locator",
		       e->name);
		return HIP_EFORMAT;
	}
	return 1;
}

void hipd_hosts_free(struct hipd_hosts *h)
{
	if (h == NULL)
		return;
	free(h->host);
	free(h);
}

int hipd_hosts_parse(const char *name, const char *text, size_t len,
		     struct hipd_hosts **out, char *err, size_t errcap)
{
	struct hipd_hosts *h;
	size_t pos = 0, cap = 0;
	unsigned lineno = 0;
	int r = 0;

	if (name == NULL)
		name = "hosts";
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return HIP_ENOMEM;
	while (pos < len) {
		char line[HIPD_HOSTS_LINE_MAX], why[256];
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		struct hipd_host e;

		lineno++;
		if (n >= sizeof(line)) {
			seterr(err, errcap, "%s:%u: line too long", name,
			       lineno);
			r = HIP_EFORMAT;
			break;
		}
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos += n + (nl != NULL);
		if (strlen(line) != n) {
			seterr(err, errcap, "%s:%u: NUL character", name,
			       lineno);
			r = HIP_EFORMAT;
			break;
		}
		r = parse_line(line, &e, why, sizeof(why));
		if (r < 0) {
			seterr(err, errcap, "%s:%u: %s", name, lineno, why);
			break;
		}
		if (r == 0)
			continue;
		r = 0;
		if (hipd_hosts_by_name(h, e.name) != NULL) {
			seterr(err, errcap, "%s:%u: %s: name listed twice",
			       name, lineno, e.name);
			r = HIP_EFORMAT;
			break;
		}
		if (hipd_hosts_by_hit(h, e.hit) != NULL) {
			seterr(err, errcap, "%s:%u: %s: HIT already given to "
			       "%s", name, lineno, e.name,
			       hipd_hosts_by_hit(h, e.hit)->name);
			r = HIP_EFORMAT;
			break;
		}
		if (h->n == HIPD_HOSTS_MAX) {
			seterr(err, errcap, "%s:%u: more than %d peers", name,
			       lineno, HIPD_HOSTS_MAX);
			r = HIP_ENOSPC;
			break;
		}
		if (h->n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			struct hipd_host *nh;

			nh = realloc(h->host, ncap * sizeof(*nh));
			if (nh == NULL) {
				r = HIP_ENOMEM;
				break;
			}
			h->host = nh;
			cap = ncap;
		}
		h->host[h->n++] = e;
	}
	if (r < 0) {
		hipd_hosts_free(h);
		return r;
	}
	*out = h;
	return 0;
}

int hipd_hosts_load(const char *path, bool missing_ok,
		    struct hipd_hosts **out, char *err, size_t errcap)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT && missing_ok)
			return hipd_hosts_parse(path, "", 0, out, err, errcap);
		seterr(err, errcap, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? HIP_ENOENT : HIP_EIO;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		seterr(err, errcap, "%s: not a regular file", path);
		close(fd);
		return HIP_EIO;
	}
	if (st.st_size > HIPD_HOSTS_FILE_MAX) {
		seterr(err, errcap, "%s: larger than %d octets", path,
		       HIPD_HOSTS_FILE_MAX);
		close(fd);
		return HIP_EFORMAT;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		return HIP_ENOMEM;
	}
	for (;;) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			seterr(err, errcap, "%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return HIP_EIO;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > (size_t)st.st_size) {
			seterr(err, errcap, "%s: changed while reading", path);
			free(buf);
			close(fd);
			return HIP_EIO;
		}
	}
	close(fd);
	r = hipd_hosts_parse(path, buf, got, out, err, errcap);
	free(buf);
	return r;
}

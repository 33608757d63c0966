/*
 * hipd/hosts.h - the peers file (hip-hosts(5), default /etc/hip/hosts):
 * one peer per line,
 *
 *	NAME HIT LOCATOR [LOCATOR...]	# comment
 *
 * NAME a host name (letters, digits, '-', '_', '.'), HIT an ORCHIDv2
 * HIT (RFC 7343) of a HIT suite hipd knows, LOCATORs IPv4 or IPv6
 * unicast addresses (at most HIP_ENGINE_MAX_LOCATORS, tried in order).
 * Names and HITs are unique in a file.  Read at start and on reload;
 * the peers go to the engine (hip_engine_peer_add) beside the peers
 * configured with hipconf, which win for the same HIT.
 *
 * A file that fails to parse is refused whole: the error names
 * FILE:LINE and nothing is changed.
 */
#ifndef HIPD_HOSTS_H
#define HIPD_HOSTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "hip/engine.h"
#include "hip/hit.h"

#define HIPD_HOSTS_MAX		1024	/* peers in one file */
#define HIPD_HOSTS_NAME_MAX	64	/* NUL included */
#define HIPD_HOSTS_FILE_MAX	(1024 * 1024)	/* octets */
#define HIPD_HOSTS_LINE_MAX	1024

struct hipd_host {
	char name[HIPD_HOSTS_NAME_MAX];
	uint8_t hit[HIP_HIT_LEN];
	size_t n_locators;
	struct in6_addr locators[HIP_ENGINE_MAX_LOCATORS];	/* IPv4
								 * v4-mapped */
};

struct hipd_hosts {
	size_t n;
	struct hipd_host *host;		/* n entries, file order */
};

/* Parse the text of a peers file; name is used in messages ("FILE:LINE:
 * reason").  *out is allocated (hipd_hosts_free).  0, HIP_EFORMAT,
 * HIP_ENOSPC (more than HIPD_HOSTS_MAX peers) or HIP_ENOMEM. */
int hipd_hosts_parse(const char *name, const char *text, size_t len,
		     struct hipd_hosts **out, char *err, size_t errcap);

/* Read and parse path.  A missing file gives an empty list when
 * missing_ok, else HIP_ENOENT; HIP_EIO on other read errors. */
int hipd_hosts_load(const char *path, bool missing_ok,
		    struct hipd_hosts **out, char *err, size_t errcap);

void hipd_hosts_free(struct hipd_hosts *h);

/* The entry with that name or HIT, NULL when none (h may be NULL). */
const struct hipd_host *hipd_hosts_by_name(const struct hipd_hosts *h,
					   const char *name);
const struct hipd_host *hipd_hosts_by_hit(const struct hipd_hosts *h,
					  const uint8_t hit[HIP_HIT_LEN]);

/* 1 when s is an acceptable peer name. */
int hipd_hosts_name_ok(const char *s);

#endif

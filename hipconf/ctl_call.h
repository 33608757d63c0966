/*
 * hipconf/ctl_call.h - how hipconf's daemon commands talk to hipd: the
 * global options (-s/--socket, --json), one request/reply call over the
 * control socket, and the reading and printing of typed reply values.
 */
#ifndef HIPCONF_CTL_CALL_H
#define HIPCONF_CTL_CALL_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "hip/ctl.h"

/* --json was given. */
extern bool hipconf_json;

struct reply {
	struct hip_ctl_hdr hdr;
	struct hip_ctl_iter attrs;
};

/* Attribute values of one row (or of the reply's top level). */
struct row {
	struct in6_addr hit, local_hit, peer_hit, local_loc, peer_loc;
	bool has_hit, has_local_hit, has_peer_hit, has_age;
	struct in6_addr locs[32];
	size_t n_locs;
	struct in6_addr hits[32];
	size_t n_hits;
	char name[HIP_CTL_STRING_MAX + 1];
	char version[64];
	uint64_t uptime, age, bytes_in, bytes_out;
	bool has_bytes;
	uint32_t count, flags, spi_in, spi_out, lsi, pid;
	uint16_t esp, cipher, keybits;
	uint8_t state, dh, algo, hit_suite;
	bool has_list;
	struct hip_ctl_attr list;
};

/* Remove -s/--socket/--json from argv (they may follow the command);
 * -1 after printing an error. */
int hipconf_strip_globals(int *argc, char **argv);

/* Start a request for cmd in the shared request buffer. */
void hipconf_msg_start(struct hip_ctl_msg *m, uint16_t cmd);

/* Send m, wait for the reply; print the failure and return
 * HIPCONF_EXIT_FAIL on any, HIPCONF_EXIT_OK otherwise. */
int hipconf_call(const struct hip_ctl_msg *m, struct reply *rep);

/* Text form of an address (v4-mapped ones as IPv4). */
const char *hipconf_addr_str(const struct in6_addr *a, char *buf, size_t cap);
/* An IPv6 or IPv4 (as v4-mapped) address; -1 if neither. */
int hipconf_parse_addr(const char *s, struct in6_addr *out);
/* A HIT (checked to be one); -1 after printing an error. */
int hipconf_parse_hit(const char *s, struct in6_addr *out);
/* Name of an RFC 7402 ESP transform suite. */
const char *hipconf_esp_name(unsigned id);

/* Read the attributes of a reply or of one list item into r. */
void hipconf_read_row(const struct hip_ctl_iter *range, struct row *r);
/* Call fn for every ITEM of the reply's LIST. */
void hipconf_for_each_item(const struct row *top,
			   void (*fn)(const struct row *item, void *arg),
			   void *arg);
/* A JSON key with an address as string value. */
int hipconf_json_addr(struct hip_json *j, const char *key,
		      const struct in6_addr *a);
/* Ask hipd for the list cmd and print each item with fn: as text
 * (arg NULL), or, with --json, into a JSON array (arg the writer). */
int hipconf_list(uint16_t cmd, void (*fn)(const struct row *item, void *arg));
/* Finish the JSON document on stdout: exit status for the command. */
int hipconf_json_done(struct hip_json *j);

#endif

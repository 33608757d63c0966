/*
 * hipd/config.h - helpers of the configuration parser (config.c,
 * config_values.c) that other parts of hipd and the tests use; struct
 * hipd_config and hipd_config_load() are in daemon.h.
 */
#ifndef HIPD_CONFIG_H
#define HIPD_CONFIG_H

#include <stddef.h>
#include <stdio.h>

struct hipd_config;

#define HIPD_DEFAULT_CONFIG_FILE	"/etc/hip/hipd.conf"
#define HIPD_DEFAULT_HOSTS_FILE		"/etc/hip/hosts"

/* hipd_config_load on an open stream; path names it in messages. */
int hipd_config_read(FILE *f, const char *path, struct hipd_config *cfg,
		     char *err, size_t errcap);

/* Every key the file may hold, NULL-terminated (for the tests that
 * hold the example file and the manual to it). */
extern const char *const hipd_config_keys[];

/* What a reload reads the file over: the defaults, with the settings
 * only the command line or a restart can change taken from running. */
void hipd_config_reload_base(const struct hipd_config *running,
			     struct hipd_config *base);

/* 0 when name is a kernel backend the configuration accepts ("xfrm",
 * "pfkey"), else HIP_EINVAL.  Whether that backend is built in and
 * works is decided at start (hip_kernel_find). */
int hipd_config_kernel_name_ok(const char *name);

/* The named values of the preference-list keys. */
enum hipd_config_list {
	HIPD_LIST_DH,		/* dh-groups: enum hip_dh_group */
	HIPD_LIST_HIT_SUITE,	/* hit-suites: enum hip_hit_suite */
	HIPD_LIST_ESP,		/* esp-transforms: enum hip_esp_suite */
};
#define HIPD_CONFIG_LIST_CAP 16

/* name -> id: 0, HIP_EINVAL (unknown name), HIP_EUNSUPPORTED (known,
 * but this build's libhipcore cannot use it). */
int hipd_config_value_parse(enum hipd_config_list kind, const char *name,
			    unsigned *id);
/* id -> name, NULL when it has none. */
const char *hipd_config_value_name(enum hipd_config_list kind, unsigned id);
/* The usable names, ", "-separated, for error messages; the length. */
size_t hipd_config_value_names(enum hipd_config_list kind, char *out,
			       size_t cap);
/* "a, b, c" -> ids[] (at most cap, in order).  0, or HIP_EFORMAT (empty
 * entry), HIP_EINVAL (unknown), HIP_EUNSUPPORTED, HIP_EEXIST (twice),
 * HIP_ENOSPC (more than cap) with the offending entry in bad; ids and
 * count are written only on success. */
int hipd_config_list_parse(enum hipd_config_list kind, const char *text,
			   unsigned *ids, size_t cap, size_t *count,
			   char *bad, size_t badcap);

#endif

/*
 * hipd/config.h - helpers of the configuration parser (config.c) that
 * other parts of hipd use; struct hipd_config and hipd_config_load()
 * are in daemon.h.
 */
#ifndef HIPD_CONFIG_H
#define HIPD_CONFIG_H

/* 0 when name is a kernel backend the configuration accepts ("xfrm",
 * "pfkey"), else HIP_EINVAL.  Whether that backend is built in and
 * works is decided at start (hip_kernel_find). */
int hipd_config_kernel_name_ok(const char *name);

#endif

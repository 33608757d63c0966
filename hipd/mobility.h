/*
 * hipd/mobility.h - hipd's side of mobility and multihoming (RFC 8046,
 * RFC 8047): the host's locators, learnt from rtnetlink (hipd/addrs.h),
 * handed to the engine after a short debounce, and the engine's
 * SA_MIGRATE actions carried out in the kernel.
 *
 *   rtnetlink address/link event -> debounce (locator_debounce_ms)
 *     -> hipd_mobility_changed -> hip_engine_set_locators (preferred
 *        first) -> UPDATE with LOCATOR_SET to every peer
 *   engine SA_MIGRATE -> hip_kernel_migrate (SAs and policies move);
 *     when the backend cannot, the old SAs are deleted, the policies
 *     pointed at the new locators and a rekey installs fresh SAs there
 *
 * Which locators: usable addresses (hip_addrs_usable) on links that are
 * up, minus the configured ignore-locator ones.  Order: locators given
 * to the engine before keep their place (the preferred one stays
 * preferred while it exists); new ones follow, IPv6 before IPv4.
 */
#ifndef HIPD_MOBILITY_H
#define HIPD_MOBILITY_H

#include <stddef.h>
#include <netinet/in.h>

struct hipd_daemon;
struct hip_engine_action;

#define HIPD_MOBILITY_MAX_LOCATORS	8	/* announced at most */

/* Start following address changes: d->addrs must have its event socket
 * and d->loop, d->engine exist.  Gives the engine the current locators
 * at once.  On failure err says why and nothing stays registered.  0 or
 * HIP_E*. */
int hipd_mobility_open(struct hipd_daemon *d, char *err, size_t errcap);

/* Stop (before d->addrs and d->loop go).  Safe when never opened. */
void hipd_mobility_close(struct hipd_daemon *d);

/* Recompute the locator set now (the debounce is over, or something
 * else changed: the configuration, an MSRD record, a new engine) and,
 * when it differs from what the engine has, hand it over and drain. */
void hipd_mobility_changed(struct hipd_daemon *d);

/* Forget what the engine was given (it was recreated): the next
 * hipd_mobility_changed hands the set over again. */
void hipd_mobility_reset(struct hipd_daemon *d);

/* The locators last given to the engine (preferred first): up to cap
 * into out; returns how many there are. */
size_t hipd_mobility_locators(const struct hipd_daemon *d,
			      struct in6_addr *out, size_t cap);

/* Carry out one HIP_ACT_SA_MIGRATE action (from hipd_daemon_drain). */
void hipd_mobility_migrate(struct hipd_daemon *d,
			   const struct hip_engine_action *a);

#endif

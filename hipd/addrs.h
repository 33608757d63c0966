/*
 * hipd/addrs.h - the host's locators, from rtnetlink (libmnl): the list
 * of usable addresses, a non-blocking event socket for address and link
 * changes (RTMGRP_IPV6_IFADDR, RTMGRP_IPV4_IFADDR, RTMGRP_LINK) decoded
 * into events, and the source address the kernel would choose for a
 * destination (RTM_GETROUTE).
 *
 * Addresses are struct in6_addr, IPv4 as v4-mapped (as in hipd/net.h).
 *
 * A usable locator is a unicast address of global scope that is not
 * tentative, deprecated or DAD-failed, and is none of: unspecified,
 * loopback, link-local (fe80::/10, 169.254/16), site-local (fec0::/10),
 * multicast, v4-mapped or v4-compatible, 0/8, a HIT (2001:20::/28) or an
 * LSI (1.0.0.0/8).  Unique-local addresses (fc00::/7) and private IPv4
 * are usable.
 */
#ifndef HIPD_ADDRS_H
#define HIPD_ADDRS_H

#include <stdint.h>
#include <stddef.h>
#include <netinet/in.h>

/* hip_addrs_open flags */
#define HIP_ADDRS_NO_EVENTS	0x1	/* no event socket */

struct hip_addrs;

struct hip_locator {
	struct in6_addr addr;
	unsigned ifindex;
	uint8_t plen;
};

enum hip_addrs_event_type {
	HIP_ADDRS_EV_ADD = 1,	/* a usable locator appeared (or became
				 * usable: DAD done) */
	HIP_ADDRS_EV_DEL = 2,	/* a locator went away or became unusable
				 * (deprecated, DAD failed); may name one
				 * never reported as added */
	HIP_ADDRS_EV_LINK_UP = 3,	/* ifindex is up and running */
	HIP_ADDRS_EV_LINK_DOWN = 4,	/* ifindex is down, or was removed;
					 * repeated states are possible */
	HIP_ADDRS_EV_OVERRUN = 5,	/* the kernel dropped events: list
					 * the locators again */
};

struct hip_addrs_event {
	enum hip_addrs_event_type type;
	struct hip_locator loc;		/* ADD and DEL */
	unsigned ifindex;		/* all but OVERRUN */
};

typedef void (*hip_addrs_event_cb)(const struct hip_addrs_event *ev,
				   void *arg);

/* Open the request socket and, unless HIP_ADDRS_NO_EVENTS, the event
 * socket (subscribed before anything is listed, so no change is lost
 * between a list and the first event).  0 or HIP_E*. */
int hip_addrs_open(struct hip_addrs **ap, unsigned flags);
void hip_addrs_close(struct hip_addrs *a);

/* The usable locators, at most cap of them in out; *count gets how many
 * exist (may exceed cap: then HIP_ENOSPC and out holds the first cap).
 * 0 or HIP_E*. */
int hip_addrs_list(struct hip_addrs *a, struct hip_locator *out, size_t cap,
		   size_t *count);

/* Non-blocking fd readable when events wait; -1 without events. */
int hip_addrs_event_fd(const struct hip_addrs *a);

/* Decode waiting events (at most max messages' worth) and hand each to
 * cb; returns how many events were delivered (0: none waiting) or
 * HIP_E*.  Messages that are not about a locator or a link state are
 * skipped. */
int hip_addrs_read_events(struct hip_addrs *a, unsigned max,
			  hip_addrs_event_cb cb, void *arg);

/* The source address the kernel picks for packets to dst (v4-mapped for
 * IPv4), with its outgoing interface if ifindex is not NULL.  0,
 * HIP_EINVAL, HIP_ENOENT (no route, or no source), other HIP_E*. */
int hip_addrs_route_src(struct hip_addrs *a, const struct in6_addr *dst,
			struct in6_addr *src, unsigned *ifindex);

/* 1 when an address of that family with those IFA_F_* flags and scope
 * is a usable locator (see above), else 0. */
int hip_addrs_usable(const struct in6_addr *addr, uint32_t ifa_flags,
		     uint8_t scope);

/* Whether interface ifindex is up and running (IFF_UP and IFF_RUNNING):
 * 1 or 0; HIP_ENOENT when there is no such interface, other HIP_E*.
 * Locators on a link that is down are not usable for mobility even
 * when the kernel keeps them (IPv4 addresses stay on a downed link). */
int hip_addrs_link_up(struct hip_addrs *a, unsigned ifindex);

/* Last kernel explanation of a refused request, or "". */
const char *hip_addrs_errmsg(const struct hip_addrs *a);

#endif

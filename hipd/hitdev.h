/*
 * hipd/hitdev.h - the host's HITs and LSIs as interface addresses.
 *
 * Applications bind to our HITs (and LSIs), and the kernel must pick
 * one of them as the source of traffic to a peer HIT; the XFRM policies
 * then carry that traffic over ESP.  So hipd puts each HIT (IPv6 /128,
 * no DAD) and LSI (IPv4 /32) on an interface and routes the HIT prefix
 * 2001:20::/28 and the LSI range 1.0.0.0/8 through it:
 *
 *   - a dummy interface "hip0" (created here, addrgenmode none so it has
 *     no link-local address) when the kernel has the dummy driver;
 *   - else the loopback interface "lo", which must be up.
 *
 * Either way source address selection prefers an address of the
 * outgoing interface (RFC 6724 rule 5; IPv4 takes the device's primary
 * address of a fitting scope), so `ip route get PEER_HIT` shows one of
 * our HITs as src.  Packets that no XFRM policy catches are dropped by
 * the dummy device, or looped back on lo and dropped as not ours.  With
 * several HITs the kernel picks by longest matching prefix; applications
 * that care bind to the HIT they want.
 *
 * LSIs: the route and addresses are there, but whether IPv4 traffic to
 * an LSI reaches XFRM is not established yet: lo has disable_xfrm=1 for
 * IPv4, and an IPv4 BEET trigger policy gave no ACQUIRE in our tests
 * (hipd uses HIP_HITDEV_NO_LSI for now).
 *
 * Ownership: our routes carry protocol HIP_HITDEV_PROTO, our addresses
 * IFA_PROTO HIP_HITDEV_PROTO (kernels >= 6.1 keep it).  Open clears what
 * a crashed instance left: the dummy interface of that name, routes of
 * our protocol, HIT and LSI addresses of our protocol.  Close removes
 * exactly what this instance added.  Needs CAP_NET_ADMIN.
 */
#ifndef HIPD_HITDEV_H
#define HIPD_HITDEV_H

#include <stdint.h>

#include "hip/hit.h"

#define HIP_HITDEV_NAME		"hip0"
#define HIP_HITDEV_PROTO	139	/* rtm_protocol and ifa_proto */
#define HIP_HITDEV_MAX		16	/* HITs (and LSIs) each */
#define HIP_HITDEV_LSI_PREFIX_LEN 8	/* 1.0.0.0/8 */

/* hip_hitdev_open flags */
#define HIP_HITDEV_USE_LO	0x1	/* use lo even if dummy exists */
#define HIP_HITDEV_NO_LSI	0x2	/* no route for the LSI range */

struct hip_hitdev;

/* Clear leftovers, create and bring up the interface (name: NULL for
 * HIP_HITDEV_NAME, at most IFNAMSIZ-1 chars), add the routes.  0 or
 * HIP_EINVAL, HIP_EEXIST (name is a non-dummy interface, or a route of
 * someone else's covers the prefix exactly), HIP_EPERM, HIP_ENOMEM,
 * HIP_EIO.  Nothing is left behind on failure. */
int hip_hitdev_open(struct hip_hitdev **dp, const char *name, unsigned flags);
/* Remove every address and route added, and the dummy interface. */
void hip_hitdev_close(struct hip_hitdev *d);

/* The interface in use: its index, its name, whether it is our dummy. */
unsigned hip_hitdev_ifindex(const struct hip_hitdev *d);
const char *hip_hitdev_ifname(const struct hip_hitdev *d);
int hip_hitdev_is_dummy(const struct hip_hitdev *d);

/* Add or remove a HIT (must lie in 2001:20::/28) or an LSI (1.0.0.0/8).
 * add: 0, HIP_EINVAL, HIP_EEXIST (present already), HIP_ENOSPC (already
 * HIP_HITDEV_MAX of them), other codes from the kernel.  del: 0 or
 * HIP_ENOENT (not added by this instance); an address someone else
 * removed meanwhile counts as deleted. */
int hip_hitdev_add_hit(struct hip_hitdev *d, const uint8_t hit[HIP_HIT_LEN]);
int hip_hitdev_del_hit(struct hip_hitdev *d, const uint8_t hit[HIP_HIT_LEN]);
int hip_hitdev_add_lsi(struct hip_hitdev *d, const uint8_t lsi[HIP_LSI_LEN]);
int hip_hitdev_del_lsi(struct hip_hitdev *d, const uint8_t lsi[HIP_LSI_LEN]);

/* The kernel's explanation of the last refused request, or "". */
const char *hip_hitdev_errmsg(const struct hip_hitdev *d);

#endif

/*
 * kernel_pfkey.c - hipd's PF_KEY backend ("pfkey", hipd --kernel
 * pfkey): sockets, requests, probe and the ops table.
 *
 * What Linux's af_key does with what hipd needs.  Measured on Debian
 * 12's User-Mode Linux kernel 6.1.176 (test/kernel/pfkey_backend_uml_
 * test.sh and the notes of issue 4); the source of net/key/af_key.c
 * explains each finding.
 *
 *  1. BEET SAs (SADB_ADD/SADB_UPDATE with SADB_X_EXT_SA2 mode
 *     IPSEC_MODE_BEET = 3).  The SA's inner selector comes only from
 *     SADB_EXT_ADDRESS_PROXY, and only its source: without PROXY the
 *     selector is the outer pair's family with ::/0 on both sides, with
 *     PROXY the source is the given HIT and the destination stays ::/0.
 *     BEET decapsulation writes the selector's addresses into the inner
 *     header, so an inbound SA added this way hands the stack packets
 *     for the destination :: (seen: ping over the HITs fails, the SA
 *     counts the packets, the kernel drops them as undeliverable).
 *     Besides: HMAC-SHA-256 is installed with a 96-bit ICV (RFC 4868
 *     and hipd's peers use 128), there is no AEAD (AES-GCM: ENOSYS), no
 *     ESN and a replay window of at most 32.  So every SA goes in
 *     through XFRM netlink (NEWSA, or UPDSA over an SPI reserved with
 *     SADB_GETSPI), with kernel_xfrm_sa.c's code.  Nothing is ever added
 *     that would decapsulate to the wrong addresses.
 *  2. SADB_ACQUIRE from a BEET policy carries the template's outer
 *     addresses (for hipd's trigger policy ::1 and ::), the policy's id,
 *     direction and priority and a proposal; not the flow, not the
 *     reqid.  The backend asks SADB_X_SPDGET for the policy: when its
 *     selector is a HIT pair (/128 both), that is the flow.  For the
 *     /28 trigger policies it is not, and PF_KEY has no way to name the
 *     flow (a dump of the larval SA shows the flow's source as PROXY,
 *     never its destination), so the backend reads the larval SA the
 *     ACQUIRE created through XFRM netlink: its selector is the flow,
 *     and its seq is the ACQUIRE's sadb_msg_seq when af_key was the
 *     last key manager asked (it is registered after xfrm_user).
 *     Failing a match by seq, every pending larval SA of the trigger
 *     reqid with the ACQUIRE's outer addresses is reported (the engine
 *     ignores an ACQUIRE for an exchange under way).
 *  3. SADB_X_SPDADD/SPDUPDATE accept BEET ipsecrequests, but af_key
 *     reads an ipsecrequest's addresses only in tunnel mode (a BEET
 *     template gets no outer addresses, its family is the selector's)
 *     and replaces a reqid above IPSEC_MANUAL_REQID_MAX (0x3fff) by one
 *     of its own (level unique).  The priority is kept.  So PF_KEY
 *     installs exactly the policies whose template has no addresses and
 *     no reqid (the inbound trigger policy: any BEET ESP SA will do);
 *     the others go through XFRM.  Deletion, lookup and dumps use
 *     PF_KEY for all (X_SPDDELETE, X_SPDDELETE2, X_SPDGET, X_SPDDUMP).
 *  4. SADB_EXPIRE: soft and hard, by time and bytes, to registered
 *     sockets; the soft one carries LIFETIME_SOFT, the hard one
 *     LIFETIME_HARD, both the SA (SPI), SA2 (reqid) and the outer
 *     addresses, and no keys.
 *  5. SADB_X_MIGRATE (CONFIG_NET_KEY_MIGRATE=y here): the request moves
 *     BEET SAs and policy templates (hipd's reqids pass unchanged); the
 *     kernel's X_MIGRATE broadcast goes to PF_KEY sockets of the initial
 *     network namespace only, so a hipd in another namespace never
 *     hears of migrations done by others.
 *  6. Every SADB_ADD/UPDATE/GET/GETSPI reply, and the broadcast that
 *     tells all PF_KEY sockets of a new SA (also one added through
 *     XFRM), carries the keys: buffers are wiped after use.
 *  7. For a BEET SA with HITs over IPv4 locators, every message about
 *     it (GET, DUMP, EXPIRE, ADD broadcasts) has a PROXY extension
 *     written in the outer family: AF_INET, the HIT's first four bytes,
 *     prefix length 128.  libpfkey rejects such messages, so the backend
 *     receives through its own loop that drops that extension first
 *     (pfk_msg_repair) and then parses.
 *  8. SADB_X_SPDADD reports the new policy to every socket, SADB_X_MIGRATE
 *     answers only errors; a request socket that nobody reads fills up
 *     with others' broadcasts and then loses its replies, so it is
 *     emptied before each request.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hip/error.h"
#include "hip/util.h"
#include "hipd/kernel_pfkey.h"
#include "hipd/kernel_xfrm.h"

int pfk_errno_to_hip(int err)
{
	if (err >= 0)
		return err;
	switch (err) {
	case -EEXIST:
		return HIP_EEXIST;
	case -ENOENT:
	case -ESRCH:
	case -ENODATA:
	case PFKEY_ENOENT:
		return HIP_ENOENT;
	case -EPERM:
	case -EACCES:
		return HIP_EPERM;
	case -ENOMEM:
	case -ENOBUFS:
	case PFKEY_ENOMEM:
		return HIP_ENOMEM;
	case -EINVAL:
	case -ERANGE:
	case -E2BIG:
	case PFKEY_EINVAL:
		return HIP_EINVAL;
	case -ENOSYS:
	case -EOPNOTSUPP:
	case -EPROTONOSUPPORT:
	case -EAFNOSUPPORT:
	case -ENOPROTOOPT:
	case -ESOCKTNOSUPPORT:
		return HIP_EUNSUPPORTED;
	case PFKEY_ENOSPC:
		return HIP_ENOSPC;
	case PFKEY_ETIMEDOUT:
		errno = ETIMEDOUT;
		return HIP_EIO;
	default:
		if (err <= PFKEY_EINVAL)
			return HIP_EFORMAT;	/* a malformed reply */
		errno = -err;
		return HIP_EIO;
	}
}

void pfk_set_errmsg(struct pfk_kernel *p, const char *what, int err)
{
	snprintf(p->base.errmsg, sizeof(p->base.errmsg), "PF_KEY %s: %s",
		 what, pfkey_strerror(err));
}

int pfk_build_init(struct pfk_kernel *p, struct pfkey_builder *b, void *buf,
		   uint8_t type, uint8_t satype)
{
	memset(buf, 0, PFK_MSG_BUF);
	return pfkey_build_init(b, buf, PFK_MSG_BUF, type, satype,
				pfkey_next_seq(&p->req), p->req.pid);
}

/*
 * af_key sends every socket a copy of every SA and policy change (with
 * the keys) and drops what does not fit in a full receive queue: our
 * replies too.  The request socket is read only while it waits for a
 * reply, so empty it before each request.
 */
void pfk_drain(struct pfk_kernel *p)
{
	ssize_t n;
	int any = 0;

	do {
		n = recv(p->req.fd, p->rbuf, sizeof(p->rbuf), MSG_DONTWAIT);
		any |= n > 0;
	} while (n > 0 || (n < 0 && errno == EINTR));
	if (any)
		hip_wipe(p->rbuf, sizeof(p->rbuf));
}

int pfk_recv(struct pfkey_sock *s, uint8_t *buf, struct pfkey_msg *m,
	     int timeout_ms)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	ssize_t n;
	int r;

	for (;;) {
		n = recv(s->fd, buf, PFKEY_RECV_BUF, MSG_DONTWAIT | MSG_TRUNC);
		if (n >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		if (timeout_ms <= 0)
			return -EAGAIN;
		r = poll(&pfd, 1, timeout_ms);
		if (r == 0)
			return PFKEY_ETIMEDOUT;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
	if ((size_t)n > PFKEY_RECV_BUF)
		return PFKEY_ETRUNC;
	n = (ssize_t)pfk_msg_repair(buf, (size_t)n);
	return pfkey_parse(buf, (size_t)n, PFKEY_PARSE_SKIP_UNKNOWN, m);
}

/* Wait for the message of type from our socket with seq (any seq if
 * any_seq): a reply, or the next entry of a dump. */
static int pfk_wait_reply(struct pfk_kernel *p, uint8_t type, uint32_t seq,
			  int any_seq, struct pfkey_msg *m)
{
	int r;

	for (;;) {
		r = pfk_recv(&p->req, p->rbuf, m, PFK_TIMEOUT_MS);
		if (r == -EAGAIN || r == -EINTR)
			continue;
		if (r == PFKEY_ETIMEDOUT)
			return r;
		if (r <= PFKEY_EINVAL)
			continue;	/* someone else's malformed broadcast */
		if (r < 0)
			return r;
		if (m->type == type && m->pid == p->req.pid &&
		    (any_seq || m->seq == seq))
			return 0;
		hip_wipe(p->rbuf, m->len);	/* others' SAs, with keys */
	}
}

int pfk_request(struct pfk_kernel *p, void *msg, size_t len,
		struct pfkey_msg *out)
{
	uint8_t type = ((const uint8_t *)msg)[1];
	struct pfkey_msg m;
	uint32_t seq;
	int r;

	memcpy(&seq, (const uint8_t *)msg + 8, 4);
	p->base.errmsg[0] = '\0';
	pfk_drain(p);
	r = pfkey_send(&p->req, msg, len);
	hip_wipe(msg, len);
	if (r == 0)
		r = pfk_wait_reply(p, type, seq, 0, &m);
	if (r == 0 && m.errno_val != 0)
		r = -(int)m.errno_val;
	if (r == 0 && out != NULL)
		*out = m;
	if (r < 0)
		pfk_set_errmsg(p, pfkey_msg_type_name(type), r);
	return pfk_errno_to_hip(r);
}

int pfk_dump(struct pfk_kernel *p, uint8_t type, uint8_t satype,
	     pfkey_entry_fn entry, void *arg)
{
	_Alignas(8) uint8_t buf[PFK_MSG_BUF];
	struct pfkey_builder b;
	struct pfkey_msg m;
	size_t len;
	int r, stop = 0, count = 0;

	p->base.errmsg[0] = '\0';
	pfk_drain(p);
	pfk_build_init(p, &b, buf, type, satype);
	r = pfkey_build_finish(&b, &len);
	if (r == 0)
		r = pfkey_send(&p->req, buf, len);
	/* Read to the end (seq 0) even after an error in entry(): the
	 * kernel keeps an unfinished dump and refuses the next one. */
	while (r == 0) {
		r = pfk_wait_reply(p, type, 0, 1, &m);
		if (r < 0)
			break;
		if (m.errno_val != 0) {
			/* ENOENT: the database is empty */
			if (m.errno_val != ENOENT || count > 0)
				r = -(int)m.errno_val;
			break;
		}
		count++;
		if (stop == 0)
			stop = entry(&m, arg);
		hip_wipe(p->rbuf, m.len);
		if (m.seq == 0)
			break;
	}
	hip_wipe(p->rbuf, sizeof(p->rbuf));
	if (r == 0 && stop < 0)
		r = stop;
	if (r < 0)
		pfk_set_errmsg(p, pfkey_msg_type_name(type), r);
	return r < 0 ? r : count;
}

void pfk_sockaddr(union pfkey_sockaddr *sa, sa_family_t family,
		  const uint8_t *b)
{
	memset(sa, 0, sizeof(*sa));
	if (family == AF_INET) {
		sa->sin.sin_family = AF_INET;
		memcpy(&sa->sin.sin_addr, b, 4);
	} else {
		sa->sin6.sin6_family = AF_INET6;
		memcpy(&sa->sin6.sin6_addr, b, 16);
	}
}

int pfk_add_addr(struct pfkey_builder *b, uint16_t exttype,
		 sa_family_t family, const uint8_t *addr, uint8_t plen)
{
	union pfkey_sockaddr sa;

	pfk_sockaddr(&sa, family, addr);
	return pfkey_add_address(b, exttype, IPSEC_PROTO_ANY, plen, &sa.sa);
}

/* --- open, close --------------------------------------------------------- */

static void pfk_close(struct hip_kernel *k)
{
	struct pfk_kernel *p = pfk_of(k);

	if (p == NULL)
		return;
	pfkey_close(&p->req);
	if (p->have_ev)
		pfkey_close(&p->ev);
	if (p->xfrm != NULL)
		xfrm_nl_close(p->xfrm);
	hip_wipe(p->rbuf, sizeof(p->rbuf));
	hip_wipe(p->ebuf, sizeof(p->ebuf));
	free(p);
}

static int pfk_open(struct hip_kernel **kp, unsigned flags, char *why,
		    size_t whycap)
{
	struct pfk_kernel *p;
	char dummy[1];
	int r;

	if (why == NULL || whycap == 0) {
		why = dummy;
		whycap = sizeof(dummy);
	}
	why[0] = '\0';
	if (kp == NULL)
		return HIP_EINVAL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return HIP_ENOMEM;
	p->base.ops = &hip_kernel_pfkey_ops;
	p->req.fd = p->ev.fd = -1;
	r = pfkey_open(&p->req);
	if (r < 0) {
		if (r == -EAFNOSUPPORT || r == -EPROTONOSUPPORT)
			snprintf(why, whycap, "the kernel has no PF_KEY: load "
				 "the af_key module (CONFIG_NET_KEY)");
		else if (r == -EPERM || r == -EACCES)
			snprintf(why, whycap, "PF_KEY needs CAP_NET_ADMIN");
		else
			snprintf(why, whycap, "cannot open a PF_KEY socket: "
				 "%s", pfkey_strerror(r));
		r = pfk_errno_to_hip(r);
		goto fail;
	}
	if (!(flags & HIP_KERNEL_OPEN_NOEVENTS)) {
		int sz = PFK_EV_RCVBUF;

		r = pfkey_open(&p->ev);
		if (r == 0) {
			p->have_ev = 1;
			/* af_key drops broadcasts silently when the queue is
			 * full: make room for bursts of ACQUIREs. */
			(void)setsockopt(p->ev.fd, SOL_SOCKET, SO_RCVBUF, &sz,
					 sizeof(sz));
			r = pfkey_register(&p->ev, SADB_SATYPE_ESP, NULL,
					   PFK_TIMEOUT_MS);
		}
		if (r < 0) {
			snprintf(why, whycap, "cannot register with PF_KEY "
				 "for ESP: %s", pfkey_strerror(r));
			r = pfk_errno_to_hip(r);
			goto fail;
		}
	}
	/* SAs, and policies with outer addresses, need XFRM (see the top
	 * of this file). */
	r = xfrm_nl_open(&p->xfrm, HIP_KERNEL_OPEN_NOEVENTS, why, whycap);
	if (r < 0) {
		p->xfrm = NULL;
		goto fail;
	}
	*kp = &p->base;
	return 0;
fail:
	pfk_close(&p->base);
	return r;
}

/* --- probe --------------------------------------------------------------- */

static int pfk_has_alg(const struct pfkey_alg *algs, size_t n, uint8_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (algs[i].id == id)
			return 1;
	return 0;
}

/* A BEET reservation through PF_KEY (SADB_GETSPI with SA2 mode BEET)
 * and its deletion: af_key accepts BEET and ESP for this family.  The
 * addresses are private and carry our PID (see kernel_xfrm_probe.c). */
static int pfk_probe_beet(struct pfk_kernel *p, sa_family_t family)
{
	struct hip_kernel_outer o;
	uint32_t pid = (uint32_t)getpid(), spi = 0;
	int r;

	memset(&o, 0, sizeof(o));
	o.family = family;
	if (family == AF_INET6) {
		o.src.b[0] = o.dst.b[0] = 0x01;
		o.src.b[15] = 2;
		o.dst.b[8] = 0xfe;
		o.dst.b[12] = (uint8_t)(pid >> 24);
		o.dst.b[13] = (uint8_t)(pid >> 16);
		o.dst.b[14] = (uint8_t)(pid >> 8);
		o.dst.b[15] = (uint8_t)pid;
	} else {
		o.src.b[0] = 240, o.src.b[3] = 2;
		o.dst.b[0] = (uint8_t)(240 | ((pid >> 24) & 0x0f));
		o.dst.b[1] = (uint8_t)(pid >> 16);
		o.dst.b[2] = (uint8_t)(pid >> 8);
		o.dst.b[3] = (uint8_t)pid;
	}
	r = pfk_alloc_spi(&p->base, &o, HIP_KERNEL_REQID_PROBE,
			  HIP_KERNEL_SPI_MIN, 0xffff, &spi);
	if (r == 0)
		r = pfk_delete_sa_raw(p, family, o.dst.b, spi);
	return r;
}

static int pfk_probe(struct hip_kernel *k, char *why, size_t whycap)
{
	struct pfk_kernel *p = pfk_of(k);
	struct pfkey_supported *sup;
	struct pfkey_sock s;
	char dummy[1];
	int r;

	if (why == NULL || whycap == 0) {
		why = dummy;
		whycap = sizeof(dummy);
	}
	why[0] = '\0';
	/* The algorithms af_key offers, from a registration of its own
	 * (the event socket may not exist). */
	sup = calloc(1, sizeof(*sup));
	if (sup == NULL)
		return HIP_ENOMEM;
	r = pfkey_open(&s);
	if (r == 0) {
		r = pfkey_register(&s, SADB_SATYPE_ESP, sup, PFK_TIMEOUT_MS);
		pfkey_close(&s);
	}
	if (r < 0) {
		snprintf(why, whycap, "PF_KEY does not answer SADB_REGISTER: "
			 "%s", pfkey_strerror(r));
		free(sup);
		return pfk_errno_to_hip(r);
	}
	if (!pfk_has_alg(sup->encrypt, sup->nencrypt, SADB_X_EALG_AESCBC) ||
	    !pfk_has_alg(sup->auth, sup->nauth, SADB_X_AALG_SHA2_256HMAC)) {
		snprintf(why, whycap, "PF_KEY offers no AES-CBC with HMAC-"
			 "SHA-256 for ESP: load the esp4 and esp6 modules "
			 "(CONFIG_INET_ESP, CONFIG_INET6_ESP) and the crypto "
			 "modules (aes, cbc, sha256, hmac)");
		free(sup);
		return HIP_EUNSUPPORTED;
	}
	free(sup);
	r = pfk_probe_beet(p, AF_INET6);
	if (r == 0)
		r = pfk_probe_beet(p, AF_INET);
	if (r < 0) {
		snprintf(why, whycap, "PF_KEY refused a BEET-mode ESP SPI "
			 "reservation (SADB_GETSPI): %s%s%s%s",
			 hip_strerror(r), p->base.errmsg[0] ? " [" : "",
			 p->base.errmsg, p->base.errmsg[0] ? "]" : "");
		return r;
	}
	/* The SAs themselves go in through XFRM: probe that path too. */
	r = xfrm_probe(p->xfrm, why, whycap);
	if (r < 0)
		memcpy(p->base.errmsg, p->xfrm->errmsg, sizeof(p->base.errmsg));
	return r;
}

const struct hip_kernel_ops hip_kernel_pfkey_ops = {
	.name = "pfkey",
	.probe = pfk_probe,
	.open = pfk_open,
	.close = pfk_close,
	.alloc_spi = pfk_alloc_spi,
	.add_sa = pfk_add_sa,
	.del_sa = pfk_del_sa,
	.get_sa_stats = pfk_get_sa_stats,
	.add_policy = pfk_add_policy,
	.del_policy = pfk_del_policy,
	.migrate = pfk_migrate,
	.flush_owned = pfk_flush_owned,
	.event_fd = pfk_event_fd,
	.read_events = pfk_read_events,
};

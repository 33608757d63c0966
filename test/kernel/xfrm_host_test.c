/*
 * xfrm_host_test - the XFRM backend against the running kernel, in a
 * private network namespace (unshare(CLONE_NEWNET) before anything
 * else), so the host's own IPsec state is never touched; the namespace
 * disappears with the process.  Needs root; exits 77 (skip) without.
 * Works without ESP in the kernel: what needs ESP is tested under UML
 * (xfrm_uml_test.sh).  `ip` (iproute2) is the independent witness of
 * what ended up in the kernel.
 */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "hip/error.h"
#include "hipd/kernel.h"
#include "hipd/kernel_xfrm.h"

#define HIT1 "2001:20::1"
#define HIT2 "2001:20::2"
#define HIT3 "2001:20::3"

/* --- helpers --- */

static int sh(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* The output of cmd (at most cap-1 bytes). */
static void sh_out(const char *cmd, char *out, size_t cap)
{
	FILE *f = popen(cmd, "r");
	size_t n = 0;

	ck_assert_ptr_nonnull(f);
	while (n + 1 < cap) {
		size_t r = fread(out + n, 1, cap - 1 - n, f);

		if (r == 0)
			break;
		n += r;
	}
	out[n] = '\0';
	pclose(f);
}

static void pton6(const char *s, uint8_t *b)
{
	ck_assert_int_eq(inet_pton(AF_INET6, s, b), 1);
}

static void sel6(struct hip_kernel_sel *s, const char *src, const char *dst)
{
	memset(s, 0, sizeof(*s));
	s->family = AF_INET6;
	pton6(src, s->src.b);
	pton6(dst, s->dst.b);
	s->src_plen = s->dst_plen = 128;
}

static void outer6(struct hip_kernel_outer *o, const char *src,
		   const char *dst)
{
	memset(o, 0, sizeof(*o));
	o->family = AF_INET6;
	pton6(src, o->src.b);
	pton6(dst, o->dst.b);
}

static void policy6(struct hip_kernel_policy *p, enum hip_kernel_dir dir,
		    const char *isrc, const char *idst, const char *osrc,
		    const char *odst, uint32_t reqid)
{
	memset(p, 0, sizeof(*p));
	sel6(&p->inner, isrc, idst);
	outer6(&p->outer, osrc, odst);
	p->dir = dir;
	p->reqid = reqid;
	p->priority = HIP_KERNEL_PRIO_ASSOC;
}

static struct hip_kernel *open_k(unsigned flags)
{
	struct hip_kernel *k = NULL;
	char why[256];
	int err;

	err = hip_kernel_open("xfrm", flags | HIP_KERNEL_OPEN_NOPROBE, &k,
			      why, sizeof(why));
	ck_assert_msg(err == 0, "open: %s %s", hip_strerror(err), why);
	return k;
}

static void send_udp(const char *dst)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(9) };
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);

	ck_assert_int_ge(fd, 0);
	pton6(dst, sa.sin6_addr.s6_addr);
	/* Dropped while the larval SA exists; the ACQUIRE is the point. */
	(void)sendto(fd, "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
}

struct want {
	enum hip_kernel_event_type type;
	unsigned n, max;
	struct hip_kernel_event ev[4];
};

static void collect(const struct hip_kernel_event *ev, void *arg)
{
	struct want *w = arg;

	if (ev->type == w->type && w->n < w->max)
		w->ev[w->n++] = *ev;
}

/* Wait up to ms for n events of type; returns how many came. */
static unsigned wait_events(struct hip_kernel *k, struct want *w,
			    unsigned n, int ms)
{
	struct pollfd pfd = { .fd = hip_kernel_event_fd(k), .events = POLLIN };
	struct timespec t0, t;

	ck_assert_int_ge(pfd.fd, 0);
	w->max = n < 4 ? n : 4;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (w->n < w->max) {
		long left;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = ms - ((t.tv_sec - t0.tv_sec) * 1000 +
			     (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			break;
		(void)poll(&pfd, 1, (int)left);
		ck_assert_int_ge(hip_kernel_read_events(k, 16, collect, w), 0);
	}
	return w->n;
}

static void clear_xfrm(void)
{
	ck_assert_int_eq(sh("ip xfrm policy flush && ip xfrm state flush"), 0);
}

static int has_esp(void)
{
	int ok = sh("ip xfrm state add src 2001:db8::1 dst 2001:db8::2 "
		    "proto esp spi 0x1000 mode beet "
		    "enc 'cbc(aes)' 0x00112233445566778899aabbccddeeff "
		    "auth-trunc 'hmac(sha256)' "
		    "0x00112233445566778899aabbccddeeff"
		    "00112233445566778899aabbccddeeff 128 "
		    "sel src 2001:20::1 dst 2001:20::2 2>/dev/null") == 0;
	clear_xfrm();
	return ok;
}

/* --- tests --- */

START_TEST(test_probe_names_missing_piece)
{
	struct hip_kernel *k = NULL;
	char why[512], out[4096];
	int esp = has_esp();
	int err;

	err = hip_kernel_open(NULL, 0, &k, why, sizeof(why));
	if (esp) {
		ck_assert_msg(err == 0, "probe failed with ESP: %s", why);
		hip_kernel_close(k);
	} else {
		ck_assert_int_eq(err, HIP_EUNSUPPORTED);
		ck_assert_ptr_null(k);
		ck_assert_msg(strstr(why, "no ESP support for IPv6") &&
			      strstr(why, "esp6") &&
			      strstr(why, "CONFIG_INET6_ESP"),
			      "unclear: %s", why);
	}
	/* The probe leaves nothing behind. */
	sh_out("ip xfrm state; ip xfrm policy", out, sizeof(out));
	ck_assert_str_eq(out, "");
	ck_assert_ptr_eq(hip_kernel_find(NULL), &hip_kernel_xfrm_ops);
	ck_assert_ptr_eq(hip_kernel_find("xfrm"), &hip_kernel_xfrm_ops);
	ck_assert_ptr_null(hip_kernel_find("nonesuch"));
	ck_assert_int_eq(hip_kernel_open("nonesuch", 0, &k, why, sizeof(why)),
			 HIP_ENOENT);
}
END_TEST

START_TEST(test_policy_add_del)
{
	struct hip_kernel *k = open_k(HIP_KERNEL_OPEN_NOEVENTS);
	struct hip_kernel_policy p;
	char out[4096];

	policy6(&p, HIP_KERNEL_DIR_OUT, HIT1, HIT3, "2001:db8::1",
		"2001:db8::2", HIP_KERNEL_REQID(5));
	ck_assert_int_eq(hip_kernel_add_policy(k, &p), 0);
	sh_out("ip xfrm policy list dir out", out, sizeof(out));
	ck_assert_msg(strstr(out, "src 2001:20::1/128 dst 2001:20::3/128") &&
		      strstr(out, "priority 1212743936") &&
		      strstr(out, "tmpl src 2001:db8::1 dst 2001:db8::2") &&
		      strstr(out, "proto esp reqid 1212743685 mode beet"),
		      "unexpected policy: %s", out);
	ck_assert_int_eq(hip_kernel_add_policy(k, &p), HIP_EEXIST);

	/* Replace moves the template. */
	outer6(&p.outer, "2001:db8::5", "2001:db8::6");
	p.flags = HIP_KERNEL_POLICY_REPLACE;
	ck_assert_int_eq(hip_kernel_add_policy(k, &p), 0);
	sh_out("ip xfrm policy list dir out", out, sizeof(out));
	ck_assert_ptr_nonnull(strstr(out, "tmpl src 2001:db8::5 dst 2001:db8::6"));
	ck_assert_ptr_null(strstr(out, "2001:db8::1 "));

	/* HITs over IPv4 locators: the template has the outer family. */
	policy6(&p, HIP_KERNEL_DIR_IN, HIT3, HIT1, "::", "::",
		HIP_KERNEL_REQID(6));
	p.outer.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.2", p.outer.src.b);
	inet_pton(AF_INET, "192.0.2.1", p.outer.dst.b);
	ck_assert_int_eq(hip_kernel_add_policy(k, &p), 0);
	sh_out("ip xfrm policy list dir in", out, sizeof(out));
	ck_assert_msg(strstr(out, "tmpl src 192.0.2.2 dst 192.0.2.1"), "%s", out);

	ck_assert_int_eq(hip_kernel_del_policy(k, &p.inner, HIP_KERNEL_DIR_IN), 0);
	sel6(&p.inner, HIT1, HIT3);
	ck_assert_int_eq(hip_kernel_del_policy(k, &p.inner, HIP_KERNEL_DIR_OUT), 0);
	sh_out("ip xfrm policy", out, sizeof(out));
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(hip_kernel_del_policy(k, &p.inner, HIP_KERNEL_DIR_OUT),
			 HIP_ENOENT);
	hip_kernel_close(k);
}
END_TEST

START_TEST(test_policy_refuses_unowned)
{
	struct hip_kernel *k = open_k(HIP_KERNEL_OPEN_NOEVENTS);
	struct hip_kernel_policy p;
	struct hip_kernel_sel s;
	char out[4096];

	policy6(&p, HIP_KERNEL_DIR_OUT, HIT1, HIT3, "2001:db8::1",
		"2001:db8::2", HIP_KERNEL_REQID(5));
	p.priority = 100;			/* outside our range */
	ck_assert_int_eq(hip_kernel_add_policy(k, &p), HIP_EINVAL);
	p.priority = HIP_KERNEL_PRIO_ASSOC;
	p.reqid = 7;				/* foreign reqid */
	ck_assert_int_eq(hip_kernel_add_policy(k, &p), HIP_EINVAL);
	p.reqid = 0;				/* "any" only inbound */
	ck_assert_int_eq(hip_kernel_add_policy(k, &p), HIP_EINVAL);
	p.reqid = HIP_KERNEL_REQID(5);
	p.inner.src_plen = 129;
	ck_assert_int_eq(hip_kernel_add_policy(k, &p), HIP_EINVAL);
	p.inner.src_plen = 128;
	p.dir = (enum hip_kernel_dir)2;		/* forward: not ours */
	ck_assert_int_eq(hip_kernel_add_policy(k, &p), HIP_EINVAL);
	sh_out("ip xfrm policy", out, sizeof(out));
	ck_assert_str_eq(out, "");

	/* Somebody else's policy with a HIT selector is not ours to
	 * delete, even by its exact selector. */
	ck_assert_int_eq(sh("ip xfrm policy add src 2001:20::1/128 "
			    "dst 2001:20::9/128 dir out priority 100 "
			    "tmpl proto esp mode transport"), 0);
	sel6(&s, HIT1, "2001:20::9");
	ck_assert_int_eq(hip_kernel_del_policy(k, &s, HIP_KERNEL_DIR_OUT),
			 HIP_EPERM);
	sh_out("ip xfrm policy", out, sizeof(out));
	ck_assert_ptr_nonnull(strstr(out, "dst 2001:20::9/128"));
	hip_kernel_close(k);
}
END_TEST

START_TEST(test_acquire_trigger_policy)
{
	struct hip_kernel *k = open_k(0);
	struct hip_kernel_policy out, in;
	struct want w = { .type = HIP_KEV_ACQUIRE };
	struct hip_kernel_sel s;
	char txt[4096];

	hip_kernel_trigger_policies(AF_INET6, &out, &in);
	ck_assert_int_eq(hip_kernel_add_policy(k, &out), 0);
	ck_assert_int_eq(hip_kernel_add_policy(k, &in), 0);
	sh_out("ip xfrm policy", txt, sizeof(txt));
	ck_assert_msg(strstr(txt, "src 2001:20::/28 dst 2001:20::/28") &&
		      strstr(txt, "dir in") && strstr(txt, "dir out"), "%s", txt);

	send_udp(HIT2);
	ck_assert_uint_eq(wait_events(k, &w, 1, 3000), 1);
	sel6(&s, HIT1, HIT2);
	ck_assert_int_eq(w.ev[0].u.acquire.inner.family, AF_INET6);
	ck_assert_mem_eq(w.ev[0].u.acquire.inner.src.b, s.src.b, 16);
	ck_assert_mem_eq(w.ev[0].u.acquire.inner.dst.b, s.dst.b, 16);
	ck_assert_uint_eq(w.ev[0].u.acquire.inner.src_plen, 128);
	ck_assert_uint_eq(w.ev[0].u.acquire.inner.dst_plen, 128);
	ck_assert_int_eq(w.ev[0].u.acquire.outer.family, AF_UNSPEC);
	ck_assert_uint_eq(w.ev[0].u.acquire.reqid, HIP_KERNEL_REQID_TRIGGER);
	ck_assert_int_eq(w.ev[0].u.acquire.policy_dir, HIP_KERNEL_DIR_OUT);
	ck_assert_uint_ne(w.ev[0].u.acquire.policy_index, 0);
	hip_kernel_close(k);
}
END_TEST

START_TEST(test_acquire_assoc_policy)
{
	struct hip_kernel *k = open_k(0);
	struct hip_kernel_policy p;
	struct want w = { .type = HIP_KEV_ACQUIRE };
	struct hip_kernel_outer o;

	policy6(&p, HIP_KERNEL_DIR_OUT, HIT1, HIT3, "2001:db8::1",
		"2001:db8::2", HIP_KERNEL_REQID(0x33));
	ck_assert_int_eq(hip_kernel_add_policy(k, &p), 0);
	send_udp(HIT3);
	ck_assert_uint_eq(wait_events(k, &w, 1, 3000), 1);
	outer6(&o, "2001:db8::1", "2001:db8::2");
	ck_assert_int_eq(w.ev[0].u.acquire.outer.family, AF_INET6);
	ck_assert_mem_eq(w.ev[0].u.acquire.outer.src.b, o.src.b, 16);
	ck_assert_mem_eq(w.ev[0].u.acquire.outer.dst.b, o.dst.b, 16);
	ck_assert_uint_eq(w.ev[0].u.acquire.reqid, HIP_KERNEL_REQID(0x33));
	ck_assert_mem_eq(w.ev[0].u.acquire.inner.dst.b, p.inner.dst.b, 16);
	hip_kernel_close(k);
}
END_TEST

START_TEST(test_alloc_spi_and_expire)
{
	struct hip_kernel *k = open_k(0);
	struct want w = { .type = HIP_KEV_EXPIRE };
	struct hip_kernel_outer o;
	uint32_t a = 0, b = 0;
	char cmd[256], out[4096];
	unsigned i, seen = 0;

	/* Reservations live xfrm_acq_expires seconds: shorten it (this
	 * namespace only) to see them expire. */
	ck_assert_int_eq(sh("echo 1 > /proc/sys/net/core/xfrm_acq_expires"), 0);
	outer6(&o, "2001:db8::2", "2001:db8::1");
	ck_assert_int_eq(hip_kernel_alloc_spi(k, &o, HIP_KERNEL_REQID(1),
					      0x1000, 0x1fff, &a), 0);
	ck_assert_int_eq(hip_kernel_alloc_spi(k, &o, HIP_KERNEL_REQID(2),
					      0x1000, 0x1fff, &b), 0);
	ck_assert_uint_ge(a, 0x1000);
	ck_assert_uint_le(a, 0x1fff);
	ck_assert_uint_ge(b, 0x1000);
	ck_assert_uint_le(b, 0x1fff);
	ck_assert_uint_ne(a, b);
	snprintf(cmd, sizeof(cmd), "ip xfrm state get src 2001:db8::2 "
		 "dst 2001:db8::1 proto esp spi 0x%x", a);
	sh_out(cmd, out, sizeof(out));
	ck_assert_msg(strstr(out, "reqid 1212743681 mode beet"), "%s", out);

	ck_assert_int_eq(hip_kernel_alloc_spi(k, &o, HIP_KERNEL_REQID(3),
					      10, 0x1fff, &a), HIP_EINVAL);
	ck_assert_int_eq(hip_kernel_alloc_spi(k, &o, 7, 0x1000, 0x1fff, &a),
			 HIP_EINVAL);

	ck_assert_uint_eq(wait_events(k, &w, 2, 5000), 2);
	for (i = 0; i < 2; i++) {
		ck_assert(w.ev[i].u.expire.hard);
		ck_assert_int_eq(w.ev[i].u.expire.outer.family, AF_INET6);
		ck_assert_mem_eq(w.ev[i].u.expire.outer.dst.b, o.dst.b, 16);
		if (w.ev[i].u.expire.spi == a) {
			seen |= 1;
			ck_assert_uint_eq(w.ev[i].u.expire.reqid,
					  HIP_KERNEL_REQID(1));
		}
		if (w.ev[i].u.expire.spi == b) {
			seen |= 2;
			ck_assert_uint_eq(w.ev[i].u.expire.reqid,
					  HIP_KERNEL_REQID(2));
		}
	}
	ck_assert_uint_eq(seen, 3);
	ck_assert_int_eq(sh("echo 30 > /proc/sys/net/core/xfrm_acq_expires"), 0);
	hip_kernel_close(k);
}
END_TEST

START_TEST(test_flush_owned_spares_foreign)
{
	struct hip_kernel *k = open_k(HIP_KERNEL_OPEN_NOEVENTS);
	struct hip_kernel_policy out, in, p;
	struct hip_kernel_outer o;
	unsigned n = 99;
	uint32_t spi;
	char txt[8192];

	/* Another key manager's policy and (larval) SA. */
	ck_assert_int_eq(sh("ip xfrm policy add src 2001:db8:f::/64 "
			    "dst 2001:db8:e::/64 dir out priority 100 "
			    "tmpl proto esp mode transport reqid 7"), 0);
	ck_assert_int_eq(sh("ip xfrm state allocspi src 2001:db8::2 "
			    "dst 2001:db8::9 proto esp mode beet reqid 7 "
			    ">/dev/null"), 0);
	/* Ours. */
	hip_kernel_trigger_policies(AF_INET6, &out, &in);
	ck_assert_int_eq(hip_kernel_add_policy(k, &out), 0);
	ck_assert_int_eq(hip_kernel_add_policy(k, &in), 0);
	policy6(&p, HIP_KERNEL_DIR_OUT, HIT1, HIT3, "2001:db8::1",
		"2001:db8::2", HIP_KERNEL_REQID(5));
	ck_assert_int_eq(hip_kernel_add_policy(k, &p), 0);
	outer6(&o, "2001:db8::2", "2001:db8::1");
	ck_assert_int_eq(hip_kernel_alloc_spi(k, &o, HIP_KERNEL_REQID(8),
					      0x1000, 0x1fff, &spi), 0);

	ck_assert_int_eq(hip_kernel_flush_owned(k, &n), 0);
	ck_assert_uint_eq(n, 4);
	sh_out("ip xfrm policy; ip xfrm state", txt, sizeof(txt));
	ck_assert_msg(strstr(txt, "src 2001:db8:f::/64 dst 2001:db8:e::/64") &&
		      strstr(txt, "dst 2001:db8::9") && strstr(txt, "reqid 7"),
		      "foreign state gone: %s", txt);
	ck_assert_msg(!strstr(txt, "2001:20::") && !strstr(txt, "12127"),
		      "ours left: %s", txt);
	/* Nothing left of ours: a second flush finds nothing. */
	ck_assert_int_eq(hip_kernel_flush_owned(k, &n), 0);
	ck_assert_uint_eq(n, 0);
	hip_kernel_close(k);
}
END_TEST

START_TEST(test_migrate_policies)
{
	struct hip_kernel *k = open_k(0);
	struct want w = { .type = HIP_KEV_MIGRATE };
	struct hip_kernel_policy po, pi;
	struct hip_kernel_migrate m;
	struct hip_kernel_outer no;
	char txt[4096];
	int err;
	unsigned i;

	policy6(&po, HIP_KERNEL_DIR_OUT, HIT1, HIT3, "2001:db8::1",
		"2001:db8::2", HIP_KERNEL_REQID(0x10));
	ck_assert_int_eq(hip_kernel_add_policy(k, &po), 0);
	memset(&m, 0, sizeof(m));
	sel6(&m.inner, HIT1, HIT3);
	outer6(&m.old_outer, "2001:db8::1", "2001:db8::2");
	outer6(&m.new_outer, "2001:db8::11", "2001:db8::12");
	m.reqid_out = HIP_KERNEL_REQID(0x10);
	m.reqid_in = HIP_KERNEL_REQID(0x11);

	/* No inbound policy: the call fails and the outbound one is back
	 * where it was. */
	err = hip_kernel_migrate(k, &m);
	ck_assert_msg(err == HIP_ENOENT, "migrate: %s", hip_strerror(err));
	sh_out("ip xfrm policy", txt, sizeof(txt));
	ck_assert_msg(strstr(txt, "tmpl src 2001:db8::1 dst 2001:db8::2"),
		      "not rolled back: %s", txt);
	w.max = 4;
	(void)hip_kernel_read_events(k, 16, collect, &w);	/* drain */
	w.n = 0;

	policy6(&pi, HIP_KERNEL_DIR_IN, HIT3, HIT1, "2001:db8::2",
		"2001:db8::1", HIP_KERNEL_REQID(0x11));
	ck_assert_int_eq(hip_kernel_add_policy(k, &pi), 0);
	ck_assert_int_eq(hip_kernel_migrate(k, &m), 0);
	sh_out("ip xfrm policy", txt, sizeof(txt));
	ck_assert_msg(strstr(txt, "tmpl src 2001:db8::11 dst 2001:db8::12") &&
		      strstr(txt, "tmpl src 2001:db8::12 dst 2001:db8::11") &&
		      !strstr(txt, "2001:db8::1 ") && !strstr(txt, "::2\n"),
		      "not migrated: %s", txt);

	/* The kernel tells listeners, once per direction. */
	ck_assert_uint_eq(wait_events(k, &w, 2, 3000), 2);
	outer6(&no, "2001:db8::11", "2001:db8::12");
	for (i = 0; i < 2; i++) {
		const struct hip_kernel_migrate_entry *e = &w.ev[i].u.migrate.e[0];
		int out = w.ev[i].u.migrate.dir == HIP_KERNEL_DIR_OUT;

		ck_assert_uint_eq(w.ev[i].u.migrate.n, 1);
		ck_assert_uint_eq(e->reqid, out ? m.reqid_out : m.reqid_in);
		ck_assert_int_eq(e->new_outer.family, AF_INET6);
		ck_assert_mem_eq(e->new_outer.src.b,
				 out ? no.src.b : no.dst.b, 16);
		ck_assert_mem_eq(e->new_outer.dst.b,
				 out ? no.dst.b : no.src.b, 16);
	}
	ck_assert_int_ne(w.ev[0].u.migrate.dir, w.ev[1].u.migrate.dir);
	hip_kernel_close(k);
}
END_TEST

/* The decoder on messages the kernel would never send. */
START_TEST(test_event_decode_rejects_malformed)
{
	_Alignas(8) char buf[2048];
	struct hip_kernel_event ev;
	struct xfrm_user_acquire acq;
	struct nlmsghdr *nlh;
	char odd[10] = { 0 };

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_ACQUIRE;
	mnl_nlmsg_put_extra_header(nlh, sizeof(acq) - 8);
	ck_assert_int_eq(xfrm_event_decode(nlh, &ev), HIP_ETRUNC);

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_ACQUIRE;
	mnl_nlmsg_put_extra_header(nlh, sizeof(acq));
	mnl_attr_put(nlh, XFRMA_TMPL, sizeof(odd), odd);
	ck_assert_int_eq(xfrm_event_decode(nlh, &ev), HIP_ELEN);

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_MIGRATE;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct xfrm_userpolicy_id));
	ck_assert_int_eq(xfrm_event_decode(nlh, &ev), HIP_EMISSING);

	nlh->nlmsg_type = XFRM_MSG_NEWSA;	/* not an event of ours */
	ck_assert_int_eq(xfrm_event_decode(nlh, &ev), 0);
}
END_TEST

static void setup(void)
{
	clear_xfrm();
}

static void teardown(void)
{
	clear_xfrm();
}

int main(void)
{
	Suite *s = suite_create("xfrm_host");
	TCase *tc = tcase_create("kernel");
	SRunner *sr;
	int failed;

	if (geteuid() != 0) {
		fprintf(stderr, "xfrm_host_test: needs root (network "
			"namespace, XFRM netlink): skipped\n");
		return 77;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "xfrm_host_test: unshare(CLONE_NEWNET): %s: "
			"skipped\n", strerror(errno));
		return 77;
	}
	if (sh("ip link set lo up && "
	       "ip -6 addr add " HIT1 "/128 dev lo nodad && "
	       "ip -6 route add 2001:20::/28 dev lo") != 0) {
		fprintf(stderr, "xfrm_host_test: cannot set up the namespace "
			"with ip (iproute2)\n");
		return 99;
	}
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_probe_names_missing_piece);
	tcase_add_test(tc, test_policy_add_del);
	tcase_add_test(tc, test_policy_refuses_unowned);
	tcase_add_test(tc, test_acquire_trigger_policy);
	tcase_add_test(tc, test_acquire_assoc_policy);
	tcase_add_test(tc, test_alloc_spi_and_expire);
	tcase_add_test(tc, test_flush_owned_spares_foreign);
	tcase_add_test(tc, test_migrate_policies);
	tcase_add_test(tc, test_event_decode_rejects_malformed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

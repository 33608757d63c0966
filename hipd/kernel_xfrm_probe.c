/*
 * kernel_xfrm_probe.c - can this kernel carry HIP traffic?  And the
 * xfrm backend's ops table.
 *
 * The probe asks XFRM netlink for the SPD counters (does the API work,
 * may we use it), then adds and deletes one throw-away BEET-mode ESP SA
 * per outer family, with ESN and the mandatory suite (AES-128-CBC with
 * HMAC-SHA-256): that exercises the ESP module, BEET and the crypto
 * templates exactly as hipd will.  The SA is recognisable and private:
 * destination in 100::/64 (RFC 6666, discard) or 240.0.0.0/4 (reserved)
 * with our PID in it, reqid HIP_KERNEL_REQID_PROBE (so flush_owned would
 * remove a leftover), and it carries no traffic.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hip/error.h"
#include "hip/proto.h"
#include "hipd/kernel_xfrm.h"

static int xfrm_any_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static int xfrm_probe_api(struct xfrm_kernel *x)
{
	_Alignas(8) char buf[XFRM_REQ_BUF];
	struct nlmsghdr *nlh;
	void *hdr;

	nlh = xfrm_nl_start(buf, XFRM_MSG_GETSPDINFO, 0, &hdr,
			    sizeof(uint32_t));
	return xfrm_nl_talk(x, nlh, xfrm_any_cb, NULL);
}

static void xfrm_probe_sa(sa_family_t family, struct hip_kernel_sa *sa)
{
	uint32_t pid = (uint32_t)getpid();
	size_t i;

	memset(sa, 0, sizeof(*sa));
	sa->inner.family = AF_INET6;
	sa->inner.src.b[0] = 0x20, sa->inner.src.b[1] = 0x01;
	sa->inner.src.b[3] = 0x20, sa->inner.src.b[15] = 1;
	sa->inner.dst = sa->inner.src;
	sa->inner.dst.b[15] = 2;
	sa->inner.src_plen = sa->inner.dst_plen = 128;
	sa->outer.family = family;
	if (family == AF_INET6) {
		sa->outer.src.b[0] = sa->outer.dst.b[0] = 0x01;
		sa->outer.src.b[15] = 1;
		sa->outer.dst.b[8] = 0xff, sa->outer.dst.b[9] = 0xff;
		sa->outer.dst.b[12] = (uint8_t)(pid >> 24);
		sa->outer.dst.b[13] = (uint8_t)(pid >> 16);
		sa->outer.dst.b[14] = (uint8_t)(pid >> 8);
		sa->outer.dst.b[15] = (uint8_t)pid;
	} else {
		sa->outer.src.b[0] = 240, sa->outer.src.b[3] = 1;
		sa->outer.dst.b[0] = (uint8_t)(240 | ((pid >> 24) & 0x0f));
		sa->outer.dst.b[1] = (uint8_t)(pid >> 16);
		sa->outer.dst.b[2] = (uint8_t)(pid >> 8);
		sa->outer.dst.b[3] = (uint8_t)pid;
	}
	sa->spi = HIP_KERNEL_REQID_PROBE;	/* any SPI >= 256 does */
	sa->dir = HIP_KERNEL_DIR_OUT;
	sa->suite = HIP_ESP_AES128_CBC_SHA256;
	sa->enc_key_len = 16;
	sa->auth_key_len = 32;
	for (i = 0; i < sa->auth_key_len; i++)	/* not a secret */
		sa->auth_key[i] = sa->enc_key[i % 16] = (uint8_t)(0xa5 ^ i);
	sa->reqid = HIP_KERNEL_REQID_PROBE;
	sa->replay_window = 32;
	sa->esn = true;
}

static int xfrm_probe_family(struct xfrm_kernel *x, sa_family_t family,
			     char *why, size_t whycap)
{
	const char *fam = family == AF_INET6 ? "IPv6" : "IPv4";
	struct hip_kernel_sa sa;
	struct hip_kernel_ip dst;
	int err;

	xfrm_probe_sa(family, &sa);
	dst.family = family;
	memcpy(dst.a.b, sa.outer.dst.b, sizeof(dst.a.b));
	err = xfrm_add_sa(&x->base, &sa);
	if (err == HIP_EEXIST) {
		/* A leftover of a killed probe with our PID. */
		(void)xfrm_del_sa(&x->base, &dst, sa.spi);
		err = xfrm_add_sa(&x->base, &sa);
	}
	if (err == 0)
		err = xfrm_del_sa(&x->base, &dst, sa.spi);
	if (err == 0)
		return 0;
	if (err == HIP_EUNSUPPORTED)
		snprintf(why, whycap, "the kernel has no ESP support for %s: "
			 "load the %s module (%s)%s%s%s", fam,
			 family == AF_INET6 ? "esp6" : "esp4",
			 family == AF_INET6 ? "CONFIG_INET6_ESP" :
			 "CONFIG_INET_ESP",
			 x->base.errmsg[0] ? " [kernel: " : "",
			 x->base.errmsg, x->base.errmsg[0] ? "]" : "");
	else if (err == HIP_EPERM)
		snprintf(why, whycap, "adding an SA needs CAP_NET_ADMIN");
	else
		snprintf(why, whycap, "the kernel refused a BEET-mode ESP SA "
			 "(%s outer, AES-CBC + HMAC-SHA-256, ESN): %s%s%s%s; "
			 "it needs CONFIG_INET%s_ESP, CONFIG_CRYPTO_AES, "
			 "_CBC, _SHA256, _HMAC, _AUTHENC, _ECHAINIV and a "
			 "default RNG (_DRBG)", fam, hip_strerror(err),
			 x->base.errmsg[0] ? " [kernel: " : "",
			 x->base.errmsg, x->base.errmsg[0] ? "]" : "",
			 family == AF_INET6 ? "6" : "");
	return err;
}

int xfrm_probe(struct hip_kernel *k, char *why, size_t whycap)
{
	struct xfrm_kernel *x = xfrm_of(k);
	char dummy[1];
	int err;

	if (why == NULL || whycap == 0) {
		why = dummy;
		whycap = sizeof(dummy);
	}
	why[0] = '\0';
	err = xfrm_probe_api(x);
	if (err < 0) {
		snprintf(why, whycap, "XFRM netlink does not answer: %s%s%s%s",
			 hip_strerror(err), x->base.errmsg[0] ? " [kernel: " : "",
			 x->base.errmsg, x->base.errmsg[0] ? "]" : "");
		return err;
	}
	err = xfrm_probe_family(x, AF_INET6, why, whycap);
	if (err == 0)
		err = xfrm_probe_family(x, AF_INET, why, whycap);
	return err;
}

const struct hip_kernel_ops hip_kernel_xfrm_ops = {
	.name = "xfrm",
	.probe = xfrm_probe,
	.open = xfrm_nl_open,
	.close = xfrm_nl_close,
	.alloc_spi = xfrm_alloc_spi,
	.add_sa = xfrm_add_sa,
	.del_sa = xfrm_del_sa,
	.get_sa_stats = xfrm_get_sa_stats,
	.add_policy = xfrm_add_policy,
	.del_policy = xfrm_del_policy,
	.migrate = xfrm_migrate,
	.flush_owned = xfrm_flush_owned,
	.event_fd = xfrm_event_fd,
	.read_events = xfrm_read_events,
};

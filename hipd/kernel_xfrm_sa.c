/*
 * kernel_xfrm_sa.c - BEET-mode ESP SAs through XFRM netlink: reserving
 * an SPI (ALLOCSPI), adding (NEWSA, or UPDSA over a reservation),
 * deleting (DELSA) and reading counters (GETSA).
 *
 * A BEET SA in XFRM: usersa_info.family and id.daddr/saddr are the
 * outer (locator) family and addresses, sel the inner pair (HITs /128
 * with sel.family AF_INET6, or LSIs /32 with AF_INET), mode 4.  The
 * kernel takes the inner family from sel and the outer one from the
 * state, so IPv6 HITs over IPv4 locators need nothing special.
 */
#include <errno.h>
#include <string.h>
#include <linux/udp.h>

#include "hip/error.h"
#include "hip/proto.h"
#include "hip/util.h"
#include "hipd/kernel_xfrm.h"

#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP 2
#endif

/* RFC 7402 suites and the kernel's names for their algorithms.  The
 * HMAC-SHA-256 ICV is 128 bits (RFC 4868): ALG_AUTH would give 96. */
struct xfrm_suite {
	uint16_t suite;
	const char *enc;	/* ALG_CRYPT, or NULL for AEAD */
	const char *auth;	/* ALG_AUTH_TRUNC */
	unsigned trunc_bits;
	const char *aead;	/* ALG_AEAD */
	unsigned icv_bits;
};

static const struct xfrm_suite xfrm_suites[] = {
	{ HIP_ESP_AES128_CBC_SHA1, "cbc(aes)", "hmac(sha1)", 96, NULL, 0 },
	{ HIP_ESP_NULL_SHA256, "ecb(cipher_null)", "hmac(sha256)", 128,
	  NULL, 0 },
	{ HIP_ESP_AES128_CBC_SHA256, "cbc(aes)", "hmac(sha256)", 128,
	  NULL, 0 },
	{ HIP_ESP_AES256_CBC_SHA256, "cbc(aes)", "hmac(sha256)", 128,
	  NULL, 0 },
	{ HIP_ESP_AES_GCM_8, NULL, NULL, 0, "rfc4106(gcm(aes))", 64 },
	{ HIP_ESP_AES_GCM_16, NULL, NULL, 0, "rfc4106(gcm(aes))", 128 },
};

static const struct xfrm_suite *xfrm_suite_find(uint16_t suite)
{
	size_t i;

	for (i = 0; i < HIP_ARRAY_SIZE(xfrm_suites); i++)
		if (xfrm_suites[i].suite == suite)
			return &xfrm_suites[i];
	return NULL;
}

/* The three algorithm structs end in the key; each fits with the
 * largest key in one of these. */
union xfrm_alg_buf {
	struct xfrm_algo crypt;
	struct xfrm_algo_auth auth;
	struct xfrm_algo_aead aead;
	uint8_t raw[sizeof(struct xfrm_algo_auth) + HIP_KERNEL_KEY_MAX];
};

static void xfrm_alg_name(char dst[64], const char *name)
{
	size_t n = strlen(name);

	memcpy(dst, name, n < 63 ? n : 63);
}

static int xfrm_put_algs(struct nlmsghdr *nlh, const struct xfrm_suite *s,
			 const struct hip_kernel_sa *sa)
{
	union xfrm_alg_buf u;
	int ok = 1;

	if (s->aead != NULL) {
		memset(&u, 0, sizeof(u));
		xfrm_alg_name(u.aead.alg_name, s->aead);
		u.aead.alg_key_len = (unsigned)(sa->enc_key_len * 8);
		u.aead.alg_icv_len = s->icv_bits;
		memcpy(u.aead.alg_key, sa->enc_key, sa->enc_key_len);
		ok = mnl_attr_put_check(nlh, XFRM_REQ_BUF, XFRMA_ALG_AEAD,
					sizeof(u.aead) + sa->enc_key_len, &u);
	} else {
		memset(&u, 0, sizeof(u));
		xfrm_alg_name(u.crypt.alg_name, s->enc);
		u.crypt.alg_key_len = (unsigned)(sa->enc_key_len * 8);
		memcpy(u.crypt.alg_key, sa->enc_key, sa->enc_key_len);
		ok = mnl_attr_put_check(nlh, XFRM_REQ_BUF, XFRMA_ALG_CRYPT,
					sizeof(u.crypt) + sa->enc_key_len, &u);
		memset(&u, 0, sizeof(u));
		xfrm_alg_name(u.auth.alg_name, s->auth);
		u.auth.alg_key_len = (unsigned)(sa->auth_key_len * 8);
		u.auth.alg_trunc_len = s->trunc_bits;
		memcpy(u.auth.alg_key, sa->auth_key, sa->auth_key_len);
		ok = ok && mnl_attr_put_check(nlh, XFRM_REQ_BUF,
					      XFRMA_ALG_AUTH_TRUNC,
					      sizeof(u.auth) +
					      sa->auth_key_len, &u);
	}
	hip_wipe(&u, sizeof(u));
	return ok ? 0 : HIP_ENOSPC;
}

static int xfrm_put_replay(struct nlmsghdr *nlh, uint32_t window)
{
	/* struct xfrm_replay_state_esn ends in bmp[bmp_len] */
	uint32_t raw[6 + HIP_KERNEL_REPLAY_MAX / 32];
	struct xfrm_replay_state_esn rs;
	uint32_t bmp_len = (window + 31) / 32;
	size_t len = sizeof(rs) + bmp_len * sizeof(uint32_t);

	memset(raw, 0, sizeof(raw));
	memset(&rs, 0, sizeof(rs));
	rs.bmp_len = bmp_len;
	rs.replay_window = window;
	memcpy(raw, &rs, sizeof(rs));
	if (!mnl_attr_put_check(nlh, XFRM_REQ_BUF, XFRMA_REPLAY_ESN_VAL,
				len, raw))
		return HIP_ENOSPC;
	return 0;
}

static uint64_t xfrm_limit(uint64_t v)
{
	return v == 0 ? XFRM_INF : v;
}

static int xfrm_check_sa(const struct hip_kernel_sa *sa,
			 const struct xfrm_suite **sp)
{
	size_t enc_len, auth_len;
	int err;

	if (sa == NULL)
		return HIP_EINVAL;
	err = xfrm_check_sel(&sa->inner);
	if (err == 0)
		err = xfrm_check_outer(&sa->outer, 0);
	if (err < 0)
		return err;
	if (sa->spi < HIP_KERNEL_SPI_MIN || !HIP_KERNEL_REQID_OWNED(sa->reqid))
		return HIP_EINVAL;
	if (sa->dir != HIP_KERNEL_DIR_IN && sa->dir != HIP_KERNEL_DIR_OUT)
		return HIP_EINVAL;
	if (sa->replay_window > HIP_KERNEL_REPLAY_MAX)
		return HIP_EINVAL;
	if ((sa->encap_sport == 0) != (sa->encap_dport == 0))
		return HIP_EINVAL;
	*sp = xfrm_suite_find(sa->suite);
	if (*sp == NULL || hip_kernel_suite_keylens(sa->suite, &enc_len,
						    &auth_len) < 0)
		return HIP_EUNSUPPORTED;
	if (sa->enc_key_len != enc_len || sa->auth_key_len != auth_len)
		return HIP_EINVAL;
	return 0;
}

int xfrm_add_sa(struct hip_kernel *k, const struct hip_kernel_sa *sa)
{
	struct xfrm_kernel *x = xfrm_of(k);
	_Alignas(8) char buf[XFRM_REQ_BUF];
	const struct xfrm_suite *s = NULL;
	struct xfrm_usersa_info *p;
	struct nlmsghdr *nlh;
	void *hdr;
	int err;

	err = xfrm_check_sa(sa, &s);
	if (err < 0)
		return err;
	if (sa->flags & HIP_KERNEL_SA_RESERVED)
		nlh = xfrm_nl_start(buf, XFRM_MSG_UPDSA, 0, &hdr, sizeof(*p));
	else
		nlh = xfrm_nl_start(buf, XFRM_MSG_NEWSA,
				    NLM_F_CREATE | NLM_F_EXCL, &hdr, sizeof(*p));
	p = hdr;
	xfrm_sel_to_kernel(&sa->inner, &p->sel);
	xfrm_outer_to_kernel(&sa->outer, &p->saddr, &p->id.daddr);
	p->id.spi = htonl(sa->spi);
	p->id.proto = IPPROTO_ESP;
	p->family = sa->outer.family;
	p->mode = XFRM_MODE_BEET;
	p->reqid = sa->reqid;
	/* The window travels in REPLAY_ESN_VAL; with it (and with ESN)
	 * the kernel wants replay_window 0 here. */
	p->replay_window = 0;
	p->flags = sa->esn ? XFRM_STATE_ESN : 0;
	p->lft.soft_byte_limit = xfrm_limit(sa->lifetime.soft_bytes);
	p->lft.hard_byte_limit = xfrm_limit(sa->lifetime.hard_bytes);
	p->lft.soft_packet_limit = XFRM_INF;
	p->lft.hard_packet_limit = XFRM_INF;
	p->lft.soft_add_expires_seconds = sa->lifetime.soft_seconds;
	p->lft.hard_add_expires_seconds = sa->lifetime.hard_seconds;

	err = xfrm_put_algs(nlh, s, sa);
	if (err == 0)
		err = xfrm_put_replay(nlh, sa->replay_window ?
				      sa->replay_window :
				      HIP_KERNEL_REPLAY_DEFAULT);
	if (err == 0 && sa->encap_sport != 0) {
		struct xfrm_encap_tmpl et;

		memset(&et, 0, sizeof(et));
		et.encap_type = UDP_ENCAP_ESPINUDP;
		et.encap_sport = htons(sa->encap_sport);
		et.encap_dport = htons(sa->encap_dport);
		if (!mnl_attr_put_check(nlh, XFRM_REQ_BUF, XFRMA_ENCAP,
					sizeof(et), &et))
			err = HIP_ENOSPC;
	}
	if (err < 0) {
		hip_wipe(buf, sizeof(buf));
		return err;
	}
	return xfrm_nl_talk(x, nlh, NULL, NULL);	/* wipes buf */
}

/* A NEWSA message (the reply to ALLOCSPI and GETSA): its usersa_info. */
static int xfrm_sa_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xfrm_usersa_info *out = data;

	if (nlh->nlmsg_type != XFRM_MSG_NEWSA ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*out)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	memcpy(out, mnl_nlmsg_get_payload(nlh), sizeof(*out));
	return MNL_CB_OK;
}

int xfrm_alloc_spi(struct hip_kernel *k, const struct hip_kernel_outer *outer,
		   uint32_t reqid, uint32_t min, uint32_t max, uint32_t *spi)
{
	struct xfrm_kernel *x = xfrm_of(k);
	_Alignas(8) char buf[XFRM_REQ_BUF];
	struct xfrm_userspi_info *p;
	struct xfrm_usersa_info got;
	struct nlmsghdr *nlh;
	void *hdr;
	uint32_t v;
	int err;

	err = xfrm_check_outer(outer, 0);
	if (err < 0)
		return err;
	if (spi == NULL || min < HIP_KERNEL_SPI_MIN || max < min ||
	    !HIP_KERNEL_REQID_OWNED(reqid))
		return HIP_EINVAL;
	nlh = xfrm_nl_start(buf, XFRM_MSG_ALLOCSPI, 0, &hdr, sizeof(*p));
	p = hdr;
	xfrm_outer_to_kernel(outer, &p->info.saddr, &p->info.id.daddr);
	p->info.id.proto = IPPROTO_ESP;
	p->info.family = outer->family;
	p->info.mode = XFRM_MODE_BEET;
	p->info.reqid = reqid;
	p->min = min;
	p->max = max;
	memset(&got, 0, sizeof(got));
	err = xfrm_nl_talk(x, nlh, xfrm_sa_reply_cb, &got);
	if (err < 0)
		return err;
	v = ntohl(got.id.spi);
	if (v < min || v > max)
		return HIP_EFORMAT;
	*spi = v;
	return 0;
}

static void xfrm_sa_id(struct xfrm_usersa_id *id, uint16_t family,
		       const xfrm_address_t *dst, uint32_t spi, uint8_t proto)
{
	memset(id, 0, sizeof(*id));
	id->daddr = *dst;
	id->spi = htonl(spi);
	id->family = family;
	id->proto = proto;
}

int xfrm_del_sa_raw(struct xfrm_kernel *x, uint16_t family,
		    const xfrm_address_t *dst, uint32_t spi, uint8_t proto)
{
	_Alignas(8) char buf[XFRM_REQ_BUF];
	struct nlmsghdr *nlh;
	void *hdr;

	nlh = xfrm_nl_start(buf, XFRM_MSG_DELSA, 0, &hdr,
			    sizeof(struct xfrm_usersa_id));
	xfrm_sa_id(hdr, family, dst, spi, proto);
	return xfrm_nl_talk(x, nlh, NULL, NULL);
}

static int xfrm_check_ip(const struct hip_kernel_ip *ip)
{
	if (ip == NULL || (ip->family != AF_INET && ip->family != AF_INET6))
		return HIP_EINVAL;
	return 0;
}

int xfrm_del_sa(struct hip_kernel *k, const struct hip_kernel_ip *dst,
		uint32_t spi)
{
	xfrm_address_t a;

	if (xfrm_check_ip(dst) < 0)
		return HIP_EINVAL;
	xfrm_ip_to_kernel(dst, &a);
	return xfrm_del_sa_raw(xfrm_of(k), dst->family, &a, spi, IPPROTO_ESP);
}

int xfrm_get_sa_stats(struct hip_kernel *k, const struct hip_kernel_ip *dst,
		      uint32_t spi, struct hip_kernel_sa_stats *st)
{
	struct xfrm_kernel *x = xfrm_of(k);
	_Alignas(8) char buf[XFRM_REQ_BUF];
	struct xfrm_usersa_info got;
	struct nlmsghdr *nlh;
	xfrm_address_t a;
	void *hdr;
	int err;

	if (xfrm_check_ip(dst) < 0 || st == NULL)
		return HIP_EINVAL;
	xfrm_ip_to_kernel(dst, &a);
	nlh = xfrm_nl_start(buf, XFRM_MSG_GETSA, 0, &hdr,
			    sizeof(struct xfrm_usersa_id));
	xfrm_sa_id(hdr, dst->family, &a, spi, IPPROTO_ESP);
	memset(&got, 0, sizeof(got));
	err = xfrm_nl_talk(x, nlh, xfrm_sa_reply_cb, &got);
	if (err < 0)
		return err;
	if (ntohl(got.id.spi) != spi)
		return HIP_EFORMAT;
	memset(st, 0, sizeof(*st));
	st->bytes = got.curlft.bytes;
	st->packets = got.curlft.packets;
	st->add_time = got.curlft.add_time;
	st->use_time = got.curlft.use_time;
	st->replay_fails = got.stats.replay;
	st->integrity_fails = got.stats.integrity_failed;
	hip_wipe(x->rbuf, sizeof(x->rbuf));	/* the reply had the keys */
	return 0;
}

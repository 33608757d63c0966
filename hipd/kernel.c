/*
 * kernel.c - choosing a kernel backend by name, and the helpers every
 * backend and caller shares.
 */
#include <string.h>

#include "hip/error.h"
#include "hip/proto.h"
#include "hip/util.h"
#include "hipd/kernel.h"

static const struct hip_kernel_ops *const hip_kernel_backends[] = {
	&hip_kernel_xfrm_ops,	/* the first one is the default */
	&hip_kernel_pfkey_ops,
};

const struct hip_kernel_ops *hip_kernel_find(const char *name)
{
	size_t i;

	if (name == NULL || name[0] == '\0')
		return hip_kernel_backends[0];
	for (i = 0; i < HIP_ARRAY_SIZE(hip_kernel_backends); i++)
		if (strcmp(hip_kernel_backends[i]->name, name) == 0)
			return hip_kernel_backends[i];
	return NULL;
}

int hip_kernel_open(const char *name, unsigned flags, struct hip_kernel **kp,
		    char *why, size_t whycap)
{
	const struct hip_kernel_ops *ops = hip_kernel_find(name);
	struct hip_kernel *k = NULL;
	int err;

	if (why != NULL && whycap > 0)
		why[0] = '\0';
	if (kp == NULL)
		return HIP_EINVAL;
	if (ops == NULL)
		return HIP_ENOENT;
	err = ops->open(&k, flags, why, whycap);
	if (err < 0)
		return err;
	if (!(flags & HIP_KERNEL_OPEN_NOPROBE)) {
		err = ops->probe(k, why, whycap);
		if (err < 0) {
			ops->close(k);
			return err;
		}
	}
	*kp = k;
	return 0;
}

void hip_kernel_close(struct hip_kernel *k)
{
	if (k != NULL)
		k->ops->close(k);
}

const char *hip_kernel_errmsg(const struct hip_kernel *k)
{
	return k != NULL ? k->errmsg : "";
}

int hip_kernel_suite_keylens(uint16_t suite, size_t *enc_len, size_t *auth_len)
{
	size_t e, a;

	switch (suite) {
	case HIP_ESP_AES128_CBC_SHA1:
		e = 16, a = 20;
		break;
	case HIP_ESP_NULL_SHA256:
		e = 0, a = 32;
		break;
	case HIP_ESP_AES128_CBC_SHA256:
		e = 16, a = 32;
		break;
	case HIP_ESP_AES256_CBC_SHA256:
		e = 32, a = 32;
		break;
	case HIP_ESP_AES_GCM_8:
	case HIP_ESP_AES_GCM_16:
		e = 16 + 4, a = 0;
		break;
	default:
		return HIP_EUNSUPPORTED;
	}
	if (enc_len != NULL)
		*enc_len = e;
	if (auth_len != NULL)
		*auth_len = a;
	return 0;
}

void hip_kernel_trigger_policies(sa_family_t outer_family,
				 struct hip_kernel_policy *out,
				 struct hip_kernel_policy *in)
{
	static const uint8_t hit_prefix[16] = { 0x20, 0x01, 0x00, 0x20 };
	struct hip_kernel_policy p;

	memset(&p, 0, sizeof(p));
	p.inner.family = AF_INET6;
	memcpy(p.inner.src.b, hit_prefix, sizeof(hit_prefix));
	memcpy(p.inner.dst.b, hit_prefix, sizeof(hit_prefix));
	p.inner.src_plen = HIP_KERNEL_HIT_PREFIX_LEN;
	p.inner.dst_plen = HIP_KERNEL_HIT_PREFIX_LEN;
	p.outer.family = outer_family == AF_INET ? AF_INET : AF_INET6;
	p.priority = HIP_KERNEL_PRIO_TRIGGER;

	if (in != NULL) {
		*in = p;
		in->dir = HIP_KERNEL_DIR_IN;
		in->reqid = 0;
	}
	if (out != NULL) {
		*out = p;
		out->dir = HIP_KERNEL_DIR_OUT;
		out->reqid = HIP_KERNEL_REQID_TRIGGER;
		if (out->outer.family == AF_INET)
			out->outer.src.v4.s_addr = htonl(INADDR_LOOPBACK);
		else
			out->outer.src.v6 = in6addr_loopback;
	}
}

void hip_kernel_sa_wipe(struct hip_kernel_sa *sa)
{
	if (sa != NULL)
		hip_wipe(sa, sizeof(*sa));
}

int hip_kernel_alloc_spi(struct hip_kernel *k, const struct hip_kernel_outer *outer,
			 uint32_t reqid, uint32_t min, uint32_t max,
			 uint32_t *spi)
{
	return k->ops->alloc_spi(k, outer, reqid, min, max, spi);
}

int hip_kernel_add_sa(struct hip_kernel *k, const struct hip_kernel_sa *sa)
{
	return k->ops->add_sa(k, sa);
}

int hip_kernel_del_sa(struct hip_kernel *k, const struct hip_kernel_ip *dst,
		      uint32_t spi)
{
	return k->ops->del_sa(k, dst, spi);
}

int hip_kernel_get_sa_stats(struct hip_kernel *k, const struct hip_kernel_ip *dst,
			    uint32_t spi, struct hip_kernel_sa_stats *st)
{
	return k->ops->get_sa_stats(k, dst, spi, st);
}

int hip_kernel_add_policy(struct hip_kernel *k, const struct hip_kernel_policy *p)
{
	return k->ops->add_policy(k, p);
}

int hip_kernel_del_policy(struct hip_kernel *k, const struct hip_kernel_sel *inner,
			  enum hip_kernel_dir dir)
{
	return k->ops->del_policy(k, inner, dir);
}

int hip_kernel_migrate(struct hip_kernel *k, const struct hip_kernel_migrate *m)
{
	return k->ops->migrate(k, m);
}

int hip_kernel_flush_owned(struct hip_kernel *k, unsigned *count)
{
	return k->ops->flush_owned(k, count);
}

int hip_kernel_event_fd(struct hip_kernel *k)
{
	return k->ops->event_fd(k);
}

int hip_kernel_read_events(struct hip_kernel *k, unsigned max,
			   hip_kernel_event_cb cb, void *arg)
{
	return k->ops->read_events(k, max, cb, arg);
}

/*
 * fuzz_pfkey.c - libFuzzer target for libpfkey's parser.  The first
 * byte picks the parser flags, the rest is the message.  A message that
 * parses must be readable through every accessor, and rebuilding it
 * from its extensions (pfkey_add_raw) must give a message that parses
 * again with the same extensions, byte for byte.
 * fuzz-sources: libpfkey/pfkey_build.c libpfkey/pfkey_parse.c libpfkey/pfkey_get.c libpfkey/pfkey_names.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pfkey/pfkey.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_all(const struct pfkey_msg *m)
{
	struct pfkey_sa sa;
	struct pfkey_lifetime lt;
	struct pfkey_address a;
	struct pfkey_key k;
	struct pfkey_ident id;
	struct pfkey_sens sens;
	struct pfkey_comb comb;
	struct pfkey_alg alg;
	struct pfkey_spirange sr;
	struct pfkey_sa2 sa2;
	struct pfkey_policy pol;
	struct pfkey_ipsecrequest rq;
	struct pfkey_sec_ctx ctx;
	struct pfkey_kmaddress km;
	struct pfkey_filter f;
	struct pfkey_ref ref;
	const uint8_t *p;
	uint16_t port, t;
	uint8_t u8;
	size_t n, i, len;

	(void)pfkey_get_sa(m, &sa);
	for (t = SADB_EXT_LIFETIME_CURRENT; t <= SADB_EXT_LIFETIME_SOFT; t++)
		(void)pfkey_get_lifetime(m, t, &lt);
	for (t = SADB_EXT_ADDRESS_SRC; t <= SADB_EXT_ADDRESS_PROXY; t++)
		if (pfkey_get_address(m, t, &a) != (pfkey_msg_has(m, t) ?
						     0 : PFKEY_ENOENT))
			abort();
	(void)pfkey_get_address(m, SADB_X_EXT_NAT_T_OA, &a);
	for (t = SADB_EXT_KEY_AUTH; t <= SADB_EXT_KEY_ENCRYPT; t++)
		if (pfkey_get_key(m, t, &k) == 0 && k.len &&
		    (k.data < m->buf || k.data + k.len > m->buf + m->len))
			abort();
	for (t = SADB_EXT_IDENTITY_SRC; t <= SADB_EXT_IDENTITY_DST; t++)
		if (pfkey_get_identity(m, t, &id) == 0 && id.len &&
		    memchr(id.str, 0, id.len))
			abort();
	if (pfkey_get_sensitivity(m, &sens) == 0 &&
	    sens.integ_bitmap + 8 * (size_t)sens.integ_len > m->buf + m->len)
		abort();
	if (pfkey_get_proposal(m, &u8, &n) == 0) {
		for (i = 0; i < n; i++)
			if (pfkey_get_comb(m, i, &comb))
				abort();
		if (pfkey_get_comb(m, n, &comb) != PFKEY_ENOENT)
			abort();
	}
	for (t = SADB_EXT_SUPPORTED_AUTH; t <= SADB_EXT_SUPPORTED_ENCRYPT; t++)
		if (pfkey_get_supported(m, t, &n) == 0)
			for (i = 0; i <= n; i++)
				if ((pfkey_get_alg(m, t, i, &alg) == 0) !=
				    (i < n))
					abort();
	(void)pfkey_get_spirange(m, &sr);
	(void)pfkey_get_kmprivate(m, &p, &len);
	(void)pfkey_get_sa2(m, &sa2);
	if (pfkey_get_policy(m, &pol, &n) == 0)
		for (i = 0; i <= n; i++)
			if ((pfkey_get_ipsecrequest(m, i, &rq) == 0) != (i < n))
				abort();
	(void)pfkey_get_nat_t_type(m, &u8);
	(void)pfkey_get_nat_t_port(m, SADB_X_EXT_NAT_T_SPORT, &port);
	(void)pfkey_get_nat_t_port(m, SADB_X_EXT_NAT_T_DPORT, &port);
	(void)pfkey_get_sec_ctx(m, &ctx);
	if (pfkey_msg_has(m, SADB_X_EXT_KMADDRESS) &&
	    pfkey_get_kmaddress(m, &km))
		abort();
	(void)pfkey_get_filter(m, &f);
	if (pfkey_msg_has(m, SADB_X_EXT_REF) && pfkey_get_ref(m, &ref))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t copy[PFKEY_MSG_MAX];
	struct pfkey_builder b;
	struct pfkey_msg m, m2;
	const uint8_t *e;
	unsigned int flags, t;
	size_t elen, len;

	if (size < 1)
		return 0;
	flags = data[0] & (PFKEY_PARSE_SKIP_UNKNOWN | PFKEY_PARSE_STRICT);
	data++;
	size--;
	if (pfkey_parse(data, size, flags, &m))
		return 0;
	if (m.len != size || m.type == 0 || m.type > SADB_MAX)
		abort();
	read_all(&m);
	if (pfkey_build_init(&b, copy, sizeof(copy), m.type, m.satype, m.seq,
			     m.pid))
		abort();
	for (t = 0; t <= PFKEY_EXT_TYPE_MAX; t++)
		if (pfkey_msg_ext(&m, (uint16_t)t, &e, &elen) == 0 &&
		    pfkey_add_raw(&b, e, elen))
			abort();
	if (pfkey_build_finish(&b, &len) || len > size)
		abort();
	/* Errno is not carried by the builder. */
	copy[2] = m.errno_val;
	if (pfkey_parse(copy, len, flags, &m2))
		abort();
	for (t = 0; t <= PFKEY_EXT_TYPE_MAX; t++) {
		if (pfkey_msg_has(&m, (uint16_t)t) !=
		    pfkey_msg_has(&m2, (uint16_t)t))
			abort();
		if (pfkey_msg_has(&m, (uint16_t)t) &&
		    (m.ext_len[t] != m2.ext_len[t] ||
		     memcmp(data + m.ext_off[t], copy + m2.ext_off[t],
			    m.ext_len[t])))
			abort();
	}
	return 0;
}

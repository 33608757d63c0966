/*
 * pfkey_tool - drive libpfkey against the kernel from the command line,
 * for test/kernel/pfkey_uml_test.sh.  Not installed.
 *
 *   pfkey_tool COMMAND [KEY VALUE...]
 *   pfkey_tool -     one command a line from stdin, each echoed as
 *                    "> LINE" and followed by "rc N"
 *
 *   register  [satype esp|ah]            -> "auth ID MIN MAX", "enc ..."
 *   getspi    src A dst A [min N] [max N] [mode M] [reqid N]
 *   add|update spi N src A dst A [mode M] [reqid N] [enc ALG enc-key HEX]
 *             [auth ALG auth-key HEX] [soft-sec N] [hard-sec N]
 *             [soft-bytes N] [hard-bytes N] [state N] [replay N]
 *             [no-sa2 1] [proxy A/P] [nat-t-sport N nat-t-dport N]
 *   get|delete spi N src A dst A
 *   dump      [satype esp|unspec] [filter-src A/P filter-dst A/P]
 *                                        every SA, then "entries N"
 *   flush     [satype esp|unspec]
 *   spdadd|spdupdate src A/P dst A/P dir in|out|fwd [proto N]
 *             [mode M] [reqid N] [level require|use|unique]
 *             [outer-src A outer-dst A] [priority N] [type ipsec|none|
 *             discard]                 -> the reply, with the policy id
 *   spdget|spddelete2 id N [dir D]
 *   spddelete src A/P dst A/P dir D [proto N]
 *   spddump                              every policy, then "entries N"
 *   spdflush
 *   migrate   src A/P dst A/P dir D mode M reqid N old-src A old-dst A
 *             new-src A new-dst A [km-local A km-remote A]
 *   wait      type acquire|expire [count N] [timeout SECS] [mpi N] [spi N]
 *             register for ESP, print "ready", then print COUNT
 *             messages of the type; with mpi, each ACQUIRE is also
 *             re-built with SADB_X_REF(MPI) and printed again; with
 *             spi, only messages about that SA count
 *
 * Modes: transport, tunnel, beet.  Algorithms: aes (AES-CBC), null,
 * sha256, sha1, or a number.  Replies are printed one extension a line
 * ("sa spi=0x... state=1 ..."); key bits are printed, key bytes never.
 * Exit status 0 on success, 1 on failure (reason on stderr, with the
 * kernel's errno), 2 on bad usage.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <pfkey/pfkey.h>

#define TIMEOUT_MS 3000
#define NOPTS 24

struct opts {
	int n;
	const char *key[NOPTS];
	const char *val[NOPTS];
};

static void usage(void)
{
	fprintf(stderr, "usage: pfkey_tool COMMAND [KEY VALUE...] "
		"(see the comment at the top of pfkey_tool.c)\n");
	exit(2);
}

static const char *opt(const struct opts *o, const char *key)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (!strcmp(o->key[i], key))
			return o->val[i];
	return NULL;
}

static const char *need(const struct opts *o, const char *key)
{
	const char *v = opt(o, key);

	if (!v) {
		fprintf(stderr, "pfkey_tool: missing '%s'\n", key);
		exit(2);
	}
	return v;
}

static uint64_t num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *s == '\0' || *end != '\0') {
		fprintf(stderr, "pfkey_tool: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static uint64_t num_or(const struct opts *o, const char *key, uint64_t def)
{
	const char *v = opt(o, key);

	return v ? num(v) : def;
}

/* "ADDR" or "ADDR/PLEN" into a sockaddr; *plen gets the full length
 * when none is given. */
static void addr(const char *s, union pfkey_sockaddr *sa, uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;
	unsigned int max;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	memset(sa, 0, sizeof(*sa));
	if (inet_pton(AF_INET, buf, &sa->sin.sin_addr) == 1) {
		sa->sin.sin_family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, &sa->sin6.sin6_addr) == 1) {
		sa->sin6.sin6_family = AF_INET6;
		max = 128;
	} else {
		goto bad;
	}
	if (plen)
		*plen = (uint8_t)(slash ? num(slash) : max);
	if (plen && *plen > max)
		goto bad;
	return;
bad:
	fprintf(stderr, "pfkey_tool: bad address '%s'\n", s);
	exit(2);
}

static uint8_t mode_of(const char *s)
{
	if (!s || !strcmp(s, "transport"))
		return IPSEC_MODE_TRANSPORT;
	if (!strcmp(s, "tunnel"))
		return IPSEC_MODE_TUNNEL;
	if (!strcmp(s, "beet"))
		return IPSEC_MODE_BEET;
	return (uint8_t)num(s);
}

static uint8_t dir_of(const char *s)
{
	if (!strcmp(s, "in"))
		return IPSEC_DIR_INBOUND;
	if (!strcmp(s, "out"))
		return IPSEC_DIR_OUTBOUND;
	if (!strcmp(s, "fwd"))
		return IPSEC_DIR_FWD;
	return (uint8_t)num(s);
}

static uint8_t satype_of(const char *s, uint8_t def)
{
	if (!s)
		return def;
	if (!strcmp(s, "esp"))
		return SADB_SATYPE_ESP;
	if (!strcmp(s, "ah"))
		return SADB_SATYPE_AH;
	if (!strcmp(s, "unspec"))
		return SADB_SATYPE_UNSPEC;
	return (uint8_t)num(s);
}

static uint8_t alg_of(const char *s)
{
	if (!strcmp(s, "aes"))
		return SADB_X_EALG_AESCBC;
	if (!strcmp(s, "null"))
		return SADB_EALG_NULL;
	if (!strcmp(s, "sha256"))
		return SADB_X_AALG_SHA2_256HMAC;
	if (!strcmp(s, "sha1"))
		return SADB_AALG_SHA1HMAC;
	if (!strcmp(s, "none"))
		return 0;
	return (uint8_t)num(s);
}

/* Hex string into buf; returns the number of bytes. */
static size_t hex(const char *s, uint8_t *buf, size_t cap)
{
	size_t n = strlen(s), i;
	unsigned int v;

	if (n % 2 || n / 2 > cap)
		goto bad;
	for (i = 0; i < n / 2; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			goto bad;
		buf[i] = (uint8_t)v;
	}
	return n / 2;
bad:
	fprintf(stderr, "pfkey_tool: bad hex key\n");
	exit(2);
}

static const char *ntop(const union pfkey_sockaddr *sa, char *buf,
			size_t len)
{
	const void *a = sa->sa.sa_family == AF_INET ?
		(const void *)&sa->sin.sin_addr :
		(const void *)&sa->sin6.sin6_addr;

	if (!inet_ntop(sa->sa.sa_family, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static void print_lifetime(const struct pfkey_msg *m, uint16_t t,
			   const char *name)
{
	struct pfkey_lifetime lt;

	if (pfkey_get_lifetime(m, t, &lt) == 0)
		printf("%s allocations=%" PRIu32 " bytes=%" PRIu64
		       " addtime=%" PRIu64 " usetime=%" PRIu64 "\n", name,
		       lt.allocations, lt.bytes, lt.addtime, lt.usetime);
}

static void print_address(const struct pfkey_msg *m, uint16_t t,
			  const char *name)
{
	struct pfkey_address a;
	char buf[INET6_ADDRSTRLEN];

	if (pfkey_get_address(m, t, &a) == 0)
		printf("%s proto=%u prefixlen=%u addr=%s\n", name, a.proto,
		       a.prefixlen, ntop(&a.addr, buf, sizeof(buf)));
}

static void print_msg(const struct pfkey_msg *m)
{
	char b1[INET6_ADDRSTRLEN], b2[INET6_ADDRSTRLEN];
	struct pfkey_sa sa;
	struct pfkey_sa2 sa2;
	struct pfkey_key key;
	struct pfkey_policy pol;
	struct pfkey_ipsecrequest rq;
	struct pfkey_spirange sr;
	struct pfkey_kmaddress km;
	struct pfkey_comb comb;
	struct pfkey_ref ref;
	struct pfkey_alg alg;
	struct pfkey_msg strict;
	uint8_t replay;
	uint16_t port;
	size_t n, i;
	int serr = pfkey_parse(m->buf, m->len, PFKEY_PARSE_STRICT, &strict);

	/* "strict=" tells whether the message also passes
	 * PFKEY_PARSE_STRICT, i.e. whether the placement table agrees
	 * with what the kernel sends. */
	printf("msg type=%s satype=%u errno=%u seq=%" PRIu32 " pid=%" PRIu32
	       " len=%zu strict=%s\n", pfkey_msg_type_name(m->type),
	       m->satype, m->errno_val, m->seq, m->pid, m->len,
	       serr ? pfkey_strerror(serr) : "ok");
	if (pfkey_get_sa(m, &sa) == 0)
		printf("sa spi=0x%08" PRIx32 " replay=%u state=%u auth=%u "
		       "encrypt=%u flags=0x%" PRIx32 "\n", sa.spi, sa.replay,
		       sa.state, sa.auth, sa.encrypt, sa.flags);
	print_lifetime(m, SADB_EXT_LIFETIME_CURRENT, "lifetime_current");
	print_lifetime(m, SADB_EXT_LIFETIME_HARD, "lifetime_hard");
	print_lifetime(m, SADB_EXT_LIFETIME_SOFT, "lifetime_soft");
	print_address(m, SADB_EXT_ADDRESS_SRC, "address_src");
	print_address(m, SADB_EXT_ADDRESS_DST, "address_dst");
	print_address(m, SADB_EXT_ADDRESS_PROXY, "address_proxy");
	if (pfkey_get_key(m, SADB_EXT_KEY_AUTH, &key) == 0)
		printf("key_auth bits=%u\n", key.bits);
	if (pfkey_get_key(m, SADB_EXT_KEY_ENCRYPT, &key) == 0)
		printf("key_encrypt bits=%u\n", key.bits);
	if (pfkey_get_spirange(m, &sr) == 0)
		printf("spirange min=0x%" PRIx32 " max=0x%" PRIx32 "\n",
		       sr.min, sr.max);
	if (pfkey_get_sa2(m, &sa2) == 0)
		printf("sa2 mode=%u reqid=%" PRIu32 " sequence=%" PRIu32 "\n",
		       sa2.mode, sa2.reqid, sa2.sequence);
	if (pfkey_get_proposal(m, &replay, &n) == 0) {
		printf("proposal replay=%u combs=%zu\n", replay, n);
		for (i = 0; i < n && pfkey_get_comb(m, i, &comb) == 0; i++)
			printf("comb auth=%u encrypt=%u hard_addtime=%" PRIu64
			       "\n", comb.auth, comb.encrypt,
			       comb.hard_addtime);
	}
	if (pfkey_get_supported(m, SADB_EXT_SUPPORTED_AUTH, &n) == 0)
		for (i = 0; i < n; i++)
			if (pfkey_get_alg(m, SADB_EXT_SUPPORTED_AUTH, i,
					  &alg) == 0)
				printf("auth %u %u %u\n", alg.id, alg.minbits,
				       alg.maxbits);
	if (pfkey_get_supported(m, SADB_EXT_SUPPORTED_ENCRYPT, &n) == 0)
		for (i = 0; i < n; i++)
			if (pfkey_get_alg(m, SADB_EXT_SUPPORTED_ENCRYPT, i,
					  &alg) == 0)
				printf("enc %u %u %u\n", alg.id, alg.minbits,
				       alg.maxbits);
	if (pfkey_get_policy(m, &pol, &n) == 0) {
		printf("policy type=%u dir=%u id=%" PRIu32 " priority=%" PRIu32
		       " requests=%zu\n", pol.type, pol.dir, pol.id,
		       pol.priority, n);
		for (i = 0; i < n; i++) {
			if (pfkey_get_ipsecrequest(m, i, &rq))
				continue;
			printf("ipsecrequest proto=%u mode=%u level=%u "
			       "reqid=%" PRIu32, rq.proto, rq.mode, rq.level,
			       rq.reqid);
			if (rq.has_addrs)
				printf(" src=%s dst=%s",
				       ntop(&rq.src, b1, sizeof(b1)),
				       ntop(&rq.dst, b2, sizeof(b2)));
			printf("\n");
		}
	}
	if (pfkey_get_nat_t_type(m, &replay) == 0)
		printf("nat_t type=%u\n", replay);
	if (pfkey_get_nat_t_port(m, SADB_X_EXT_NAT_T_SPORT, &port) == 0)
		printf("nat_t_sport %u\n", port);
	if (pfkey_get_nat_t_port(m, SADB_X_EXT_NAT_T_DPORT, &port) == 0)
		printf("nat_t_dport %u\n", port);
	if (pfkey_get_kmaddress(m, &km) == 0)
		printf("kmaddress local=%s remote=%s\n",
		       ntop(&km.local, b1, sizeof(b1)),
		       ntop(&km.remote, b2, sizeof(b2)));
	if (pfkey_get_ref(m, &ref) == 0)
		printf("ref ver=%u type=%u type_ext=%u mpi=0x%016" PRIx64 "\n",
		       ref.ver, ref.type, ref.type_ext, ref.mpi);
	fflush(stdout);
}

static int die_err(const char *what, int err)
{
	fprintf(stderr, "pfkey_tool: %s: %s (%d)\n", what,
		pfkey_strerror(err), err);
	return 1;
}

/* Build helpers share one buffer; keys make it secret, so it is wiped
 * before exit. */
static uint8_t msgbuf[4096];
static uint8_t replybuf[PFKEY_RECV_BUF];

static int request(struct pfkey_sock *s, struct pfkey_builder *b,
		   const char *what)
{
	struct pfkey_msg m;
	size_t len;
	int err;

	err = pfkey_build_finish(b, &len);
	if (err)
		return die_err("build", err);
	err = pfkey_request(s, msgbuf, len, replybuf, sizeof(replybuf), &m,
			    TIMEOUT_MS, NULL, NULL);
	explicit_bzero(msgbuf, sizeof(msgbuf));
	if (err && err != -(int)m.errno_val)
		return die_err(what, err);
	if (err) {
		print_msg(&m);
		return die_err(what, err);
	}
	print_msg(&m);
	explicit_bzero(replybuf, sizeof(replybuf));
	return 0;
}

static void add_addresses(struct pfkey_builder *b, const struct opts *o,
			  uint8_t proto, int prefixes)
{
	union pfkey_sockaddr src, dst;
	uint8_t sp, dp;

	addr(need(o, "src"), &src, &sp);
	addr(need(o, "dst"), &dst, &dp);
	if (!prefixes) {
		sp = src.sa.sa_family == AF_INET ? 32 : 128;
		dp = sp;
	}
	pfkey_add_address(b, SADB_EXT_ADDRESS_SRC, proto, sp, &src.sa);
	pfkey_add_address(b, SADB_EXT_ADDRESS_DST, proto, dp, &dst.sa);
}

static int cmd_register(struct pfkey_sock *s, const struct opts *o)
{
	struct pfkey_supported sup;
	size_t i;
	int err;

	err = pfkey_register(s, satype_of(opt(o, "satype"), SADB_SATYPE_ESP),
			     &sup, TIMEOUT_MS);
	if (err)
		return die_err("register", err);
	for (i = 0; i < sup.nauth; i++)
		printf("auth %u %u %u\n", sup.auth[i].id, sup.auth[i].minbits,
		       sup.auth[i].maxbits);
	for (i = 0; i < sup.nencrypt; i++)
		printf("enc %u %u %u\n", sup.encrypt[i].id,
		       sup.encrypt[i].minbits, sup.encrypt[i].maxbits);
	return 0;
}

static int cmd_getspi(struct pfkey_sock *s, const struct opts *o)
{
	struct pfkey_spirange r;
	struct pfkey_sa2 sa2 = { 0 };
	struct pfkey_builder b;

	r.min = (uint32_t)num_or(o, "min", 0x100);
	r.max = (uint32_t)num_or(o, "max", 0x0fffffff);
	pfkey_build_init(&b, msgbuf, sizeof(msgbuf), SADB_GETSPI,
			 SADB_SATYPE_ESP, pfkey_next_seq(s), s->pid);
	add_addresses(&b, o, 0, 0);
	pfkey_add_spirange(&b, &r);
	sa2.mode = mode_of(opt(o, "mode"));
	sa2.reqid = (uint32_t)num_or(o, "reqid", 0);
	pfkey_add_sa2(&b, &sa2);
	return request(s, &b, "getspi");
}

static int cmd_add(struct pfkey_sock *s, const struct opts *o, uint8_t type)
{
	uint8_t ekey[64], akey[64];
	size_t elen = 0, alen = 0;
	struct pfkey_sa sa = { 0 };
	struct pfkey_sa2 sa2 = { 0 };
	struct pfkey_lifetime soft = { 0 }, hard = { 0 };
	struct pfkey_builder b;
	int err;

	sa.spi = (uint32_t)num(need(o, "spi"));
	sa.state = (uint8_t)num_or(o, "state", SADB_SASTATE_MATURE);
	sa.replay = (uint8_t)num_or(o, "replay", 32);
	if (opt(o, "enc")) {
		sa.encrypt = alg_of(opt(o, "enc"));
		elen = hex(need(o, "enc-key"), ekey, sizeof(ekey));
	}
	if (opt(o, "auth")) {
		sa.auth = alg_of(opt(o, "auth"));
		alen = hex(need(o, "auth-key"), akey, sizeof(akey));
	}
	pfkey_build_init(&b, msgbuf, sizeof(msgbuf), type, SADB_SATYPE_ESP,
			 pfkey_next_seq(s), s->pid);
	pfkey_add_sa(&b, &sa);
	add_addresses(&b, o, 0, 0);
	if (sa.auth)
		pfkey_add_key(&b, SADB_EXT_KEY_AUTH, akey,
			      (uint16_t)(alen * 8));
	if (sa.encrypt && elen)
		pfkey_add_key(&b, SADB_EXT_KEY_ENCRYPT, ekey,
			      (uint16_t)(elen * 8));
	explicit_bzero(ekey, sizeof(ekey));
	explicit_bzero(akey, sizeof(akey));
	sa2.mode = mode_of(opt(o, "mode"));
	sa2.reqid = (uint32_t)num_or(o, "reqid", 0);
	if (!opt(o, "no-sa2"))
		pfkey_add_sa2(&b, &sa2);
	if (opt(o, "proxy")) {
		union pfkey_sockaddr px;
		uint8_t plen;

		addr(need(o, "proxy"), &px, &plen);
		pfkey_add_address(&b, SADB_EXT_ADDRESS_PROXY, 0, plen, &px.sa);
	}
	if (opt(o, "nat-t-sport")) {
		/* UDP_ENCAP_ESPINUDP (RFC 3948) */
		pfkey_add_nat_t_type(&b, 2);
		pfkey_add_nat_t_port(&b, SADB_X_EXT_NAT_T_SPORT,
				     (uint16_t)num(need(o, "nat-t-sport")));
		pfkey_add_nat_t_port(&b, SADB_X_EXT_NAT_T_DPORT,
				     (uint16_t)num(need(o, "nat-t-dport")));
	}
	soft.addtime = num_or(o, "soft-sec", 0);
	soft.bytes = num_or(o, "soft-bytes", 0);
	hard.addtime = num_or(o, "hard-sec", 0);
	hard.bytes = num_or(o, "hard-bytes", 0);
	if (opt(o, "soft-sec") || opt(o, "soft-bytes"))
		pfkey_add_lifetime(&b, SADB_EXT_LIFETIME_SOFT, &soft);
	if (opt(o, "hard-sec") || opt(o, "hard-bytes"))
		pfkey_add_lifetime(&b, SADB_EXT_LIFETIME_HARD, &hard);
	err = request(s, &b, type == SADB_ADD ? "add" : "update");
	return err;
}

static int cmd_sa_id(struct pfkey_sock *s, const struct opts *o,
		     uint8_t type)
{
	struct pfkey_sa sa = { 0 };
	struct pfkey_builder b;

	sa.spi = (uint32_t)num(need(o, "spi"));
	pfkey_build_init(&b, msgbuf, sizeof(msgbuf), type, SADB_SATYPE_ESP,
			 pfkey_next_seq(s), s->pid);
	pfkey_add_sa(&b, &sa);
	add_addresses(&b, o, 0, 0);
	return request(s, &b, pfkey_msg_type_name(type));
}

static int print_entry(const struct pfkey_msg *m, void *arg)
{
	(void)arg;
	print_msg(m);
	return 0;
}

static int cmd_dump(struct pfkey_sock *s, const struct opts *o, uint8_t type,
		    uint8_t satype)
{
	struct pfkey_builder b;
	struct pfkey_filter f;
	union pfkey_sockaddr fs, fd;
	size_t len;
	int n;

	pfkey_build_init(&b, msgbuf, sizeof(msgbuf), type, satype,
			 pfkey_next_seq(s), s->pid);
	if (opt(o, "filter-src")) {
		memset(&f, 0, sizeof(f));
		addr(need(o, "filter-src"), &fs, &f.splen);
		addr(need(o, "filter-dst"), &fd, &f.dplen);
		f.family = fs.sa.sa_family;
		if (f.family == AF_INET) {
			memcpy(f.saddr, &fs.sin.sin_addr, 4);
			memcpy(f.daddr, &fd.sin.sin_addr, 4);
		} else {
			memcpy(f.saddr, &fs.sin6.sin6_addr, 16);
			memcpy(f.daddr, &fd.sin6.sin6_addr, 16);
		}
		pfkey_add_filter(&b, &f);
	}
	n = pfkey_build_finish(&b, &len);
	if (!n)
		n = pfkey_dump_request(s, msgbuf, len, print_entry, NULL,
				       TIMEOUT_MS, NULL, NULL);

	explicit_bzero(replybuf, sizeof(replybuf));
	if (n < 0)
		return die_err("dump", n);
	printf("entries %d\n", n);
	return 0;
}

static int cmd_flush(struct pfkey_sock *s, uint8_t type, uint8_t satype)
{
	struct pfkey_builder b;

	pfkey_build_init(&b, msgbuf, sizeof(msgbuf), type, satype,
			 pfkey_next_seq(s), s->pid);
	return request(s, &b, pfkey_msg_type_name(type));
}

static uint16_t policy_type_of(const char *s)
{
	if (!s || !strcmp(s, "ipsec"))
		return IPSEC_POLICY_IPSEC;
	if (!strcmp(s, "none"))
		return IPSEC_POLICY_NONE;
	if (!strcmp(s, "discard"))
		return IPSEC_POLICY_DISCARD;
	return (uint16_t)num(s);
}

static uint8_t level_of(const char *s)
{
	if (!s || !strcmp(s, "require"))
		return IPSEC_LEVEL_REQUIRE;
	if (!strcmp(s, "use"))
		return IPSEC_LEVEL_USE;
	if (!strcmp(s, "unique"))
		return IPSEC_LEVEL_UNIQUE;
	return (uint8_t)num(s);
}

static int cmd_spdadd(struct pfkey_sock *s, const struct opts *o,
		      uint8_t type)
{
	struct pfkey_policy pol = { 0 };
	struct pfkey_ipsecrequest rq;
	struct pfkey_builder b;
	size_t nreq = 0;

	pol.type = policy_type_of(opt(o, "type"));
	pol.dir = dir_of(need(o, "dir"));
	pol.priority = (uint32_t)num_or(o, "priority", 0);
	memset(&rq, 0, sizeof(rq));
	if (pol.type == IPSEC_POLICY_IPSEC) {
		nreq = 1;
		rq.proto = IPPROTO_ESP;
		rq.mode = mode_of(opt(o, "mode"));
		rq.level = level_of(opt(o, "level"));
		rq.reqid = (uint32_t)num_or(o, "reqid", 0);
		if (opt(o, "outer-src")) {
			addr(need(o, "outer-src"), &rq.src, NULL);
			addr(need(o, "outer-dst"), &rq.dst, NULL);
			rq.has_addrs = 1;
		}
	}
	pfkey_build_init(&b, msgbuf, sizeof(msgbuf), type, SADB_SATYPE_UNSPEC,
			 pfkey_next_seq(s), s->pid);
	add_addresses(&b, o, (uint8_t)num_or(o, "proto", IPSEC_PROTO_ANY), 1);
	pfkey_add_policy(&b, &pol, &rq, nreq);
	return request(s, &b, pfkey_msg_type_name(type));
}

static int cmd_spdget(struct pfkey_sock *s, const struct opts *o,
		      uint8_t type)
{
	struct pfkey_policy pol = { 0 };
	struct pfkey_builder b;

	pol.id = (uint32_t)num(need(o, "id"));
	pol.dir = opt(o, "dir") ? dir_of(opt(o, "dir")) : 0;
	pfkey_build_init(&b, msgbuf, sizeof(msgbuf), type, SADB_SATYPE_UNSPEC,
			 pfkey_next_seq(s), s->pid);
	pfkey_add_policy(&b, &pol, NULL, 0);
	return request(s, &b, pfkey_msg_type_name(type));
}

static int cmd_spddelete(struct pfkey_sock *s, const struct opts *o)
{
	struct pfkey_policy pol = { 0 };
	struct pfkey_builder b;

	pol.type = IPSEC_POLICY_IPSEC;
	pol.dir = dir_of(need(o, "dir"));
	pfkey_build_init(&b, msgbuf, sizeof(msgbuf), SADB_X_SPDDELETE,
			 SADB_SATYPE_UNSPEC, pfkey_next_seq(s), s->pid);
	add_addresses(&b, o, (uint8_t)num_or(o, "proto", IPSEC_PROTO_ANY), 1);
	pfkey_add_policy(&b, &pol, NULL, 0);
	return request(s, &b, "spddelete");
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Receive one message within the deadline: 0, -EAGAIN when none came. */
static int recv_until(struct pfkey_sock *s, int64_t deadline,
		      struct pfkey_msg *m, size_t *len)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	int64_t left;
	int err;

	for (;;) {
		err = pfkey_recv(s, replybuf, sizeof(replybuf), len, 0, m);
		if (err != -EAGAIN)
			return err;
		left = deadline - now_ms();
		if (left <= 0)
			return -EAGAIN;
		poll(&pfd, 1, (int)left);
	}
}

/*
 * Linux answers a successful SADB_X_MIGRATE only with its broadcast of
 * the migration (seq 0, pid 0); a failure comes as the usual reply with
 * our seq and sadb_msg_errno.
 */
static int cmd_migrate(struct pfkey_sock *s, const struct opts *o)
{
	struct pfkey_policy pol = { 0 };
	struct pfkey_ipsecrequest rq[2];
	struct pfkey_kmaddress km;
	struct pfkey_builder b;
	struct pfkey_msg m;
	uint32_t seq = pfkey_next_seq(s);
	int64_t deadline;
	size_t len;
	int err, i;

	pol.type = IPSEC_POLICY_IPSEC;
	pol.dir = dir_of(need(o, "dir"));
	memset(rq, 0, sizeof(rq));
	for (i = 0; i < 2; i++) {
		rq[i].proto = IPPROTO_ESP;
		rq[i].mode = mode_of(need(o, "mode"));
		rq[i].level = IPSEC_LEVEL_REQUIRE;
		rq[i].reqid = (uint32_t)num(need(o, "reqid"));
		rq[i].has_addrs = 1;
	}
	addr(need(o, "old-src"), &rq[0].src, NULL);
	addr(need(o, "old-dst"), &rq[0].dst, NULL);
	addr(need(o, "new-src"), &rq[1].src, NULL);
	addr(need(o, "new-dst"), &rq[1].dst, NULL);
	pfkey_build_init(&b, msgbuf, sizeof(msgbuf), SADB_X_MIGRATE,
			 SADB_SATYPE_ESP, seq, s->pid);
	add_addresses(&b, o, (uint8_t)num_or(o, "proto", IPSEC_PROTO_ANY), 1);
	pfkey_add_policy(&b, &pol, rq, 2);
	if (opt(o, "km-local")) {
		addr(need(o, "km-local"), &km.local, NULL);
		addr(need(o, "km-remote"), &km.remote, NULL);
		pfkey_add_kmaddress(&b, &km);
	}
	err = pfkey_build_finish(&b, &len);
	if (!err)
		err = pfkey_send(s, msgbuf, len);
	if (err)
		return die_err("migrate", err);
	deadline = now_ms() + TIMEOUT_MS;
	for (;;) {
		err = recv_until(s, deadline, &m, &len);
		if (err == -EAGAIN)
			return die_err("migrate: no answer", PFKEY_ETIMEDOUT);
		if (err)
			return die_err("migrate: receive", err);
		if (m.type != SADB_X_MIGRATE)
			continue;
		print_msg(&m);
		if (m.seq == seq && m.pid == s->pid && m.errno_val)
			return die_err("migrate", -(int)m.errno_val);
		if (m.seq == 0)
			return 0;
	}
}

/* The kernel's ACQUIRE again, with SADB_X_REF added, parsed strictly. */
static int extend_acquire(const struct pfkey_msg *m, uint64_t mpi)
{
	static uint8_t ext_buf[PFKEY_RECV_BUF];
	struct pfkey_ref ref = { PFKEY_X_REF_VERSION, 1, 0, mpi };
	struct pfkey_builder b;
	struct pfkey_msg x;
	const uint8_t *e;
	size_t elen, len;
	unsigned int t;
	int err;

	err = pfkey_build_init(&b, ext_buf, sizeof(ext_buf), m->type,
			       m->satype, m->seq, m->pid);
	for (t = 1; !err && t <= PFKEY_EXT_TYPE_MAX; t++)
		if (pfkey_msg_ext(m, (uint16_t)t, &e, &elen) == 0)
			err = pfkey_add_raw(&b, e, elen);
	if (!err)
		err = pfkey_add_ref(&b, &ref);
	if (!err)
		err = pfkey_build_finish(&b, &len);
	if (!err)
		err = pfkey_parse(ext_buf, len, PFKEY_PARSE_STRICT, &x);
	if (err)
		return die_err("extended acquire", err);
	printf("extended-acquire len=%zu\n", len);
	print_msg(&x);
	return 0;
}

static int cmd_wait(struct pfkey_sock *s, const struct opts *o)
{
	const char *t = need(o, "type");
	uint8_t want = !strcmp(t, "acquire") ? SADB_ACQUIRE :
		!strcmp(t, "expire") ? SADB_EXPIRE : (uint8_t)num(t);
	uint64_t count = num_or(o, "count", 1), got = 0;
	struct pfkey_sa sa;
	int64_t deadline;
	struct pfkey_msg m;
	size_t len;
	int err;

	err = pfkey_register(s, SADB_SATYPE_ESP, NULL, TIMEOUT_MS);
	if (err)
		return die_err("register", err);
	printf("ready\n");
	fflush(stdout);
	deadline = now_ms() + 1000 * (int64_t)num_or(o, "timeout", 10);
	while (got < count) {
		err = recv_until(s, deadline, &m, &len);
		if (err == -EAGAIN)
			return die_err("wait", PFKEY_ETIMEDOUT);
		if (err)
			return die_err("wait: receive", err);
		if (m.type != want)
			continue;
		/* With spi, only messages about that SA count (the kernel
		 * also expires larval SAs of earlier ACQUIREs). */
		if (opt(o, "spi") && (pfkey_get_sa(&m, &sa) ||
				      sa.spi != (uint32_t)num(opt(o, "spi"))))
			continue;
		got++;
		print_msg(&m);
		if (want == SADB_ACQUIRE && opt(o, "mpi") &&
		    extend_acquire(&m, num(opt(o, "mpi"))))
			return 1;
	}
	return 0;
}

static int run(struct pfkey_sock *s, const char *cmd, const struct opts *o)
{
	if (!strcmp(cmd, "register"))
		return cmd_register(s, o);
	if (!strcmp(cmd, "getspi"))
		return cmd_getspi(s, o);
	if (!strcmp(cmd, "add"))
		return cmd_add(s, o, SADB_ADD);
	if (!strcmp(cmd, "update"))
		return cmd_add(s, o, SADB_UPDATE);
	if (!strcmp(cmd, "get"))
		return cmd_sa_id(s, o, SADB_GET);
	if (!strcmp(cmd, "delete"))
		return cmd_sa_id(s, o, SADB_DELETE);
	if (!strcmp(cmd, "dump"))
		return cmd_dump(s, o, SADB_DUMP,
				satype_of(opt(o, "satype"), SADB_SATYPE_ESP));
	if (!strcmp(cmd, "flush"))
		return cmd_flush(s, SADB_FLUSH,
				 satype_of(opt(o, "satype"), SADB_SATYPE_ESP));
	if (!strcmp(cmd, "spdadd"))
		return cmd_spdadd(s, o, SADB_X_SPDADD);
	if (!strcmp(cmd, "spdupdate"))
		return cmd_spdadd(s, o, SADB_X_SPDUPDATE);
	if (!strcmp(cmd, "spdget"))
		return cmd_spdget(s, o, SADB_X_SPDGET);
	if (!strcmp(cmd, "spddelete2"))
		return cmd_spdget(s, o, SADB_X_SPDDELETE2);
	if (!strcmp(cmd, "spddelete"))
		return cmd_spddelete(s, o);
	if (!strcmp(cmd, "spddump"))
		return cmd_dump(s, o, SADB_X_SPDDUMP, SADB_SATYPE_UNSPEC);
	if (!strcmp(cmd, "spdflush"))
		return cmd_flush(s, SADB_X_SPDFLUSH, SADB_SATYPE_UNSPEC);
	if (!strcmp(cmd, "migrate"))
		return cmd_migrate(s, o);
	if (!strcmp(cmd, "wait"))
		return cmd_wait(s, o);
	usage();
	return 2;
}

static void split_opts(char **words, int n, struct opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < n; i += 2) {
		if (o->n == NOPTS)
			usage();
		o->key[o->n] = words[i];
		o->val[o->n] = i + 1 < n ? words[i + 1] : "";
		o->n++;
	}
}

/* "-": one command a line from stdin, each echoed as "> LINE" and
 * followed by "rc N"; the exit status is that of the last command. */
static int batch(struct pfkey_sock *s)
{
	char line[1024], *words[2 * NOPTS + 1], *p, *save;
	struct opts o;
	int n, rc = 0;

	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		printf("> %s\n", line);
		n = 0;
		for (p = strtok_r(line, " \t", &save); p && n < 2 * NOPTS + 1;
		     p = strtok_r(NULL, " \t", &save))
			words[n++] = p;
		split_opts(words + 1, n - 1, &o);
		fflush(stdout);
		rc = run(s, words[0], &o);
		printf("rc %d\n", rc);
		fflush(stdout);
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct pfkey_sock s;
	struct opts o;
	int err, rc;

	if (argc < 2)
		usage();
	err = pfkey_open(&s);
	if (err)
		return die_err("open", err);
	if (!strcmp(argv[1], "-")) {
		rc = batch(&s);
	} else {
		split_opts(argv + 2, argc - 2, &o);
		rc = run(&s, argv[1], &o);
	}
	pfkey_close(&s);
	explicit_bzero(msgbuf, sizeof(msgbuf));
	explicit_bzero(replybuf, sizeof(replybuf));
	return rc;
}

/*
 * xfrm_tool - drive hipd's kernel backend from the command line, for
 * the kernel test scripts in test/kernel.  Not installed.
 *
 *   xfrm_tool [-k BACKEND] COMMAND [KEY VALUE...]
 *   xfrm_tool [-k BACKEND] -      one command a line from stdin (not
 *                                 listen); stops at the first failure
 *
 * BACKEND is a kernel backend of hipd/kernel.h: xfrm (the default) or
 * pfkey; -b and --kernel are the same option.
 *
 *   probe
 *   add-sa   spi N suite S inner SRC DST outer SRC DST reqid N
 *            [enc HEX] [auth HEX] [dir in|out] [window N] [noesn]
 *            [reserved] [soft-bytes N] [hard-bytes N]
 *            [soft-sec N] [hard-sec N]
 *   del-sa   dst ADDR spi N
 *   stats    dst ADDR spi N     -> "packets N bytes N replay N integrity N"
 *   alloc-spi outer SRC DST reqid N [min N] [max N]   -> the SPI
 *   add-policy dir in|out inner SRC[/P] DST[/P] outer SRC DST reqid N
 *            [priority N] [replace]
 *   del-policy dir in|out inner SRC[/P] DST[/P]
 *   trigger  [family 4|6]        the two 2001:20::/28 trigger policies
 *   migrate  inner LHIT PHIT old LOC PLOC new LOC PLOC reqid-out N
 *            reqid-in N
 *   flush                        -> how many were deleted
 *   listen   [count N] [timeout SECS]   print events, one a line;
 *            "listening" first, once subscribed
 *
 * Numbers take C syntax (0x...).  Exit status 0 on success, 1 on a
 * failure (with the reason on stderr), 2 on bad usage.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "hip/error.h"
#include "hip/util.h"
#include "hipd/kernel.h"

#define ARGMAX 4

struct opt {
	const char *key;
	int nargs;
	const char *v[ARGMAX];
	int set;
};

static struct opt opts[] = {
	{ .key = "spi", .nargs = 1 },
	{ .key = "suite", .nargs = 1 },
	{ .key = "inner", .nargs = 2 },
	{ .key = "outer", .nargs = 2 },
	{ .key = "reqid", .nargs = 1 },
	{ .key = "enc", .nargs = 1 },
	{ .key = "auth", .nargs = 1 },
	{ .key = "dir", .nargs = 1 },
	{ .key = "window", .nargs = 1 },
	{ .key = "noesn", .nargs = 0 },
	{ .key = "reserved", .nargs = 0 },
	{ .key = "soft-bytes", .nargs = 1 },
	{ .key = "hard-bytes", .nargs = 1 },
	{ .key = "soft-sec", .nargs = 1 },
	{ .key = "hard-sec", .nargs = 1 },
	{ .key = "dst", .nargs = 1 },
	{ .key = "min", .nargs = 1 },
	{ .key = "max", .nargs = 1 },
	{ .key = "priority", .nargs = 1 },
	{ .key = "replace", .nargs = 0 },
	{ .key = "family", .nargs = 1 },
	{ .key = "old", .nargs = 2 },
	{ .key = "new", .nargs = 2 },
	{ .key = "reqid-out", .nargs = 1 },
	{ .key = "reqid-in", .nargs = 1 },
	{ .key = "count", .nargs = 1 },
	{ .key = "timeout", .nargs = 1 },
};

static void die(const char *msg, const char *arg)
{
	fprintf(stderr, "xfrm_tool: %s%s\n", msg, arg);
	exit(2);
}

static struct opt *opt_find(const char *key)
{
	size_t i;

	for (i = 0; i < HIP_ARRAY_SIZE(opts); i++)
		if (strcmp(opts[i].key, key) == 0)
			return &opts[i];
	return NULL;
}

static void parse_opts(int argc, char **argv)
{
	int i = 0, j;

	while (i < argc) {
		struct opt *o = opt_find(argv[i]);

		if (o == NULL)
			die("unknown keyword: ", argv[i]);
		if (i + o->nargs >= argc && o->nargs > 0)
			die("needs more values: ", argv[i]);
		for (j = 0; j < o->nargs; j++)
			o->v[j] = argv[i + 1 + j];
		o->set = 1;
		i += 1 + o->nargs;
	}
}

static const struct opt *need(const char *key)
{
	const struct opt *o = opt_find(key);

	if (o == NULL || !o->set)
		die("missing: ", key);
	return o;
}

static int has(const char *key)
{
	const struct opt *o = opt_find(key);

	return o != NULL && o->set;
}

static uint64_t num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *s == '\0' || *end != '\0')
		die("bad number: ", s);
	return v;
}

static uint64_t num_opt(const char *key, uint64_t dflt)
{
	return has(key) ? num(need(key)->v[0]) : dflt;
}

/* ADDR or ADDR/PLEN into family, bytes and prefix length. */
static void parse_addr(const char *s, sa_family_t *fam, uint8_t b[16],
		       uint8_t *plen)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	char *slash;
	unsigned long p;

	if (strlen(s) >= sizeof(tmp))
		die("bad address: ", s);
	strcpy(tmp, s);
	slash = strchr(tmp, '/');
	if (slash != NULL)
		*slash++ = '\0';
	memset(b, 0, 16);
	if (inet_pton(AF_INET6, tmp, b) == 1)
		*fam = AF_INET6;
	else if (inet_pton(AF_INET, tmp, b) == 1)
		*fam = AF_INET;
	else
		die("bad address: ", s);
	p = *fam == AF_INET6 ? 128 : 32;
	if (slash != NULL) {
		unsigned long max = p;

		p = (unsigned long)num(slash);
		if (p > max)
			die("bad prefix length in: ", s);
	}
	if (plen != NULL)
		*plen = (uint8_t)p;
	else if (slash != NULL)
		die("no prefix length allowed in: ", s);
}

static void parse_sel(const char *key, struct hip_kernel_sel *sel)
{
	const struct opt *o = need(key);
	sa_family_t f2;

	memset(sel, 0, sizeof(*sel));
	parse_addr(o->v[0], &sel->family, sel->src.b, &sel->src_plen);
	parse_addr(o->v[1], &f2, sel->dst.b, &sel->dst_plen);
	if (f2 != sel->family)
		die("mixed address families in: ", key);
}

static void parse_outer(const char *key, struct hip_kernel_outer *out)
{
	const struct opt *o = need(key);
	sa_family_t f2;

	memset(out, 0, sizeof(*out));
	parse_addr(o->v[0], &out->family, out->src.b, NULL);
	parse_addr(o->v[1], &f2, out->dst.b, NULL);
	if (f2 != out->family)
		die("mixed address families in: ", key);
}

static enum hip_kernel_dir parse_dir(void)
{
	const char *d = need("dir")->v[0];

	if (strcmp(d, "in") == 0)
		return HIP_KERNEL_DIR_IN;
	if (strcmp(d, "out") == 0)
		return HIP_KERNEL_DIR_OUT;
	die("bad direction: ", d);
	return HIP_KERNEL_DIR_OUT;
}

static void parse_key(const char *key, uint8_t *out, size_t *len)
{
	const char *hex = has(key) ? need(key)->v[0] : "";
	size_t n = strlen(hex);

	if (n % 2 != 0 || n / 2 > HIP_KERNEL_KEY_MAX ||
	    hip_hex_decode(hex, out, n / 2) < 0)
		die("bad key: ", key);
	*len = n / 2;
}

static int fail(struct hip_kernel *k, const char *what, int err)
{
	const char *m = hip_kernel_errmsg(k);
	int e = errno;

	fprintf(stderr, "xfrm_tool: %s: %s%s%s%s%s%s\n", what,
		hip_strerror(err), err == HIP_EIO ? ": " : "",
		err == HIP_EIO ? strerror(e) : "",
		m[0] ? " [kernel: " : "", m, m[0] ? "]" : "");
	return 1;
}

static void addr_str(sa_family_t f, const uint8_t *b, char *out, size_t cap)
{
	if (f != AF_INET && f != AF_INET6) {
		snprintf(out, cap, "none");
		return;
	}
	if (inet_ntop(f, b, out, (socklen_t)cap) == NULL)
		snprintf(out, cap, "?");
}

static void print_sel(const struct hip_kernel_sel *s)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	addr_str(s->family, s->src.b, a, sizeof(a));
	addr_str(s->family, s->dst.b, b, sizeof(b));
	printf(" inner %s/%u %s/%u", a, s->src_plen, b, s->dst_plen);
}

static void print_outer(const char *label, const struct hip_kernel_outer *o)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (o->family != AF_INET && o->family != AF_INET6) {
		printf(" %s none", label);
		return;
	}
	addr_str(o->family, o->src.b, a, sizeof(a));
	addr_str(o->family, o->dst.b, b, sizeof(b));
	printf(" %s %s %s", label, a, b);
}

static void print_event(const struct hip_kernel_event *ev, void *arg)
{
	unsigned i;

	(void)arg;
	switch (ev->type) {
	case HIP_KEV_ACQUIRE:
		printf("acquire");
		print_sel(&ev->u.acquire.inner);
		print_outer("outer", &ev->u.acquire.outer);
		printf(" reqid 0x%08" PRIx32 " dir %s\n", ev->u.acquire.reqid,
		       ev->u.acquire.policy_dir == HIP_KERNEL_DIR_IN ?
		       "in" : "out");
		break;
	case HIP_KEV_EXPIRE:
		printf("expire %s spi 0x%08" PRIx32 " reqid 0x%08" PRIx32,
		       ev->u.expire.hard ? "hard" : "soft", ev->u.expire.spi,
		       ev->u.expire.reqid);
		print_outer("outer", &ev->u.expire.outer);
		printf("\n");
		break;
	case HIP_KEV_MIGRATE:
		printf("migrate dir %s",
		       ev->u.migrate.dir == HIP_KERNEL_DIR_IN ? "in" : "out");
		print_sel(&ev->u.migrate.inner);
		for (i = 0; i < ev->u.migrate.n; i++) {
			printf(" reqid 0x%08" PRIx32, ev->u.migrate.e[i].reqid);
			print_outer("old", &ev->u.migrate.e[i].old_outer);
			print_outer("new", &ev->u.migrate.e[i].new_outer);
		}
		printf("\n");
		break;
	case HIP_KEV_OVERRUN:
		printf("overrun\n");
		break;
	}
	fflush(stdout);
}

static int cmd_add_sa(struct hip_kernel *k)
{
	struct hip_kernel_sa sa;
	int err;

	memset(&sa, 0, sizeof(sa));
	parse_sel("inner", &sa.inner);
	parse_outer("outer", &sa.outer);
	sa.spi = (uint32_t)num(need("spi")->v[0]);
	sa.suite = (uint16_t)num(need("suite")->v[0]);
	sa.reqid = (uint32_t)num(need("reqid")->v[0]);
	sa.dir = has("dir") ? parse_dir() : HIP_KERNEL_DIR_OUT;
	parse_key("enc", sa.enc_key, &sa.enc_key_len);
	parse_key("auth", sa.auth_key, &sa.auth_key_len);
	sa.replay_window = (uint32_t)num_opt("window", 0);
	sa.esn = !has("noesn");
	sa.flags = has("reserved") ? HIP_KERNEL_SA_RESERVED : 0;
	sa.lifetime.soft_bytes = num_opt("soft-bytes", 0);
	sa.lifetime.hard_bytes = num_opt("hard-bytes", 0);
	sa.lifetime.soft_seconds = num_opt("soft-sec", 0);
	sa.lifetime.hard_seconds = num_opt("hard-sec", 0);
	err = hip_kernel_add_sa(k, &sa);
	hip_kernel_sa_wipe(&sa);
	return err < 0 ? fail(k, "add-sa", err) : 0;
}

static void parse_ip(const char *key, struct hip_kernel_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	parse_addr(need(key)->v[0], &ip->family, ip->a.b, NULL);
}

static int cmd_listen(struct hip_kernel *k)
{
	long count = (long)num_opt("count", 1);
	long tmo_ms = (long)num_opt("timeout", 10) * 1000;
	struct timespec t0, t;
	struct pollfd pfd = { .fd = hip_kernel_event_fd(k), .events = POLLIN };
	long seen = 0;

	printf("listening\n");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (seen < count) {
		long left;
		int n;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = tmo_ms - ((t.tv_sec - t0.tv_sec) * 1000 +
				 (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0) {
			fprintf(stderr, "xfrm_tool: listen: timed out after "
				"%ld of %ld events\n", seen, count);
			return 1;
		}
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			return 1;
		n = hip_kernel_read_events(k, (unsigned)(count - seen),
					   print_event, NULL);
		if (n < 0)
			return fail(k, "listen", n);
		seen += n;
	}
	return 0;
}

static void reset_opts(void)
{
	size_t i;

	for (i = 0; i < HIP_ARRAY_SIZE(opts); i++)
		opts[i].set = 0;
}

/* One command: argv[0] is its name. */
static int run(struct hip_kernel *k, int argc, char **argv)
{
	const char *cmd = argv[0];
	char why[512];
	int err, rc = 0;

	reset_opts();
	parse_opts(argc - 1, argv + 1);
	if (strcmp(cmd, "probe") == 0) {
		err = k->ops->probe(k, why, sizeof(why));
		if (err < 0) {
			fprintf(stderr, "xfrm_tool: probe: %s\n", why);
			rc = 1;
		} else {
			printf("ok\n");
		}
	} else if (strcmp(cmd, "add-sa") == 0) {
		rc = cmd_add_sa(k);
	} else if (strcmp(cmd, "del-sa") == 0) {
		struct hip_kernel_ip dst;

		parse_ip("dst", &dst);
		err = hip_kernel_del_sa(k, &dst, (uint32_t)num(need("spi")->v[0]));
		rc = err < 0 ? fail(k, "del-sa", err) : 0;
	} else if (strcmp(cmd, "stats") == 0) {
		struct hip_kernel_sa_stats st;
		struct hip_kernel_ip dst;

		parse_ip("dst", &dst);
		err = hip_kernel_get_sa_stats(k, &dst,
					      (uint32_t)num(need("spi")->v[0]),
					      &st);
		if (err < 0)
			rc = fail(k, "stats", err);
		else
			printf("packets %" PRIu64 " bytes %" PRIu64
			       " replay %" PRIu32 " integrity %" PRIu32 "\n",
			       st.packets, st.bytes, st.replay_fails,
			       st.integrity_fails);
	} else if (strcmp(cmd, "alloc-spi") == 0) {
		struct hip_kernel_outer o;
		uint32_t spi;

		parse_outer("outer", &o);
		err = hip_kernel_alloc_spi(k, &o,
					   (uint32_t)num(need("reqid")->v[0]),
					   (uint32_t)num_opt("min", 0x100),
					   (uint32_t)num_opt("max", 0xffffffff),
					   &spi);
		if (err < 0)
			rc = fail(k, "alloc-spi", err);
		else
			printf("0x%08" PRIx32 "\n", spi);
	} else if (strcmp(cmd, "add-policy") == 0) {
		struct hip_kernel_policy p;

		memset(&p, 0, sizeof(p));
		p.dir = parse_dir();
		parse_sel("inner", &p.inner);
		parse_outer("outer", &p.outer);
		p.reqid = (uint32_t)num(need("reqid")->v[0]);
		p.priority = (uint32_t)num_opt("priority",
					       HIP_KERNEL_PRIO_ASSOC);
		p.flags = has("replace") ? HIP_KERNEL_POLICY_REPLACE : 0;
		err = hip_kernel_add_policy(k, &p);
		rc = err < 0 ? fail(k, "add-policy", err) : 0;
	} else if (strcmp(cmd, "del-policy") == 0) {
		struct hip_kernel_sel sel;

		parse_sel("inner", &sel);
		err = hip_kernel_del_policy(k, &sel, parse_dir());
		rc = err < 0 ? fail(k, "del-policy", err) : 0;
	} else if (strcmp(cmd, "trigger") == 0) {
		struct hip_kernel_policy out, in;

		hip_kernel_trigger_policies(num_opt("family", 6) == 4 ?
					    AF_INET : AF_INET6, &out, &in);
		err = hip_kernel_add_policy(k, &out);
		if (err == 0) {
			err = hip_kernel_add_policy(k, &in);
			if (err < 0)
				(void)hip_kernel_del_policy(k, &out.inner,
							    out.dir);
		}
		rc = err < 0 ? fail(k, "trigger", err) : 0;
	} else if (strcmp(cmd, "migrate") == 0) {
		struct hip_kernel_migrate m;

		memset(&m, 0, sizeof(m));
		parse_sel("inner", &m.inner);
		parse_outer("old", &m.old_outer);
		parse_outer("new", &m.new_outer);
		m.reqid_out = (uint32_t)num(need("reqid-out")->v[0]);
		m.reqid_in = (uint32_t)num(need("reqid-in")->v[0]);
		err = hip_kernel_migrate(k, &m);
		rc = err < 0 ? fail(k, "migrate", err) : 0;
	} else if (strcmp(cmd, "flush") == 0) {
		unsigned n = 0;

		err = hip_kernel_flush_owned(k, &n);
		if (err < 0)
			rc = fail(k, "flush", err);
		else
			printf("%u\n", n);
	} else if (strcmp(cmd, "listen") == 0 && hip_kernel_event_fd(k) >= 0) {
		rc = cmd_listen(k);
	} else {
		die("unknown command: ", cmd);
	}
	fflush(stdout);
	return rc;
}

/* Commands from stdin, one a line, words separated by blanks. */
static int run_batch(struct hip_kernel *k)
{
	char line[4096];
	char *words[64];
	unsigned lineno = 0;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		char *save = NULL, *w;
		int n = 0;

		lineno++;
		for (w = strtok_r(line, " \t\r\n", &save); w != NULL && n < 64;
		     w = strtok_r(NULL, " \t\r\n", &save))
			words[n++] = w;
		if (n == 0 || words[0][0] == '#')
			continue;
		if (run(k, n, words) != 0) {
			fprintf(stderr, "xfrm_tool: stopped at line %u\n",
				lineno);
			hip_wipe(line, sizeof(line));
			return 1;
		}
	}
	hip_wipe(line, sizeof(line));	/* lines may hold keys */
	return 0;
}

int main(int argc, char **argv)
{
	const char *backend = NULL;
	struct hip_kernel *k = NULL;
	char why[512];
	unsigned flags = HIP_KERNEL_OPEN_NOPROBE;
	int err, rc;

	if (argc >= 3 && (strcmp(argv[1], "-b") == 0 ||
			  strcmp(argv[1], "-k") == 0 ||
			  strcmp(argv[1], "--kernel") == 0)) {
		backend = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 2)
		die("usage: xfrm_tool [-k xfrm|pfkey] COMMAND [KEY VALUE...]", "");
	if (strcmp(argv[1], "listen") != 0)
		flags |= HIP_KERNEL_OPEN_NOEVENTS;
	err = hip_kernel_open(backend, flags, &k, why, sizeof(why));
	if (err < 0) {
		fprintf(stderr, "xfrm_tool: open: %s%s%s\n", hip_strerror(err),
			why[0] ? ": " : "", why);
		return 1;
	}
	if (strcmp(argv[1], "-") == 0)
		rc = run_batch(k);
	else
		rc = run(k, argc - 1, argv + 1);
	hip_kernel_close(k);
	return rc;
}

/*
 * cmd_msrd.c - hipconf msrd: the MSRD operations for people and scripts
 * (a shell script can play the mobility daemon), through the public API
 * of hip/msrd.h, rendered as text or JSON (--json).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hip/ctl.h"
#include "hip/msrd.h"
#include "hipconf/ctl_call.h"
#include "hipconf/hipconf.h"

#define MSRD_USAGE \
	"[--msrd PATH] put MPI [--home ADDR]... [--coa ADDR[/PREF]]...\n" \
	"                    [--peer ADDR] [--lifetime SECONDS] [--persist]\n" \
	"       hipconf msrd [--msrd PATH] get MPI | del MPI | list\n" \
	"       hipconf msrd [--msrd PATH] bind MPI [local=HIT,peer=HIT," \
	"policy=N,reqid=N]...\n" \
	"       hipconf msrd [--msrd PATH] watch [--count N] [--timeout SECONDS]"

static const struct hipconf_cmd *self(void)
{
	return hipconf_find("msrd");
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s[0] == '\0' || s[0] == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

static int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;

	if (parse_u64(s, &v) < 0 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int parse_mpi(const char *s, uint64_t *mpi)
{
	if (parse_u64(s, mpi) < 0 || *mpi == 0)
		return hipconf_usage(self(), "bad MPI '%s' (a non-zero "
				     "64-bit number, decimal or 0x hex)", s);
	return 0;
}

/* Report a failed call: the daemon's reason when it gave one. */
static int failed(struct hip_msrd *h, const char *what, int r)
{
	const char *msg = hip_msrd_errmsg(h);

	hipconf_err("msrd %s: %s", what, msg[0] ? msg : r == HIP_EIO ?
		    strerror(errno) : hip_strerror(r));
	return HIPCONF_EXIT_FAIL;
}

/* ---- printing -------------------------------------------------------- */

static const char *addr(const void *a, char *buf, size_t cap)
{
	return hipconf_addr_str(a, buf, cap);
}

static void print_binding(const struct hip_msrd_binding *b)
{
	char l[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN];

	fputs("  bind", stdout);
	if (b->flags & HIP_MSRD_B_HITS)
		printf(" local %s peer %s",
		       inet_ntop(AF_INET6, b->local_hit, l, sizeof(l)),
		       inet_ntop(AF_INET6, b->peer_hit, p, sizeof(p)));
	if (b->flags & HIP_MSRD_B_POLICY)
		printf(" policy %" PRIu32, b->policy_index);
	if (b->flags & HIP_MSRD_B_REQID)
		printf(" reqid %" PRIu32, b->reqid);
	fputc('\n', stdout);
}

static void print_record(const struct hip_msrd_record *r)
{
	char buf[INET6_ADDRSTRLEN];
	uint64_t now = (uint64_t)time(NULL);

	printf("mpi %" PRIu64 " (0x%" PRIx64 ") owner %" PRIu32 " seq %"
	       PRIu32 "%s", r->mpi, r->mpi, r->owner, r->seq,
	       (r->flags & HIP_MSRD_F_PERSIST) ? " persist" : "");
	if (r->expires)
		printf(" expires in %" PRIu64 " s",
		       r->expires > now ? r->expires - now : 0);
	fputc('\n', stdout);
	for (size_t i = 0; i < r->n_home; i++)
		printf("  home %s\n", addr(&r->home[i], buf, sizeof(buf)));
	for (size_t i = 0; i < r->n_coa; i++)
		printf("  coa %s pref %u\n",
		       addr(&r->coa[i].addr, buf, sizeof(buf)),
		       r->coa[i].pref);
	if (r->flags & HIP_MSRD_F_PEER)
		printf("  peer %s\n", addr(&r->peer, buf, sizeof(buf)));
	for (size_t i = 0; i < r->n_bind; i++)
		print_binding(&r->bind[i]);
}

static void json_hit(struct hip_json *j, const char *key, const uint8_t *h)
{
	struct in6_addr a;

	memcpy(&a, h, sizeof(a));
	hipconf_json_addr(j, key, &a);
}

static void json_record(struct hip_json *j, const struct hip_msrd_record *r)
{
	char hex[24];

	snprintf(hex, sizeof(hex), "0x%016" PRIx64, r->mpi);
	hip_json_object_begin(j);
	hip_json_key(j, "mpi");
	hip_json_uint(j, r->mpi);
	hip_json_key(j, "mpi_hex");
	hip_json_string(j, hex);
	hip_json_key(j, "owner");
	hip_json_uint(j, r->owner);
	hip_json_key(j, "seq");
	hip_json_uint(j, r->seq);
	hip_json_key(j, "persist");
	hip_json_bool(j, r->flags & HIP_MSRD_F_PERSIST);
	hip_json_key(j, "expires");
	if (r->expires)
		hip_json_uint(j, r->expires);
	else
		hip_json_null(j);
	hip_json_key(j, "home");
	hip_json_array_begin(j);
	for (size_t i = 0; i < r->n_home; i++) {
		char buf[INET6_ADDRSTRLEN];

		hip_json_string(j, addr(&r->home[i], buf, sizeof(buf)));
	}
	hip_json_array_end(j);
	hip_json_key(j, "coa");
	hip_json_array_begin(j);
	for (size_t i = 0; i < r->n_coa; i++) {
		hip_json_object_begin(j);
		hipconf_json_addr(j, "addr", &r->coa[i].addr);
		hip_json_key(j, "pref");
		hip_json_uint(j, r->coa[i].pref);
		hip_json_object_end(j);
	}
	hip_json_array_end(j);
	if (r->flags & HIP_MSRD_F_PEER) {
		hipconf_json_addr(j, "peer", &r->peer);
	} else {
		hip_json_key(j, "peer");
		hip_json_null(j);
	}
	hip_json_key(j, "bind");
	hip_json_array_begin(j);
	for (size_t i = 0; i < r->n_bind; i++) {
		const struct hip_msrd_binding *b = &r->bind[i];

		hip_json_object_begin(j);
		if (b->flags & HIP_MSRD_B_HITS) {
			json_hit(j, "local_hit", b->local_hit);
			json_hit(j, "peer_hit", b->peer_hit);
		}
		if (b->flags & HIP_MSRD_B_POLICY) {
			hip_json_key(j, "policy");
			hip_json_uint(j, b->policy_index);
		}
		if (b->flags & HIP_MSRD_B_REQID) {
			hip_json_key(j, "reqid");
			hip_json_uint(j, b->reqid);
		}
		hip_json_object_end(j);
	}
	hip_json_array_end(j);
	hip_json_object_end(j);
}

static int show(const struct hip_msrd_record *r)
{
	struct hip_json j;

	if (!hipconf_json) {
		print_record(r);
		return HIPCONF_EXIT_OK;
	}
	hip_json_init_file(&j, stdout);
	json_record(&j, r);
	return hipconf_json_done(&j);
}

/* ---- commands -------------------------------------------------------- */

static int parse_coa(const char *s, struct hip_msrd_locator *l)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	uint32_t pref = 0;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strrchr(buf, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (parse_u32(slash + 1, &pref) < 0 || pref > 255)
			return -1;
	}
	l->pref = (uint8_t)pref;
	return hipconf_parse_addr(buf, &l->addr) < 0 ? -1 : 0;
}

static int do_put(struct hip_msrd *h, int argc, char **argv)
{
	struct hip_msrd_record rec, stored;
	int r;

	memset(&rec, 0, sizeof(rec));
	if (argc < 2)
		return hipconf_usage(self(), "put needs an MPI");
	if (parse_mpi(argv[1], &rec.mpi) != 0)
		return HIPCONF_EXIT_USAGE;
	for (int i = 2; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(o, "--persist") == 0) {
			rec.flags |= HIP_MSRD_F_PERSIST;
			continue;
		}
		if (v == NULL)
			return hipconf_usage(self(), "'%s' needs a value "
					     "(or is unknown)", o);
		i++;
		if (strcmp(o, "--home") == 0) {
			if (rec.n_home >= HIP_MSRD_MAX_HOME)
				return hipconf_usage(self(), "at most %u home "
						     "addresses",
						     HIP_MSRD_MAX_HOME);
			if (hipconf_parse_addr(v, &rec.home[rec.n_home]) < 0)
				return hipconf_usage(self(), "bad address "
						     "'%s'", v);
			rec.n_home++;
		} else if (strcmp(o, "--coa") == 0) {
			if (rec.n_coa >= HIP_MSRD_MAX_COA)
				return hipconf_usage(self(), "at most %u "
						     "care-of addresses",
						     HIP_MSRD_MAX_COA);
			if (parse_coa(v, &rec.coa[rec.n_coa]) < 0)
				return hipconf_usage(self(), "bad care-of "
						     "address '%s'", v);
			rec.n_coa++;
		} else if (strcmp(o, "--peer") == 0) {
			if (hipconf_parse_addr(v, &rec.peer) < 0)
				return hipconf_usage(self(), "bad address "
						     "'%s'", v);
			rec.flags |= HIP_MSRD_F_PEER;
		} else if (strcmp(o, "--lifetime") == 0) {
			if (parse_u32(v, &rec.lifetime) < 0 ||
			    rec.lifetime > HIP_MSRD_LIFETIME_MAX)
				return hipconf_usage(self(), "bad lifetime "
						     "'%s' (0..%u s)", v,
						     HIP_MSRD_LIFETIME_MAX);
		} else {
			return hipconf_usage(self(), "unknown option '%s'", o);
		}
	}
	if (hip_msrd_record_check(&rec) < 0)
		return hipconf_usage(self(), "invalid record (an address "
				     "repeated, unspecified or multicast?)");
	r = hip_msrd_put(h, &rec, &stored);
	if (r < 0)
		return failed(h, "put", r);
	return show(&stored);
}

static int do_get(struct hip_msrd *h, int argc, char **argv)
{
	struct hip_msrd_record rec;
	uint64_t mpi;
	int r;

	if (argc != 2)
		return hipconf_usage(self(), "get takes one MPI");
	if (parse_mpi(argv[1], &mpi) != 0)
		return HIPCONF_EXIT_USAGE;
	r = hip_msrd_get(h, mpi, &rec);
	if (r < 0)
		return failed(h, "get", r);
	return show(&rec);
}

static int do_del(struct hip_msrd *h, int argc, char **argv)
{
	uint64_t mpi;
	int r;

	if (argc != 2)
		return hipconf_usage(self(), "del takes one MPI");
	if (parse_mpi(argv[1], &mpi) != 0)
		return HIPCONF_EXIT_USAGE;
	r = hip_msrd_delete(h, mpi);
	if (r < 0)
		return failed(h, "del", r);
	return HIPCONF_EXIT_OK;
}

static int do_list(struct hip_msrd *h, int argc, char **argv)
{
	static struct hip_msrd_record recs[HIP_MSRD_MAX_RECORDS];
	struct hip_json j;
	size_t n;
	int r;

	(void)argv;
	if (argc != 1)
		return hipconf_usage(self(), "list takes no arguments");
	r = hip_msrd_list(h, recs, HIP_MSRD_MAX_RECORDS, &n);
	if (r < 0)
		return failed(h, "list", r);
	if (n > HIP_MSRD_MAX_RECORDS)
		n = HIP_MSRD_MAX_RECORDS;
	if (!hipconf_json) {
		for (size_t i = 0; i < n; i++)
			print_record(&recs[i]);
		return HIPCONF_EXIT_OK;
	}
	hip_json_init_file(&j, stdout);
	hip_json_array_begin(&j);
	for (size_t i = 0; i < n; i++)
		json_record(&j, &recs[i]);
	hip_json_array_end(&j);
	return hipconf_json_done(&j);
}

/* "local=HIT,peer=HIT,policy=N,reqid=N" (any non-empty subset, local
 * and peer together). */
static int parse_binding(char *spec, struct hip_msrd_binding *b)
{
	struct in6_addr a;
	char *save = NULL, *kv;
	bool have_local = false, have_peer = false;

	memset(b, 0, sizeof(*b));
	for (kv = strtok_r(spec, ",", &save); kv != NULL;
	     kv = strtok_r(NULL, ",", &save)) {
		char *v = strchr(kv, '=');

		if (v == NULL)
			return -1;
		*v++ = '\0';
		if (strcmp(kv, "local") == 0 && !have_local &&
		    hipconf_parse_hit(v, &a) == 0) {
			memcpy(b->local_hit, &a, 16);
			have_local = true;
		} else if (strcmp(kv, "peer") == 0 && !have_peer &&
			   hipconf_parse_hit(v, &a) == 0) {
			memcpy(b->peer_hit, &a, 16);
			have_peer = true;
		} else if (strcmp(kv, "policy") == 0 &&
			   !(b->flags & HIP_MSRD_B_POLICY) &&
			   parse_u32(v, &b->policy_index) == 0 &&
			   b->policy_index != 0) {
			b->flags |= HIP_MSRD_B_POLICY;
		} else if (strcmp(kv, "reqid") == 0 &&
			   !(b->flags & HIP_MSRD_B_REQID) &&
			   parse_u32(v, &b->reqid) == 0 && b->reqid != 0) {
			b->flags |= HIP_MSRD_B_REQID;
		} else {
			return -1;
		}
	}
	if (have_local != have_peer)
		return -1;
	if (have_local)
		b->flags |= HIP_MSRD_B_HITS;
	return b->flags ? 0 : -1;
}

static int do_bind(struct hip_msrd *h, int argc, char **argv)
{
	struct hip_msrd_binding b[HIP_MSRD_MAX_BIND];
	struct hip_msrd_record rec;
	uint64_t mpi;
	size_t n = 0;
	int r;

	if (argc < 2)
		return hipconf_usage(self(), "bind needs an MPI");
	if (parse_mpi(argv[1], &mpi) != 0)
		return HIPCONF_EXIT_USAGE;
	if (argc - 2 > HIP_MSRD_MAX_BIND)
		return hipconf_usage(self(), "at most %u bindings",
				     HIP_MSRD_MAX_BIND);
	for (int i = 2; i < argc; i++) {
		char spec[256];

		if (strlen(argv[i]) >= sizeof(spec))
			return hipconf_usage(self(), "binding too long");
		strcpy(spec, argv[i]);
		if (parse_binding(spec, &b[n]) < 0)
			return hipconf_usage(self(), "bad binding '%s'",
					     argv[i]);
		n++;
	}
	r = hip_msrd_bind(h, mpi, b, n);
	if (r < 0)
		return failed(h, "bind", r);
	r = hip_msrd_get(h, mpi, &rec);
	if (r < 0)
		return failed(h, "get", r);
	return show(&rec);
}

static int print_event(const struct hip_msrd_event *ev)
{
	struct hip_json j;

	if (!hipconf_json) {
		printf("%s mpi %" PRIu64 " (0x%" PRIx64 ")",
		       hip_msrd_event_name(ev->type), ev->mpi, ev->mpi);
		if (ev->type == HIP_MSRD_EV_ACQUIRE) {
			printf(" pfkey %zu bytes\n", ev->pfkey_len);
		} else {
			fputs(": ", stdout);
			print_record(&ev->record);
		}
		return fflush(stdout) == 0 ? 0 : -1;
	}
	hip_json_init_file(&j, stdout);
	hip_json_object_begin(&j);
	hip_json_key(&j, "event");
	hip_json_string(&j, hip_msrd_event_name(ev->type));
	hip_json_key(&j, "mpi");
	hip_json_uint(&j, ev->mpi);
	if (ev->type == HIP_MSRD_EV_ACQUIRE) {
		hip_json_key(&j, "pfkey_len");
		hip_json_uint(&j, ev->pfkey_len);
	} else {
		hip_json_key(&j, "record");
		json_record(&j, &ev->record);
	}
	hip_json_object_end(&j);
	if (hipconf_json_done(&j) != 0)
		return -1;
	return fflush(stdout) == 0 ? 0 : -1;
}

static int do_watch(struct hip_msrd *h, int argc, char **argv)
{
	static struct hip_msrd_event ev;
	uint64_t count = 0, seen = 0;
	uint32_t timeout_s = 0;
	int r;

	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			return hipconf_usage(self(), "'%s' needs a value",
					     argv[i]);
		if (strcmp(argv[i], "--count") == 0 &&
		    parse_u64(argv[i + 1], &count) == 0)
			i++;
		else if (strcmp(argv[i], "--timeout") == 0 &&
			 parse_u32(argv[i + 1], &timeout_s) == 0)
			i++;
		else
			return hipconf_usage(self(), "bad watch option '%s'",
					     argv[i]);
	}
	r = hip_msrd_watch(h);
	if (r < 0)
		return failed(h, "watch", r);
	/* scripts wait for this line before they make changes */
	if (!hipconf_json) {
		printf("watching\n");
		fflush(stdout);
	}
	while (count == 0 || seen < count) {
		r = hip_msrd_next_event(h, &ev, timeout_s ?
					(int)(timeout_s * 1000) : -1);
		if (r == HIP_EIO && errno == ETIMEDOUT) {
			hipconf_err("msrd watch: no event within %" PRIu32
				    " s", timeout_s);
			return HIPCONF_EXIT_FAIL;
		}
		if (r < 0)
			return failed(h, "watch", r);
		if (print_event(&ev) < 0)
			return HIPCONF_EXIT_FAIL;
		seen++;
	}
	return HIPCONF_EXIT_OK;
}

static const struct {
	const char *name;
	int (*fn)(struct hip_msrd *h, int argc, char **argv);
} subcmds[] = {
	{ "put", do_put },
	{ "get", do_get },
	{ "del", do_del },
	{ "list", do_list },
	{ "bind", do_bind },
	{ "watch", do_watch },
};

static int cmd_msrd(int argc, char **argv)
{
	const char *path = HIP_MSRD_DEFAULT_PATH;
	struct hip_msrd *h;
	int r, e;

	if (hipconf_strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	argc--;
	argv++;
	if (argc >= 1 && strncmp(argv[0], "--msrd=", 7) == 0) {
		path = argv[0] + 7;
		argc--;
		argv++;
	} else if (argc >= 2 && strcmp(argv[0], "--msrd") == 0) {
		path = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc < 1)
		return hipconf_usage(self(), "which msrd operation?");
	for (size_t i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++) {
		if (strcmp(argv[0], subcmds[i].name) != 0)
			continue;
		r = hip_msrd_open(path, &h);
		if (r < 0) {
			e = errno;
			hipconf_err("cannot reach the MSRD at %s: %s%s", path,
				    r == HIP_EIO ? strerror(e) :
				    hip_strerror(r), r == HIP_EIO &&
				    (e == ENOENT || e == ECONNREFUSED) ?
				    " (is hipd running? --msrd selects "
				    "another socket)" : "");
			return HIPCONF_EXIT_FAIL;
		}
		r = subcmds[i].fn(h, argc, argv);
		hip_msrd_close(h);
		return r;
	}
	return hipconf_usage(self(), "unknown msrd operation '%s'", argv[0]);
}

const struct hipconf_cmd hipconf_msrd_cmds[] = {
	{ "msrd", cmd_msrd, MSRD_USAGE,
	  "the Mobile Security Reference Database (records, bindings, "
	  "watch)",
	  "  put      create or update a record (only its owner or root);\n"
	  "           care-of addresses with a preference, lower first;\n"
	  "           bindings are kept\n"
	  "  get, del, list\n"
	  "  bind     replace the SPD entries the record is bound to;\n"
	  "           none: unbind\n"
	  "  watch    print changes and extended ACQUIREs as they come\n"
	  "  --msrd PATH  the MSRD socket (default " HIP_MSRD_DEFAULT_PATH
	  ")\n"
	  "  --json       JSON output (one object per event for watch)\n" },
	{ NULL, NULL, NULL, NULL, NULL },
};

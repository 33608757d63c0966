/*
 * cmd_daemon.c - hipconf commands that talk to a running hipd over its
 * control socket (hip/ctl.h): status, hi, peer, ha, connect, close,
 * reload, and the HIPL-style aliases "add map" and "get ha all".
 *
 * Every command renders the daemon's typed reply as text, or as JSON
 * with --json (libhipcore's JSON writer).  Failures print one line on
 * stderr and exit 1; bad command lines exit 2.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hip/ctl.h"
#include "hip/engine.h"
#include "hip/error.h"
#include "hip/hit.h"
#include "hip/identity.h"
#include "hipconf/hipconf.h"
#include "hipd/daemon.h"

#define CTL_TIMEOUT_MS	60000	/* RSA key generation may take a while */

static const char *sock_path = HIPD_DEFAULT_RUN_DIR "/" HIPD_SOCKET_NAME;
static bool json;

static uint8_t reqbuf[HIP_CTL_FRAME_MAX];
static uint8_t repbuf[HIP_CTL_FRAME_MAX];

/* --- options ------------------------------------------------------------- */

/* -s PATH, --socket PATH, --socket=PATH, --json: returns how many argv
 * entries it used at *i, 0 if argv[*i] is none of them, -1 on error. */
static int global_opt(int argc, char **argv, int i)
{
	const char *a = argv[i];

	if (strcmp(a, "--json") == 0) {
		json = true;
		return 1;
	}
	if (strncmp(a, "--socket=", 9) == 0 && a[9]) {
		sock_path = a + 9;
		return 1;
	}
	if (strcmp(a, "-s") == 0 || strcmp(a, "--socket") == 0) {
		if (i + 1 >= argc || argv[i + 1][0] == '\0') {
			hipconf_usage(NULL, "option '%s' needs a socket path",
				      a);
			return -1;
		}
		sock_path = argv[i + 1];
		return 2;
	}
	return 0;
}

int hipconf_global_opts(int argc, char **argv)
{
	int i = 1, n;

	while (i < argc && (n = global_opt(argc, argv, i)) != 0) {
		if (n < 0)
			return -1;
		i += n;
	}
	return i - 1;
}

/* Remove global options from a command's argv (they may follow it). */
static int strip_globals(int *argc, char **argv)
{
	int i = 1, j = 1, n;

	while (i < *argc) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[j++] = argv[i++];
			break;
		}
		n = global_opt(*argc, argv, i);
		if (n < 0)
			return -1;
		if (n == 0)
			argv[j++] = argv[i++];
		else
			i += n;
	}
	*argc = j;
	argv[j] = NULL;
	return 0;
}

/* --- talking to hipd ----------------------------------------------------- */

struct reply {
	struct hip_ctl_hdr hdr;
	struct hip_ctl_iter attrs;
};

static void msg_start(struct hip_ctl_msg *m, uint16_t cmd)
{
	hip_ctl_msg_init(m, reqbuf, sizeof(reqbuf), HIP_CTL_REQUEST, cmd,
			 (uint32_t)getpid());
}

/* Send m, wait for the reply; print the failure and return 1 on any. */
static int call(const struct hip_ctl_msg *m, struct reply *rep)
{
	struct hip_ctl_attr a;
	char msg[HIP_CTL_STRING_MAX + 1];
	size_t len;
	int fd, r, e;

	r = hip_ctl_connect(sock_path, &fd);
	if (r < 0) {
		e = errno;
		hipconf_err("cannot reach hipd at %s: %s%s", sock_path,
			    r == HIP_EIO ? strerror(e) : hip_strerror(r),
			    r == HIP_EIO && (e == ENOENT || e == ECONNREFUSED) ?
			    " (is hipd running? -s selects another socket)" :
			    "");
		return HIPCONF_EXIT_FAIL;
	}
	r = hip_ctl_request(fd, m, repbuf, sizeof(repbuf), &len,
			    CTL_TIMEOUT_MS);
	e = errno;
	close(fd);
	if (r < 0) {
		hipconf_err("no answer from hipd at %s: %s", sock_path,
			    r == HIP_EIO ? strerror(e) : hip_strerror(r));
		return HIPCONF_EXIT_FAIL;
	}
	if (hip_ctl_parse(repbuf, len, &rep->hdr, &rep->attrs) < 0) {
		hipconf_err("malformed reply from hipd");
		return HIPCONF_EXIT_FAIL;
	}
	if (rep->hdr.code != 0) {
		if (hip_ctl_find(&rep->attrs, HIP_CTL_A_ERRMSG, &a) < 0 ||
		    hip_ctl_get_string(&a, msg, sizeof(msg)) < 0)
			snprintf(msg, sizeof(msg), "%s",
				 hip_strerror(HIP_CTL_ERR(rep->hdr.code)));
		hipconf_err("%s", msg);
		return HIPCONF_EXIT_FAIL;
	}
	return HIPCONF_EXIT_OK;
}

/* --- values -------------------------------------------------------------- */

static const char *addr_str(const struct in6_addr *a, char *buf, size_t cap)
{
	static const uint8_t v4pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					   0xff, 0xff };

	if (memcmp(a->s6_addr, v4pfx, 12) == 0)
		inet_ntop(AF_INET, &a->s6_addr[12], buf, (socklen_t)cap);
	else
		inet_ntop(AF_INET6, a, buf, (socklen_t)cap);
	return buf;
}

static int parse_addr(const char *s, struct in6_addr *out)
{
	struct in_addr v4;

	if (inet_pton(AF_INET6, s, out) == 1)
		return 0;
	if (inet_pton(AF_INET, s, &v4) != 1)
		return -1;
	memset(out, 0, sizeof(*out));
	out->s6_addr[10] = out->s6_addr[11] = 0xff;
	memcpy(&out->s6_addr[12], &v4, 4);
	return 0;
}

static int parse_hit(const char *s, struct in6_addr *out)
{
	if (inet_pton(AF_INET6, s, out) != 1) {
		hipconf_err("'%s' is not an IPv6 address (a HIT is needed)", s);
		return -1;
	}
	if (!hip_hit_is_hit(out->s6_addr)) {
		hipconf_err("'%s' is not a HIT (HITs are in 2001:20::/28)", s);
		return -1;
	}
	return 0;
}

static const char *esp_name(unsigned id)
{
	switch (id) {
	case 0: return "-";
	case 1: return "AES-128-CBC/HMAC-SHA-1";
	case 7: return "NULL/HMAC-SHA-256";
	case 8: return "AES-128-CBC/HMAC-SHA-256";
	case 9: return "AES-256-CBC/HMAC-SHA-256";
	case 10: return "AES-CCM-8";
	case 11: return "AES-CCM-16";
	case 12: return "AES-GCM-8";
	case 13: return "AES-GCM-16";
	case 14: return "AES-CMAC-96";
	case 15: return "AES-GMAC";
	}
	return "unknown";
}

/* Attribute values of one row (or of the reply's top level). */
struct row {
	struct in6_addr hit, local_hit, peer_hit, local_loc, peer_loc;
	bool has_hit, has_local_hit, has_peer_hit, has_age;
	struct in6_addr locs[32];
	size_t n_locs;
	struct in6_addr hits[32];
	size_t n_hits;
	char name[HIP_CTL_STRING_MAX + 1];
	char version[64];
	uint64_t uptime, age, bytes_in, bytes_out;
	bool has_bytes;
	uint32_t count, flags, spi_in, spi_out, lsi, pid;
	uint16_t esp, cipher, keybits;
	uint8_t state, dh, algo, hit_suite;
	bool has_list;
	struct hip_ctl_attr list;
};

static void read_row(const struct hip_ctl_iter *range, struct row *r)
{
	struct hip_ctl_iter it = *range;
	struct hip_ctl_attr a;
	struct in6_addr v;

	memset(r, 0, sizeof(*r));
	it.off = 0;
	while (hip_ctl_iter_next(&it, &a) == 1) {
		switch (a.type) {
		case HIP_CTL_A_HIT:
			if (hip_ctl_get_in6(&a, &v) < 0)
				break;
			r->hit = v;
			r->has_hit = true;
			if (r->n_hits < 32)
				r->hits[r->n_hits++] = v;
			break;
		case HIP_CTL_A_LOCAL_HIT:
			r->has_local_hit = !hip_ctl_get_in6(&a, &r->local_hit);
			break;
		case HIP_CTL_A_PEER_HIT:
			r->has_peer_hit = !hip_ctl_get_in6(&a, &r->peer_hit);
			break;
		case HIP_CTL_A_LOCATOR:
			if (r->n_locs < 32 &&
			    hip_ctl_get_in6(&a, &r->locs[r->n_locs]) == 0)
				r->n_locs++;
			break;
		case HIP_CTL_A_LOCAL_LOCATOR:
			hip_ctl_get_in6(&a, &r->local_loc);
			break;
		case HIP_CTL_A_PEER_LOCATOR:
			hip_ctl_get_in6(&a, &r->peer_loc);
			break;
		case HIP_CTL_A_NAME:
			hip_ctl_get_string(&a, r->name, sizeof(r->name));
			break;
		case HIP_CTL_A_VERSION:
			hip_ctl_get_string(&a, r->version, sizeof(r->version));
			break;
		case HIP_CTL_A_UPTIME: hip_ctl_get_u64(&a, &r->uptime); break;
		case HIP_CTL_A_AGE:
			r->has_age = !hip_ctl_get_u64(&a, &r->age);
			break;
		case HIP_CTL_A_BYTES_IN:
			r->has_bytes = !hip_ctl_get_u64(&a, &r->bytes_in);
			break;
		case HIP_CTL_A_BYTES_OUT:
			hip_ctl_get_u64(&a, &r->bytes_out);
			break;
		case HIP_CTL_A_COUNT: hip_ctl_get_u32(&a, &r->count); break;
		case HIP_CTL_A_FLAGS: hip_ctl_get_u32(&a, &r->flags); break;
		case HIP_CTL_A_SPI_IN: hip_ctl_get_u32(&a, &r->spi_in); break;
		case HIP_CTL_A_SPI_OUT: hip_ctl_get_u32(&a, &r->spi_out); break;
		case HIP_CTL_A_LSI: hip_ctl_get_u32(&a, &r->lsi); break;
		case HIP_CTL_A_PID: hip_ctl_get_u32(&a, &r->pid); break;
		case HIP_CTL_A_ESP_TRANSFORM: hip_ctl_get_u16(&a, &r->esp); break;
		case HIP_CTL_A_HIP_CIPHER: hip_ctl_get_u16(&a, &r->cipher); break;
		case HIP_CTL_A_KEYBITS: hip_ctl_get_u16(&a, &r->keybits); break;
		case HIP_CTL_A_STATE: hip_ctl_get_u8(&a, &r->state); break;
		case HIP_CTL_A_DH_GROUP: hip_ctl_get_u8(&a, &r->dh); break;
		case HIP_CTL_A_ALGORITHM: hip_ctl_get_u8(&a, &r->algo); break;
		case HIP_CTL_A_HIT_SUITE:
			hip_ctl_get_u8(&a, &r->hit_suite);
			break;
		case HIP_CTL_A_LIST:
			r->list = a;
			r->has_list = true;
			break;
		}
	}
}

/* Call fn for every ITEM of the reply's LIST. */
static void for_each_item(const struct row *top,
			  void (*fn)(const struct row *item, void *arg),
			  void *arg)
{
	static struct row item;
	struct hip_ctl_iter it, sub;
	struct hip_ctl_attr a;

	if (!top->has_list || hip_ctl_attr_nested(&top->list, &it) < 0)
		return;
	while (hip_ctl_iter_next(&it, &a) == 1) {
		if (a.type != HIP_CTL_A_ITEM ||
		    hip_ctl_attr_nested(&a, &sub) < 0)
			continue;
		read_row(&sub, &item);
		fn(&item, arg);
	}
}

static int json_addr(struct hip_json *j, const char *key,
		     const struct in6_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	hip_json_key(j, key);
	return hip_json_string(j, addr_str(a, buf, sizeof(buf)));
}

static int json_done(struct hip_json *j)
{
	int r = hip_json_finish(j);

	fputc('\n', stdout);
	if (r < 0) {
		hipconf_err("cannot write JSON: %s", hip_strerror(r));
		return HIPCONF_EXIT_FAIL;
	}
	return HIPCONF_EXIT_OK;
}

static int no_args(const struct hipconf_cmd *c, int argc, char **argv)
{
	if (argc > 1)
		return hipconf_usage(c, "unexpected argument '%s'", argv[1]);
	return 0;
}

/* --- status -------------------------------------------------------------- */

static int cmd_status(int argc, char **argv);
static int cmd_hi(int argc, char **argv);
static int cmd_peer(int argc, char **argv);
static int cmd_ha(int argc, char **argv);
static int cmd_connect(int argc, char **argv);
static int cmd_close(int argc, char **argv);
static int cmd_reload(int argc, char **argv);
static int cmd_add(int argc, char **argv);
static int cmd_get(int argc, char **argv);

#define GLOBAL_HELP \
	"  -s, --socket PATH  hipd's control socket (default\n" \
	"                     " HIPD_DEFAULT_RUN_DIR "/" HIPD_SOCKET_NAME ")\n" \
	"      --json         print the reply as JSON\n"

const struct hipconf_cmd hipconf_daemon_cmds[] = {
	{ "status", cmd_status, "", "show hipd's version, uptime, HITs, "
	  "kernel backend and counters", GLOBAL_HELP },
	{ "hi", cmd_hi, "list | new [--type TYPE] | del HIT",
	  "list, create or delete hipd's host identities",
	  "  --type TYPE  ecdsa-p256 (default), ecdsa-p384, rsa[:BITS],\n"
	  "               ed25519, ed448\n"
	  "Identities change only while hipd has no associations.\n"
	  GLOBAL_HELP },
	{ "peer", cmd_peer, "add HIT LOCATOR... [--name NAME] | del HIT | list",
	  "configure where peers are reached (at most 3 locators)",
	  GLOBAL_HELP },
	{ "ha", cmd_ha, "list | show HIT",
	  "show host associations (state, locators, SPIs, ESP transform)",
	  GLOBAL_HELP },
	{ "connect", cmd_connect, "HIT [--wait SECONDS]",
	  "start a base exchange with a peer",
	  "  --wait SECONDS  wait until the association is ESTABLISHED\n"
	  GLOBAL_HELP },
	{ "close", cmd_close, "HIT", "close the association with a peer",
	  GLOBAL_HELP },
	{ "reload", cmd_reload, "", "make hipd re-read its configuration "
	  "file", GLOBAL_HELP },
	{ "add", cmd_add, "map HIT LOCATOR...",
	  "HIPL alias of 'peer add'", GLOBAL_HELP },
	{ "get", cmd_get, "ha all", "HIPL alias of 'ha list'", GLOBAL_HELP },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct hipconf_cmd *self(const char *name)
{
	return hipconf_find(name);
}

static void status_counter(const struct row *it, void *arg)
{
	struct hip_json *j = arg;

	if (j != NULL) {
		hip_json_key(j, it->name);
		hip_json_uint(j, it->count);
	} else {
		printf("  %-22s %" PRIu32 "\n", it->name, it->count);
	}
}

static int cmd_status(int argc, char **argv)
{
	static struct row top;
	struct hip_ctl_msg m;
	struct reply rep;
	char buf[INET6_ADDRSTRLEN];
	struct hip_json j;
	int r;

	if (strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	if ((r = no_args(self("status"), argc, argv)) != 0)
		return r;
	msg_start(&m, HIP_CTL_CMD_STATUS);
	if ((r = call(&m, &rep)) != 0)
		return r;
	read_row(&rep.attrs, &top);
	if (!json) {
		printf("hipd %s, pid %" PRIu32 ", up %" PRIu64 " s\n",
		       top.version, top.pid, top.uptime);
		printf("kernel: %s, %s%s\n", top.name,
		       top.flags & HIPD_STATUS_DATA_PLANE ? "data plane" :
		       "no data plane (signalling only)",
		       top.flags & HIPD_STATUS_TRIGGERS ?
		       ", ACQUIRE trigger policies" : "");
		for (size_t i = 0; i < top.n_hits; i++)
			printf("HIT: %s\n",
			       addr_str(&top.hits[i], buf, sizeof(buf)));
		for (size_t i = 0; i < top.n_locs; i++)
			printf("locator: %s\n",
			       addr_str(&top.locs[i], buf, sizeof(buf)));
		printf("counters:\n");
		for_each_item(&top, status_counter, NULL);
		return HIPCONF_EXIT_OK;
	}
	hip_json_init_file(&j, stdout);
	hip_json_object_begin(&j);
	hip_json_key(&j, "version");
	hip_json_string(&j, top.version);
	hip_json_key(&j, "pid");
	hip_json_uint(&j, top.pid);
	hip_json_key(&j, "uptime");
	hip_json_uint(&j, top.uptime);
	hip_json_key(&j, "kernel");
	hip_json_string(&j, top.name);
	hip_json_key(&j, "data_plane");
	hip_json_bool(&j, top.flags & HIPD_STATUS_DATA_PLANE);
	hip_json_key(&j, "trigger_policies");
	hip_json_bool(&j, top.flags & HIPD_STATUS_TRIGGERS);
	hip_json_key(&j, "hits");
	hip_json_array_begin(&j);
	for (size_t i = 0; i < top.n_hits; i++)
		hip_json_string(&j, addr_str(&top.hits[i], buf, sizeof(buf)));
	hip_json_array_end(&j);
	hip_json_key(&j, "locators");
	hip_json_array_begin(&j);
	for (size_t i = 0; i < top.n_locs; i++)
		hip_json_string(&j, addr_str(&top.locs[i], buf, sizeof(buf)));
	hip_json_array_end(&j);
	hip_json_key(&j, "counters");
	hip_json_object_begin(&j);
	for_each_item(&top, status_counter, &j);
	hip_json_object_end(&j);
	hip_json_object_end(&j);
	return json_done(&j);
}

/* --- hi ------------------------------------------------------------------ */

static void hi_row(const struct row *it, void *arg)
{
	struct hip_json *j = arg;
	char hit[INET6_ADDRSTRLEN], lsi[INET_ADDRSTRLEN];
	struct in_addr l = { htonl(it->lsi) };

	addr_str(&it->hit, hit, sizeof(hit));
	inet_ntop(AF_INET, &l, lsi, sizeof(lsi));
	if (j == NULL) {
		printf("%-39s %-15s %-10s %4u bits%s\n", hit, lsi, it->name,
		       it->keybits, it->flags & HIPD_HI_DEFAULT ?
		       "  default" : "");
		return;
	}
	hip_json_object_begin(j);
	hip_json_key(j, "hit");
	hip_json_string(j, hit);
	hip_json_key(j, "lsi");
	hip_json_string(j, lsi);
	hip_json_key(j, "type");
	hip_json_string(j, it->name);
	hip_json_key(j, "algorithm");
	hip_json_uint(j, it->algo);
	hip_json_key(j, "bits");
	hip_json_uint(j, it->keybits);
	hip_json_key(j, "hit_suite");
	hip_json_uint(j, it->hit_suite);
	hip_json_key(j, "default");
	hip_json_bool(j, it->flags & HIPD_HI_DEFAULT);
	hip_json_object_end(j);
}

static int hi_new(int argc, char **argv)
{
	const struct hipconf_cmd *c = self("hi");
	enum hip_key_type t = HIP_KEY_ECDSA_P256;
	unsigned bits = 0;
	struct hip_ctl_msg m;
	struct reply rep;
	static struct row top;
	struct hip_json j;
	int r;

	for (int i = 2; i < argc; i++) {
		const char *v = NULL;

		if (strcmp(argv[i], "--type") == 0 || !strcmp(argv[i], "-t")) {
			if (i + 1 == argc)
				return hipconf_usage(c, "--type needs a key "
						     "type");
			v = argv[++i];
		} else if (strncmp(argv[i], "--type=", 7) == 0) {
			v = argv[i] + 7;
		} else {
			return hipconf_usage(c, "unexpected argument '%s'",
					     argv[i]);
		}
		if (hip_key_type_parse(v, &t, &bits) < 0)
			return hipconf_usage(c, "unknown key type '%s'", v);
	}
	msg_start(&m, HIP_CTL_CMD_HI_NEW);
	switch (t) {
	case HIP_KEY_RSA:
		hip_ctl_put_u8(&m, HIP_CTL_A_ALGORITHM, HIP_HI_RSA);
		hip_ctl_put_u16(&m, HIP_CTL_A_KEYBITS, (uint16_t)bits);
		break;
	case HIP_KEY_ECDSA_P256:
	case HIP_KEY_ECDSA_P384:
		hip_ctl_put_u8(&m, HIP_CTL_A_ALGORITHM, HIP_HI_ECDSA);
		hip_ctl_put_u16(&m, HIP_CTL_A_KEYBITS,
				t == HIP_KEY_ECDSA_P256 ? 256 : 384);
		break;
	case HIP_KEY_ED25519:
	case HIP_KEY_ED448:
		hip_ctl_put_u8(&m, HIP_CTL_A_ALGORITHM, HIP_HI_EDDSA);
		hip_ctl_put_u16(&m, HIP_CTL_A_KEYBITS,
				t == HIP_KEY_ED25519 ? 256 : 448);
		break;
	}
	if ((r = call(&m, &rep)) != 0)
		return r;
	read_row(&rep.attrs, &top);
	if (!json) {
		hi_row(&top, NULL);
		return HIPCONF_EXIT_OK;
	}
	hip_json_init_file(&j, stdout);
	hi_row(&top, &j);
	return json_done(&j);
}

static int cmd_hi(int argc, char **argv)
{
	const struct hipconf_cmd *c = self("hi");
	static struct row top;
	struct hip_ctl_msg m;
	struct reply rep;
	struct in6_addr hit;
	struct hip_json j;
	int r;

	if (strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	if (argc < 2)
		return hipconf_usage(c, "missing subcommand");
	if (strcmp(argv[1], "new") == 0)
		return hi_new(argc, argv);
	if (strcmp(argv[1], "del") == 0) {
		if (argc != 3)
			return hipconf_usage(c, "hi del takes one HIT");
		if (parse_hit(argv[2], &hit) < 0)
			return HIPCONF_EXIT_USAGE;
		msg_start(&m, HIP_CTL_CMD_HI_DEL);
		hip_ctl_put_in6(&m, HIP_CTL_A_HIT, &hit);
		return call(&m, &rep);
	}
	if (strcmp(argv[1], "list") != 0)
		return hipconf_usage(c, "unknown subcommand '%s'", argv[1]);
	if (argc > 2)
		return hipconf_usage(c, "unexpected argument '%s'", argv[2]);
	msg_start(&m, HIP_CTL_CMD_HI_LIST);
	if ((r = call(&m, &rep)) != 0)
		return r;
	read_row(&rep.attrs, &top);
	if (!json) {
		for_each_item(&top, hi_row, NULL);
		return HIPCONF_EXIT_OK;
	}
	hip_json_init_file(&j, stdout);
	hip_json_array_begin(&j);
	for_each_item(&top, hi_row, &j);
	hip_json_array_end(&j);
	return json_done(&j);
}

/* --- peer ---------------------------------------------------------------- */

static int peer_add(const struct hipconf_cmd *c, int argc, char **argv)
{
	struct hip_ctl_msg m;
	struct reply rep;
	struct in6_addr hit, loc;
	const char *name = NULL;
	int n = 0;

	/* argv[0] is the HIT */
	if (argc < 2)
		return hipconf_usage(c, "needs a HIT and at least one "
				     "locator");
	if (parse_hit(argv[0], &hit) < 0)
		return HIPCONF_EXIT_USAGE;
	msg_start(&m, HIP_CTL_CMD_PEER_ADD);
	hip_ctl_put_in6(&m, HIP_CTL_A_PEER_HIT, &hit);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--name") == 0) {
			if (i + 1 == argc)
				return hipconf_usage(c, "--name needs a name");
			name = argv[++i];
			continue;
		}
		if (parse_addr(argv[i], &loc) < 0)
			return hipconf_usage(c, "'%s' is not an IPv4 or IPv6 "
					     "address", argv[i]);
		if (hip_ctl_put_in6(&m, HIP_CTL_A_LOCATOR, &loc) < 0)
			return hipconf_usage(c, "too many locators");
		n++;
	}
	if (n == 0)
		return hipconf_usage(c, "needs at least one locator");
	if (name != NULL &&
	    (strlen(name) > HIP_CTL_STRING_MAX ||
	     hip_ctl_put_string(&m, HIP_CTL_A_NAME, name) < 0))
		return hipconf_usage(c, "bad name");
	return call(&m, &rep);
}

static void peer_row(const struct row *it, void *arg)
{
	struct hip_json *j = arg;
	char buf[INET6_ADDRSTRLEN];

	if (j == NULL) {
		printf("%-39s", addr_str(&it->peer_hit, buf, sizeof(buf)));
		for (size_t i = 0; i < it->n_locs; i++)
			printf(" %s", addr_str(&it->locs[i], buf, sizeof(buf)));
		if (it->name[0])
			printf("  name=%s", it->name);
		printf("\n");
		return;
	}
	hip_json_object_begin(j);
	json_addr(j, "hit", &it->peer_hit);
	hip_json_key(j, "name");
	if (it->name[0])
		hip_json_string(j, it->name);
	else
		hip_json_null(j);
	hip_json_key(j, "locators");
	hip_json_array_begin(j);
	for (size_t i = 0; i < it->n_locs; i++)
		hip_json_string(j, addr_str(&it->locs[i], buf, sizeof(buf)));
	hip_json_array_end(j);
	hip_json_object_end(j);
}

static int cmd_peer(int argc, char **argv)
{
	const struct hipconf_cmd *c = self("peer");
	static struct row top;
	struct hip_ctl_msg m;
	struct reply rep;
	struct in6_addr hit;
	struct hip_json j;
	int r;

	if (strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	if (argc < 2)
		return hipconf_usage(c, "missing subcommand");
	if (strcmp(argv[1], "add") == 0)
		return peer_add(c, argc - 2, argv + 2);
	if (strcmp(argv[1], "del") == 0) {
		if (argc != 3)
			return hipconf_usage(c, "peer del takes one HIT");
		if (parse_hit(argv[2], &hit) < 0)
			return HIPCONF_EXIT_USAGE;
		msg_start(&m, HIP_CTL_CMD_PEER_DEL);
		hip_ctl_put_in6(&m, HIP_CTL_A_PEER_HIT, &hit);
		return call(&m, &rep);
	}
	if (strcmp(argv[1], "list") != 0)
		return hipconf_usage(c, "unknown subcommand '%s'", argv[1]);
	if (argc > 2)
		return hipconf_usage(c, "unexpected argument '%s'", argv[2]);
	msg_start(&m, HIP_CTL_CMD_PEER_LIST);
	if ((r = call(&m, &rep)) != 0)
		return r;
	read_row(&rep.attrs, &top);
	if (!json) {
		for_each_item(&top, peer_row, NULL);
		return HIPCONF_EXIT_OK;
	}
	hip_json_init_file(&j, stdout);
	hip_json_array_begin(&j);
	for_each_item(&top, peer_row, &j);
	hip_json_array_end(&j);
	return json_done(&j);
}

/* --- ha ------------------------------------------------------------------ */

static void ha_json(struct hip_json *j, const struct row *it)
{
	hip_json_object_begin(j);
	json_addr(j, "local_hit", &it->local_hit);
	json_addr(j, "peer_hit", &it->peer_hit);
	hip_json_key(j, "state");
	hip_json_string(j, hip_engine_state_name(it->state));
	hip_json_key(j, "initiator");
	hip_json_bool(j, it->flags & HIPD_HA_INITIATOR);
	json_addr(j, "local_locator", &it->local_loc);
	json_addr(j, "peer_locator", &it->peer_loc);
	hip_json_key(j, "spi_in");
	hip_json_uint(j, it->spi_in);
	hip_json_key(j, "spi_out");
	hip_json_uint(j, it->spi_out);
	hip_json_key(j, "esp_transform");
	hip_json_uint(j, it->esp);
	hip_json_key(j, "esp_transform_name");
	hip_json_string(j, esp_name(it->esp));
	hip_json_key(j, "hip_cipher");
	hip_json_uint(j, it->cipher);
	hip_json_key(j, "dh_group");
	hip_json_uint(j, it->dh);
	hip_json_key(j, "hit_suite");
	hip_json_uint(j, it->hit_suite);
	hip_json_key(j, "age");
	if (it->has_age)
		hip_json_uint(j, it->age);
	else
		hip_json_null(j);
	if (it->has_bytes) {
		hip_json_key(j, "bytes_in");
		hip_json_uint(j, it->bytes_in);
		hip_json_key(j, "bytes_out");
		hip_json_uint(j, it->bytes_out);
	}
	hip_json_object_end(j);
}

static void ha_row(const struct row *it, void *arg)
{
	char lh[INET6_ADDRSTRLEN], ph[INET6_ADDRSTRLEN];
	char ll[INET6_ADDRSTRLEN], pl[INET6_ADDRSTRLEN], age[32];

	if (arg != NULL) {
		ha_json(arg, it);
		return;
	}
	if (it->has_age)
		snprintf(age, sizeof(age), "%" PRIu64 "s", it->age);
	else
		strcpy(age, "-");
	printf("%s %s %s %s->%s spi 0x%08" PRIx32 "/0x%08" PRIx32 " %s "
	       "age %s\n", addr_str(&it->local_hit, lh, sizeof(lh)),
	       addr_str(&it->peer_hit, ph, sizeof(ph)),
	       hip_engine_state_name(it->state),
	       addr_str(&it->local_loc, ll, sizeof(ll)),
	       addr_str(&it->peer_loc, pl, sizeof(pl)), it->spi_in,
	       it->spi_out, esp_name(it->esp), age);
}

static int ha_list(void)
{
	static struct row top;
	struct hip_ctl_msg m;
	struct reply rep;
	struct hip_json j;
	int r;

	msg_start(&m, HIP_CTL_CMD_HA_LIST);
	if ((r = call(&m, &rep)) != 0)
		return r;
	read_row(&rep.attrs, &top);
	if (!json) {
		for_each_item(&top, ha_row, NULL);
		return HIPCONF_EXIT_OK;
	}
	hip_json_init_file(&j, stdout);
	hip_json_array_begin(&j);
	for_each_item(&top, ha_row, &j);
	hip_json_array_end(&j);
	return json_done(&j);
}

/* ha show: the reply's top level; *state gets the state (may be NULL). */
static int ha_show(const struct in6_addr *hit, bool print, int *state)
{
	static struct row top;
	char b[INET6_ADDRSTRLEN];
	struct hip_ctl_msg m;
	struct reply rep;
	struct hip_json j;
	int r;

	msg_start(&m, HIP_CTL_CMD_HA_SHOW);
	hip_ctl_put_in6(&m, HIP_CTL_A_PEER_HIT, hit);
	if ((r = call(&m, &rep)) != 0)
		return r;
	read_row(&rep.attrs, &top);
	if (state != NULL)
		*state = top.state;
	if (!print)
		return HIPCONF_EXIT_OK;
	if (json) {
		hip_json_init_file(&j, stdout);
		ha_json(&j, &top);
		return json_done(&j);
	}
	printf("local HIT:      %s\n", addr_str(&top.local_hit, b, sizeof(b)));
	printf("peer HIT:       %s\n", addr_str(&top.peer_hit, b, sizeof(b)));
	printf("state:          %s (%s)\n", hip_engine_state_name(top.state),
	       top.flags & HIPD_HA_INITIATOR ? "initiator" : "responder");
	printf("local locator:  %s\n", addr_str(&top.local_loc, b, sizeof(b)));
	printf("peer locator:   %s\n", addr_str(&top.peer_loc, b, sizeof(b)));
	printf("SPI in / out:   0x%08" PRIx32 " / 0x%08" PRIx32 "\n",
	       top.spi_in, top.spi_out);
	printf("ESP transform:  %s (%u)\n", esp_name(top.esp), top.esp);
	printf("HIP cipher:     %u\n", top.cipher);
	printf("DH group:       %u\n", top.dh);
	printf("HIT suite:      %u\n", top.hit_suite);
	if (top.has_age)
		printf("established:    %" PRIu64 " s ago\n", top.age);
	if (top.has_bytes)
		printf("bytes in / out: %" PRIu64 " / %" PRIu64 "\n",
		       top.bytes_in, top.bytes_out);
	return HIPCONF_EXIT_OK;
}

static int cmd_ha(int argc, char **argv)
{
	const struct hipconf_cmd *c = self("ha");
	struct in6_addr hit;

	if (strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	if (argc < 2)
		return hipconf_usage(c, "missing subcommand");
	if (strcmp(argv[1], "list") == 0) {
		if (argc > 2)
			return hipconf_usage(c, "unexpected argument '%s'",
					     argv[2]);
		return ha_list();
	}
	if (strcmp(argv[1], "show") != 0)
		return hipconf_usage(c, "unknown subcommand '%s'", argv[1]);
	if (argc != 3)
		return hipconf_usage(c, "ha show takes one HIT");
	if (parse_hit(argv[2], &hit) < 0)
		return HIPCONF_EXIT_USAGE;
	return ha_show(&hit, true, NULL);
}

/* --- connect, close, reload ---------------------------------------------- */

static int wait_established(const struct in6_addr *hit, unsigned secs)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	bool saved = json;
	int state = -1, r;

	for (unsigned i = 0; i < secs * 10; i++) {
		json = false;
		r = ha_show(hit, false, &state);
		json = saved;
		if (r == 0 && state == HIP_STATE_ESTABLISHED)
			return HIPCONF_EXIT_OK;
		if (r == 0 && state == HIP_STATE_E_FAILED) {
			hipconf_err("the base exchange failed (E-FAILED)");
			return HIPCONF_EXIT_FAIL;
		}
		nanosleep(&ts, NULL);
	}
	hipconf_err("not ESTABLISHED after %u s (state %s)", secs,
		    state < 0 ? "none" : hip_engine_state_name(state));
	return HIPCONF_EXIT_FAIL;
}

static int cmd_connect(int argc, char **argv)
{
	const struct hipconf_cmd *c = self("connect");
	struct hip_ctl_msg m;
	struct reply rep;
	struct in6_addr hit;
	const char *hs = NULL;
	unsigned long wait = 0;
	char *end;
	int r;

	if (strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--wait") == 0) {
			if (i + 1 == argc)
				return hipconf_usage(c, "--wait needs seconds");
			errno = 0;
			wait = strtoul(argv[++i], &end, 10);
			if (errno || *end || !*argv[i] || wait > 3600)
				return hipconf_usage(c, "bad --wait '%s'",
						     argv[i]);
		} else if (hs == NULL) {
			hs = argv[i];
		} else {
			return hipconf_usage(c, "unexpected argument '%s'",
					     argv[i]);
		}
	}
	if (hs == NULL)
		return hipconf_usage(c, "needs the peer's HIT");
	if (parse_hit(hs, &hit) < 0)
		return HIPCONF_EXIT_USAGE;
	msg_start(&m, HIP_CTL_CMD_CONNECT);
	hip_ctl_put_in6(&m, HIP_CTL_A_PEER_HIT, &hit);
	if ((r = call(&m, &rep)) != 0)
		return r;
	return wait ? wait_established(&hit, (unsigned)wait) : 0;
}

static int cmd_close(int argc, char **argv)
{
	const struct hipconf_cmd *c = self("close");
	struct hip_ctl_msg m;
	struct reply rep;
	struct in6_addr hit;

	if (strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	if (argc != 2)
		return hipconf_usage(c, "needs the peer's HIT");
	if (parse_hit(argv[1], &hit) < 0)
		return HIPCONF_EXIT_USAGE;
	msg_start(&m, HIP_CTL_CMD_CLOSE);
	hip_ctl_put_in6(&m, HIP_CTL_A_PEER_HIT, &hit);
	return call(&m, &rep);
}

static int cmd_reload(int argc, char **argv)
{
	struct hip_ctl_msg m;
	struct reply rep;
	int r;

	if (strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	if ((r = no_args(self("reload"), argc, argv)) != 0)
		return r;
	msg_start(&m, HIP_CTL_CMD_RELOAD);
	return call(&m, &rep);
}

/* --- HIPL aliases -------------------------------------------------------- */

static int cmd_add(int argc, char **argv)
{
	const struct hipconf_cmd *c = self("add");

	if (strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	if (argc < 2 || strcmp(argv[1], "map") != 0)
		return hipconf_usage(c, "only 'add map' is known");
	return peer_add(c, argc - 2, argv + 2);
}

static int cmd_get(int argc, char **argv)
{
	const struct hipconf_cmd *c = self("get");

	if (strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	if (argc != 3 || strcmp(argv[1], "ha") || strcmp(argv[2], "all"))
		return hipconf_usage(c, "only 'get ha all' is known");
	return ha_list();
}

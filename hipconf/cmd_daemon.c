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
#include "hipconf/ctl_call.h"
#include "hipconf/hipconf.h"
#include "hipd/daemon.h"

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

	if (hipconf_strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	if ((r = no_args(self("status"), argc, argv)) != 0)
		return r;
	hipconf_msg_start(&m, HIP_CTL_CMD_STATUS);
	if ((r = hipconf_call(&m, &rep)) != 0)
		return r;
	hipconf_read_row(&rep.attrs, &top);
	if (!hipconf_json) {
		printf("hipd %s, pid %" PRIu32 ", up %" PRIu64 " s\n",
		       top.version, top.pid, top.uptime);
		printf("kernel: %s, %s%s\n", top.name,
		       top.flags & HIPD_STATUS_DATA_PLANE ? "data plane" :
		       "no data plane (signalling only)",
		       top.flags & HIPD_STATUS_TRIGGERS ?
		       ", ACQUIRE trigger policies" : "");
		for (size_t i = 0; i < top.n_hits; i++)
			printf("HIT: %s\n",
			       hipconf_addr_str(&top.hits[i], buf, sizeof(buf)));
		for (size_t i = 0; i < top.n_locs; i++)
			printf("locator: %s\n",
			       hipconf_addr_str(&top.locs[i], buf, sizeof(buf)));
		printf("counters:\n");
		hipconf_for_each_item(&top, status_counter, NULL);
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
		hip_json_string(&j, hipconf_addr_str(&top.hits[i], buf, sizeof(buf)));
	hip_json_array_end(&j);
	hip_json_key(&j, "locators");
	hip_json_array_begin(&j);
	for (size_t i = 0; i < top.n_locs; i++)
		hip_json_string(&j, hipconf_addr_str(&top.locs[i], buf, sizeof(buf)));
	hip_json_array_end(&j);
	hip_json_key(&j, "counters");
	hip_json_object_begin(&j);
	hipconf_for_each_item(&top, status_counter, &j);
	hip_json_object_end(&j);
	hip_json_object_end(&j);
	return hipconf_json_done(&j);
}

/* --- hi ------------------------------------------------------------------ */

static void hi_row(const struct row *it, void *arg)
{
	struct hip_json *j = arg;
	char hit[INET6_ADDRSTRLEN], lsi[INET_ADDRSTRLEN];
	struct in_addr l = { htonl(it->lsi) };

	hipconf_addr_str(&it->hit, hit, sizeof(hit));
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
	hipconf_msg_start(&m, HIP_CTL_CMD_HI_NEW);
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
	if ((r = hipconf_call(&m, &rep)) != 0)
		return r;
	hipconf_read_row(&rep.attrs, &top);
	if (!hipconf_json) {
		hi_row(&top, NULL);
		return HIPCONF_EXIT_OK;
	}
	hip_json_init_file(&j, stdout);
	hi_row(&top, &j);
	return hipconf_json_done(&j);
}

static int cmd_hi(int argc, char **argv)
{
	const struct hipconf_cmd *c = self("hi");
	struct hip_ctl_msg m;
	struct reply rep;
	struct in6_addr hit;

	if (hipconf_strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	if (argc < 2)
		return hipconf_usage(c, "missing subcommand");
	if (strcmp(argv[1], "new") == 0)
		return hi_new(argc, argv);
	if (strcmp(argv[1], "del") == 0) {
		if (argc != 3)
			return hipconf_usage(c, "hi del takes one HIT");
		if (hipconf_parse_hit(argv[2], &hit) < 0)
			return HIPCONF_EXIT_USAGE;
		hipconf_msg_start(&m, HIP_CTL_CMD_HI_DEL);
		hip_ctl_put_in6(&m, HIP_CTL_A_HIT, &hit);
		return hipconf_call(&m, &rep);
	}
	if (strcmp(argv[1], "list") != 0)
		return hipconf_usage(c, "unknown subcommand '%s'", argv[1]);
	if (argc > 2)
		return hipconf_usage(c, "unexpected argument '%s'", argv[2]);
	return hipconf_list(HIP_CTL_CMD_HI_LIST, hi_row);
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
	if (hipconf_parse_hit(argv[0], &hit) < 0)
		return HIPCONF_EXIT_USAGE;
	hipconf_msg_start(&m, HIP_CTL_CMD_PEER_ADD);
	hip_ctl_put_in6(&m, HIP_CTL_A_PEER_HIT, &hit);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--name") == 0) {
			if (i + 1 == argc)
				return hipconf_usage(c, "--name needs a name");
			name = argv[++i];
			continue;
		}
		if (hipconf_parse_addr(argv[i], &loc) < 0)
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
	return hipconf_call(&m, &rep);
}

static void peer_row(const struct row *it, void *arg)
{
	struct hip_json *j = arg;
	char buf[INET6_ADDRSTRLEN];

	if (j == NULL) {
		printf("%-39s", hipconf_addr_str(&it->peer_hit, buf, sizeof(buf)));
		for (size_t i = 0; i < it->n_locs; i++)
			printf(" %s", hipconf_addr_str(&it->locs[i], buf, sizeof(buf)));
		if (it->name[0])
			printf("  name=%s", it->name);
		printf("\n");
		return;
	}
	hip_json_object_begin(j);
	hipconf_json_addr(j, "hit", &it->peer_hit);
	hip_json_key(j, "name");
	if (it->name[0])
		hip_json_string(j, it->name);
	else
		hip_json_null(j);
	hip_json_key(j, "locators");
	hip_json_array_begin(j);
	for (size_t i = 0; i < it->n_locs; i++)
		hip_json_string(j, hipconf_addr_str(&it->locs[i], buf, sizeof(buf)));
	hip_json_array_end(j);
	hip_json_object_end(j);
}

static int cmd_peer(int argc, char **argv)
{
	const struct hipconf_cmd *c = self("peer");
	struct hip_ctl_msg m;
	struct reply rep;
	struct in6_addr hit;

	if (hipconf_strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	if (argc < 2)
		return hipconf_usage(c, "missing subcommand");
	if (strcmp(argv[1], "add") == 0)
		return peer_add(c, argc - 2, argv + 2);
	if (strcmp(argv[1], "del") == 0) {
		if (argc != 3)
			return hipconf_usage(c, "peer del takes one HIT");
		if (hipconf_parse_hit(argv[2], &hit) < 0)
			return HIPCONF_EXIT_USAGE;
		hipconf_msg_start(&m, HIP_CTL_CMD_PEER_DEL);
		hip_ctl_put_in6(&m, HIP_CTL_A_PEER_HIT, &hit);
		return hipconf_call(&m, &rep);
	}
	if (strcmp(argv[1], "list") != 0)
		return hipconf_usage(c, "unknown subcommand '%s'", argv[1]);
	if (argc > 2)
		return hipconf_usage(c, "unexpected argument '%s'", argv[2]);
	return hipconf_list(HIP_CTL_CMD_PEER_LIST, peer_row);
}

/* --- ha ------------------------------------------------------------------ */

static void ha_json(struct hip_json *j, const struct row *it)
{
	hip_json_object_begin(j);
	hipconf_json_addr(j, "local_hit", &it->local_hit);
	hipconf_json_addr(j, "peer_hit", &it->peer_hit);
	hip_json_key(j, "state");
	hip_json_string(j, hip_engine_state_name(it->state));
	hip_json_key(j, "initiator");
	hip_json_bool(j, it->flags & HIPD_HA_INITIATOR);
	hipconf_json_addr(j, "local_locator", &it->local_loc);
	hipconf_json_addr(j, "peer_locator", &it->peer_loc);
	hip_json_key(j, "spi_in");
	hip_json_uint(j, it->spi_in);
	hip_json_key(j, "spi_out");
	hip_json_uint(j, it->spi_out);
	hip_json_key(j, "esp_transform");
	hip_json_uint(j, it->esp);
	hip_json_key(j, "esp_transform_name");
	hip_json_string(j, hipconf_esp_name(it->esp));
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
	/* "rekeys", "moves" */
	if (it->has_list)
		hipconf_for_each_item(it, status_counter, j);
	hip_json_object_end(j);
}

/* The association's named counters as " name N" pairs. */
static void ha_counter_text(const struct row *it, void *arg)
{
	(void)arg;
	printf(" %s %" PRIu32, it->name, it->count);
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
	       "age %s", hipconf_addr_str(&it->local_hit, lh, sizeof(lh)),
	       hipconf_addr_str(&it->peer_hit, ph, sizeof(ph)),
	       hip_engine_state_name(it->state),
	       hipconf_addr_str(&it->local_loc, ll, sizeof(ll)),
	       hipconf_addr_str(&it->peer_loc, pl, sizeof(pl)), it->spi_in,
	       it->spi_out, hipconf_esp_name(it->esp), age);
	if (it->has_list)
		hipconf_for_each_item(it, ha_counter_text, NULL);
	printf("\n");
}

static int ha_list(void)
{
	return hipconf_list(HIP_CTL_CMD_HA_LIST, ha_row);
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

	hipconf_msg_start(&m, HIP_CTL_CMD_HA_SHOW);
	hip_ctl_put_in6(&m, HIP_CTL_A_PEER_HIT, hit);
	if ((r = hipconf_call(&m, &rep)) != 0)
		return r;
	hipconf_read_row(&rep.attrs, &top);
	if (state != NULL)
		*state = top.state;
	if (!print)
		return HIPCONF_EXIT_OK;
	if (hipconf_json) {
		hip_json_init_file(&j, stdout);
		ha_json(&j, &top);
		return hipconf_json_done(&j);
	}
	printf("local HIT:      %s\n", hipconf_addr_str(&top.local_hit, b, sizeof(b)));
	printf("peer HIT:       %s\n", hipconf_addr_str(&top.peer_hit, b, sizeof(b)));
	printf("state:          %s (%s)\n", hip_engine_state_name(top.state),
	       top.flags & HIPD_HA_INITIATOR ? "initiator" : "responder");
	printf("local locator:  %s\n", hipconf_addr_str(&top.local_loc, b, sizeof(b)));
	printf("peer locator:   %s\n", hipconf_addr_str(&top.peer_loc, b, sizeof(b)));
	printf("SPI in / out:   0x%08" PRIx32 " / 0x%08" PRIx32 "\n",
	       top.spi_in, top.spi_out);
	printf("ESP transform:  %s (%u)\n", hipconf_esp_name(top.esp), top.esp);
	printf("HIP cipher:     %u\n", top.cipher);
	printf("DH group:       %u\n", top.dh);
	printf("HIT suite:      %u\n", top.hit_suite);
	if (top.has_age)
		printf("established:    %" PRIu64 " s ago\n", top.age);
	if (top.has_bytes)
		printf("bytes in / out: %" PRIu64 " / %" PRIu64 "\n",
		       top.bytes_in, top.bytes_out);
	if (top.has_list) {
		printf("counters:      ");
		hipconf_for_each_item(&top, ha_counter_text, NULL);
		printf("\n");
	}
	return HIPCONF_EXIT_OK;
}

static int cmd_ha(int argc, char **argv)
{
	const struct hipconf_cmd *c = self("ha");
	struct in6_addr hit;

	if (hipconf_strip_globals(&argc, argv) < 0)
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
	if (hipconf_parse_hit(argv[2], &hit) < 0)
		return HIPCONF_EXIT_USAGE;
	return ha_show(&hit, true, NULL);
}

/* --- connect, close, reload ---------------------------------------------- */

static int wait_established(const struct in6_addr *hit, unsigned secs)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	bool saved = hipconf_json;
	int state = -1, r;

	for (unsigned i = 0; i < secs * 10; i++) {
		hipconf_json = false;
		r = ha_show(hit, false, &state);
		hipconf_json = saved;
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

	if (hipconf_strip_globals(&argc, argv) < 0)
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
	if (hipconf_parse_hit(hs, &hit) < 0)
		return HIPCONF_EXIT_USAGE;
	hipconf_msg_start(&m, HIP_CTL_CMD_CONNECT);
	hip_ctl_put_in6(&m, HIP_CTL_A_PEER_HIT, &hit);
	if ((r = hipconf_call(&m, &rep)) != 0)
		return r;
	return wait ? wait_established(&hit, (unsigned)wait) : 0;
}

static int cmd_close(int argc, char **argv)
{
	const struct hipconf_cmd *c = self("close");
	struct hip_ctl_msg m;
	struct reply rep;
	struct in6_addr hit;

	if (hipconf_strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	if (argc != 2)
		return hipconf_usage(c, "needs the peer's HIT");
	if (hipconf_parse_hit(argv[1], &hit) < 0)
		return HIPCONF_EXIT_USAGE;
	hipconf_msg_start(&m, HIP_CTL_CMD_CLOSE);
	hip_ctl_put_in6(&m, HIP_CTL_A_PEER_HIT, &hit);
	return hipconf_call(&m, &rep);
}

static int cmd_reload(int argc, char **argv)
{
	struct hip_ctl_msg m;
	struct reply rep;
	int r;

	if (hipconf_strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	if ((r = no_args(self("reload"), argc, argv)) != 0)
		return r;
	hipconf_msg_start(&m, HIP_CTL_CMD_RELOAD);
	return hipconf_call(&m, &rep);
}

/* --- HIPL aliases -------------------------------------------------------- */

static int cmd_add(int argc, char **argv)
{
	const struct hipconf_cmd *c = self("add");

	if (hipconf_strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	if (argc < 2 || strcmp(argv[1], "map") != 0)
		return hipconf_usage(c, "only 'add map' is known");
	return peer_add(c, argc - 2, argv + 2);
}

static int cmd_get(int argc, char **argv)
{
	const struct hipconf_cmd *c = self("get");

	if (hipconf_strip_globals(&argc, argv) < 0)
		return HIPCONF_EXIT_USAGE;
	if (argc != 3 || strcmp(argv[1], "ha") || strcmp(argv[2], "all"))
		return hipconf_usage(c, "only 'get ha all' is known");
	return ha_list();
}

/*
 * ctl_call.c - hipconf's side of the control protocol (hip/ctl.h): the
 * global options, one request/reply call to hipd, and reading typed
 * reply values into rows that the commands (cmd_daemon.c) render as
 * text or JSON.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hip/ctl.h"
#include "hip/error.h"
#include "hip/hit.h"
#include "hipconf/ctl_call.h"
#include "hipconf/hipconf.h"
#include "hipd/daemon.h"

#define CTL_TIMEOUT_MS	60000	/* RSA key generation may take a while */

static const char *hipconf_sock_path = HIPD_DEFAULT_RUN_DIR "/" HIPD_SOCKET_NAME;
bool hipconf_json;

static uint8_t reqbuf[HIP_CTL_FRAME_MAX];
static uint8_t repbuf[HIP_CTL_FRAME_MAX];

/* --- options ------------------------------------------------------------- */

/* -s PATH, --socket PATH, --socket=PATH, --json: returns how many argv
 * entries it used at *i, 0 if argv[*i] is none of them, -1 on error. */
static int global_opt(int argc, char **argv, int i)
{
	const char *a = argv[i];

	if (strcmp(a, "--json") == 0) {
		hipconf_json = true;
		return 1;
	}
	if (strncmp(a, "--socket=", 9) == 0 && a[9]) {
		hipconf_sock_path = a + 9;
		return 1;
	}
	if (strcmp(a, "-s") == 0 || strcmp(a, "--socket") == 0) {
		if (i + 1 >= argc || argv[i + 1][0] == '\0') {
			hipconf_usage(NULL, "option '%s' needs a socket path",
				      a);
			return -1;
		}
		hipconf_sock_path = argv[i + 1];
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
int hipconf_strip_globals(int *argc, char **argv)
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


void hipconf_msg_start(struct hip_ctl_msg *m, uint16_t cmd)
{
	hip_ctl_msg_init(m, reqbuf, sizeof(reqbuf), HIP_CTL_REQUEST, cmd,
			 (uint32_t)getpid());
}

/* Send m, wait for the reply; print the failure and return 1 on any. */
int hipconf_call(const struct hip_ctl_msg *m, struct reply *rep)
{
	struct hip_ctl_attr a;
	char msg[HIP_CTL_STRING_MAX + 1];
	size_t len;
	int fd, r, e;

	r = hip_ctl_connect(hipconf_sock_path, &fd);
	if (r < 0) {
		e = errno;
		hipconf_err("cannot reach hipd at %s: %s%s", hipconf_sock_path,
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
		hipconf_err("no answer from hipd at %s: %s", hipconf_sock_path,
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

const char *hipconf_addr_str(const struct in6_addr *a, char *buf, size_t cap)
{
	static const uint8_t v4pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					   0xff, 0xff };

	if (memcmp(a->s6_addr, v4pfx, 12) == 0)
		inet_ntop(AF_INET, &a->s6_addr[12], buf, (socklen_t)cap);
	else
		inet_ntop(AF_INET6, a, buf, (socklen_t)cap);
	return buf;
}

int hipconf_parse_addr(const char *s, struct in6_addr *out)
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

int hipconf_parse_hit(const char *s, struct in6_addr *out)
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

const char *hipconf_esp_name(unsigned id)
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


void hipconf_read_row(const struct hip_ctl_iter *range, struct row *r)
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
void hipconf_for_each_item(const struct row *top,
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
		hipconf_read_row(&sub, &item);
		fn(&item, arg);
	}
}

int hipconf_json_addr(struct hip_json *j, const char *key,
		     const struct in6_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	hip_json_key(j, key);
	return hip_json_string(j, hipconf_addr_str(a, buf, sizeof(buf)));
}

int hipconf_json_done(struct hip_json *j)
{
	int r = hip_json_finish(j);

	fputc('\n', stdout);
	if (r < 0) {
		hipconf_err("cannot write JSON: %s", hip_strerror(r));
		return HIPCONF_EXIT_FAIL;
	}
	return HIPCONF_EXIT_OK;
}

int hipconf_list(uint16_t cmd, void (*fn)(const struct row *item, void *arg))
{
	static struct row top;
	struct hip_ctl_msg m;
	struct reply rep;
	struct hip_json j;
	int r;

	hipconf_msg_start(&m, cmd);
	r = hipconf_call(&m, &rep);
	if (r != 0)
		return r;
	hipconf_read_row(&rep.attrs, &top);
	if (!hipconf_json) {
		hipconf_for_each_item(&top, fn, NULL);
		return HIPCONF_EXIT_OK;
	}
	hip_json_init_file(&j, stdout);
	hip_json_array_begin(&j);
	hipconf_for_each_item(&top, fn, &j);
	hip_json_array_end(&j);
	return hipconf_json_done(&j);
}

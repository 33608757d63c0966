/*
 * Unit tests for the control socket server: a server in this process on
 * a socket in a temporary directory, real clients connecting to it.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hip/ctl.h"
#include "hip/error.h"
#include "hip/util.h"
#include "hipd/control.h"
#include "hipd/log.h"
#include "hipd/loop.h"

#define TEST_GROUP 4242
#define NOBODY 65534

/* ---- the permission rule as a table ---- */

START_TEST(test_cred_table)
{
	static const gid_t grp_with[] = { 100, TEST_GROUP, 200 };
	static const gid_t grp_without[] = { 100, 200 };
	const struct hipd_ctl_policy none = { .have_group = false };
	const struct hipd_ctl_policy grp = { .have_group = true,
					     .group = TEST_GROUP };
	static const struct {
		uid_t uid;
		gid_t gid;
		const gid_t *groups;
		size_t n;
		bool use_group;
		bool write;
		bool allowed;
	} cases[] = {
		/* read: everyone */
		{ 1000, 1000, NULL, 0, false, false, true },
		{ 1000, 1000, NULL, 0, true, false, true },
		/* write: root always */
		{ 0, 0, NULL, 0, false, true, true },
		{ 0, 1000, NULL, 0, true, true, true },
		/* write without a configured group: root only */
		{ 1000, TEST_GROUP, grp_with, 3, false, true, false },
		/* group as primary or supplementary */
		{ 1000, TEST_GROUP, NULL, 0, true, true, true },
		{ 1000, 1000, grp_with, 3, true, true, true },
		{ 1000, 1000, grp_without, 2, true, true, false },
		{ 1000, 1000, NULL, 0, true, true, false },
		/* gid 0 is not uid 0 */
		{ 1000, 0, NULL, 0, false, true, false },
		{ NOBODY, 0, NULL, 0, true, true, false },
	};

	for (size_t i = 0; i < HIP_ARRAY_SIZE(cases); i++) {
		bool got = hipd_ctl_cred_allowed(
			cases[i].uid, cases[i].gid, cases[i].groups,
			cases[i].n, cases[i].use_group ? &grp : &none,
			cases[i].write);

		ck_assert_msg(got == cases[i].allowed, "case %zu", i);
	}
	ck_assert(!hipd_ctl_cred_allowed(5, 5, NULL, 0, NULL, true));
}
END_TEST

/* ---- fixture: a server with test handlers ---- */

struct fixture {
	char dir[32];
	char path[64];
	struct hipd_loop *loop;
	struct hipd_ctl_server *srv;
	int calls;
};

static int h_status(struct hipd_ctl_call *call, void *arg)
{
	struct fixture *fx = arg;
	struct hip_ctl_attr a;
	char name[64];
	int r;

	fx->calls++;
	r = hip_ctl_put_u32(call->reply, HIP_CTL_A_PID,
			    (uint32_t)call->peer->pid);
	if (r == 0)
		r = hip_ctl_put_u32(call->reply, HIP_CTL_A_UID,
				    (uint32_t)call->peer->uid);
	if (r == 0 && hip_ctl_find(&call->attrs, HIP_CTL_A_NAME, &a) == 0) {
		r = hip_ctl_get_string(&a, name, sizeof(name));
		if (r == 0)
			r = hip_ctl_put_string(call->reply, HIP_CTL_A_NAME,
					       name);
	}
	return r;
}

static int h_peer_add(struct hipd_ctl_call *call, void *arg)
{
	struct hip_ctl_attr a;
	struct in6_addr hit;

	(void)arg;
	if (hip_ctl_find(&call->attrs, HIP_CTL_A_HIT, &a) < 0 ||
	    hip_ctl_get_in6(&a, &hit) < 0) {
		snprintf(call->errmsg, sizeof(call->errmsg), "need a HIT");
		return HIP_EMISSING;
	}
	return hip_ctl_put_in6(call->reply, HIP_CTL_A_HIT, &hit);
}

/* A table of COUNT rows; stops (FLAGS=1) at the first row that does
 * not fit, the way real list handlers will. */
static int h_ha_list(struct hipd_ctl_call *call, void *arg)
{
	struct hip_ctl_attr a;
	uint32_t rows = 0, done = 0;
	int r;

	(void)arg;
	if (hip_ctl_find(&call->attrs, HIP_CTL_A_COUNT, &a) == 0)
		hip_ctl_get_u32(&a, &rows);
	r = hip_ctl_nest_begin(call->reply, HIP_CTL_A_LIST);
	if (r < 0)
		return r;
	/* keep 8 bytes for the FLAGS attribute after the table */
	call->reply->cap -= 8;
	for (; done < rows; done++) {
		if (hip_ctl_nest_begin(call->reply, HIP_CTL_A_ITEM) < 0)
			break;
		if (hip_ctl_put_u32(call->reply, HIP_CTL_A_SPI_IN, done) < 0 ||
		    hip_ctl_put_string(call->reply, HIP_CTL_A_NAME,
				       "association") < 0) {
			hip_ctl_nest_cancel(call->reply);
			break;
		}
		hip_ctl_nest_end(call->reply);
	}
	call->reply->cap += 8;
	r = hip_ctl_nest_end(call->reply);
	if (r == 0 && done < rows)
		r = hip_ctl_put_u32(call->reply, HIP_CTL_A_FLAGS, 1);
	return r;
}

static int h_buggy(struct hipd_ctl_call *call, void *arg)
{
	(void)arg;
	return hip_ctl_nest_begin(call->reply, HIP_CTL_A_LIST);
}

static const struct hipd_ctl_command test_cmds[] = {
	{ HIP_CTL_CMD_STATUS, false, h_status },
	{ HIP_CTL_CMD_PEER_ADD, true, h_peer_add },
	{ HIP_CTL_CMD_HA_LIST, false, h_ha_list },
	{ HIP_CTL_CMD_PRIVATE_FIRST, false, h_buggy },
};

static void fx_open(struct fixture *fx, const struct hipd_ctl_config *base)
{
	struct hipd_ctl_config cfg = { 0 };

	memset(fx, 0, sizeof(*fx));
	strcpy(fx->dir, "/tmp/test_control.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fx->dir));
	ck_assert_int_eq(chmod(fx->dir, 0755), 0);
	snprintf(fx->path, sizeof(fx->path), "%s/hipd.sock", fx->dir);
	if (base)
		cfg = *base;
	cfg.path = fx->path;
	hipd_log_init("test", true, HIPD_LOG_ERR);
	ck_assert_int_eq(hipd_loop_new(&fx->loop), 0);
	ck_assert_int_eq(hipd_ctl_open(fx->loop, &cfg, &fx->srv), 0);
	ck_assert_int_eq(hipd_ctl_register(fx->srv, test_cmds,
					   HIP_ARRAY_SIZE(test_cmds), fx), 0);
}

static void fx_close(struct fixture *fx)
{
	hipd_ctl_close(fx->srv);
	hipd_loop_free(fx->loop);
	ck_assert_int_eq(access(fx->path, F_OK), -1);
	ck_assert_int_eq(rmdir(fx->dir), 0);
}

static int fx_connect(struct fixture *fx)
{
	int fd = -1;

	ck_assert_int_eq(hip_ctl_connect(fx->path, &fd), 0);
	return fd;
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

/* Run the server until fd has something to read (or ~2 s pass). */
static void pump_until_readable(struct fixture *fx, int fd)
{
	for (int i = 0; i < 2000 && !readable(fd); i++)
		ck_assert_int_eq(hipd_loop_run_once(fx->loop, 1), 0);
	ck_assert_msg(readable(fd), "no answer from the server");
}

static void pump(struct fixture *fx, int iterations)
{
	for (int i = 0; i < iterations; i++)
		ck_assert_int_eq(hipd_loop_run_once(fx->loop, 1), 0);
}

static void send_raw(int fd, const void *p, size_t n)
{
	ck_assert_int_eq(send(fd, p, n, MSG_NOSIGNAL), (ssize_t)n);
}

/* Send m, serve, return the parsed reply. */
static void call(struct fixture *fx, int fd, struct hip_ctl_msg *m,
		 uint8_t *buf, size_t cap, struct hip_ctl_hdr *h,
		 struct hip_ctl_iter *it)
{
	size_t n;

	send_raw(fd, m->buf, m->len);
	pump_until_readable(fx, fd);
	ck_assert_int_eq(hip_ctl_recv(fd, buf, cap, &n, 1000), 0);
	ck_assert_int_eq(hip_ctl_parse(buf, n, h, it), 0);
	ck_assert_uint_eq(h->kind, HIP_CTL_REPLY);
}

static void errmsg_of(const struct hip_ctl_iter *it, char *out, size_t cap)
{
	struct hip_ctl_attr a;

	ck_assert_int_eq(hip_ctl_find(it, HIP_CTL_A_ERRMSG, &a), 0);
	ck_assert_int_eq(hip_ctl_get_string(&a, out, cap), 0);
}

/* The peer has gone: EOF on its socket. */
static void assert_closed(int fd)
{
	char c;

	ck_assert_int_eq(recv(fd, &c, 1, MSG_DONTWAIT), 0);
}

START_TEST(test_socket_file)
{
	struct hipd_ctl_config cfg = {
		.policy = { .have_group = true, .group = TEST_GROUP } };
	struct hipd_ctl_server *other;
	struct fixture fx;
	struct stat st;
	int fd;

	fx_open(&fx, &cfg);
	ck_assert_int_eq(lstat(fx.path, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0660);
	ck_assert_uint_eq(st.st_gid, TEST_GROUP);
	/* a second daemon on the same path: refused, first one intact */
	cfg.path = fx.path;
	ck_assert_int_eq(hipd_ctl_open(fx.loop, &cfg, &other), HIP_EEXIST);
	fd = fx_connect(&fx);
	pump(&fx, 2);
	ck_assert_uint_eq(hipd_ctl_nclients(fx.srv), 1);
	close(fd);
	pump(&fx, 2);
	ck_assert_uint_eq(hipd_ctl_nclients(fx.srv), 0);
	/* registration rules */
	ck_assert_int_eq(hipd_ctl_register(fx.srv, test_cmds, 1, NULL),
			 HIP_EEXIST);
	{
		static const struct hipd_ctl_command sub[] = {
			{ HIP_CTL_CMD_SUBSCRIBE, false, h_status } };
		static const struct hipd_ctl_command dup[] = {
			{ 0x0500, false, h_status },
			{ 0x0500, true, h_status } };
		static const struct hipd_ctl_command nofn[] = {
			{ 0x0501, false, NULL } };

		ck_assert_int_eq(hipd_ctl_register(fx.srv, sub, 1, NULL),
				 HIP_EEXIST);
		ck_assert_int_eq(hipd_ctl_register(fx.srv, dup, 2, NULL),
				 HIP_EEXIST);
		ck_assert_int_eq(hipd_ctl_register(fx.srv, nofn, 1, NULL),
				 HIP_EINVAL);
	}
	fx_close(&fx);
}
END_TEST

START_TEST(test_stale_and_foreign_files)
{
	struct hipd_ctl_config cfg = { 0 };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct hipd_ctl_server *srv;
	struct hipd_loop *loop;
	char dir[] = "/tmp/test_control.XXXXXX", path[64], longp[200];
	int fd;

	hipd_log_init("test", true, HIPD_LOG_ERR);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/hipd.sock", dir);
	ck_assert_int_eq(hipd_loop_new(&loop), 0);
	cfg.path = path;
	/* a socket file left by a crashed daemon is replaced */
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	ck_assert_int_eq(hipd_ctl_open(loop, &cfg, &srv), 0);
	hipd_ctl_close(srv);
	/* a regular file is not ours to remove */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(hipd_ctl_open(loop, &cfg, &srv), HIP_EEXIST);
	ck_assert_int_eq(access(path, F_OK), 0);
	unlink(path);
	/* paths that do not fit a sockaddr_un */
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	cfg.path = longp;
	ck_assert_int_eq(hipd_ctl_open(loop, &cfg, &srv), HIP_EINVAL);
	cfg.path = "";
	ck_assert_int_eq(hipd_ctl_open(loop, &cfg, &srv), HIP_EINVAL);
	hipd_loop_free(loop);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_requests)
{
	struct fixture fx;
	struct hip_ctl_msg m;
	struct hip_ctl_hdr h;
	struct hip_ctl_iter it;
	struct hip_ctl_attr a;
	uint8_t req[256], rep[1024];
	const struct in6_addr hit = { { { 0x20, 0x01, 0x00, 0x2a } } };
	struct in6_addr got;
	char text[HIPD_CTL_ERRMSG_MAX];
	uint32_t v;
	int fd;

	fx_open(&fx, NULL);
	fd = fx_connect(&fx);

	/* a read command; SO_PEERCRED names this very process */
	hip_ctl_msg_init(&m, req, sizeof(req), HIP_CTL_REQUEST,
			 HIP_CTL_CMD_STATUS, 1001);
	hip_ctl_put_string(&m, HIP_CTL_A_NAME, "echo me");
	call(&fx, fd, &m, rep, sizeof(rep), &h, &it);
	ck_assert_uint_eq(h.id, 1001);
	ck_assert_uint_eq(h.code, 0);
	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_PID, &a), 0);
	ck_assert_int_eq(hip_ctl_get_u32(&a, &v), 0);
	ck_assert_uint_eq(v, (uint32_t)getpid());
	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_UID, &a), 0);
	ck_assert_int_eq(hip_ctl_get_u32(&a, &v), 0);
	ck_assert_uint_eq(v, (uint32_t)getuid());
	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_NAME, &a), 0);
	ck_assert_int_eq(hip_ctl_get_string(&a, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "echo me");
	ck_assert_int_eq(fx.calls, 1);

	/* a write command (this test runs as root or fails the check) */
	hip_ctl_msg_init(&m, req, sizeof(req), HIP_CTL_REQUEST,
			 HIP_CTL_CMD_PEER_ADD, 1002);
	hip_ctl_put_in6(&m, HIP_CTL_A_HIT, &hit);
	call(&fx, fd, &m, rep, sizeof(rep), &h, &it);
	if (getuid() == 0) {
		ck_assert_uint_eq(h.code, 0);
		ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_HIT, &a), 0);
		ck_assert_int_eq(hip_ctl_get_in6(&a, &got), 0);
		ck_assert_mem_eq(&got, &hit, 16);
	} else {
		ck_assert_uint_eq(h.code, HIP_CTL_STATUS(HIP_EPERM));
	}

	/* handler failure: its message, and none of its data */
	if (getuid() == 0) {
		hip_ctl_msg_init(&m, req, sizeof(req), HIP_CTL_REQUEST,
				 HIP_CTL_CMD_PEER_ADD, 1003);
		call(&fx, fd, &m, rep, sizeof(rep), &h, &it);
		ck_assert_uint_eq(h.code, HIP_CTL_STATUS(HIP_EMISSING));
		errmsg_of(&it, text, sizeof(text));
		ck_assert_str_eq(text, "need a HIT");
	}

	/* unknown command */
	hip_ctl_msg_init(&m, req, sizeof(req), HIP_CTL_REQUEST, 0x0777, 1004);
	call(&fx, fd, &m, rep, sizeof(rep), &h, &it);
	ck_assert_uint_eq(h.id, 1004);
	ck_assert_uint_eq(h.code, HIP_CTL_STATUS(HIP_EUNSUPPORTED));
	errmsg_of(&it, text, sizeof(text));
	ck_assert_str_eq(text, "unknown command 0x0777");

	/* a handler that leaves a nest open gets an error reply */
	hip_ctl_msg_init(&m, req, sizeof(req), HIP_CTL_REQUEST,
			 HIP_CTL_CMD_PRIVATE_FIRST, 1005);
	call(&fx, fd, &m, rep, sizeof(rep), &h, &it);
	ck_assert_uint_eq(h.code, HIP_CTL_STATUS(HIP_ESTATE));

	/* well framed but malformed attributes: error reply, link stays */
	hip_ctl_msg_init(&m, req, sizeof(req), HIP_CTL_REQUEST,
			 HIP_CTL_CMD_STATUS, 1006);
	hip_ctl_put_u32(&m, HIP_CTL_A_COUNT, 0x05000000);
	req[12 + 3] = 3;	/* COUNT with length 3, zero padding */
	call(&fx, fd, &m, rep, sizeof(rep), &h, &it);
	ck_assert_uint_eq(h.id, 1006);
	ck_assert_uint_eq(h.code, HIP_CTL_STATUS(HIP_ELEN));
	errmsg_of(&it, text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "malformed request"));

	/* another protocol version */
	hip_ctl_msg_init(&m, req, sizeof(req), HIP_CTL_REQUEST,
			 HIP_CTL_CMD_STATUS, 1007);
	req[4] = HIP_CTL_VERSION + 1;
	call(&fx, fd, &m, rep, sizeof(rep), &h, &it);
	ck_assert_uint_eq(h.code, HIP_CTL_STATUS(HIP_EVERSION));
	ck_assert_int_eq(fx.calls, 1);

	/* still serving after all that */
	hip_ctl_msg_init(&m, req, sizeof(req), HIP_CTL_REQUEST,
			 HIP_CTL_CMD_STATUS, 1008);
	call(&fx, fd, &m, rep, sizeof(rep), &h, &it);
	ck_assert_uint_eq(h.code, 0);
	ck_assert_uint_eq(hipd_ctl_nclients(fx.srv), 1);
	close(fd);
	fx_close(&fx);
}
END_TEST

START_TEST(test_big_table)
{
	struct fixture fx;
	struct hip_ctl_msg m;
	struct hip_ctl_hdr h;
	struct hip_ctl_iter it, list;
	struct hip_ctl_attr a;
	uint8_t req[64];
	uint8_t *rep = malloc(HIP_CTL_MSG_MAX);
	uint32_t rows = 0, flags = 0, spi;
	int fd;

	ck_assert_ptr_nonnull(rep);
	fx_open(&fx, NULL);
	fd = fx_connect(&fx);
	hip_ctl_msg_init(&m, req, sizeof(req), HIP_CTL_REQUEST,
			 HIP_CTL_CMD_HA_LIST, 9);
	hip_ctl_put_u32(&m, HIP_CTL_A_COUNT, 100000);
	call(&fx, fd, &m, rep, HIP_CTL_MSG_MAX, &h, &it);
	ck_assert_uint_eq(h.code, 0);
	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_LIST, &a), 0);
	ck_assert_int_eq(hip_ctl_attr_nested(&a, &list), 0);
	while (hip_ctl_iter_next(&list, &a) == 1) {
		struct hip_ctl_iter row;
		struct hip_ctl_attr s;

		ck_assert_int_eq(hip_ctl_attr_nested(&a, &row), 0);
		ck_assert_int_eq(hip_ctl_find(&row, HIP_CTL_A_SPI_IN, &s), 0);
		ck_assert_int_eq(hip_ctl_get_u32(&s, &spi), 0);
		ck_assert_uint_eq(spi, rows);
		rows++;
	}
	/* 28 bytes per row in a 64 KiB message, and the truncation flag */
	ck_assert_uint_gt(rows, 2000);
	ck_assert_uint_lt(rows, 2400);
	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_FLAGS, &a), 0);
	ck_assert_int_eq(hip_ctl_get_u32(&a, &flags), 0);
	ck_assert_uint_eq(flags, 1);
	close(fd);
	fx_close(&fx);
	free(rep);
}
END_TEST

START_TEST(test_bad_frames_close)
{
	struct fixture fx;
	uint8_t frame[16];
	int fd;

	fx_open(&fx, NULL);
	/* a length above the maximum */
	fd = fx_connect(&fx);
	hip_put32(frame, HIP_CTL_MSG_MAX + 1);
	send_raw(fd, frame, 4);
	pump_until_readable(&fx, fd);
	assert_closed(fd);
	ck_assert_uint_eq(hipd_ctl_nclients(fx.srv), 0);
	close(fd);
	/* a length below the header */
	fd = fx_connect(&fx);
	hip_put32(frame, 7);
	send_raw(fd, frame, 4);
	pump_until_readable(&fx, fd);
	assert_closed(fd);
	close(fd);
	/* a reply sent to the daemon */
	fd = fx_connect(&fx);
	hip_put32(frame, 8);
	frame[4] = HIP_CTL_VERSION;
	frame[5] = HIP_CTL_REPLY;
	memset(frame + 6, 0, 6);
	send_raw(fd, frame, 12);
	pump_until_readable(&fx, fd);
	assert_closed(fd);
	close(fd);
	ck_assert_uint_eq(hipd_ctl_nclients(fx.srv), 0);
	fx_close(&fx);
}
END_TEST

START_TEST(test_max_frame_accepted)
{
	struct fixture fx;
	struct hip_ctl_msg m;
	struct hip_ctl_hdr h;
	struct hip_ctl_iter it;
	uint8_t *req = malloc(HIP_CTL_FRAME_MAX), rep[256];
	uint8_t fill[4000] = { 0 };
	int fd;

	ck_assert_ptr_nonnull(req);
	fx_open(&fx, NULL);
	fd = fx_connect(&fx);
	hip_ctl_msg_init(&m, req, HIP_CTL_FRAME_MAX, HIP_CTL_REQUEST,
			 HIP_CTL_CMD_STATUS, 3);
	while (hip_ctl_put_bytes(&m, 0x7000, fill, sizeof(fill)) == 0)
		;
	while (hip_ctl_put_u8(&m, 0x7001, 0) == 0)
		;
	/* 65528 bytes of attributes: a multiple of 8, so exactly full */
	ck_assert_uint_eq(m.len, HIP_CTL_FRAME_MAX);
	call(&fx, fd, &m, rep, sizeof(rep), &h, &it);
	ck_assert_uint_eq(h.code, 0);
	ck_assert_uint_eq(h.id, 3);
	close(fd);
	fx_close(&fx);
	free(req);
}
END_TEST

START_TEST(test_half_frames)
{
	struct fixture fx;
	struct hip_ctl_msg m;
	struct hip_ctl_hdr h;
	struct hip_ctl_iter it;
	uint8_t req[128], two[256], rep[256];
	size_t n;
	int fd;

	fx_open(&fx, NULL);
	fd = fx_connect(&fx);
	hip_ctl_msg_init(&m, req, sizeof(req), HIP_CTL_REQUEST,
			 HIP_CTL_CMD_STATUS, 55);
	hip_ctl_put_string(&m, HIP_CTL_A_NAME, "slowly");
	/* one byte at a time, the server running in between */
	for (size_t i = 0; i < m.len; i++) {
		send_raw(fd, req + i, 1);
		pump(&fx, 1);
		ck_assert(i + 1 == m.len || !readable(fd));
	}
	pump_until_readable(&fx, fd);
	ck_assert_int_eq(hip_ctl_recv(fd, rep, sizeof(rep), &n, 1000), 0);
	ck_assert_int_eq(hip_ctl_parse(rep, n, &h, &it), 0);
	ck_assert_uint_eq(h.id, 55);
	ck_assert_uint_eq(h.code, 0);

	/* two requests in one write, answered in order */
	memcpy(two, req, m.len);
	hip_put32(req + 8, 56);
	memcpy(two + m.len, req, m.len);
	send_raw(fd, two, 2 * m.len);
	for (uint32_t id = 55; id <= 56; id++) {
		pump_until_readable(&fx, fd);
		ck_assert_int_eq(hip_ctl_recv(fd, rep, sizeof(rep), &n, 1000),
				 0);
		ck_assert_int_eq(hip_ctl_parse(rep, n, &h, &it), 0);
		ck_assert_uint_eq(h.id, id);
	}
	close(fd);
	fx_close(&fx);
}
END_TEST

START_TEST(test_many_clients)
{
	enum { N = 40 };
	struct fixture fx;
	struct hip_ctl_msg m;
	struct hip_ctl_hdr h;
	struct hip_ctl_iter it;
	uint8_t req[64], rep[256];
	int fds[N];
	size_t n;

	fx_open(&fx, NULL);
	for (int i = 0; i < N; i++) {
		fds[i] = fx_connect(&fx);
		pump(&fx, 1);
	}
	/* all send before any is answered */
	for (int i = 0; i < N; i++) {
		hip_ctl_msg_init(&m, req, sizeof(req), HIP_CTL_REQUEST,
				 HIP_CTL_CMD_STATUS, 5000 + (uint32_t)i);
		send_raw(fds[i], req, m.len);
	}
	for (int i = N - 1; i >= 0; i--) {
		pump_until_readable(&fx, fds[i]);
		ck_assert_int_eq(hip_ctl_recv(fds[i], rep, sizeof(rep), &n,
					      1000), 0);
		ck_assert_int_eq(hip_ctl_parse(rep, n, &h, &it), 0);
		ck_assert_uint_eq(h.id, 5000 + (uint32_t)i);
	}
	ck_assert_uint_eq(hipd_ctl_nclients(fx.srv), N);
	ck_assert_int_eq(fx.calls, N);
	for (int i = 0; i < N; i++)
		close(fds[i]);
	pump(&fx, 5);
	ck_assert_uint_eq(hipd_ctl_nclients(fx.srv), 0);
	fx_close(&fx);
}
END_TEST

START_TEST(test_client_limit)
{
	struct hipd_ctl_config cfg = { .max_clients = 3 };
	struct fixture fx;
	int fds[5];

	fx_open(&fx, &cfg);
	for (int i = 0; i < 5; i++)
		fds[i] = fx_connect(&fx);
	pump(&fx, 5);
	ck_assert_uint_eq(hipd_ctl_nclients(fx.srv), 3);
	/* the two over the limit were closed at once */
	for (int i = 3; i < 5; i++) {
		ck_assert(readable(fds[i]));
		assert_closed(fds[i]);
	}
	for (int i = 0; i < 5; i++)
		close(fds[i]);
	pump(&fx, 5);
	ck_assert_uint_eq(hipd_ctl_nclients(fx.srv), 0);
	fx_close(&fx);
}
END_TEST

START_TEST(test_disconnect_mid_frame)
{
	struct fixture fx;
	uint8_t frame[12] = { 0, 0, 0, 40, HIP_CTL_VERSION, HIP_CTL_REQUEST };
	int a, b, c;

	fx_open(&fx, NULL);
	/* in the length prefix, and in the body */
	a = fx_connect(&fx);
	b = fx_connect(&fx);
	c = fx_connect(&fx);
	send_raw(a, frame, 2);
	send_raw(b, frame, 10);
	pump(&fx, 5);
	ck_assert_uint_eq(hipd_ctl_nclients(fx.srv), 3);
	close(a);
	close(b);
	pump(&fx, 5);
	ck_assert_uint_eq(hipd_ctl_nclients(fx.srv), 1);
	close(c);
	pump(&fx, 5);
	ck_assert_uint_eq(hipd_ctl_nclients(fx.srv), 0);
	fx_close(&fx);
}
END_TEST

START_TEST(test_frame_timeout)
{
	struct hipd_ctl_config cfg = { .frame_timeout_ms = 50 };
	struct fixture fx;
	uint8_t frame[12] = { 0, 0, 0, 40, HIP_CTL_VERSION, HIP_CTL_REQUEST };
	uint64_t start, end;
	int c, idle;

	fx_open(&fx, &cfg);
	c = fx_connect(&fx);
	idle = fx_connect(&fx);
	pump(&fx, 2);
	start = hipd_clock_monotonic_ms(NULL);
	send_raw(c, frame, 7);
	/* c never finishes its frame: dropped after the timeout; idle
	 * (no frame started) stays */
	for (int i = 0; i < 2000 && hipd_ctl_nclients(fx.srv) > 1; i++)
		pump(&fx, 1);
	end = hipd_clock_monotonic_ms(NULL);
	ck_assert_uint_eq(hipd_ctl_nclients(fx.srv), 1);
	ck_assert_uint_ge(end - start, 49);
	assert_closed(c);
	ck_assert(!readable(idle));
	close(c);
	close(idle);
	fx_close(&fx);
}
END_TEST

/* A client that sends requests but never reads: the server stops
 * reading it once replies queue up, and cleans up when it leaves. */
START_TEST(test_backpressure)
{
	struct fixture fx;
	struct hip_ctl_msg m;
	uint8_t req[64];
	int fd, sent = 0;

	fx_open(&fx, NULL);
	fd = fx_connect(&fx);
	hip_ctl_msg_init(&m, req, sizeof(req), HIP_CTL_REQUEST,
			 HIP_CTL_CMD_HA_LIST, 1);
	hip_ctl_put_u32(&m, HIP_CTL_A_COUNT, 100000);
	/* each answer is 64 KiB; 200 of them do not fit any buffer */
	for (int i = 0; i < 200; i++) {
		if (send(fd, req, m.len, MSG_NOSIGNAL | MSG_DONTWAIT) !=
		    (ssize_t)m.len)
			break;
		sent++;
		pump(&fx, 1);
	}
	pump(&fx, 20);
	ck_assert_int_eq(sent, 200);	/* requests are small */
	ck_assert_uint_eq(hipd_ctl_nclients(fx.srv), 1);
	close(fd);
	for (int i = 0; i < 100 && hipd_ctl_nclients(fx.srv); i++)
		pump(&fx, 1);
	ck_assert_uint_eq(hipd_ctl_nclients(fx.srv), 0);
	fx_close(&fx);
}
END_TEST

START_TEST(test_subscribe)
{
	struct fixture fx;
	struct hip_ctl_msg m, ev;
	struct hip_ctl_hdr h;
	struct hip_ctl_iter it;
	uint8_t req[64], evbuf[64], rep[256];
	size_t n;
	int sub, other;

	fx_open(&fx, NULL);
	sub = fx_connect(&fx);
	other = fx_connect(&fx);
	hip_ctl_msg_init(&m, req, sizeof(req), HIP_CTL_REQUEST,
			 HIP_CTL_CMD_SUBSCRIBE, 1);
	call(&fx, sub, &m, rep, sizeof(rep), &h, &it);
	ck_assert_uint_eq(h.code, 0);
	pump(&fx, 2);
	hip_ctl_msg_init(&ev, evbuf, sizeof(evbuf), HIP_CTL_EVENT,
			 HIP_CTL_EV_HA_STATE, 0);
	hip_ctl_put_u8(&ev, HIP_CTL_A_STATE, 4);
	ck_assert_int_eq(hipd_ctl_broadcast(fx.srv, &ev), 1);
	ck_assert_int_eq(hip_ctl_recv(sub, rep, sizeof(rep), &n, 1000), 0);
	ck_assert_int_eq(hip_ctl_parse(rep, n, &h, &it), 0);
	ck_assert_uint_eq(h.kind, HIP_CTL_EVENT);
	ck_assert_uint_eq(h.code, HIP_CTL_EV_HA_STATE);
	ck_assert(!readable(other));
	/* only events may be broadcast */
	ck_assert_int_eq(hipd_ctl_broadcast(fx.srv, &m), HIP_EINVAL);
	close(sub);
	close(other);
	fx_close(&fx);
}
END_TEST

/*
 * A real unprivileged client (needs root to become one): the child
 * connects as uid NOBODY and tries a read and a write command; exit
 * status bit 0: read refused, bit 1: write result unexpected.
 */
static int child_client(const char *path, gid_t gid, const gid_t *groups,
			size_t ngroups, bool expect_write)
{
	uint8_t req[64], rep[512];
	struct hip_ctl_msg m;
	struct hip_ctl_hdr h;
	struct hip_ctl_iter it;
	const struct in6_addr hit = { { { 0x20, 0x01 } } };
	size_t n;
	int fd, status = 0;

	if (setgroups(ngroups, groups) < 0 || setgid(gid) < 0 ||
	    setuid(NOBODY) < 0)
		return 8;
	if (hip_ctl_connect(path, &fd) < 0)
		return 4;
	hip_ctl_msg_init(&m, req, sizeof(req), HIP_CTL_REQUEST,
			 HIP_CTL_CMD_STATUS, 1);
	if (hip_ctl_request(fd, &m, rep, sizeof(rep), &n, 5000) < 0 ||
	    hip_ctl_parse(rep, n, &h, &it) < 0 || h.code != 0)
		status |= 1;
	hip_ctl_msg_init(&m, req, sizeof(req), HIP_CTL_REQUEST,
			 HIP_CTL_CMD_PEER_ADD, 2);
	hip_ctl_put_in6(&m, HIP_CTL_A_HIT, &hit);
	if (hip_ctl_request(fd, &m, rep, sizeof(rep), &n, 5000) < 0 ||
	    hip_ctl_parse(rep, n, &h, &it) < 0 ||
	    h.code != (expect_write ? 0 : HIP_CTL_STATUS(HIP_EPERM)))
		status |= 2;
	close(fd);
	return status;
}

static int run_child(struct fixture *fx, gid_t gid, const gid_t *groups,
		     size_t ngroups, bool expect_write)
{
	int status = -1;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(child_client(fx->path, gid, groups, ngroups,
				   expect_write));
	for (int i = 0; i < 5000; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		hipd_loop_run_once(fx->loop, 1);
	}
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(test_unprivileged_peer)
{
	struct hipd_ctl_config cfg = {
		.policy = { .have_group = true, .group = TEST_GROUP } };
	static const gid_t with[] = { 100, TEST_GROUP };
	struct fixture fx;

	if (getuid() != 0)
		return;	/* cannot become another user; the table covers it */
	/* no hipd group: gid 0 may connect (socket is root:root 0660) but
	 * is not uid 0, so only reads */
	fx_open(&fx, NULL);
	ck_assert_int_eq(run_child(&fx, 0, NULL, 0, false), 0);
	fx_close(&fx);
	/* the hipd group as a supplementary group: writes too */
	fx_open(&fx, &cfg);
	ck_assert_int_eq(run_child(&fx, NOBODY, with, 2, true), 0);
	/* not in the group at all: cannot even connect */
	ck_assert_int_eq(run_child(&fx, NOBODY, NULL, 0, false), 4);
	fx_close(&fx);
}
END_TEST

static Suite *control_suite(void)
{
	Suite *s = suite_create("control");
	TCase *perm = tcase_create("permissions");
	TCase *srv = tcase_create("server");

	tcase_add_test(perm, test_cred_table);
	tcase_add_test(perm, test_unprivileged_peer);
	suite_add_tcase(s, perm);
	tcase_set_timeout(srv, 30);
	tcase_add_test(srv, test_socket_file);
	tcase_add_test(srv, test_stale_and_foreign_files);
	tcase_add_test(srv, test_requests);
	tcase_add_test(srv, test_big_table);
	tcase_add_test(srv, test_bad_frames_close);
	tcase_add_test(srv, test_max_frame_accepted);
	tcase_add_test(srv, test_half_frames);
	tcase_add_test(srv, test_many_clients);
	tcase_add_test(srv, test_client_limit);
	tcase_add_test(srv, test_disconnect_mid_frame);
	tcase_add_test(srv, test_frame_timeout);
	tcase_add_test(srv, test_subscribe);
	tcase_add_test(srv, test_backpressure);
	suite_add_tcase(s, srv);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(control_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

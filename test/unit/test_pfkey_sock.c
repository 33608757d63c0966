/*
 * Unit tests for libpfkey's socket helpers: request/reply matching,
 * errno mapping, timeouts, dumps, register and receive, run over a real
 * AF_UNIX datagram socket pair whose far end plays the kernel (the
 * replies are queued before the call; datagram boundaries are kept as
 * PF_KEY keeps them).  The real af_key is exercised by
 * test/kernel/pfkey_uml_test.sh.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <pfkey/pfkey.h>

#define PID 4321

static int kernel_end;
static struct pfkey_sock sock;

static void setup(void)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	sock.fd = sv[0];
	sock.pid = PID;
	sock.seq = 0;
	kernel_end = sv[1];
}

static void teardown(void)
{
	pfkey_close(&sock);
	ck_assert_int_eq(sock.fd, -1);
	close(kernel_end);
}

/* Queue a message from the "kernel": type, seq, pid, errno, and an SA
 * extension with this SPI when spi is not 0. */
static void kernel_says(uint8_t type, uint32_t seq, uint32_t pid,
			uint8_t err, uint32_t spi)
{
	uint8_t buf[64];
	struct pfkey_builder b;
	struct pfkey_sa sa = { spi, 0, 1, 0, 0, 0 };
	size_t len;

	ck_assert_int_eq(pfkey_build_init(&b, buf, sizeof(buf), type, 3, seq,
					  pid), 0);
	if (spi)
		ck_assert_int_eq(pfkey_add_sa(&b, &sa), 0);
	ck_assert_int_eq(pfkey_build_finish(&b, &len), 0);
	buf[2] = err;
	ck_assert_int_eq(send(kernel_end, buf, len, 0), (ssize_t)len);
}

static void kernel_raw(const void *buf, size_t len)
{
	ck_assert_int_eq(send(kernel_end, buf, len, 0), (ssize_t)len);
}

/* The request the library sent, as the kernel would read it. */
static void kernel_reads(uint8_t type, uint32_t seq)
{
	uint8_t buf[256];
	struct pfkey_msg m;
	ssize_t n = recv(kernel_end, buf, sizeof(buf), MSG_DONTWAIT);

	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(pfkey_parse(buf, (size_t)n, 0, &m), 0);
	ck_assert_uint_eq(m.type, type);
	ck_assert_uint_eq(m.seq, seq);
	ck_assert_uint_eq(m.pid, PID);
}

static void kernel_reads_nothing(void)
{
	uint8_t buf[16];

	ck_assert_int_eq(recv(kernel_end, buf, sizeof(buf), MSG_DONTWAIT), -1);
	ck_assert_int_eq(errno, EAGAIN);
}

static size_t get_request(uint8_t *buf, size_t cap, uint32_t seq)
{
	struct pfkey_builder b;
	struct pfkey_sa sa = { 0x77, 0, 0, 0, 0, 0 };
	size_t len;

	ck_assert_int_eq(pfkey_build_init(&b, buf, cap, SADB_GET, 3, seq,
					  PID), 0);
	ck_assert_int_eq(pfkey_add_sa(&b, &sa), 0);
	ck_assert_int_eq(pfkey_build_finish(&b, &len), 0);
	return len;
}

struct seen {
	int count;
	uint8_t types[8];
};

static void record_other(const struct pfkey_msg *m, void *arg)
{
	struct seen *s = arg;

	if (s->count < 8)
		s->types[s->count] = m->type;
	s->count++;
}

START_TEST(test_request_matches_seq_and_pid)
{
	uint8_t req[64], reply[256];
	struct pfkey_msg m;
	struct pfkey_sa sa;
	struct seen other = { 0, { 0 } };
	uint32_t seq = pfkey_next_seq(&sock);
	size_t len = get_request(req, sizeof(req), seq);

	ck_assert_uint_eq(seq, 1);
	kernel_says(SADB_ACQUIRE, 0, 0, 0, 0);		/* broadcast */
	kernel_says(SADB_GET, seq + 1, PID, 0, 0x11);	/* other seq */
	kernel_says(SADB_GET, seq, PID + 1, 0, 0x22);	/* other pid */
	kernel_says(SADB_ADD, seq, PID, 0, 0x33);	/* other type */
	kernel_says(SADB_GET, seq, PID, 0, 0x77);	/* ours */
	kernel_says(SADB_EXPIRE, 0, 0, 0, 0x44);	/* after ours */
	ck_assert_int_eq(pfkey_request(&sock, req, len, reply, sizeof(reply),
				       &m, 1000, record_other, &other), 0);
	kernel_reads(SADB_GET, seq);
	ck_assert_uint_eq(m.type, SADB_GET);
	ck_assert_uint_eq(m.seq, seq);
	ck_assert_int_eq(pfkey_get_sa(&m, &sa), 0);
	ck_assert_uint_eq(sa.spi, 0x77);
	ck_assert_ptr_eq(m.buf, reply);
	ck_assert_int_eq(other.count, 4);
	ck_assert_uint_eq(other.types[0], SADB_ACQUIRE);
	ck_assert_uint_eq(other.types[3], SADB_ADD);
	/* The message after the reply is still queued for pfkey_recv. */
	ck_assert_int_eq(pfkey_recv(&sock, reply, sizeof(reply), &len, 0, &m),
			 0);
	ck_assert_uint_eq(m.type, SADB_EXPIRE);
	ck_assert_int_eq(pfkey_recv(&sock, reply, sizeof(reply), &len, 0, &m),
			 -EAGAIN);
}
END_TEST

START_TEST(test_request_errno)
{
	uint8_t req[64], reply[256];
	struct pfkey_msg m;
	uint32_t seq = pfkey_next_seq(&sock);
	size_t len = get_request(req, sizeof(req), seq);

	kernel_says(SADB_GET, seq, PID, ESRCH, 0);
	ck_assert_int_eq(pfkey_request(&sock, req, len, reply, sizeof(reply),
				       &m, 1000, NULL, NULL), -ESRCH);
	ck_assert_uint_eq(m.errno_val, ESRCH);
	ck_assert_str_eq(pfkey_strerror(-ESRCH), "No such process");
}
END_TEST

START_TEST(test_request_timeout)
{
	uint8_t req[64], reply[256];
	struct pfkey_msg m;
	struct timespec t0, t1;
	uint32_t seq = pfkey_next_seq(&sock);
	size_t len = get_request(req, sizeof(req), seq);
	long ms;

	kernel_says(SADB_GET, seq + 5, PID, 0, 0x1);	/* not ours */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(pfkey_request(&sock, req, len, reply, sizeof(reply),
				       &m, 80, NULL, NULL), PFKEY_ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ck_assert_int_ge(ms, 79);
	ck_assert_int_lt(ms, 2000);
}
END_TEST

START_TEST(test_request_small_buffer_and_bad_reply)
{
	uint8_t req[64], reply[256], bad[24];
	struct pfkey_msg m;
	uint32_t seq = pfkey_next_seq(&sock);
	size_t len = get_request(req, sizeof(req), seq);

	kernel_says(SADB_GET, seq, PID, 0, 0x9);	/* 32 bytes */
	ck_assert_int_eq(pfkey_request(&sock, req, len, reply, 16, &m, 1000,
				       NULL, NULL), PFKEY_ENOSPC);
	/* A reply with our type, seq and pid that does not parse. */
	seq = pfkey_next_seq(&sock);
	len = get_request(req, sizeof(req), seq);
	memset(bad, 0, sizeof(bad));
	bad[0] = PF_KEY_V2;
	bad[1] = SADB_GET;
	bad[4] = 3;				/* 24 bytes */
	memcpy(bad + 8, &seq, 4);
	memcpy(bad + 12, &(uint32_t){ PID }, 4);
	bad[16] = 1;				/* 8-byte extension */
	bad[18] = 99;				/* of unknown type */
	kernel_raw(bad, sizeof(bad));
	ck_assert_int_eq(pfkey_request(&sock, req, len, reply, sizeof(reply),
				       &m, 1000, NULL, NULL), PFKEY_EREPLY);
}
END_TEST

START_TEST(test_send_refuses_malformed)
{
	uint8_t req[64];
	size_t len = get_request(req, sizeof(req), 1);

	req[4] = 9;	/* sadb_msg_len no longer matches */
	ck_assert_int_eq(pfkey_send(&sock, req, len), PFKEY_ELEN);
	ck_assert_int_eq(pfkey_request(&sock, req, len, req, sizeof(req),
				       NULL, 100, NULL, NULL), PFKEY_ELEN);
	kernel_reads_nothing();
	req[4] = (uint8_t)(len / 8);
	ck_assert_int_eq(pfkey_send(&sock, req, len), 0);
	kernel_reads(SADB_GET, 1);
}
END_TEST

START_TEST(test_recv)
{
	uint8_t buf[64], small[16];
	struct pfkey_msg m;
	size_t len = 0;

	ck_assert_int_eq(pfkey_recv(&sock, buf, sizeof(buf), &len, 0, &m),
			 -EAGAIN);
	kernel_says(SADB_EXPIRE, 0, 0, 0, 0x5);
	ck_assert_int_eq(pfkey_recv(&sock, small, sizeof(small), &len, 0, &m),
			 PFKEY_ETRUNC);
	/* Consumed: the next one is independent. */
	buf[0] = 9;
	kernel_raw(buf, 16);
	ck_assert_int_eq(pfkey_recv(&sock, buf, sizeof(buf), &len, 0, &m),
			 PFKEY_EVERSION);
	kernel_says(SADB_ACQUIRE, 3, 0, 0, 0);
	ck_assert_int_eq(pfkey_recv(&sock, buf, sizeof(buf), &len, 0, NULL),
			 0);
	ck_assert_uint_eq(len, 16);
	ck_assert_uint_eq(buf[1], SADB_ACQUIRE);
}
END_TEST

struct collect {
	int n;
	uint32_t spis[8];
	int stop_after;
};

static int collect_entry(const struct pfkey_msg *m, void *arg)
{
	struct collect *c = arg;
	struct pfkey_sa sa;

	ck_assert_int_eq(pfkey_get_sa(m, &sa), 0);
	if (c->n < 8)
		c->spis[c->n] = sa.spi;
	c->n++;
	if (c->stop_after && c->n == c->stop_after)
		return -42;
	return 0;
}

START_TEST(test_dump_reassembles)
{
	struct collect c = { 0, { 0 }, 0 };
	struct seen other = { 0, { 0 } };
	uint8_t buf[64];
	size_t len;

	/* Entries count down to 0 with our pid; a broadcast in between. */
	kernel_says(SADB_DUMP, 2, PID, 0, 0x100);
	kernel_says(SADB_ACQUIRE, 9, 0, 0, 0);
	kernel_says(SADB_DUMP, 1, PID, 0, 0x101);
	kernel_says(SADB_DUMP, 0, PID, 0, 0x102);
	kernel_says(SADB_EXPIRE, 0, 0, 0, 0x7);
	ck_assert_int_eq(pfkey_dump(&sock, SADB_DUMP, 3, collect_entry, &c,
				    1000, record_other, &other), 3);
	kernel_reads(SADB_DUMP, 1);
	ck_assert_int_eq(c.n, 3);
	ck_assert_uint_eq(c.spis[0], 0x100);
	ck_assert_uint_eq(c.spis[2], 0x102);
	ck_assert_int_eq(other.count, 1);
	ck_assert_int_eq(pfkey_recv(&sock, buf, sizeof(buf), &len, 0, NULL),
			 0);
	ck_assert_uint_eq(buf[1], SADB_EXPIRE);
}
END_TEST

START_TEST(test_dump_empty_stop_error)
{
	struct collect c = { 0, { 0 }, 0 };
	uint8_t buf[64];
	size_t len;

	/* An empty database: the kernel answers ENOENT. */
	kernel_says(SADB_X_SPDDUMP, 1, PID, ENOENT, 0);
	ck_assert_int_eq(pfkey_dump(&sock, SADB_X_SPDDUMP, 0, collect_entry,
				    &c, 1000, NULL, NULL), 0);
	ck_assert_int_eq(c.n, 0);
	/* The callback stops after the first entry; the rest is drained. */
	c.stop_after = 1;
	kernel_says(SADB_DUMP, 2, PID, 0, 0x1);
	kernel_says(SADB_DUMP, 1, PID, 0, 0x2);
	kernel_says(SADB_DUMP, 0, PID, 0, 0x3);
	ck_assert_int_eq(pfkey_dump(&sock, SADB_DUMP, 3, collect_entry, &c,
				    1000, NULL, NULL), -42);
	ck_assert_int_eq(c.n, 1);
	ck_assert_int_eq(pfkey_recv(&sock, buf, sizeof(buf), &len, 0, NULL),
			 -EAGAIN);
	/* Another error. */
	kernel_says(SADB_DUMP, 3, PID, EBUSY, 0);
	ck_assert_int_eq(pfkey_dump(&sock, SADB_DUMP, 3, collect_entry, &c,
				    1000, NULL, NULL), -EBUSY);
	/* A dump that stops half-way times out. */
	kernel_says(SADB_DUMP, 5, PID, 0, 0x9);
	ck_assert_int_eq(pfkey_dump(&sock, SADB_DUMP, 3, collect_entry, &c,
				    50, NULL, NULL), PFKEY_ETIMEDOUT);
	ck_assert_int_eq(pfkey_dump(&sock, SADB_GET, 3, collect_entry, &c,
				    50, NULL, NULL), PFKEY_EINVAL);
}
END_TEST

/* A caller-built dump request (with a filter) is sent as it is, and its
 * own seq and pid are matched. */
START_TEST(test_dump_request)
{
	struct collect c = { 0, { 0 }, 0 };
	struct pfkey_filter f = { AF_INET, 8, 8, { 10 }, { 10 } };
	struct pfkey_builder b;
	struct pfkey_msg m;
	uint8_t req[128], got[128];
	size_t len;
	ssize_t n;

	ck_assert_int_eq(pfkey_build_init(&b, req, sizeof(req), SADB_DUMP, 3,
					  77, PID), 0);
	ck_assert_int_eq(pfkey_add_filter(&b, &f), 0);
	ck_assert_int_eq(pfkey_build_finish(&b, &len), 0);
	kernel_says(SADB_DUMP, 0, PID + 1, 0, 0x5);	/* someone else's */
	kernel_says(SADB_DUMP, 0, PID, 0, 0x6);
	ck_assert_int_eq(pfkey_dump_request(&sock, req, len, collect_entry, &c,
					    1000, NULL, NULL), 1);
	ck_assert_uint_eq(c.spis[0], 0x6);
	n = recv(kernel_end, got, sizeof(got), MSG_DONTWAIT);
	ck_assert_int_eq(n, (ssize_t)len);
	ck_assert_mem_eq(got, req, len);
	ck_assert_int_eq(pfkey_parse(got, (size_t)n, 0, &m), 0);
	ck_assert_int_eq(pfkey_msg_has(&m, SADB_X_EXT_FILTER), 1);
	/* Only dump requests. */
	req[1] = SADB_GET;
	ck_assert_int_eq(pfkey_dump_request(&sock, req, len, collect_entry, &c,
					    1000, NULL, NULL), PFKEY_EINVAL);
	kernel_reads_nothing();
}
END_TEST

START_TEST(test_register)
{
	uint8_t buf[128];
	struct pfkey_builder b;
	struct pfkey_alg auth[2] = { { 3, 0, 160, 160 }, { 5, 0, 256, 256 } };
	struct pfkey_alg enc[1] = { { 12, 16, 128, 256 } };
	struct pfkey_supported sup;
	size_t len;

	/* The seq pfkey_register will use is the next one. */
	ck_assert_int_eq(pfkey_build_init(&b, buf, sizeof(buf), SADB_REGISTER,
					  3, sock.seq + 1, PID), 0);
	pfkey_add_supported(&b, SADB_EXT_SUPPORTED_AUTH, auth, 2);
	pfkey_add_supported(&b, SADB_EXT_SUPPORTED_ENCRYPT, enc, 1);
	ck_assert_int_eq(pfkey_build_finish(&b, &len), 0);
	kernel_raw(buf, len);
	ck_assert_int_eq(pfkey_register(&sock, SADB_SATYPE_ESP, &sup, 1000),
			 0);
	kernel_reads(SADB_REGISTER, 1);
	ck_assert_uint_eq(sup.nauth, 2);
	ck_assert_uint_eq(sup.auth[1].id, 5);
	ck_assert_uint_eq(sup.nencrypt, 1);
	ck_assert_uint_eq(sup.encrypt[0].maxbits, 256);
	/* The kernel refuses. */
	kernel_says(SADB_REGISTER, 2, PID, EEXIST, 0);
	ck_assert_int_eq(pfkey_register(&sock, SADB_SATYPE_ESP, NULL, 1000),
			 -EEXIST);
}
END_TEST

START_TEST(test_open_and_seq)
{
	struct pfkey_sock s = { -1, 0, 0 };
	int err = pfkey_open(&s);

	/* The build host may lack af_key (or the right to use it). */
	if (err == 0) {
		ck_assert_int_ge(s.fd, 0);
		ck_assert_uint_eq(s.pid, (uint32_t)getpid());
		pfkey_close(&s);
		ck_assert_int_eq(s.fd, -1);
	} else {
		ck_assert(err == -EAFNOSUPPORT || err == -EPERM ||
			  err == -EACCES || err == -EPROTONOSUPPORT);
	}
	pfkey_close(&s);	/* harmless twice */
	/* Sequence numbers skip 0 when they wrap. */
	s.seq = UINT32_MAX;
	ck_assert_uint_eq(pfkey_next_seq(&s), 1);
	ck_assert_int_eq(pfkey_open(NULL), PFKEY_EINVAL);
}
END_TEST

static Suite *pfkey_sock_suite(void)
{
	Suite *s = suite_create("pfkey_sock");
	TCase *tc = tcase_create("sock");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_request_matches_seq_and_pid);
	tcase_add_test(tc, test_request_errno);
	tcase_add_test(tc, test_request_timeout);
	tcase_add_test(tc, test_request_small_buffer_and_bad_reply);
	tcase_add_test(tc, test_send_refuses_malformed);
	tcase_add_test(tc, test_recv);
	tcase_add_test(tc, test_dump_reassembles);
	tcase_add_test(tc, test_dump_empty_stop_error);
	tcase_add_test(tc, test_dump_request);
	tcase_add_test(tc, test_register);
	tcase_add_test(tc, test_open_and_seq);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pfkey_sock_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/*
 * test_msrd.c - the MSRD: record validation and codec (every bad field
 * refused, out untouched), the store (ownership, sequence numbers,
 * bindings, lookups, expiry, a full database), and the persistence file
 * (round trip, torn, corrupt, trailing bytes, wrong magic: refused with
 * a message, nothing loaded).
 */
#include <arpa/inet.h>
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hip/ctl.h"
#include "hip/error.h"
#include "hip/msrd.h"
#include "hipd/kernel.h"
#include "hipd/msrd.h"
#include "hipd/msrd_persist.h"
#include "hipd/msrd_store.h"
#include "pfkey/pfkey.h"

static void addr(struct in6_addr *a, const char *s)
{
	ck_assert_int_eq(inet_pton(AF_INET6, s, a), 1);
}

static void hit(uint8_t *h, const char *s)
{
	ck_assert_int_eq(inet_pton(AF_INET6, s, h), 1);
}

/* A record with every field in use. */
static void full_record(struct hip_msrd_record *r, uint64_t mpi)
{
	memset(r, 0, sizeof(*r));
	r->mpi = mpi;
	r->owner = 1000;
	r->seq = 7;
	r->expires = 1900000000;
	r->lifetime = 600;
	r->flags = HIP_MSRD_F_PERSIST | HIP_MSRD_F_PEER;
	r->n_home = 2;
	addr(&r->home[0], "2001:db8:1::1");
	addr(&r->home[1], "::ffff:192.0.2.1");
	r->n_coa = 2;
	addr(&r->coa[0].addr, "2001:db8:2::5");
	r->coa[0].pref = 1;
	addr(&r->coa[1].addr, "::ffff:198.51.100.7");
	r->coa[1].pref = 9;
	addr(&r->peer, "2001:db8:ff::1");
	r->n_bind = 2;
	r->bind[0].flags = HIP_MSRD_B_HITS | HIP_MSRD_B_REQID;
	hit(r->bind[0].local_hit, "2001:20::1");
	hit(r->bind[0].peer_hit, "2001:2f::2");
	r->bind[0].reqid = 0x40001;
	r->bind[1].flags = HIP_MSRD_B_POLICY;
	r->bind[1].policy_index = 3321;
}

/* Encode r in a message and return the record attribute. */
static void encode(const struct hip_msrd_record *r, uint8_t *buf, size_t cap,
		   struct hip_ctl_attr *out)
{
	struct hip_ctl_msg m;
	struct hip_ctl_hdr hdr;
	struct hip_ctl_iter it;

	ck_assert_int_eq(hip_ctl_msg_init(&m, buf, cap, HIP_CTL_REPLY, 0, 1),
			 0);
	ck_assert_int_eq(hip_msrd_record_put(&m, r), 0);
	ck_assert_int_eq(hip_ctl_parse(buf + 4, m.len - 4, &hdr, &it), 0);
	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_MSRD_RECORD, out), 0);
}

START_TEST(test_roundtrip)
{
	struct hip_msrd_record r, back;
	struct hip_ctl_attr a;
	uint8_t buf[4096];

	full_record(&r, 0x0123456789abcdefULL);
	encode(&r, buf, sizeof(buf), &a);
	ck_assert_int_eq(hip_msrd_record_read(&a, &back), 0);
	ck_assert_mem_eq(&r, &back, sizeof(r));
}
END_TEST

/* Each case breaks one field of a valid record. */
static void breaker(int i, struct hip_msrd_record *r)
{
	switch (i) {
	case 0: r->mpi = 0; break;
	case 1: r->n_home = HIP_MSRD_MAX_HOME + 1; break;
	case 2: r->n_coa = HIP_MSRD_MAX_COA + 1; break;
	case 3: r->n_bind = HIP_MSRD_MAX_BIND + 1; break;
	case 4: memset(&r->home[0], 0, 16); break;		/* :: */
	case 5: addr(&r->coa[1].addr, "ff02::1"); break;	/* multicast */
	case 6: r->home[1] = r->home[0]; break;		/* repeated */
	case 7: r->coa[1].addr = r->coa[0].addr; break;
	case 8: memset(&r->peer, 0, 16); break;		/* flag, no peer */
	case 9: r->flags &= ~(uint32_t)HIP_MSRD_F_PEER; break; /* peer, no flag */
	case 10: r->flags |= 0x80; break;
	case 11: r->lifetime = HIP_MSRD_LIFETIME_MAX + 1; break;
	case 12: r->bind[0].flags = 0; break;
	case 13: r->bind[0].flags |= 0x100; break;
	case 14: hit(r->bind[0].local_hit, "2001:db8::1"); break; /* no HIT */
	case 15: r->bind[1].policy_index = 0; break;
	case 16: r->bind[0].reqid = 0; break;
	}
}
#define N_BREAKERS 17

START_TEST(test_check_rejects)
{
	struct hip_msrd_record r;
	struct hip_ctl_msg m;
	uint8_t buf[4096];

	full_record(&r, 42);
	ck_assert_int_eq(hip_msrd_record_check(&r), 0);
	breaker(_i, &r);
	ck_assert_int_eq(hip_msrd_record_check(&r), HIP_EINVAL);
	/* the encoder refuses it too and writes nothing */
	hip_ctl_msg_init(&m, buf, sizeof(buf), HIP_CTL_REPLY, 0, 1);
	ck_assert_int_eq(hip_msrd_record_put(&m, &r), HIP_EINVAL);
	ck_assert_uint_eq(m.len, HIP_CTL_LEN_PREFIX + HIP_CTL_HDR_LEN);
}
END_TEST

/* Hand-built records that the decoder must refuse. */
static int decode_raw(int i, struct hip_msrd_record *out)
{
	struct hip_ctl_msg m;
	struct hip_ctl_hdr hdr;
	struct hip_ctl_iter it;
	struct hip_ctl_attr a;
	struct in6_addr x;
	uint8_t buf[4096];

	addr(&x, "2001:db8::9");
	hip_ctl_msg_init(&m, buf, sizeof(buf), HIP_CTL_REPLY, 0, 1);
	hip_ctl_nest_begin(&m, HIP_CTL_A_MSRD_RECORD);
	switch (i) {
	case 0:	/* MPI of the wrong size */
		hip_ctl_put_u32(&m, HIP_CTL_A_MSRD_MPI, 5);
		break;
	case 1:	/* MPI twice */
		hip_ctl_put_u64(&m, HIP_CTL_A_MSRD_MPI, 5);
		hip_ctl_put_u64(&m, HIP_CTL_A_MSRD_MPI, 6);
		break;
	case 2:	/* no MPI */
		hip_ctl_put_in6(&m, HIP_CTL_A_MSRD_HOME, &x);
		break;
	case 3:	/* more home addresses than the bound */
		hip_ctl_put_u64(&m, HIP_CTL_A_MSRD_MPI, 5);
		for (int k = 0; k <= HIP_MSRD_MAX_HOME; k++) {
			x.s6_addr[15] = (uint8_t)(k + 1);
			hip_ctl_put_in6(&m, HIP_CTL_A_MSRD_HOME, &x);
		}
		break;
	case 4:	/* a care-of nest without an address */
		hip_ctl_put_u64(&m, HIP_CTL_A_MSRD_MPI, 5);
		hip_ctl_nest_begin(&m, HIP_CTL_A_MSRD_COA);
		hip_ctl_put_u8(&m, HIP_CTL_A_MSRD_PREF, 1);
		hip_ctl_nest_end(&m);
		break;
	case 5:	/* a binding whose flags name HITs it lacks */
		hip_ctl_put_u64(&m, HIP_CTL_A_MSRD_MPI, 5);
		hip_ctl_nest_begin(&m, HIP_CTL_A_MSRD_BIND);
		hip_ctl_put_u32(&m, HIP_CTL_A_FLAGS, HIP_MSRD_B_HITS);
		hip_ctl_nest_end(&m);
		break;
	case 6:	/* a binding with a reqid its flags do not name */
		hip_ctl_put_u64(&m, HIP_CTL_A_MSRD_MPI, 5);
		hip_ctl_nest_begin(&m, HIP_CTL_A_MSRD_BIND);
		hip_ctl_put_u32(&m, HIP_CTL_A_FLAGS, HIP_MSRD_B_POLICY);
		hip_ctl_put_u32(&m, HIP_CTL_A_MSRD_POLICY, 4);
		hip_ctl_put_u32(&m, HIP_CTL_A_MSRD_REQID, 4);
		hip_ctl_nest_end(&m);
		break;
	case 7:	/* a peer address without the flag */
		hip_ctl_put_u64(&m, HIP_CTL_A_MSRD_MPI, 5);
		hip_ctl_put_in6(&m, HIP_CTL_A_PEER_LOCATOR, &x);
		break;
	case 8:	/* the flag without a peer address */
		hip_ctl_put_u64(&m, HIP_CTL_A_MSRD_MPI, 5);
		hip_ctl_put_u32(&m, HIP_CTL_A_FLAGS, HIP_MSRD_F_PEER);
		break;
	case 9:	/* a preference of the wrong size */
		hip_ctl_put_u64(&m, HIP_CTL_A_MSRD_MPI, 5);
		hip_ctl_nest_begin(&m, HIP_CTL_A_MSRD_COA);
		hip_ctl_put_in6(&m, HIP_CTL_A_LOCATOR, &x);
		hip_ctl_put_u16(&m, HIP_CTL_A_MSRD_PREF, 1);
		hip_ctl_nest_end(&m);
		break;
	}
	hip_ctl_nest_end(&m);
	ck_assert_int_eq(hip_ctl_parse(buf + 4, m.len - 4, &hdr, &it), 0);
	ck_assert_int_eq(hip_ctl_find(&it, HIP_CTL_A_MSRD_RECORD, &a), 0);
	return hip_msrd_record_read(&a, out);
}
#define N_RAW 10

START_TEST(test_decode_rejects)
{
	static const int want[N_RAW] = {
		HIP_ELEN, HIP_EDUP, HIP_EMISSING, HIP_ENOSPC, HIP_EMISSING,
		HIP_EINVAL, HIP_EINVAL, HIP_EINVAL, HIP_EINVAL, HIP_ELEN,
	};
	struct hip_msrd_record out, before;

	memset(&out, 0xa5, sizeof(out));
	before = out;
	ck_assert_int_eq(decode_raw(_i, &out), want[_i]);
	ck_assert_mem_eq(&out, &before, sizeof(out));
}
END_TEST

/* Every single-bit flip of an encoded record either fails or decodes
 * to a record that validates. */
START_TEST(test_decode_bitflips)
{
	struct hip_msrd_record r, back;
	struct hip_ctl_msg m;
	struct hip_ctl_hdr hdr;
	struct hip_ctl_iter it;
	struct hip_ctl_attr a;
	uint8_t buf[4096], copy[4096];
	size_t len;
	unsigned accepted = 0;

	full_record(&r, 99);
	hip_ctl_msg_init(&m, buf, sizeof(buf), HIP_CTL_REPLY, 0, 1);
	ck_assert_int_eq(hip_msrd_record_put(&m, &r), 0);
	len = m.len - 4;
	for (size_t bit = 0; bit < len * 8; bit++) {
		memcpy(copy, buf + 4, len);
		copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		if (hip_ctl_parse(copy, len, &hdr, &it) < 0 ||
		    hip_ctl_find(&it, HIP_CTL_A_MSRD_RECORD, &a) < 0 ||
		    hip_msrd_record_read(&a, &back) < 0)
			continue;
		ck_assert_int_eq(hip_msrd_record_check(&back), 0);
		accepted++;
	}
	/* flips in values (addresses, seq) are legitimately accepted */
	ck_assert_uint_gt(accepted, 0);
	ck_assert_uint_lt(accepted, len * 8);
}
END_TEST

START_TEST(test_sort)
{
	struct hip_msrd_record r;

	memset(&r, 0, sizeof(r));
	r.n_coa = 4;
	for (int i = 0; i < 4; i++)
		r.coa[i].addr.s6_addr[15] = (uint8_t)i;
	r.coa[0].pref = 5;
	r.coa[1].pref = 1;
	r.coa[2].pref = 5;
	r.coa[3].pref = 0;
	hip_msrd_record_sort(&r);
	ck_assert_uint_eq(r.coa[0].addr.s6_addr[15], 3);
	ck_assert_uint_eq(r.coa[1].addr.s6_addr[15], 1);
	ck_assert_uint_eq(r.coa[2].addr.s6_addr[15], 0);	/* stable */
	ck_assert_uint_eq(r.coa[3].addr.s6_addr[15], 2);
}
END_TEST

/* ---- store ------------------------------------------------------------ */

static struct hipd_msrd_store store, snap;

static void simple(struct hip_msrd_record *r, uint64_t mpi, const char *coa)
{
	memset(r, 0, sizeof(*r));
	r->mpi = mpi;
	if (coa != NULL) {
		r->n_coa = 1;
		addr(&r->coa[0].addr, coa);
	}
}

START_TEST(test_store_ownership)
{
	struct hip_msrd_record in, out;
	bool moved;

	hipd_msrd_store_init(&store);
	simple(&in, 10, "2001:db8::10");
	in.owner = 4242;	/* ignored: the store sets the owner */
	ck_assert_int_eq(hipd_msrd_store_put(&store, 1000, 100, &in, &out,
					     &moved), 0);
	ck_assert_uint_eq(out.owner, 1000);
	ck_assert_uint_eq(out.seq, 1);
	ck_assert(moved);
	/* another user may not change or delete it, nor bind it */
	snap = store;
	simple(&in, 10, "2001:db8::11");
	ck_assert_int_eq(hipd_msrd_store_put(&store, 1001, 100, &in, &out,
					     &moved), HIP_EPERM);
	ck_assert_int_eq(hipd_msrd_store_del(&store, 1001, 10, NULL),
			 HIP_EPERM);
	ck_assert_int_eq(hipd_msrd_store_bind(&store, 1001, 10, NULL, 0,
					      NULL), HIP_EPERM);
	ck_assert_mem_eq(&store, &snap, sizeof(store));
	/* the owner may; the owner stays; seq grows */
	ck_assert_int_eq(hipd_msrd_store_put(&store, 1000, 101, &in, &out,
					     &moved), 0);
	ck_assert_uint_eq(out.seq, 2);
	ck_assert(moved);
	ck_assert_int_eq(hipd_msrd_store_put(&store, 1000, 102, &in, &out,
					     &moved), 0);
	ck_assert_uint_eq(out.seq, 3);
	ck_assert(!moved);	/* same care-of address */
	/* root may change anyone's record, and it stays the owner's */
	simple(&in, 10, "2001:db8::12");
	ck_assert_int_eq(hipd_msrd_store_put(&store, 0, 103, &in, &out,
					     &moved), 0);
	ck_assert_uint_eq(out.owner, 1000);
	ck_assert_int_eq(hipd_msrd_store_del(&store, 0, 10, &out), 0);
	ck_assert_uint_eq(out.seq, 4);
	ck_assert_uint_eq(store.n, 0);
	ck_assert_int_eq(hipd_msrd_store_del(&store, 0, 10, NULL), HIP_ENOENT);
	ck_assert_int_eq(hipd_msrd_store_get(&store, 10, &out), HIP_ENOENT);
}
END_TEST

START_TEST(test_may_change)
{
	struct hip_msrd_record r;

	memset(&r, 0, sizeof(r));
	r.owner = 1000;
	ck_assert(hipd_msrd_may_change(0, &r));
	ck_assert(hipd_msrd_may_change(1000, &r));
	ck_assert(!hipd_msrd_may_change(1001, &r));
	ck_assert(!hipd_msrd_may_change(65534, &r));
	r.owner = 0;
	ck_assert(!hipd_msrd_may_change(1000, &r));
}
END_TEST

START_TEST(test_store_bind_lookup)
{
	struct hip_msrd_record in, out;
	struct hip_msrd_binding b[2];
	uint8_t l[16], p[16], other[16];
	bool moved;

	hipd_msrd_store_init(&store);
	simple(&in, 30, NULL);
	ck_assert_int_eq(hipd_msrd_store_put(&store, 0, 1, &in, NULL, &moved),
			 0);
	simple(&in, 20, "2001:db8::20");
	ck_assert_int_eq(hipd_msrd_store_put(&store, 0, 1, &in, NULL, &moved),
			 0);
	ck_assert_uint_eq(store.rec[0].mpi, 20);	/* sorted by MPI */
	memset(b, 0, sizeof(b));
	hit(l, "2001:20::1");
	hit(p, "2001:20::2");
	hit(other, "2001:20::3");
	b[0].flags = HIP_MSRD_B_HITS;
	memcpy(b[0].local_hit, l, 16);
	memcpy(b[0].peer_hit, p, 16);
	b[1].flags = HIP_MSRD_B_POLICY | HIP_MSRD_B_REQID;
	b[1].policy_index = 77;
	b[1].reqid = 88;
	ck_assert_int_eq(hipd_msrd_store_bind(&store, 0, 30, b, 2, &out), 0);
	ck_assert_uint_eq(out.n_bind, 2);
	ck_assert_uint_eq(out.seq, 3);
	ck_assert_ptr_eq(hipd_msrd_store_lookup(&store, l, p, 0, 0),
			 &store.rec[1]);
	ck_assert_ptr_null(hipd_msrd_store_lookup(&store, l, other, 0, 0));
	ck_assert_ptr_null(hipd_msrd_store_lookup(&store, NULL, NULL, 0, 0));
	ck_assert_ptr_eq(hipd_msrd_store_lookup(&store, other, other, 77, 0),
			 &store.rec[1]);
	ck_assert_ptr_eq(hipd_msrd_store_lookup(&store, NULL, NULL, 0, 88),
			 &store.rec[1]);
	ck_assert_ptr_null(hipd_msrd_store_lookup(&store, NULL, NULL, 78, 89));
	/* a put keeps the bindings */
	simple(&in, 30, "2001:db8::30");
	ck_assert_int_eq(hipd_msrd_store_put(&store, 0, 2, &in, &out, &moved),
			 0);
	ck_assert_uint_eq(out.n_bind, 2);
	/* an invalid binding changes nothing */
	snap = store;
	b[0].peer_hit[1] = 0x02;	/* 2002:: is no HIT */
	ck_assert_int_eq(hipd_msrd_store_bind(&store, 0, 30, b, 2, NULL),
			 HIP_EINVAL);
	ck_assert_mem_eq(&store, &snap, sizeof(store));
	/* unbind */
	ck_assert_int_eq(hipd_msrd_store_bind(&store, 0, 30, NULL, 0, &out),
			 0);
	ck_assert_uint_eq(out.n_bind, 0);
	ck_assert_ptr_null(hipd_msrd_store_lookup(&store, l, p, 77, 88));
}
END_TEST

static unsigned n_gone;
static uint64_t gone_mpi;

static void gone(const struct hip_msrd_record *r, void *arg)
{
	(void)arg;
	n_gone++;
	gone_mpi = r->mpi;
}

START_TEST(test_store_expire_full)
{
	struct hip_msrd_record in;
	bool moved;

	hipd_msrd_store_init(&store);
	simple(&in, 1, NULL);
	in.lifetime = 60;
	ck_assert_int_eq(hipd_msrd_store_put(&store, 0, 1000, &in, NULL,
					     &moved), 0);
	simple(&in, 2, NULL);
	in.lifetime = 30;
	ck_assert_int_eq(hipd_msrd_store_put(&store, 0, 1000, &in, NULL,
					     &moved), 0);
	simple(&in, 3, NULL);	/* never expires */
	ck_assert_int_eq(hipd_msrd_store_put(&store, 0, 1000, &in, NULL,
					     &moved), 0);
	ck_assert_uint_eq(hipd_msrd_store_next_expiry(&store), 1030);
	n_gone = 0;
	ck_assert_uint_eq(hipd_msrd_store_expire(&store, 1029, gone, NULL), 0);
	ck_assert_uint_eq(hipd_msrd_store_expire(&store, 1030, gone, NULL), 1);
	ck_assert_uint_eq(gone_mpi, 2);
	ck_assert_uint_eq(hipd_msrd_store_expire(&store, 5000, gone, NULL), 1);
	ck_assert_uint_eq(gone_mpi, 1);
	ck_assert_uint_eq(n_gone, 2);
	ck_assert_uint_eq(store.n, 1);
	ck_assert_uint_eq(hipd_msrd_store_next_expiry(&store), 0);
	/* fill it up: the next new record is refused, updates are not */
	for (uint64_t mpi = 100; store.n < HIP_MSRD_MAX_RECORDS; mpi++) {
		simple(&in, mpi, NULL);
		ck_assert_int_eq(hipd_msrd_store_put(&store, 0, 1, &in, NULL,
						     &moved), 0);
	}
	snap = store;
	simple(&in, 99999, NULL);
	ck_assert_int_eq(hipd_msrd_store_put(&store, 0, 1, &in, NULL, &moved),
			 HIP_ENOSPC);
	ck_assert_mem_eq(&store, &snap, sizeof(store));
	simple(&in, 100, "2001:db8::1");
	ck_assert_int_eq(hipd_msrd_store_put(&store, 0, 1, &in, NULL, &moved),
			 0);
}
END_TEST

/* ---- persistence ------------------------------------------------------ */

static char dir[64], file[128];

static void setup(void)
{
	strcpy(dir, "/tmp/test_msrd.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/msrd", dir);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Two persistent records (one with every field) and one volatile. */
static void fill_store(void)
{
	struct hip_msrd_record r;

	hipd_msrd_store_init(&store);
	full_record(&r, 5);
	r.expires = 0;
	ck_assert_int_eq(hipd_msrd_store_insert(&store, &r), 0);
	simple(&r, 6, "2001:db8::6");
	r.seq = 12;
	r.owner = 33;
	r.flags = HIP_MSRD_F_PERSIST;
	r.expires = 5000;
	ck_assert_int_eq(hipd_msrd_store_insert(&store, &r), 0);
	simple(&r, 7, NULL);
	r.seq = 13;
	ck_assert_int_eq(hipd_msrd_store_insert(&store, &r), 0);
}

START_TEST(test_persist_roundtrip)
{
	static struct hipd_msrd_store back;
	struct stat st;
	char err[256];

	fill_store();
	ck_assert_int_eq(hipd_msrd_persist_save(&store, file), 0);
	ck_assert_int_eq(stat(file, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(hipd_msrd_persist_load(file, 1000, &back, err,
						sizeof(err)), 0);
	ck_assert_uint_eq(back.n, 2);	/* the volatile one is not kept */
	ck_assert_mem_eq(&back.rec[0], &store.rec[0], sizeof(back.rec[0]));
	ck_assert_mem_eq(&back.rec[1], &store.rec[1], sizeof(back.rec[1]));
	/* the latest change (of the volatile record) */
	ck_assert_uint_eq(back.last_seq, 13);
	/* loaded after record 6 ran out: only record 5 */
	ck_assert_int_eq(hipd_msrd_persist_load(file, 5000, &back, err,
						sizeof(err)), 0);
	ck_assert_uint_eq(back.n, 1);
	ck_assert_uint_eq(back.rec[0].mpi, 5);
	/* no file: an empty database */
	unlink(file);
	memset(&back, 0xff, sizeof(back));
	ck_assert_int_eq(hipd_msrd_persist_load(file, 1000, &back, err,
						sizeof(err)), 0);
	ck_assert_uint_eq(back.n, 0);
}
END_TEST

static void write_bytes(const uint8_t *p, size_t len)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, p, len), (ssize_t)len);
	close(fd);
}

/* Each damaged file is refused with a message naming the damage, and the
 * output store is untouched. */
START_TEST(test_persist_damaged)
{
	static uint8_t buf[HIPD_MSRD_FILE_MAX + 8];
	static struct hipd_msrd_store back, before;
	static const char *const why[] = {
		"cut short", "cut short", "cut short", "corrupt", "corrupt",
		"stray", "bad magic",
	};
	char err[512] = "";
	size_t len, cut;
	int r;

	fill_store();
	ck_assert_int_eq(hipd_msrd_persist_encode(&store, buf, sizeof(buf),
						  &len), 0);
	switch (_i) {
	case 0: cut = len - 1; break;		/* torn at the end */
	case 1: cut = len / 2; break;		/* torn in the middle */
	case 2: cut = 41; break;		/* torn in the frame length */
	case 3: buf[len - 3] ^= 0x10; cut = len; break;	/* a record byte */
	case 4: buf[12] ^= 0x01; cut = len; break;	/* the digest */
	case 5: buf[len] = 0; cut = len + 1; break;	/* trailing byte */
	default: buf[0] = 'X'; cut = len; break;	/* magic */
	}
	write_bytes(buf, cut);
	memset(&back, 0x5a, sizeof(back));
	before = back;
	r = hipd_msrd_persist_load(file, 1000, &back, err, sizeof(err));
	ck_assert_int_lt(r, 0);
	ck_assert_msg(strstr(err, why[_i]) != NULL, "case %d: '%s'", _i, err);
	ck_assert_msg(strstr(err, file) != NULL, "no file name: '%s'", err);
	ck_assert_mem_eq(&back, &before, sizeof(back));
}
END_TEST

/* A file whose digest is right but whose record is invalid (written by a
 * bug or by hand) is refused as a whole too. */
START_TEST(test_persist_bad_record)
{
	static uint8_t buf[HIPD_MSRD_FILE_MAX];
	static struct hipd_msrd_store back;
	struct hip_msrd_record r;
	char err[256];
	size_t len;

	hipd_msrd_store_init(&store);
	simple(&r, 8, NULL);
	r.seq = 1;
	r.flags = HIP_MSRD_F_PERSIST;
	ck_assert_int_eq(hipd_msrd_store_insert(&store, &r), 0);
	simple(&r, 9, NULL);
	r.seq = 2;
	r.flags = HIP_MSRD_F_PERSIST;
	ck_assert_int_eq(hipd_msrd_store_insert(&store, &r), 0);
	store.rec[1].mpi = 8;	/* duplicate MPI */
	ck_assert_int_eq(hipd_msrd_persist_encode(&store, buf, sizeof(buf),
						  &len), 0);
	ck_assert_int_eq(hipd_msrd_persist_decode(buf, len, 0, &back, err,
						  sizeof(err)), HIP_EFORMAT);
	ck_assert_ptr_nonnull(strstr(err, "record 2"));
}
END_TEST

/* ---- extended ACQUIRE -------------------------------------------------- */

static void acquire_event(struct hip_kernel_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = HIP_KEV_ACQUIRE;
	ev->u.acquire.inner.family = AF_INET6;
	hit(ev->u.acquire.inner.src.b, "2001:20::1");
	hit(ev->u.acquire.inner.dst.b, "2001:2f::2");
	ev->u.acquire.inner.src_plen = ev->u.acquire.inner.dst_plen = 128;
	ev->u.acquire.outer.family = AF_UNSPEC;
	ev->u.acquire.reqid = 0x48490007;
	ev->u.acquire.policy_index = 1234;
	ev->u.acquire.policy_dir = HIP_KERNEL_DIR_OUT;
	ev->u.acquire.seq = 99;
}

static void expect_addr(const struct pfkey_msg *m, uint16_t type,
			const char *want)
{
	struct pfkey_address a;
	char buf[INET6_ADDRSTRLEN];
	const void *p;

	ck_assert_int_eq(pfkey_get_address(m, type, &a), 0);
	p = a.addr.sa.sa_family == AF_INET ? (const void *)&a.addr.sin.sin_addr :
	    (const void *)&a.addr.sin6.sin6_addr;
	ck_assert_ptr_nonnull(inet_ntop(a.addr.sa.sa_family, p, buf,
					sizeof(buf)));
	ck_assert_str_eq(buf, want);
}

/* The message parses with libpfkey (strictly), names the record in
 * SADB_X_REF and carries the kernel's policy and an ESP proposal; its
 * addresses are the best locators known. */
START_TEST(test_acquire_message)
{
	struct hip_kernel_event ev;
	struct hip_msrd_record r;
	struct pfkey_msg m;
	struct pfkey_ref ref;
	struct pfkey_policy pol;
	struct pfkey_ipsecrequest rq;
	struct pfkey_comb comb;
	uint8_t buf[HIP_MSRD_PFKEY_MAX], replay;
	size_t len, n;

	acquire_event(&ev);
	full_record(&r, 0xfedcba9876543210ULL);
	switch (_i) {
	case 0:	/* template without locators: care-of -> peer */
		break;
	case 1:	/* the kernel's template locators win */
		ev.u.acquire.outer.family = AF_INET;
		inet_pton(AF_INET, "192.0.2.1", ev.u.acquire.outer.src.b);
		inet_pton(AF_INET, "192.0.2.2", ev.u.acquire.outer.dst.b);
		break;
	case 2:	/* care-of IPv4, peer IPv6: the HITs */
		r.coa[0] = r.coa[1];
		r.n_coa = 1;
		break;
	default:	/* no peer: the HITs */
		r.flags &= ~(uint32_t)HIP_MSRD_F_PEER;
		memset(&r.peer, 0, sizeof(r.peer));
		break;
	}
	ck_assert_int_eq(hipd_msrd_build_acquire(&ev, &r, buf, sizeof(buf),
						 &len), 0);
	ck_assert_int_eq(pfkey_parse(buf, len, PFKEY_PARSE_STRICT, &m), 0);
	ck_assert_uint_eq(m.type, SADB_ACQUIRE);
	ck_assert_uint_eq(m.satype, SADB_SATYPE_ESP);
	ck_assert_uint_eq(m.seq, 99);
	ck_assert_int_eq(pfkey_get_ref(&m, &ref), 0);
	ck_assert_uint_eq(ref.ver, PFKEY_X_REF_VERSION);
	ck_assert(ref.mpi == 0xfedcba9876543210ULL);
	/* the MPI is in network byte order on the wire */
	{
		const uint8_t *ext;
		size_t elen;

		ck_assert_int_eq(pfkey_msg_ext(&m, SADB_X_EXT_REF, &ext, &elen),
				 0);
		ck_assert_uint_eq(elen, 16);
		ck_assert_uint_eq(ext[8], 0xfe);
		ck_assert_uint_eq(ext[15], 0x10);
	}
	ck_assert_int_eq(pfkey_get_policy(&m, &pol, &n), 0);
	ck_assert_uint_eq(pol.id, 1234);
	ck_assert_uint_eq(pol.dir, IPSEC_DIR_OUTBOUND);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(pfkey_get_ipsecrequest(&m, 0, &rq), 0);
	ck_assert_uint_eq(rq.proto, IPPROTO_ESP);
	ck_assert_uint_eq(rq.mode, IPSEC_MODE_BEET);
	ck_assert_uint_eq(rq.reqid, 0x48490007);
	ck_assert_int_eq(pfkey_get_proposal(&m, &replay, &n), 0);
	ck_assert_uint_ge(n, 1);
	ck_assert_int_eq(pfkey_get_comb(&m, 0, &comb), 0);
	ck_assert_uint_eq(comb.encrypt, SADB_X_EALG_AESCBC);
	switch (_i) {
	case 0:
		expect_addr(&m, SADB_EXT_ADDRESS_SRC, "2001:db8:2::5");
		expect_addr(&m, SADB_EXT_ADDRESS_DST, "2001:db8:ff::1");
		break;
	case 1:
		expect_addr(&m, SADB_EXT_ADDRESS_SRC, "192.0.2.1");
		expect_addr(&m, SADB_EXT_ADDRESS_DST, "192.0.2.2");
		break;
	default:
		expect_addr(&m, SADB_EXT_ADDRESS_SRC, "2001:20::1");
		expect_addr(&m, SADB_EXT_ADDRESS_DST, "2001:2f::2");
		break;
	}
	/* too small a buffer: refused */
	ck_assert_int_eq(hipd_msrd_build_acquire(&ev, &r, buf, len - 8, &len),
			 HIP_ENOSPC);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("msrd");
	TCase *tc = tcase_create("codec");

	tcase_add_test(tc, test_roundtrip);
	tcase_add_loop_test(tc, test_check_rejects, 0, N_BREAKERS);
	tcase_add_loop_test(tc, test_decode_rejects, 0, N_RAW);
	tcase_add_test(tc, test_decode_bitflips);
	tcase_add_test(tc, test_sort);
	suite_add_tcase(s, tc);
	tc = tcase_create("store");
	tcase_add_test(tc, test_store_ownership);
	tcase_add_test(tc, test_may_change);
	tcase_add_test(tc, test_store_bind_lookup);
	tcase_add_test(tc, test_store_expire_full);
	suite_add_tcase(s, tc);
	tc = tcase_create("acquire");
	tcase_add_loop_test(tc, test_acquire_message, 0, 4);
	suite_add_tcase(s, tc);
	tc = tcase_create("persist");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_persist_roundtrip);
	tcase_add_loop_test(tc, test_persist_damaged, 0, 7);
	tcase_add_test(tc, test_persist_bad_record);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

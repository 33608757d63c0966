/*
 * fuzz_msrd.c - libFuzzer target for the MSRD parsers: the record and
 * binding codec (hip_msrd_record_read, hip_msrd_binding_read) on any
 * control message, with a re-encode round trip of what it accepts, and
 * the persistence file decoder (hipd_msrd_persist_decode), given a file
 * whose magic and digest are right so that the records are reached.
 *
 * The first input byte picks the mode: even = control message, odd =
 * persistence file body.
 *
 * fuzz-sources: hipd/msrd_store.c hipd/msrd_persist.c hipd/state.c hipd/log.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "hip/ctl.h"
#include "hip/error.h"
#include "hip/msrd.h"
#include "hipd/msrd_persist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const struct hip_msrd_record *r)
{
	static uint8_t buf[HIP_CTL_FRAME_MAX];
	struct hip_msrd_record back;
	struct hip_ctl_msg m;
	struct hip_ctl_hdr hdr;
	struct hip_ctl_iter it;
	struct hip_ctl_attr a;

	if (hip_msrd_record_check(r) != 0)
		abort();	/* the reader accepted an invalid record */
	if (hip_ctl_msg_init(&m, buf, sizeof(buf), HIP_CTL_REPLY, 0, 0) ||
	    hip_msrd_record_put(&m, r) ||
	    hip_ctl_parse(buf + HIP_CTL_LEN_PREFIX,
			  m.len - HIP_CTL_LEN_PREFIX, &hdr, &it) ||
	    hip_ctl_find(&it, HIP_CTL_A_MSRD_RECORD, &a) ||
	    hip_msrd_record_read(&a, &back))
		abort();	/* a valid record does not survive encoding */
	if (memcmp(r, &back, sizeof(back)) != 0)
		abort();
}

static void walk(struct hip_ctl_iter *it, int depth)
{
	struct hip_msrd_record rec;
	struct hip_msrd_binding b;
	struct hip_ctl_iter sub;
	struct hip_ctl_attr a;

	if (depth > HIP_CTL_NEST_MAX)
		abort();
	while (hip_ctl_iter_next(it, &a) == 1) {
		if (hip_msrd_record_read(&a, &rec) == 0)
			roundtrip(&rec);
		(void)hip_msrd_binding_read(&a, &b);
		if (hip_ctl_attr_nested(&a, &sub) == 0)
			walk(&sub, depth + 1);
	}
}

static void fuzz_message(const uint8_t *data, size_t size)
{
	struct hip_ctl_hdr hdr;
	struct hip_ctl_iter it;

	if (hip_ctl_parse(data, size, &hdr, &it) == 0)
		walk(&it, 0);
}

static void fuzz_file(const uint8_t *data, size_t size)
{
	static uint8_t file[HIPD_MSRD_FILE_MAX];
	static struct hipd_msrd_store store;
	unsigned int n = 0;
	char err[256] = "";

	if (size > sizeof(file) - 40)
		return;
	memcpy(file, HIPD_MSRD_FILE_MAGIC, 8);
	if (EVP_Digest(data, size, file + 8, &n, EVP_sha256(), NULL) != 1)
		abort();
	memcpy(file + 40, data, size);
	if (hipd_msrd_persist_decode(file, size + 40, 1000, &store, err,
				     sizeof(err)) == 0) {
		if (store.n > HIP_MSRD_MAX_RECORDS)
			abort();
		for (size_t i = 0; i < store.n; i++)
			if (hip_msrd_record_check(&store.rec[i]) != 0 ||
			    (i > 0 && store.rec[i - 1].mpi >= store.rec[i].mpi))
				abort();
	} else if (err[0] == '\0') {
		abort();	/* refused without saying why */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		fuzz_file(data + 1, size - 1);
	else
		fuzz_message(data + 1, size - 1);
	return 0;
}

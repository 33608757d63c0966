/*
 * msrd_persist.c - the MSRD file (msrd_persist.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "hip/ctl.h"
#include "hip/util.h"
#include "hipd/msrd_persist.h"
#include "hipd/state.h"

#define MAGIC_LEN	8
#define DIGEST_LEN	32
#define HEAD_LEN	(MAGIC_LEN + DIGEST_LEN)

static void seterr(char *err, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || cap == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
}

static int sha256(const uint8_t *p, size_t len, uint8_t out[DIGEST_LEN])
{
	unsigned int n = 0;

	if (EVP_Digest(p, len, out, &n, EVP_sha256(), NULL) != 1 ||
	    n != DIGEST_LEN)
		return HIP_ECRYPTO;
	return 0;
}

int hipd_msrd_persist_encode(const struct hipd_msrd_store *s, uint8_t *buf,
			     size_t cap, size_t *len)
{
	struct hip_ctl_msg m;
	const uint8_t *frame;
	size_t flen;
	int r;

	if (cap < HEAD_LEN)
		return HIP_ENOSPC;
	r = hip_ctl_msg_init(&m, buf + HEAD_LEN, cap - HEAD_LEN,
			     HIP_CTL_REPLY, 0, 0);
	if (r == 0)
		r = hip_ctl_nest_begin(&m, HIP_CTL_A_LIST);
	for (size_t i = 0; r == 0 && i < s->n; i++)
		if (s->rec[i].flags & HIP_MSRD_F_PERSIST)
			r = hip_msrd_record_put(&m, &s->rec[i]);
	if (r == 0)
		r = hip_ctl_nest_end(&m);
	/* the sequence number goes on growing after a restart, also past
	 * the changes of records that did not persist */
	if (r == 0)
		r = hip_ctl_put_u32(&m, HIP_CTL_A_MSRD_SEQ, s->last_seq);
	if (r == 0)
		r = hip_ctl_msg_frame(&m, &frame, &flen);
	if (r == 0)
		r = sha256(frame, flen, buf + MAGIC_LEN);
	if (r < 0)
		return r;
	memcpy(buf, HIPD_MSRD_FILE_MAGIC, MAGIC_LEN);
	*len = HEAD_LEN + flen;
	return 0;
}

int hipd_msrd_persist_decode(const uint8_t *buf, size_t len, uint64_t now,
			     struct hipd_msrd_store *out, char *err,
			     size_t errcap)
{
	struct hipd_msrd_store *s;
	struct hip_ctl_hdr hdr;
	struct hip_ctl_iter attrs, rows;
	struct hip_ctl_attr list, a;
	uint8_t digest[DIGEST_LEN];
	size_t msglen;
	int r;

	if (len < MAGIC_LEN || memcmp(buf, HIPD_MSRD_FILE_MAGIC, MAGIC_LEN)) {
		seterr(err, errcap, "not an MSRD file (bad magic)");
		return HIP_EFORMAT;
	}
	if (len < HEAD_LEN + HIP_CTL_LEN_PREFIX ||
	    hip_ctl_frame_len(buf + HEAD_LEN, len - HEAD_LEN, &msglen) < 0 ||
	    len - HEAD_LEN - HIP_CTL_LEN_PREFIX < msglen) {
		seterr(err, errcap, "file is cut short (%zu bytes; torn "
		       "write?)", len);
		return HIP_EFORMAT;
	}
	if (len - HEAD_LEN - HIP_CTL_LEN_PREFIX > msglen) {
		seterr(err, errcap, "%zu stray bytes after the records",
		       len - HEAD_LEN - HIP_CTL_LEN_PREFIX - msglen);
		return HIP_EFORMAT;
	}
	r = sha256(buf + HEAD_LEN, len - HEAD_LEN, digest);
	if (r < 0) {
		seterr(err, errcap, "cannot compute SHA-256");
		return r;
	}
	if (!hip_ct_memeq(digest, buf + MAGIC_LEN, DIGEST_LEN)) {
		seterr(err, errcap, "SHA-256 does not match: file is corrupt");
		return HIP_ECHECKSUM;
	}
	r = hip_ctl_parse(buf + HEAD_LEN + HIP_CTL_LEN_PREFIX, msglen, &hdr,
			  &attrs);
	if (r < 0 || hip_ctl_find(&attrs, HIP_CTL_A_LIST, &list) < 0 ||
	    hip_ctl_attr_nested(&list, &rows) < 0) {
		seterr(err, errcap, "malformed records: %s",
		       hip_strerror(r < 0 ? r : HIP_EMISSING));
		return HIP_EFORMAT;
	}
	s = malloc(sizeof(*s));
	if (s == NULL) {
		seterr(err, errcap, "out of memory");
		return HIP_ENOMEM;
	}
	hipd_msrd_store_init(s);
	while ((r = hip_ctl_iter_next(&rows, &a)) == 1) {
		struct hip_msrd_record rec;

		if (a.type != HIP_CTL_A_MSRD_RECORD)
			continue;
		r = hip_msrd_record_read(&a, &rec);
		if (r == 0 && !(rec.flags & HIP_MSRD_F_PERSIST))
			r = HIP_EINVAL;
		if (r == 0 && rec.expires != 0 && rec.expires <= now)
			continue;	/* ran out while hipd was down */
		if (r == 0)
			r = hipd_msrd_store_insert(s, &rec);
		if (r < 0) {
			seterr(err, errcap, "record %zu: %s", s->n + 1,
			       hip_strerror(r));
			free(s);
			return HIP_EFORMAT;
		}
	}
	if (hip_ctl_find(&attrs, HIP_CTL_A_MSRD_SEQ, &a) == 0) {
		uint32_t seq;

		if (hip_ctl_get_u32(&a, &seq) < 0) {
			seterr(err, errcap, "malformed sequence number");
			free(s);
			return HIP_EFORMAT;
		}
		if (seq > s->last_seq)
			s->last_seq = seq;
	}
	*out = *s;
	free(s);
	return 0;
}

int hipd_msrd_persist_save(const struct hipd_msrd_store *s, const char *path)
{
	uint8_t *buf = malloc(HIPD_MSRD_FILE_MAX);
	size_t len;
	int r;

	if (buf == NULL)
		return HIP_ENOMEM;
	r = hipd_msrd_persist_encode(s, buf, HIPD_MSRD_FILE_MAX, &len);
	if (r == 0)
		r = hipd_state_write_file(path, (const char *)buf, len, 0600);
	free(buf);
	return r;
}

int hipd_msrd_persist_load(const char *path, uint64_t now,
			   struct hipd_msrd_store *out, char *err,
			   size_t errcap)
{
	uint8_t *buf;
	size_t len = 0;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT) {
		hipd_msrd_store_init(out);
		return 0;
	}
	if (fd < 0) {
		seterr(err, errcap, "%s: %s", path, strerror(errno));
		return HIP_EIO;
	}
	buf = malloc(HIPD_MSRD_FILE_MAX + 1);
	if (buf == NULL) {
		close(fd);
		seterr(err, errcap, "out of memory");
		return HIP_ENOMEM;
	}
	for (;;) {	/* one byte beyond the maximum tells "too long" */
		ssize_t n = read(fd, buf + len, HIPD_MSRD_FILE_MAX + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			seterr(err, errcap, "%s: %s", path, strerror(errno));
			r = HIP_EIO;
			goto out;
		}
		if (n == 0 || (len += (size_t)n) > HIPD_MSRD_FILE_MAX)
			break;
	}
	if (len > HIPD_MSRD_FILE_MAX) {
		seterr(err, errcap, "%s: longer than %u bytes", path,
		       (unsigned)HIPD_MSRD_FILE_MAX);
		r = HIP_EFORMAT;
		goto out;
	}
	{
		char why[200] = "";

		r = hipd_msrd_persist_decode(buf, len, now, out, why,
					     sizeof(why));
		if (r < 0)
			seterr(err, errcap, "%s: %s", path, why);
	}
out:
	free(buf);
	close(fd);
	return r;
}

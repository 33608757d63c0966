/*
 * msrd_client.c - the client side of the MSRD (hip/msrd.h): requests
 * over hipd's MSRD socket and the events of a watching handle.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hip/ctl.h"
#include "hip/msrd.h"
#include "hip/util.h"

#define MSRD_TIMEOUT_MS		10000
#define MSRD_ERRMSG_MAX		256

struct hip_msrd {
	int fd;
	uint32_t next_id;
	bool watching;
	char errmsg[MSRD_ERRMSG_MAX];
	uint8_t req[HIP_CTL_FRAME_MAX];
	uint8_t rep[HIP_CTL_FRAME_MAX];
};

int hip_msrd_open(const char *path, struct hip_msrd **out)
{
	struct hip_msrd *h;
	int r, fd, e;

	if (out == NULL)
		return HIP_EINVAL;
	r = hip_ctl_connect(path ? path : HIP_MSRD_DEFAULT_PATH, &fd);
	if (r < 0)
		return r;
	h = calloc(1, sizeof(*h));
	if (h == NULL) {
		e = errno;
		close(fd);
		errno = e;
		return HIP_ENOMEM;
	}
	h->fd = fd;
	h->next_id = 1;
	*out = h;
	return 0;
}

void hip_msrd_close(struct hip_msrd *h)
{
	if (h == NULL)
		return;
	close(h->fd);
	free(h);
}

const char *hip_msrd_errmsg(const struct hip_msrd *h)
{
	return h ? h->errmsg : "";
}

int hip_msrd_fd(const struct hip_msrd *h)
{
	return h ? h->fd : -1;
}

static int start(struct hip_msrd *h, struct hip_ctl_msg *m, uint16_t cmd)
{
	if (h == NULL)
		return HIP_EINVAL;
	if (h->watching)
		return HIP_ESTATE;
	h->errmsg[0] = '\0';
	return hip_ctl_msg_init(m, h->req, sizeof(h->req), HIP_CTL_REQUEST,
				cmd, h->next_id++);
}

/* Send m, wait for its reply; attrs gets the reply's attributes.  A
 * refusal returns the daemon's status and keeps its message. */
static int call(struct hip_msrd *h, const struct hip_ctl_msg *m,
		struct hip_ctl_iter *attrs)
{
	struct hip_ctl_hdr hdr;
	struct hip_ctl_attr a;
	size_t len;
	int r;

	r = hip_ctl_request(h->fd, m, h->rep, sizeof(h->rep), &len,
			    MSRD_TIMEOUT_MS);
	if (r < 0)
		return r;
	r = hip_ctl_parse(h->rep, len, &hdr, attrs);
	if (r < 0)
		return r;
	if (hdr.code == 0)
		return 0;
	if (hip_ctl_find(attrs, HIP_CTL_A_ERRMSG, &a) == 0 &&
	    hip_ctl_get_string(&a, h->errmsg, sizeof(h->errmsg)) < 0)
		h->errmsg[0] = '\0';
	/* a status that cannot be a HIP_E* code is the daemon's fault */
	return hdr.code < 4096 ? HIP_CTL_ERR(hdr.code) : HIP_EFORMAT;
}

static int reply_record(const struct hip_ctl_iter *attrs,
			struct hip_msrd_record *out)
{
	struct hip_ctl_attr a;
	int r = hip_ctl_find(attrs, HIP_CTL_A_MSRD_RECORD, &a);

	if (r < 0)
		return HIP_EFORMAT;
	return hip_msrd_record_read(&a, out);
}

int hip_msrd_put(struct hip_msrd *h, const struct hip_msrd_record *rec,
		 struct hip_msrd_record *stored)
{
	struct hip_msrd_record tmp;
	struct hip_ctl_msg m;
	struct hip_ctl_iter attrs;
	int r;

	if (rec == NULL)
		return HIP_EINVAL;
	r = start(h, &m, HIP_CTL_CMD_MSRD_PUT);
	if (r == 0)
		r = hip_msrd_record_put(&m, rec);
	if (r == 0)
		r = call(h, &m, &attrs);
	if (r == 0 && stored != NULL) {
		r = reply_record(&attrs, &tmp);
		if (r == 0)
			*stored = tmp;
	}
	return r;
}

static int mpi_call(struct hip_msrd *h, uint16_t cmd, uint64_t mpi,
		    struct hip_ctl_iter *attrs)
{
	struct hip_ctl_msg m;
	int r;

	if (mpi == 0)
		return HIP_EINVAL;
	r = start(h, &m, cmd);
	if (r == 0)
		r = hip_ctl_put_u64(&m, HIP_CTL_A_MSRD_MPI, mpi);
	if (r == 0)
		r = call(h, &m, attrs);
	return r;
}

int hip_msrd_get(struct hip_msrd *h, uint64_t mpi,
		 struct hip_msrd_record *out)
{
	struct hip_msrd_record tmp;
	struct hip_ctl_iter attrs;
	int r;

	if (out == NULL)
		return HIP_EINVAL;
	r = mpi_call(h, HIP_CTL_CMD_MSRD_GET, mpi, &attrs);
	if (r == 0)
		r = reply_record(&attrs, &tmp);
	if (r == 0)
		*out = tmp;
	return r;
}

int hip_msrd_delete(struct hip_msrd *h, uint64_t mpi)
{
	struct hip_ctl_iter attrs;

	return mpi_call(h, HIP_CTL_CMD_MSRD_DEL, mpi, &attrs);
}

int hip_msrd_list(struct hip_msrd *h, struct hip_msrd_record *out,
		  size_t cap, size_t *count)
{
	struct hip_ctl_msg m;
	struct hip_ctl_iter attrs, rows;
	struct hip_ctl_attr list, a;
	size_t n = 0;
	int r;

	if (count == NULL || (out == NULL && cap > 0))
		return HIP_EINVAL;
	r = start(h, &m, HIP_CTL_CMD_MSRD_LIST);
	if (r == 0)
		r = call(h, &m, &attrs);
	if (r < 0)
		return r;
	if (hip_ctl_find(&attrs, HIP_CTL_A_LIST, &list) < 0 ||
	    hip_ctl_attr_nested(&list, &rows) < 0)
		return HIP_EFORMAT;
	/* check every row before writing any: out is all or nothing */
	while ((r = hip_ctl_iter_next(&rows, &a)) == 1) {
		struct hip_msrd_record tmp;

		if (a.type != HIP_CTL_A_MSRD_RECORD)
			continue;
		r = hip_msrd_record_read(&a, &tmp);
		if (r < 0)
			return r;
		n++;
	}
	if (r < 0)
		return r;
	hip_ctl_attr_nested(&list, &rows);
	for (size_t i = 0; i < cap && hip_ctl_iter_next(&rows, &a) == 1;) {
		if (a.type != HIP_CTL_A_MSRD_RECORD)
			continue;
		hip_msrd_record_read(&a, &out[i++]);
	}
	*count = n;
	return 0;
}

int hip_msrd_bind(struct hip_msrd *h, uint64_t mpi,
		  const struct hip_msrd_binding *b, size_t n)
{
	struct hip_ctl_msg m;
	struct hip_ctl_iter attrs;
	int r;

	if (mpi == 0 || n > HIP_MSRD_MAX_BIND || (n > 0 && b == NULL))
		return HIP_EINVAL;
	r = start(h, &m, HIP_CTL_CMD_MSRD_BIND);
	if (r == 0)
		r = hip_ctl_put_u64(&m, HIP_CTL_A_MSRD_MPI, mpi);
	for (size_t i = 0; r == 0 && i < n; i++)
		r = hip_msrd_binding_put(&m, &b[i]);
	if (r == 0)
		r = call(h, &m, &attrs);
	return r;
}

int hip_msrd_watch(struct hip_msrd *h)
{
	struct hip_ctl_msg m;
	struct hip_ctl_iter attrs;
	int r;

	r = start(h, &m, HIP_CTL_CMD_SUBSCRIBE);
	if (r == 0)
		r = call(h, &m, &attrs);
	if (r == 0)
		h->watching = true;
	return r;
}

static int event_change(const struct hip_ctl_iter *attrs,
			struct hip_msrd_event *ev)
{
	struct hip_ctl_attr a;
	uint8_t op;
	int r;

	if (hip_ctl_find(attrs, HIP_CTL_A_MSRD_OP, &a) < 0 ||
	    hip_ctl_get_u8(&a, &op) < 0 || op < HIP_MSRD_EV_PUT ||
	    op > HIP_MSRD_EV_BIND)
		return HIP_EFORMAT;
	r = reply_record(attrs, &ev->record);
	if (r < 0)
		return r;
	ev->type = op;
	ev->mpi = ev->record.mpi;
	return 0;
}

static int event_acquire(const struct hip_ctl_iter *attrs,
			 struct hip_msrd_event *ev)
{
	struct hip_ctl_attr a;

	if (hip_ctl_find(attrs, HIP_CTL_A_MSRD_MPI, &a) < 0 ||
	    hip_ctl_get_u64(&a, &ev->mpi) < 0 || ev->mpi == 0)
		return HIP_EFORMAT;
	if (hip_ctl_find(attrs, HIP_CTL_A_MSRD_PFKEY, &a) < 0 ||
	    a.len == 0 || a.len > sizeof(ev->pfkey))
		return HIP_EFORMAT;
	memcpy(ev->pfkey, a.val, a.len);
	ev->pfkey_len = a.len;
	ev->type = HIP_MSRD_EV_ACQUIRE;
	return 0;
}

int hip_msrd_next_event(struct hip_msrd *h, struct hip_msrd_event *ev,
			int timeout_ms)
{
	struct hip_msrd_event *tmp;
	struct hip_ctl_hdr hdr;
	struct hip_ctl_iter attrs;
	size_t len;
	int r;

	if (h == NULL || ev == NULL)
		return HIP_EINVAL;
	if (!h->watching)
		return HIP_ESTATE;
	for (;;) {
		r = hip_ctl_recv(h->fd, h->rep, sizeof(h->rep), &len,
				 timeout_ms);
		if (r < 0)
			return r;
		r = hip_ctl_parse(h->rep, len, &hdr, &attrs);
		if (r < 0)
			return r;
		if (hdr.kind == HIP_CTL_EVENT)
			break;
		/* a late reply: nothing is outstanding, so skip it */
	}
	tmp = calloc(1, sizeof(*tmp));
	if (tmp == NULL)
		return HIP_ENOMEM;
	if (hdr.code == HIP_CTL_EV_MSRD_CHANGE)
		r = event_change(&attrs, tmp);
	else if (hdr.code == HIP_CTL_EV_MSRD_ACQUIRE)
		r = event_acquire(&attrs, tmp);
	else
		r = HIP_EUNSUPPORTED;
	if (r == 0)
		*ev = *tmp;
	free(tmp);
	return r;
}

const char *hip_msrd_event_name(enum hip_msrd_event_type t)
{
	switch (t) {
	case HIP_MSRD_EV_PUT: return "put";
	case HIP_MSRD_EV_DELETE: return "delete";
	case HIP_MSRD_EV_EXPIRE: return "expire";
	case HIP_MSRD_EV_BIND: return "bind";
	case HIP_MSRD_EV_ACQUIRE: return "acquire";
	}
	return "unknown";
}

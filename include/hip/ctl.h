/*
 * hip/ctl.h - the hipd control protocol: message codec, client and a
 * small JSON writer for tools that render replies.
 *
 * This comment is the normative description of the protocol.
 *
 * Transport.  A unix stream socket (by default /run/hipd/hipd.sock).
 * Every message travels in a frame:
 *
 *	length(4) | message(length)
 *
 * length is big-endian and counts the message only, not itself.  A
 * length below HIP_CTL_HDR_LEN or above HIP_CTL_MSG_MAX (64 KiB) is a
 * protocol violation: the daemon closes the connection.
 *
 * Message.  All integers are big-endian:
 *
 *	version(1) | kind(1) | code(2) | id(4) | attributes
 *
 *	version	HIP_CTL_VERSION.  A daemon answers another version with a
 *		reply of status HIP_CTL_STATUS(HIP_EVERSION).
 *	kind	HIP_CTL_REQUEST (client to daemon), HIP_CTL_REPLY (daemon
 *		to client, one per request) or HIP_CTL_EVENT (daemon to a
 *		client that subscribed, unsolicited).
 *	code	in a request: the command (enum hip_ctl_cmd); in a reply:
 *		the status, 0 for success or the negated HIP_E* code of
 *		the failure (e.g. 20 for HIP_EPERM); in an event: the
 *		event number (enum hip_ctl_event).
 *	id	chosen by the client; the reply carries the id of its
 *		request.  Events carry id 0.
 *
 * A client sends requests only; the daemon closes the connection of one
 * that sends another kind, or leaves a frame unfinished for too long.
 * Replies come in the order of the requests.
 *
 * Attributes.  A sequence of TLVs, each starting on a 4-byte boundary:
 *
 *	type(2) | length(2) | value(length) | padding to 4 bytes
 *
 *	length counts the value only (not the 4-byte header nor the
 *	padding).  Padding bytes are zero.  Bit 15 of type
 *	(HIP_CTL_NESTED) marks a nested attribute: its value is itself a
 *	sequence of attributes that fills the value exactly.  Nesting is
 *	at most HIP_CTL_NEST_MAX levels deep.  Tables are a HIP_CTL_A_LIST
 *	holding one HIP_CTL_A_ITEM per row.
 *
 *	Every type in enum hip_ctl_attr_type has one value class, given in its
 *	comment: u8, u16, u32, u64 (big-endian, exact length), in6 (16
 *	bytes; IPv4 addresses as IPv4-mapped IPv6), string (UTF-8, at most
 *	HIP_CTL_STRING_MAX bytes, no NUL byte on the wire) or bytes.  A
 *	message with a known type of the wrong length is rejected as a
 *	whole; unknown types are skipped by readers, so new attributes can
 *	be added without a new version.
 *
 *	Nothing may follow the last attribute: a message whose attributes
 *	do not fill it exactly is rejected.
 *
 * Replies.  A failed request gets a reply with a non-zero status and,
 * usually, a HIP_CTL_A_ERRMSG string for people.  Data is returned as
 * typed attributes, never as preformatted text, so that tools render
 * text or JSON from the same reply.
 *
 * Permissions.  Commands are "read" (may be run by anyone who can
 * connect) or "write" (change state; only for uid 0 or members of the
 * configured hipd group, checked with SO_PEERCRED).  The socket itself
 * is mode 0660.  A denied request gets status HIP_CTL_STATUS(HIP_EPERM).
 */
#ifndef HIP_CTL_H
#define HIP_CTL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define HIP_CTL_VERSION		1
#define HIP_CTL_LEN_PREFIX	4	/* frame length field */
#define HIP_CTL_HDR_LEN		8	/* version, kind, code, id */
#define HIP_CTL_MSG_MAX		65536	/* largest message (frame minus prefix) */
#define HIP_CTL_FRAME_MAX	(HIP_CTL_LEN_PREFIX + HIP_CTL_MSG_MAX)
#define HIP_CTL_ATTR_HDR_LEN	4
#define HIP_CTL_NESTED		0x8000	/* type bit: value holds attributes */
#define HIP_CTL_NEST_MAX	8
#define HIP_CTL_STRING_MAX	4096

/* Status of a reply from a HIP_E* code, and back. */
#define HIP_CTL_STATUS(err)	((uint16_t)-(err))
#define HIP_CTL_ERR(status)	(-(int)(status))

enum hip_ctl_kind {
	HIP_CTL_REQUEST = 1,
	HIP_CTL_REPLY = 2,
	HIP_CTL_EVENT = 3,
};

/* Commands; (r) read, (w) write.  Numbers are stable once released. */
enum hip_ctl_cmd {
	HIP_CTL_CMD_STATUS = 0x0001,	/* (r) daemon version, uptime, counts */
	HIP_CTL_CMD_SUBSCRIBE = 0x0002,	/* (r) receive events on this link */
	HIP_CTL_CMD_RELOAD = 0x0003,	/* (w) re-read the configuration */
	HIP_CTL_CMD_LOGLEVEL = 0x0004,	/* (w) set the log level (LEVEL) */

	HIP_CTL_CMD_HI_LIST = 0x0010,	/* (r) local host identities */
	HIP_CTL_CMD_HI_NEW = 0x0011,	/* (w) generate (ALGORITHM, KEYBITS) */
	HIP_CTL_CMD_HI_DEL = 0x0012,	/* (w) delete (HIT) */

	HIP_CTL_CMD_PEER_ADD = 0x0020,	/* (w) HIT, LOCATOR..., NAME */
	HIP_CTL_CMD_PEER_DEL = 0x0021,	/* (w) HIT */
	HIP_CTL_CMD_PEER_LIST = 0x0022,	/* (r) configured peers */

	HIP_CTL_CMD_HA_LIST = 0x0030,	/* (r) host associations */
	HIP_CTL_CMD_HA_SHOW = 0x0031,	/* (r) one association (PEER_HIT) */

	HIP_CTL_CMD_CONNECT = 0x0040,	/* (w) start a base exchange */
	HIP_CTL_CMD_CLOSE = 0x0041,	/* (w) close an association */

	/* Reserved for the MSRD interface (see msrd.md, hip/msrd.h);
	 * served on the MSRD socket, where SUBSCRIBE is "watch". */
	HIP_CTL_CMD_MSRD_FIRST = 0x0100,
	HIP_CTL_CMD_MSRD_PUT = 0x0100,	/* (w) MSRD_RECORD */
	HIP_CTL_CMD_MSRD_GET = 0x0101,	/* (r) MSRD_MPI */
	HIP_CTL_CMD_MSRD_DEL = 0x0102,	/* (w) MSRD_MPI */
	HIP_CTL_CMD_MSRD_LIST = 0x0103,	/* (r) LIST of MSRD_RECORD */
	HIP_CTL_CMD_MSRD_BIND = 0x0104,	/* (w) MSRD_MPI, MSRD_BIND... */
	HIP_CTL_CMD_MSRD_LAST = 0x01ff,

	/* Reserved for local experiments; never in a release. */
	HIP_CTL_CMD_PRIVATE_FIRST = 0xf000,
	HIP_CTL_CMD_PRIVATE_LAST = 0xffff,
};

/* Events sent to subscribers (kind HIP_CTL_EVENT). */
enum hip_ctl_event {
	HIP_CTL_EV_HA_STATE = 0x0001,	/* an association changed state */
	HIP_CTL_EV_LOCATOR = 0x0002,	/* a local or peer locator changed */
	HIP_CTL_EV_MSRD_FIRST = 0x0100,
	HIP_CTL_EV_MSRD_CHANGE = 0x0100,	/* MSRD_OP, MSRD_RECORD */
	HIP_CTL_EV_MSRD_ACQUIRE = 0x0101,	/* MSRD_MPI, MSRD_PFKEY */
	HIP_CTL_EV_MSRD_LAST = 0x01ff,
};

/* Attribute types and their value class. */
enum hip_ctl_attr_type {
	HIP_CTL_A_ERRMSG = 1,		/* string: why a request failed */
	HIP_CTL_A_VERSION = 2,		/* string: daemon version */
	HIP_CTL_A_UPTIME = 3,		/* u64: seconds */
	HIP_CTL_A_COUNT = 4,		/* u32 */
	HIP_CTL_A_LEVEL = 5,		/* u8: log level */
	HIP_CTL_A_NAME = 6,		/* string */
	HIP_CTL_A_HIT = 7,		/* in6: a host identity tag */
	HIP_CTL_A_LOCAL_HIT = 8,	/* in6 */
	HIP_CTL_A_PEER_HIT = 9,		/* in6 */
	HIP_CTL_A_LSI = 10,		/* u32: IPv4 LSI, host order value */
	HIP_CTL_A_LOCATOR = 11,		/* in6: an address */
	HIP_CTL_A_LOCAL_LOCATOR = 12,	/* in6 */
	HIP_CTL_A_PEER_LOCATOR = 13,	/* in6 */
	HIP_CTL_A_STATE = 14,		/* u8: association state (RFC 7401 4.4.2) */
	HIP_CTL_A_SPI_IN = 15,		/* u32 */
	HIP_CTL_A_SPI_OUT = 16,		/* u32 */
	HIP_CTL_A_ESP_TRANSFORM = 17,	/* u16: ESP suite ID (RFC 7402) */
	HIP_CTL_A_HIP_CIPHER = 18,	/* u16: HIP_CIPHER ID */
	HIP_CTL_A_DH_GROUP = 19,	/* u8: DH group ID */
	HIP_CTL_A_AGE = 20,		/* u64: seconds since established */
	HIP_CTL_A_ALGORITHM = 21,	/* u8: HI algorithm (RFC 7401 5.2.9) */
	HIP_CTL_A_KEYBITS = 22,		/* u16: key size or curve bits */
	HIP_CTL_A_HIT_SUITE = 23,	/* u8 */
	HIP_CTL_A_FLAGS = 24,		/* u32: bit set, per command */
	HIP_CTL_A_BYTES_IN = 25,	/* u64 */
	HIP_CTL_A_BYTES_OUT = 26,	/* u64 */
	HIP_CTL_A_HOST_ID = 27,		/* bytes: public HOST_ID parameter */
	HIP_CTL_A_PID = 28,		/* u32 */
	HIP_CTL_A_UID = 29,		/* u32 */

	/* 0x0100-0x01ff: the MSRD (hip/msrd.h); owner is UID, peer
	 * PEER_LOCATOR, a care-of address LOCATOR. */
	HIP_CTL_A_MSRD_MPI = 0x0100,		/* u64 */
	HIP_CTL_A_MSRD_SEQ = 0x0101,		/* u32 */
	HIP_CTL_A_MSRD_EXPIRES = 0x0102,	/* u64: epoch seconds */
	HIP_CTL_A_MSRD_LIFETIME = 0x0103,	/* u32: seconds */
	HIP_CTL_A_MSRD_HOME = 0x0104,		/* in6: home address */
	HIP_CTL_A_MSRD_PREF = 0x0105,		/* u8 */
	HIP_CTL_A_MSRD_POLICY = 0x0106,		/* u32: policy index */
	HIP_CTL_A_MSRD_REQID = 0x0107,		/* u32 */
	HIP_CTL_A_MSRD_OP = 0x0108,		/* u8: enum hip_msrd_event_type */
	HIP_CTL_A_MSRD_PFKEY = 0x0109,		/* bytes: PF_KEY message */

	HIP_CTL_A_LIST = HIP_CTL_NESTED | 1,	/* nest: table of ITEMs */
	HIP_CTL_A_ITEM = HIP_CTL_NESTED | 2,	/* nest: one row */
	HIP_CTL_A_MSRD_RECORD = HIP_CTL_NESTED | 0x0100, /* nest: record */
	HIP_CTL_A_MSRD_COA = HIP_CTL_NESTED | 0x0101,	/* LOCATOR, PREF */
	HIP_CTL_A_MSRD_BIND = HIP_CTL_NESTED | 0x0102,	/* FLAGS, LOCAL_HIT,
							 * PEER_HIT, POLICY,
							 * REQID */
};

/* Parsed message header, in host order. */
struct hip_ctl_hdr {
	uint8_t version;
	uint8_t kind;
	uint16_t code;
	uint32_t id;
};

/* ---- Building ---------------------------------------------------- */

/*
 * A message under construction in a caller's buffer.  The buffer holds
 * the whole frame (length prefix included) and the prefix is kept up to
 * date, so buf[0..len) can be sent once every nest is closed.  A put that
 * fails (HIP_ENOSPC, HIP_EINVAL) leaves the message as it was.
 */
struct hip_ctl_msg {
	uint8_t *buf;
	size_t cap;
	size_t len;
	size_t nest[HIP_CTL_NEST_MAX];	/* offsets of open nests */
	unsigned depth;
};

/* cap is clamped to HIP_CTL_FRAME_MAX.  HIP_EINVAL for an unknown kind,
 * HIP_ENOSPC when cap cannot hold the prefix and header. */
int hip_ctl_msg_init(struct hip_ctl_msg *m, uint8_t *buf, size_t cap,
		     uint8_t kind, uint16_t code, uint32_t id);
int hip_ctl_put_u8(struct hip_ctl_msg *m, uint16_t type, uint8_t v);
int hip_ctl_put_u16(struct hip_ctl_msg *m, uint16_t type, uint16_t v);
int hip_ctl_put_u32(struct hip_ctl_msg *m, uint16_t type, uint32_t v);
int hip_ctl_put_u64(struct hip_ctl_msg *m, uint16_t type, uint64_t v);
/* s is NUL-terminated and at most HIP_CTL_STRING_MAX bytes long. */
int hip_ctl_put_string(struct hip_ctl_msg *m, uint16_t type, const char *s);
int hip_ctl_put_bytes(struct hip_ctl_msg *m, uint16_t type,
		      const void *p, size_t len);
int hip_ctl_put_in6(struct hip_ctl_msg *m, uint16_t type,
		    const struct in6_addr *a);
/* Open a nested attribute (type must have HIP_CTL_NESTED). */
int hip_ctl_nest_begin(struct hip_ctl_msg *m, uint16_t type);
int hip_ctl_nest_end(struct hip_ctl_msg *m);
/* Drop the innermost open nest and everything put into it (to stop a
 * table at a row that no longer fits). */
int hip_ctl_nest_cancel(struct hip_ctl_msg *m);
/* The frame to send: HIP_ESTATE while a nest is open. */
int hip_ctl_msg_frame(const struct hip_ctl_msg *m, const uint8_t **frame,
		      size_t *len);

/* ---- Parsing ----------------------------------------------------- */

/* A range of attributes; walk it with hip_ctl_iter_next. */
struct hip_ctl_iter {
	const uint8_t *p;
	size_t len;
	size_t off;
};

struct hip_ctl_attr {
	uint16_t type;		/* including HIP_CTL_NESTED */
	uint16_t len;		/* value length */
	const uint8_t *val;
};

/*
 * Length of the message announced by a frame's first bytes.  HIP_ETRUNC
 * when fewer than HIP_CTL_LEN_PREFIX bytes are given, HIP_ELEN when the
 * length is outside [HIP_CTL_HDR_LEN, HIP_CTL_MSG_MAX].
 */
int hip_ctl_frame_len(const uint8_t *buf, size_t have, size_t *msglen);

/* Header only (no attribute checks), so that a daemon can answer a bad
 * message by its id.  HIP_ETRUNC if len < HIP_CTL_HDR_LEN, HIP_ELEN if
 * len > HIP_CTL_MSG_MAX. */
int hip_ctl_parse_hdr(const uint8_t *msg, size_t len, struct hip_ctl_hdr *hdr);

/*
 * Validate a whole message (without the length prefix) and set up an
 * iterator over its top-level attributes.  Rejects: HIP_ETRUNC (short
 * header, attribute overrunning its container), HIP_ELEN (oversized,
 * wrong length for a known type), HIP_EPAD (non-zero padding),
 * HIP_EFORMAT (trailing bytes, nesting too deep, bad nested content,
 * a NUL in a string).  Does not judge version or kind.
 */
int hip_ctl_parse(const uint8_t *msg, size_t len, struct hip_ctl_hdr *hdr,
		  struct hip_ctl_iter *attrs);

/* Returns 1 and fills a, 0 at the end, or a negative code if the
 * range is malformed (impossible after hip_ctl_parse succeeded). */
int hip_ctl_iter_next(struct hip_ctl_iter *it, struct hip_ctl_attr *a);
/* The attributes inside a nested attribute (HIP_EFORMAT if not one). */
int hip_ctl_attr_nested(const struct hip_ctl_attr *a, struct hip_ctl_iter *it);
/* First attribute of the given type in the range it covers (from its
 * start, whatever has been consumed); HIP_ENOENT if none. */
int hip_ctl_find(const struct hip_ctl_iter *it, uint16_t type,
		 struct hip_ctl_attr *a);

/* Typed values: HIP_ELEN unless the length is exactly right. */
int hip_ctl_get_u8(const struct hip_ctl_attr *a, uint8_t *v);
int hip_ctl_get_u16(const struct hip_ctl_attr *a, uint16_t *v);
int hip_ctl_get_u32(const struct hip_ctl_attr *a, uint32_t *v);
int hip_ctl_get_u64(const struct hip_ctl_attr *a, uint64_t *v);
int hip_ctl_get_in6(const struct hip_ctl_attr *a, struct in6_addr *v);
/* Exactly len bytes. */
int hip_ctl_get_bytes(const struct hip_ctl_attr *a, void *out, size_t len);
/* NUL-terminated copy; HIP_ENOSPC if cap cannot hold it, HIP_EFORMAT
 * if the value holds a NUL byte. */
int hip_ctl_get_string(const struct hip_ctl_attr *a, char *out, size_t cap);

/* ---- Client ------------------------------------------------------ */

/*
 * Connect to the daemon's socket.  HIP_EINVAL if the path does not fit a
 * sockaddr_un, HIP_EIO (errno kept: ENOENT, ECONNREFUSED, EACCES...).
 */
int hip_ctl_connect(const char *path, int *fd);

/*
 * Send one frame, waiting at most timeout_ms (negative: no limit) for
 * the socket to accept it.  HIP_EIO with errno ETIMEDOUT on timeout.
 */
int hip_ctl_send(int fd, const uint8_t *frame, size_t len, int timeout_ms);

/*
 * Receive one message (without its prefix) into buf.  HIP_ELEN for a
 * frame length outside the protocol's bounds, HIP_ENOSPC if cap is too
 * small, HIP_EIO with errno ETIMEDOUT on timeout, ECONNRESET when the
 * daemon closed the link.  The stream is unusable after a failure.
 */
int hip_ctl_recv(int fd, uint8_t *buf, size_t cap, size_t *len,
		 int timeout_ms);

/*
 * Send the request in m and wait for the reply with its id, skipping
 * events; the reply (validated with hip_ctl_parse) is left in buf.
 * HIP_EFORMAT if the daemon sent something that is neither.
 */
int hip_ctl_request(int fd, const struct hip_ctl_msg *m, uint8_t *buf,
		    size_t cap, size_t *len, int timeout_ms);

/* ---- JSON writer ------------------------------------------------- */

/*
 * Writes JSON into a bounded buffer (always NUL-terminated) or a FILE*.
 * Errors are sticky: after the first one nothing more is written, and
 * every call returns it; check hip_json_finish at the end.  Strings are
 * escaped; bytes that are not valid UTF-8 become U+FFFD.
 */
struct hip_json {
	char *buf;
	size_t cap;
	size_t len;
	FILE *fp;
	int err;
	unsigned depth;
	uint32_t in_object;	/* bit per level: object (1) or array */
	uint32_t has_items;	/* bit per level: needs a comma first */
	bool have_key;		/* a key was written, its value is due */
	bool done;		/* the top-level value has begun */
};

#define HIP_JSON_DEPTH_MAX 32

void hip_json_init_buf(struct hip_json *j, char *buf, size_t cap);
void hip_json_init_file(struct hip_json *j, FILE *fp);
int hip_json_object_begin(struct hip_json *j);
int hip_json_object_end(struct hip_json *j);
int hip_json_array_begin(struct hip_json *j);
int hip_json_array_end(struct hip_json *j);
/* In an object, every value is preceded by a key. */
int hip_json_key(struct hip_json *j, const char *key);
int hip_json_string(struct hip_json *j, const char *s);
int hip_json_string_n(struct hip_json *j, const char *s, size_t n);
int hip_json_uint(struct hip_json *j, uint64_t v);
int hip_json_int(struct hip_json *j, int64_t v);
int hip_json_bool(struct hip_json *j, bool v);
int hip_json_null(struct hip_json *j);
/* 0 if the document is complete and was written in full; otherwise
 * the sticky error or HIP_ESTATE for an unfinished document. */
int hip_json_finish(struct hip_json *j);

#endif

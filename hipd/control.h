/*
 * control.h - the daemon side of the control socket (protocol in
 * hip/ctl.h): a listening unix stream socket, non-blocking clients,
 * framing with a hard size limit, SO_PEERCRED permissions and a
 * dispatch table of command handlers.
 *
 * Each client has at most one frame being read and its replies queued;
 * while a reply waits to be sent, the client's further requests wait in
 * the socket (backpressure).  Violations of the framing (a length out of
 * bounds, a message that is not a request, a frame left unfinished for
 * frame_timeout_ms) close the connection; a well-framed but malformed
 * request gets an error reply.
 */
#ifndef HIPD_CONTROL_H
#define HIPD_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hip/ctl.h"
#include "hipd/loop.h"

#define HIPD_CTL_MAX_CLIENTS 64
#define HIPD_CTL_FRAME_TIMEOUT_MS 5000
#define HIPD_CTL_ERRMSG_MAX 256
/* Replies and events queued for one client beyond this: disconnect. */
#define HIPD_CTL_OUT_MAX (4 * HIP_CTL_FRAME_MAX)

/* Who may run write commands besides uid 0. */
struct hipd_ctl_policy {
	bool have_group;
	gid_t group;
};

/*
 * The permission rule, pure so it can be tested as a table: read
 * commands are open to every peer; write commands need uid 0, or the
 * configured group as primary (gid) or supplementary group.
 */
bool hipd_ctl_cred_allowed(uid_t uid, gid_t gid, const gid_t *groups,
			   size_t ngroups, const struct hipd_ctl_policy *pol,
			   bool write);

/* Credentials of a client, taken with SO_PEERCRED at accept. */
struct hipd_ctl_peer {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	bool may_write;
};

/*
 * One request being handled.  The handler adds data attributes to
 * reply (a status-0 reply with the request's id) and returns 0, or
 * returns a negative HIP_E* code; then whatever it put in reply is
 * dropped and the client gets that status with errmsg (if set) or
 * hip_strerror's text as HIP_CTL_A_ERRMSG.
 */
struct hipd_ctl_call {
	struct hip_ctl_hdr req;
	struct hip_ctl_iter attrs;	/* validated request attributes */
	const struct hipd_ctl_peer *peer;
	struct hip_ctl_msg *reply;
	char errmsg[HIPD_CTL_ERRMSG_MAX];
};

typedef int (*hipd_ctl_handler)(struct hipd_ctl_call *call, void *arg);

struct hipd_ctl_command {
	uint16_t cmd;		/* enum hip_ctl_cmd */
	bool write;		/* changes state: needs may_write */
	hipd_ctl_handler fn;
};

struct hipd_ctl_config {
	const char *path;
	struct hipd_ctl_policy policy;	/* also the socket file's group */
	unsigned max_clients;		/* 0: HIPD_CTL_MAX_CLIENTS */
	unsigned frame_timeout_ms;	/* 0: HIPD_CTL_FRAME_TIMEOUT_MS */
};

struct hipd_ctl_server;

/*
 * Create the socket at cfg->path: a stale socket file is replaced, a
 * live one (another daemon answers) gives HIP_EEXIST, as does a file of
 * another type.  The file is created under umask 0177, given the
 * configured group and then mode 0660.  HIP_EIO keeps errno.
 */
int hipd_ctl_open(struct hipd_loop *loop, const struct hipd_ctl_config *cfg,
		  struct hipd_ctl_server **out);
/* Disconnect every client, remove the socket file, free everything.
 * Not from inside a handler. */
void hipd_ctl_close(struct hipd_ctl_server *srv);

/*
 * Add a table of commands (kept by pointer: static storage).  arg is
 * passed to its handlers.  HIP_EEXIST if a command is registered
 * already (HIP_CTL_CMD_SUBSCRIBE is built in), HIP_EINVAL for a
 * missing handler; nothing is registered then.
 */
int hipd_ctl_register(struct hipd_ctl_server *srv,
		      const struct hipd_ctl_command *table, size_t n,
		      void *arg);

/* Queue an event (kind HIP_CTL_EVENT) to every subscribed client;
 * returns how many got it, or a negative code. */
int hipd_ctl_broadcast(struct hipd_ctl_server *srv,
		       const struct hip_ctl_msg *event);

size_t hipd_ctl_nclients(const struct hipd_ctl_server *srv);

#endif

/*
 * hipd/daemon.h - the daemon's glue: one engine, one kernel backend, the
 * raw sockets, the HIT device, the locators, the control socket and the
 * event loop, and the code that carries events between them:
 *
 *   raw socket  -> hip_engine_recv        engine SEND       -> hip_net_send
 *   kernel ACQUIRE -> hip_engine_acquire  engine SA_INSTALL -> 2 SAs +
 *   control CONNECT/CLOSE -> engine                            2 policies
 *   engine timers  <-> one loop timer     engine SA_DELETE  -> removed
 *
 * Without a data plane (--no-data-plane) the engine runs the signalling
 * only: SPIs are chosen by hipd, no SA or per-association policy is
 * installed; the XFRM trigger policies are still installed when the
 * kernel has XFRM, so traffic to a HIT starts a base exchange.
 */
#ifndef HIPD_DAEMON_H
#define HIPD_DAEMON_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <netinet/in.h>

#include "hip/engine.h"
#include "hip/identity.h"
#include "hipd/log.h"
#include "hipd/loop.h"
#include "hipd/state.h"

#define HIPD_DEFAULT_STATE_DIR	"/var/lib/hipd"
#define HIPD_DEFAULT_RUN_DIR	"/run/hipd"
#define HIPD_SOCKET_NAME	"hipd.sock"
#define HIPD_MAX_IGNORE		16
#define HIPD_ERR_MAX		512

/* HIP_CTL_A_FLAGS of replies (shared with hipconf). */
#define HIPD_STATUS_DATA_PLANE	0x1	/* status: SAs are installed */
#define HIPD_STATUS_TRIGGERS	0x2	/* status: ACQUIRE policies are in */
#define HIPD_HA_INITIATOR	0x1	/* ha: we started the exchange */
#define HIPD_HI_DEFAULT		0x1	/* hi list: the default identity */

/* Exit statuses (hipd(8)). */
#define HIPD_EXIT_OK		0
#define HIPD_EXIT_FAIL		1	/* start-up failed, bad config */
#define HIPD_EXIT_USAGE		2	/* bad command line */

/* Everything the command line and the configuration file set. */
#define HIPD_GROUP_MAX	64
#define HIPD_LIST_MAX	8	/* entries of a preference list */
#define HIPD_MAX_IDENTITY_FILES 8
#define HIPD_DEFAULT_CONTROL_GROUP "hipd"

struct hipd_config {
	char kernel[16];		/* "xfrm" */
	bool no_data_plane;
	char state_dir[PATH_MAX];
	char run_dir[PATH_MAX];
	bool foreground;
	enum hipd_log_level log_level;
	uint8_t puzzle_k;		/* difficulty asked of Initiators */
	uint32_t idle_lifetime_s;	/* 0: never closed for idleness */
	uint32_t r2_sent_s;		/* R2-SENT -> ESTABLISHED without ESP */
	uint32_t msl_s;			/* CLOSING/CLOSED kept this long */
	enum hip_key_type default_hi_type;	/* for an empty state dir */
	bool hitdev_lo;			/* HITs on lo instead of hip0 */
	/* Group whose members may change state through the control socket
	 * (besides root); "" = root only.  control_group_set: configured
	 * explicitly, so a missing group is an error, not a fallback. */
	char control_group[HIPD_GROUP_MAX];
	bool control_group_set;
	size_t n_ignore;		/* locators never used */
	struct in6_addr ignore[HIPD_MAX_IGNORE];
	uint8_t ignore_plen[HIPD_MAX_IGNORE];
	size_t n_allow;			/* locator = ...: only these are */
	struct in6_addr allow[HIPD_MAX_IGNORE];	/* used (0: all) */
	uint8_t allow_plen[HIPD_MAX_IGNORE];

	/* ESP SA lifetimes (0 = no limit) and rekeying (RFC 7402 6.9):
	 * a soft expiry starts an UPDATE rekey, with a new DH when
	 * rekey_new_dh; a hard expiry without a finished rekey closes the
	 * association. */
	uint64_t sa_soft_bytes, sa_hard_bytes;
	uint32_t sa_soft_seconds, sa_hard_seconds;
	bool rekey_new_dh;

	/* Mobility (RFC 8046): address changes are announced this long
	 * after the last one (debounce). */
	uint32_t locator_debounce_ms;

	/* Preference lists, most preferred first (n_* = 0: the engine's
	 * defaults).  Values as enum hip_dh_group, HIT suite ids and enum
	 * hip_esp_suite. */
	uint8_t dh_groups[HIPD_LIST_MAX];
	size_t n_dh_groups;
	uint8_t hit_suites[HIPD_LIST_MAX];
	size_t n_hit_suites;
	uint16_t esp_transforms[HIPD_LIST_MAX];
	size_t n_esp_transforms;

	/* Identity files to load ("" entries unused; n_identity_files = 0:
	 * every hi-*.pem of the state directory). */
	char identity_files[HIPD_MAX_IDENTITY_FILES][PATH_MAX];
	size_t n_identity_files;

	/* Peers file (hip-hosts(5)), read at start and on reload.
	 * hosts_file_set: configured explicitly (a missing file is then an
	 * error; the default may be missing); "" = none. */
	char hosts_file[PATH_MAX];
	bool hosts_file_set;

	/* Unprivileged user to run as after start-up; "" = stay root
	 * (with only CAP_NET_ADMIN and CAP_NET_RAW). */
	char user[HIPD_GROUP_MAX];

	/* MSRD (msrd.md): where persisted records are kept ("" = the
	 * state directory's msrd file) and whether persistence is on. */
	bool msrd_persist;
	char msrd_file[PATH_MAX];
};

void hipd_config_defaults(struct hipd_config *cfg);

/* Read a "key = value" file into cfg (over what cfg holds).  On error
 * err gets "FILE:LINE: reason" and cfg is unchanged.  0, HIP_EIO,
 * HIP_EFORMAT. */
int hipd_config_load(const char *path, struct hipd_config *cfg, char *err,
		     size_t errcap);

/* 1 when addr is one of the ignored locators. */
int hipd_config_ignored(const struct hipd_config *cfg,
			const struct in6_addr *addr);

struct hip_kernel;
struct hip_net;
struct hip_hitdev;
struct hip_addrs;
struct hipd_mobility;
struct hipd_ctl_server;
struct hipd_service;
struct hipd_msrd;

/* A reqid per association (HIT pair), for its SAs and policies. */
struct hipd_reqid {
	uint8_t local_hit[HIP_HIT_LEN];
	uint8_t peer_hit[HIP_HIT_LEN];
	uint32_t reqid;
	bool used;
	uint64_t in_packets;	/* inbound SA packets seen last poll */
	uint32_t spi_in, spi_out;	/* SAs installed last (rekey logs) */
	uint32_t spi_reserved;		/* last ALLOCSPI not yet filled in */
	struct in6_addr reserved_dst;	/* its outer destination */
};
#define HIPD_MAX_REQIDS 1024

struct hipd_counters {
	uint64_t acquires;		/* kernel ACQUIREs handled */
	uint64_t sa_installed;		/* SA pairs installed */
	uint64_t sa_failed;		/* SA pairs the kernel refused */
	uint64_t sa_deleted;
	uint64_t send_failed;
	uint64_t rx_errors;
	uint64_t sa_soft_expires;	/* kernel soft EXPIREs of our SAs */
	uint64_t sa_hard_expires;
	uint64_t rekeys_installed;	/* SA pairs of a rekey installed */
	uint64_t locator_changes;	/* local locator sets given to the
					 * engine (daemon_mobility.c) */
	uint64_t migrations;		/* SA pairs moved by the kernel */
	uint64_t migrate_fallbacks;	/* moves done by delete + rekey */
};

struct hipd_daemon {
	struct hipd_config cfg;
	const char *config_path;	/* NULL: none */
	struct hipd_loop *loop;
	struct hip_kernel *kernel;	/* NULL: no kernel (no data plane) */
	bool data_plane;
	bool triggers;			/* trigger policies installed */
	struct hip_net *net;
	struct hip_hitdev *hitdev;
	struct hip_addrs *addrs;
	struct hipd_mobility *mob;	/* daemon_mobility.c */
	struct hipd_ctl_server *ctl;
	struct hipd_service *svc;	/* daemon_service.c */
	struct hipd_msrd *msrd;		/* the MSRD socket (msrd.h) */
	struct hip_engine *engine;
	struct hip_engine_config ecfg;
	struct hipd_state state;
	bool state_open;
	struct hipd_timer engine_timer;
	struct hipd_timer r1_timer;
	struct hipd_timer usage_timer;	/* ESP use -> hip_engine_touch */
	uint64_t start_ms;		/* loop clock at start */
	uint64_t r1_start;		/* r1_counter_start of the engine */
	uint32_t next_reqid;
	struct hipd_reqid reqids[HIPD_MAX_REQIDS];
	struct hipd_counters ctr;
	uint32_t rand_state;
	int lock_fd;			/* one hipd per network namespace */
	uint8_t rxbuf[65536];
};

/*
 * Bring everything up in order (kernel probe, flush of leftovers,
 * trigger policies, state, engine, HITs, sockets, control socket).  On
 * failure err holds one line for the user, everything opened is closed
 * again and the kernel is left as found.  0 or a negative HIP_E*.
 */
int hipd_daemon_start(struct hipd_daemon *d, const struct hipd_config *cfg,
		      const char *config_path, char *err, size_t errcap);
/* Run the loop until SIGTERM/SIGINT. */
int hipd_daemon_run(struct hipd_daemon *d);
/* Remove our kernel state, HITs, routes and the control socket. */
void hipd_daemon_stop(struct hipd_daemon *d);

/* Re-read the configuration file (SIGHUP, RELOAD); 0 or HIP_E* with err. */
int hipd_daemon_reload(struct hipd_daemon *d, char *err, size_t errcap);

/* Process the engine's queued actions and re-arm its timer. */
void hipd_daemon_drain(struct hipd_daemon *d);

/* Recreate the engine for a changed set of identities; refused with
 * HIP_ESTATE while associations exist. */
int hipd_daemon_identities_changed(struct hipd_daemon *d, char *err,
				   size_t errcap);

/* Mirror a configured peer into the engine. */
int hipd_daemon_peer_sync(struct hipd_daemon *d, const struct hipd_peer *p);

/* Byte counters of an association's SAs (0 when unknown). */
void hipd_daemon_sa_bytes(struct hipd_daemon *d,
			  const struct hip_engine_assoc_info *ai,
			  uint64_t *in, uint64_t *out);

/* daemon_kernel.c: the kernel side (see there). */
#define HIPD_USAGE_POLL_FAST_MS	1000	/* while an association is R2-SENT */
#define HIPD_USAGE_POLL_SLOW_MS	10000
int hipd_daemon_open_kernel(struct hipd_daemon *d, char *err, size_t errcap);
int hipd_env_alloc_spi(void *arg, const uint8_t local_hit[HIP_HIT_LEN],
		       const uint8_t peer_hit[HIP_HIT_LEN],
		       const struct in6_addr *local_loc,
		       const struct in6_addr *peer_loc, uint32_t *spi);
void hipd_daemon_sa_install(struct hipd_daemon *d,
			    const struct hip_engine_action *a);
void hipd_daemon_sa_delete(struct hipd_daemon *d,
			   const struct hip_engine_action *a);
/* The reqid of the association's SAs and policies; 0: none yet. */
uint32_t hipd_daemon_reqid(struct hipd_daemon *d, const uint8_t *local_hit,
			   const uint8_t *peer_hit);
/* Point the association's two policies at new locators (replaced in
 * place).  0, HIP_ENOENT (no reqid) or the backend's error. */
int hipd_daemon_policies_set(struct hipd_daemon *d, const uint8_t *local_hit,
			     const uint8_t *peer_hit,
			     const struct in6_addr *local_loc,
			     const struct in6_addr *peer_loc);
/* Engine addresses (IPv4 v4-mapped) in the kernel backends' form. */
struct hip_kernel_outer;
struct hip_kernel_ip;
void hipd_daemon_kernel_outer(struct hip_kernel_outer *o,
			      const struct in6_addr *src,
			      const struct in6_addr *dst);
void hipd_daemon_kernel_ip(struct hip_kernel_ip *ip, const struct in6_addr *a);
void hipd_daemon_usage_poll(struct hipd_loop *loop, struct hipd_timer *t,
			    void *arg);
void hipd_daemon_kernel_ready(struct hipd_loop *loop, int fd,
			      uint32_t events, void *arg);

/* The loop's clock now. */
uint64_t hipd_daemon_now(const struct hipd_daemon *d);

/* ctl_handlers.c: register the control commands. */
int hipd_ctl_handlers_register(struct hipd_daemon *d);

#endif

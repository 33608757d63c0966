/*
 * hipd/sdnotify.h - the service manager's readiness protocol (the
 * documented sd_notify datagram protocol, without libsystemd): one
 * datagram of newline-separated VARIABLE=value lines to the unix socket
 * named by $NOTIFY_SOCKET (a path, or "@name" for the abstract
 * namespace).
 *
 *	hipd_notify_open()	reads and unsets NOTIFY_SOCKET, WATCHDOG_USEC
 *				and WATCHDOG_PID (children must not inherit
 *				them); without NOTIFY_SOCKET every call
 *				below does nothing and returns 0
 *	READY=1, MAINPID=, STATUS=	once the daemon serves
 *	RELOADING=1, MONOTONIC_USEC=	when a reload starts; READY=1 after
 *	STOPPING=1		when shutting down
 *	WATCHDOG=1		every hipd_notify_watchdog_ms() when
 *				WATCHDOG_USEC is set (and WATCHDOG_PID is
 *				ours or unset)
 */
#ifndef HIPD_SDNOTIFY_H
#define HIPD_SDNOTIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#define HIPD_NOTIFY_MAX	512	/* octets of one message */

struct hipd_notify {
	int fd;				/* -1: not under a service manager */
	struct sockaddr_un addr;
	socklen_t addr_len;
	uint64_t watchdog_usec;		/* 0: no watchdog */
};

/* 0 (also when NOTIFY_SOCKET is unset) or HIP_EINVAL (a NOTIFY_SOCKET
 * that is not a unix socket path or abstract name, or a bad
 * WATCHDOG_USEC) / HIP_EIO with err. */
int hipd_notify_open(struct hipd_notify *n, char *err, size_t errcap);
void hipd_notify_close(struct hipd_notify *n);
/* true when messages go somewhere. */
bool hipd_notify_enabled(const struct hipd_notify *n);

/* Send text as one datagram.  0, HIP_EINVAL (too long), HIP_EIO. */
int hipd_notify_send(struct hipd_notify *n, const char *text);

/* READY=1, MAINPID and STATUS=status (NULL: none). */
int hipd_notify_ready(struct hipd_notify *n, const char *status);
/* RELOADING=1 with MONOTONIC_USEC (CLOCK_MONOTONIC, as systemd wants). */
int hipd_notify_reloading(struct hipd_notify *n);
int hipd_notify_stopping(struct hipd_notify *n);
/* STATUS=status (control characters replaced). */
int hipd_notify_status(struct hipd_notify *n, const char *status);
int hipd_notify_watchdog(struct hipd_notify *n);
/* How often to send WATCHDOG=1 (half of WATCHDOG_USEC) in ms; 0: no
 * watchdog. */
uint64_t hipd_notify_watchdog_ms(const struct hipd_notify *n);

#endif

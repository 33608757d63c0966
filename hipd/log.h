/*
 * log.h - hipd's logging: four levels, a subsystem tag per message,
 * printf-style formats.  In the foreground lines go to stderr with a
 * UTC timestamp; otherwise to syslog (facility daemon).
 *
 *	log_warn("ctl", "accept on %s", path);
 *	  -> 2026-11-23T16:30:01.123Z warn ctl: accept on /run/hipd.sock:
 *	     Too many open files
 *
 * Never log key material.  There is deliberately no level, flag or
 * helper for secrets (private keys, DH or ESP keys, KEYMAT, puzzle
 * seeds), and none may be added: pass HITs, SPIs, addresses, states and
 * error codes, never key buffers or packets that carry them.
 *
 * Control characters in the formatted text are replaced with '?', so a
 * peer-supplied name cannot forge log lines.  Messages are cut at
 * HIPD_LOG_LINE_MAX bytes.  errno is preserved across every call.
 */
#ifndef HIPD_LOG_H
#define HIPD_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

enum hipd_log_level {
	HIPD_LOG_ERR = 0,
	HIPD_LOG_WARN = 1,
	HIPD_LOG_INFO = 2,
	HIPD_LOG_DEBUG = 3,
};

#define HIPD_LOG_LINE_MAX 1024

#define HIPD_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* foreground: stderr with timestamps; otherwise openlog(ident). */
void hipd_log_init(const char *ident, bool foreground,
		   enum hipd_log_level level);
/* Send foreground output to fp instead of stderr (NULL: stderr). */
void hipd_log_set_stream(FILE *fp);
void hipd_log_set_level(enum hipd_log_level level);
enum hipd_log_level hipd_log_get_level(void);
/* "err", "warn", "info", "debug"; HIP_EINVAL for anything else. */
int hipd_log_level_parse(const char *s, enum hipd_log_level *level);
const char *hipd_log_level_name(enum hipd_log_level level);
void hipd_log_close(void);

void hipd_logv(enum hipd_log_level level, const char *subsys,
	       const char *fmt, va_list ap) HIPD_PRINTF(3, 0);
void hipd_log(enum hipd_log_level level, const char *subsys,
	      const char *fmt, ...) HIPD_PRINTF(3, 4);

void log_err(const char *subsys, const char *fmt, ...) HIPD_PRINTF(2, 3);
/* Appends ": " and strerror(errno). */
void log_warn(const char *subsys, const char *fmt, ...) HIPD_PRINTF(2, 3);
void log_warnx(const char *subsys, const char *fmt, ...) HIPD_PRINTF(2, 3);
void log_info(const char *subsys, const char *fmt, ...) HIPD_PRINTF(2, 3);
void log_debug(const char *subsys, const char *fmt, ...) HIPD_PRINTF(2, 3);
/* Log at err (fatal appends strerror(errno)) and exit(1). */
_Noreturn void log_fatal(const char *subsys, const char *fmt, ...)
	HIPD_PRINTF(2, 3);
_Noreturn void log_fatalx(const char *subsys, const char *fmt, ...)
	HIPD_PRINTF(2, 3);

#endif

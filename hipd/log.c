/*
 * log.c - hipd's logging (see log.h).  The daemon is single-threaded;
 * the settings below are the process's logging configuration.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "hip/error.h"
#include "hipd/log.h"

static bool log_foreground = true;
static bool log_syslog_open;
static FILE *log_stream;
static enum hipd_log_level log_level = HIPD_LOG_INFO;

static const char *const log_names[] = { "err", "warn", "info", "debug" };
static const int log_prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

void hipd_log_init(const char *ident, bool foreground,
		   enum hipd_log_level level)
{
	hipd_log_close();
	log_foreground = foreground;
	hipd_log_set_level(level);
	if (!foreground) {
		openlog(ident ? ident : "hipd", LOG_PID | LOG_NDELAY,
			LOG_DAEMON);
		log_syslog_open = true;
	}
}

void hipd_log_set_stream(FILE *fp)
{
	log_stream = fp;
}

void hipd_log_set_level(enum hipd_log_level level)
{
	if (level <= HIPD_LOG_DEBUG)
		log_level = level;
}

enum hipd_log_level hipd_log_get_level(void)
{
	return log_level;
}

int hipd_log_level_parse(const char *s, enum hipd_log_level *level)
{
	if (!s || !level)
		return HIP_EINVAL;
	for (size_t i = 0; i < sizeof(log_names) / sizeof(log_names[0]); i++) {
		if (strcmp(s, log_names[i]) == 0) {
			*level = (enum hipd_log_level)i;
			return 0;
		}
	}
	return HIP_EINVAL;
}

const char *hipd_log_level_name(enum hipd_log_level level)
{
	return level <= HIPD_LOG_DEBUG ? log_names[level] : "?";
}

void hipd_log_close(void)
{
	if (log_syslog_open)
		closelog();
	log_syslog_open = false;
	log_foreground = true;
}

/* Format, append the errno text if asked, neutralise control bytes. */
static void log_emit(enum hipd_log_level level, const char *subsys,
		     int errnum, const char *fmt, va_list ap)
{
	char msg[HIPD_LOG_LINE_MAX];
	size_t len;
	int n;

	if (level > log_level)
		return;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		snprintf(msg, sizeof(msg), "(bad log format)");
	len = strlen(msg);
	if (errnum && len < sizeof(msg) - 1)
		snprintf(msg + len, sizeof(msg) - len, ": %s",
			 strerror(errnum));
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	if (!subsys)
		subsys = "hipd";
	if (log_foreground) {
		FILE *out = log_stream ? log_stream : stderr;
		struct timespec ts;
		struct tm tm;
		char stamp[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
		fprintf(out, "%s.%03ldZ %s %s: %s\n", stamp,
			ts.tv_nsec / 1000000, log_names[level], subsys, msg);
		fflush(out);
	} else {
		syslog(log_prio[level], "%s: %s", subsys, msg);
	}
}

void hipd_logv(enum hipd_log_level level, const char *subsys,
	       const char *fmt, va_list ap)
{
	int saved = errno;

	if (level <= HIPD_LOG_DEBUG)
		log_emit(level, subsys, 0, fmt, ap);
	errno = saved;
}

void hipd_log(enum hipd_log_level level, const char *subsys,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hipd_logv(level, subsys, fmt, ap);
	va_end(ap);
}

#define LOG_BODY(level, errnum)					\
	do {							\
		int saved_ = errno;				\
		va_list ap;					\
								\
		va_start(ap, fmt);				\
		log_emit(level, subsys, errnum, fmt, ap);	\
		va_end(ap);					\
		errno = saved_;					\
	} while (0)

void log_err(const char *subsys, const char *fmt, ...)
{
	LOG_BODY(HIPD_LOG_ERR, 0);
}

void log_warn(const char *subsys, const char *fmt, ...)
{
	LOG_BODY(HIPD_LOG_WARN, saved_);
}

void log_warnx(const char *subsys, const char *fmt, ...)
{
	LOG_BODY(HIPD_LOG_WARN, 0);
}

void log_info(const char *subsys, const char *fmt, ...)
{
	LOG_BODY(HIPD_LOG_INFO, 0);
}

void log_debug(const char *subsys, const char *fmt, ...)
{
	LOG_BODY(HIPD_LOG_DEBUG, 0);
}

void log_fatal(const char *subsys, const char *fmt, ...)
{
	LOG_BODY(HIPD_LOG_ERR, saved_);
	exit(1);
}

void log_fatalx(const char *subsys, const char *fmt, ...)
{
	LOG_BODY(HIPD_LOG_ERR, 0);
	exit(1);
}

/*
 * main.c - hipd: command line, configuration file, start and stop.
 *
 * hipd does not daemonize itself: a service manager starts it in the
 * background.  -f only chooses stderr (with timestamps) over syslog.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/identity.h"
#include "hipd/daemon.h"
#include "hipd/log.h"
#include "hipd/net.h"

void hipd_config_defaults(struct hipd_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->kernel, "xfrm");
	strcpy(cfg->state_dir, HIPD_DEFAULT_STATE_DIR);
	strcpy(cfg->run_dir, HIPD_DEFAULT_RUN_DIR);
	cfg->log_level = HIPD_LOG_INFO;
	cfg->puzzle_k = 8;
	cfg->idle_lifetime_s = 900;
	cfg->r2_sent_s = 10;
	cfg->msl_s = 120;
	cfg->default_hi_type = HIP_KEY_ECDSA_P256;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1") ||
	    !strcmp(v, "on"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") ||
		 !strcmp(v, "0") || !strcmp(v, "off"))
		*out = false;
	else
		return -1;
	return 0;
}

static int parse_uint(const char *v, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long n;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n > max)
		return -1;
	*out = n;
	return 0;
}

/* ADDR or ADDR/PLEN, IPv4 stored v4-mapped (its prefix + 96). */
static int parse_prefix(const char *v, struct in6_addr *a, uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	struct in_addr v4;
	unsigned long n = 128;
	int is4 = 0;

	if (strlen(v) >= sizeof(buf))
		return -1;
	strcpy(buf, v);
	slash = strchr(buf, '/');
	if (slash != NULL) {
		*slash++ = '\0';
		if (parse_uint(slash, 128, &n) < 0)
			return -1;
	}
	if (inet_pton(AF_INET6, buf, a) != 1) {
		if (inet_pton(AF_INET, buf, &v4) != 1)
			return -1;
		hip_net_v4mapped(a, &v4);
		is4 = 1;
	}
	if (is4) {
		if (slash == NULL)
			n = 32;
		if (n > 32)
			return -1;
		n += 96;
	}
	*plen = (uint8_t)n;
	return 0;
}

int hipd_config_ignored(const struct hipd_config *cfg,
			const struct in6_addr *addr)
{
	for (size_t i = 0; i < cfg->n_ignore; i++) {
		unsigned p = cfg->ignore_plen[i], full = p / 8, rest = p % 8;
		const uint8_t *x = cfg->ignore[i].s6_addr, *y = addr->s6_addr;

		if (memcmp(x, y, full))
			continue;
		if (rest && ((x[full] ^ y[full]) & (0xff << (8 - rest)) & 0xff))
			continue;
		return 1;
	}
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
			 e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* One "key = value"; NULL or why it is wrong. */
static const char *config_set(struct hipd_config *c, const char *key,
			      const char *val)
{
	unsigned long n;
	unsigned bits;
	bool b;

	if (!strcmp(key, "kernel")) {
		if (strcmp(val, "xfrm"))
			return "unknown kernel backend (known: xfrm)";
		strcpy(c->kernel, val);
	} else if (!strcmp(key, "data-plane")) {
		if (parse_bool(val, &b) < 0)
			return "expected yes or no";
		c->no_data_plane = !b;
	} else if (!strcmp(key, "puzzle-difficulty")) {
		if (parse_uint(val, 28, &n) < 0)
			return "expected a number of bits from 0 to 28";
		c->puzzle_k = (uint8_t)n;
	} else if (!strcmp(key, "idle-lifetime")) {
		if (parse_uint(val, 30 * 86400, &n) < 0)
			return "expected seconds (0: never), at most 30 days";
		c->idle_lifetime_s = (uint32_t)n;
	} else if (!strcmp(key, "r2-sent-timeout")) {
		if (parse_uint(val, 600, &n) < 0 || n == 0)
			return "expected seconds from 1 to 600";
		c->r2_sent_s = (uint32_t)n;
	} else if (!strcmp(key, "msl")) {
		if (parse_uint(val, 600, &n) < 0 || n == 0)
			return "expected seconds from 1 to 600";
		c->msl_s = (uint32_t)n;
	} else if (!strcmp(key, "ignore-locator")) {
		if (c->n_ignore == HIPD_MAX_IGNORE)
			return "too many ignore-locator lines";
		if (parse_prefix(val, &c->ignore[c->n_ignore],
				 &c->ignore_plen[c->n_ignore]) < 0)
			return "expected ADDRESS or ADDRESS/PREFIXLEN";
		c->n_ignore++;
	} else if (!strcmp(key, "default-hi-type")) {
		if (hip_key_type_parse(val, &c->default_hi_type, &bits) < 0 ||
		    bits != 0)
			return "expected ecdsa-p256, ecdsa-p384, rsa, "
			       "ed25519 or ed448";
	} else if (!strcmp(key, "hit-device")) {
		if (!strcmp(val, "dummy"))
			c->hitdev_lo = false;
		else if (!strcmp(val, "lo"))
			c->hitdev_lo = true;
		else
			return "expected dummy or lo";
	} else if (!strcmp(key, "log-level")) {
		if (hipd_log_level_parse(val, &c->log_level) < 0)
			return "expected err, warn, info or debug";
	} else {
		return "unknown key";
	}
	return NULL;
}

int hipd_config_load(const char *path, struct hipd_config *cfg, char *err,
		     size_t errcap)
{
	struct hipd_config c = *cfg;
	char line[1024];
	unsigned lineno = 0;
	FILE *f;

	f = fopen(path, "re");
	if (f == NULL) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return HIP_EIO;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *eq, *key, *val, *p = line;
		const char *why;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errcap, "%s:%u: line too long", path,
				 lineno);
			goto bad;
		}
		p = trim(p);
		if (*p == '\0' || *p == '#')
			continue;
		eq = strchr(p, '=');
		if (eq == NULL) {
			snprintf(err, errcap, "%s:%u: expected 'key = value'",
				 path, lineno);
			goto bad;
		}
		*eq = '\0';
		key = trim(p);
		val = trim(eq + 1);
		why = *val ? config_set(&c, key, val) : "empty value";
		if (why != NULL) {
			snprintf(err, errcap, "%s:%u: %s: %s", path, lineno,
				 key, why);
			goto bad;
		}
	}
	fclose(f);
	*cfg = c;
	return 0;
bad:
	fclose(f);
	return HIP_EFORMAT;
}

static void usage(FILE *out)
{
	fputs("usage: hipd [-fv] [-c FILE] [--state-dir DIR] [--run-dir DIR]\n"
	      "            [--kernel xfrm] [--no-data-plane]\n"
	      "       hipd -h | --help | --version\n\n"
	      "  -c, --config FILE   configuration file (key = value)\n"
	      "      --state-dir DIR identities, peers, R1 counter\n"
	      "                      (default " HIPD_DEFAULT_STATE_DIR ")\n"
	      "      --run-dir DIR   control socket DIR/" HIPD_SOCKET_NAME
	      "\n                      (default " HIPD_DEFAULT_RUN_DIR ")\n"
	      "      --kernel NAME   kernel IPsec backend: xfrm\n"
	      "      --no-data-plane signalling only: no SAs are installed\n"
	      "  -f, --foreground    log to stderr instead of syslog\n"
	      "  -v, --verbose       debug log output\n"
	      "  -h, --help          this text\n"
	      "      --version       the version\n", out);
}

enum { OPT_STATE = 256, OPT_RUN, OPT_KERNEL, OPT_NODP, OPT_VERSION };

static const struct option long_opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "state-dir", required_argument, NULL, OPT_STATE },
	{ "run-dir", required_argument, NULL, OPT_RUN },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "no-data-plane", no_argument, NULL, OPT_NODP },
	{ "foreground", no_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static int copy_path(char *dst, size_t cap, const char *src, const char *opt)
{
	if (*src == '\0' || strlen(src) >= cap - 32) {
		fprintf(stderr, "hipd: %s: bad or too long path\n", opt);
		return -1;
	}
	strcpy(dst, src);
	return 0;
}

int main(int argc, char **argv)
{
	static struct hipd_daemon daemon;	/* large: not on the stack */
	struct hipd_config cfg;
	const char *config = NULL, *state = NULL, *run = NULL, *kernel = NULL;
	char err[HIPD_ERR_MAX];
	bool nodp = false, fg = false;
	int c, verbose = 0, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:fvh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case OPT_STATE: state = optarg; break;
		case OPT_RUN: run = optarg; break;
		case OPT_KERNEL: kernel = optarg; break;
		case OPT_NODP: nodp = true; break;
		case 'f': fg = true; break;
		case 'v': verbose++; break;
		case 'h':
			usage(stdout);
			return HIPD_EXIT_OK;
		case OPT_VERSION:
			printf("hipd %s\n", PACKAGE_VERSION);
			return HIPD_EXIT_OK;
		case ':':
			fprintf(stderr, "hipd: option '%s' needs an argument\n",
				argv[optind - 1]);
			return HIPD_EXIT_USAGE;
		default:
			if (optopt)
				fprintf(stderr, "hipd: unknown option '-%c'\n",
					optopt);
			else
				fprintf(stderr, "hipd: unknown option '%s'\n",
					argv[optind - 1]);
			fputs("Try 'hipd --help'.\n", stderr);
			return HIPD_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "hipd: unexpected argument '%s'\n",
			argv[optind]);
		return HIPD_EXIT_USAGE;
	}
	hipd_config_defaults(&cfg);
	if (config != NULL &&
	    hipd_config_load(config, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "hipd: %s\n", err);
		return HIPD_EXIT_FAIL;
	}
	/* the command line wins over the file */
	if (state && copy_path(cfg.state_dir, sizeof(cfg.state_dir), state,
			       "--state-dir") < 0)
		return HIPD_EXIT_USAGE;
	if (run && copy_path(cfg.run_dir, sizeof(cfg.run_dir), run,
			     "--run-dir") < 0)
		return HIPD_EXIT_USAGE;
	if (kernel != NULL) {
		if (strcmp(kernel, "xfrm") != 0) {
			fprintf(stderr, "hipd: unknown kernel backend '%s' "
				"(known: xfrm)\n", kernel);
			return HIPD_EXIT_USAGE;
		}
		strcpy(cfg.kernel, kernel);
	}
	if (nodp)
		cfg.no_data_plane = true;
	if (verbose > 0)
		cfg.log_level = HIPD_LOG_DEBUG;
	cfg.foreground = fg;

	hipd_log_init("hipd", fg, cfg.log_level);
	r = hipd_daemon_start(&daemon, &cfg, config, err, sizeof(err));
	if (r < 0) {
		log_err("hipd", "%s", err);
		if (!fg)	/* syslog alone would hide it from the caller */
			fprintf(stderr, "hipd: %s\n", err);
		hipd_log_close();
		return HIPD_EXIT_FAIL;
	}
	r = hipd_daemon_run(&daemon);
	if (r < 0)
		log_err("hipd", "event loop failed: %s", hip_strerror(r));
	hipd_daemon_stop(&daemon);
	log_info("hipd", "stopped");
	hipd_log_close();
	return r < 0 ? HIPD_EXIT_FAIL : HIPD_EXIT_OK;
}

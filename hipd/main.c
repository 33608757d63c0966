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
#include "hipd/config.h"
#include "hipd/daemon.h"
#include "hipd/log.h"
#include "hipd/net.h"

static void usage(FILE *out)
{
	fputs("usage: hipd [-fv] [-c FILE] [--state-dir DIR] [--run-dir DIR]\n"
	      "            [--kernel xfrm|pfkey] [--no-data-plane]\n"
	      "       hipd -h | --help | --version\n\n"
	      "  -c, --config FILE   configuration file, hipd.conf(5)\n"
	      "                      (e.g. " HIPD_DEFAULT_CONFIG_FILE ")\n"
	      "      --state-dir DIR identities, peers, R1 counter\n"
	      "                      (default " HIPD_DEFAULT_STATE_DIR ")\n"
	      "      --run-dir DIR   control socket DIR/" HIPD_SOCKET_NAME
	      "\n                      (default " HIPD_DEFAULT_RUN_DIR ")\n"
	      "      --kernel NAME   kernel IPsec backend: xfrm (default)"
	      " or pfkey\n"
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
		if (hipd_config_kernel_name_ok(kernel) < 0) {
			fprintf(stderr, "hipd: unknown kernel backend '%s' "
				"(known: xfrm, pfkey)\n", kernel);
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

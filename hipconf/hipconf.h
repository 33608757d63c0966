/*
 * hipconf.h - the hipconf command table.
 *
 * Each group of commands lives in its own file and exports a table
 * ending with an entry whose name is NULL; hipconf.c lists the tables.
 * A command's function gets its own argc/argv (argv[0] is the command
 * name) and returns the process exit status.
 */
#ifndef HIPCONF_H
#define HIPCONF_H

/* Exit statuses (documented in hipconf(8)). */
#define HIPCONF_EXIT_OK		0
#define HIPCONF_EXIT_FAIL	1	/* the command failed */
#define HIPCONF_EXIT_USAGE	2	/* bad command line */

struct hipconf_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;	/* arguments after the name, e.g. "[--lsi] FILE" */
	const char *help;	/* one line for the command list */
	const char *details;	/* more text for "hipconf help CMD", or NULL */
};

/* Offline commands: keys and HITs (cmd_key.c). */
extern const struct hipconf_cmd hipconf_key_cmds[];

/* Commands talking to hipd (cmd_daemon.c). */
extern const struct hipconf_cmd hipconf_daemon_cmds[];

/* The MSRD (cmd_msrd.c). */
extern const struct hipconf_cmd hipconf_msrd_cmds[];

/* Global options before the command (-s/--socket PATH, --json): returns
 * how many argv entries after argv[0] they took, or -1 (usage error
 * reported). */
int hipconf_global_opts(int argc, char **argv);

/* "hipconf: " + message + newline on stderr. */
void hipconf_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Report a usage error for cmd and return HIPCONF_EXIT_USAGE. */
int hipconf_usage(const struct hipconf_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "hipconf help CMD" text on stdout; returns HIPCONF_EXIT_OK. */
int hipconf_print_help(const struct hipconf_cmd *cmd);

/* The table entry of a command by name, or NULL. */
const struct hipconf_cmd *hipconf_find(const char *name);

#endif

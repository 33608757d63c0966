/*
 * hipconf.c - command-line tool for hipd: dispatch through the command
 * tables, help and version.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hipconf/hipconf.h"

/* Every command group; add new tables here. */
static const struct hipconf_cmd *const cmd_tables[] = {
	hipconf_key_cmds,
	hipconf_daemon_cmds,
	hipconf_msrd_cmds,
	NULL,
};

void hipconf_err(const char *fmt, ...)
{
	va_list ap;

	fputs("hipconf: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int hipconf_usage(const struct hipconf_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("hipconf: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd != NULL)
		fprintf(stderr, "\nusage: hipconf %s %s\n", cmd->name,
			cmd->usage);
	else
		fputs("\nTry 'hipconf --help'.\n", stderr);
	return HIPCONF_EXIT_USAGE;
}

const struct hipconf_cmd *hipconf_find(const char *name)
{
	for (size_t t = 0; cmd_tables[t] != NULL; t++)
		for (const struct hipconf_cmd *c = cmd_tables[t]; c->name; c++)
			if (strcmp(c->name, name) == 0)
				return c;
	return NULL;
}

int hipconf_print_help(const struct hipconf_cmd *cmd)
{
	printf("usage: hipconf %s %s\n\n%s\n", cmd->name, cmd->usage,
	       cmd->help);
	if (cmd->details != NULL)
		printf("\n%s", cmd->details);
	return HIPCONF_EXIT_OK;
}

static void print_overview(FILE *out)
{
	fputs("usage: hipconf COMMAND [ARGS]\n"
	      "       hipconf help COMMAND\n"
	      "       hipconf --help | --version\n\n"
	      "Commands:\n", out);
	for (size_t t = 0; cmd_tables[t] != NULL; t++)
		for (const struct hipconf_cmd *c = cmd_tables[t]; c->name; c++)
			fprintf(out, "  %-10s %s\n", c->name, c->help);
	fputs("  help       show the help of a command\n\n"
	      "Exit status: 0 success, 1 failure, 2 bad command line.\n",
	      out);
}

static int cmd_help(int argc, char **argv)
{
	const struct hipconf_cmd *c;

	if (argc < 2) {
		print_overview(stdout);
		return HIPCONF_EXIT_OK;
	}
	if (argc > 2)
		return hipconf_usage(NULL, "help takes one command name");
	c = hipconf_find(argv[1]);
	if (c == NULL)
		return hipconf_usage(NULL, "unknown command '%s'", argv[1]);
	return hipconf_print_help(c);
}

int main(int argc, char **argv)
{
	const struct hipconf_cmd *c;
	const char *name;
	int n;

	n = hipconf_global_opts(argc, argv);	/* -s PATH, --json */
	if (n < 0)
		return HIPCONF_EXIT_USAGE;
	argc -= n;
	argv += n;
	if (argc < 2) {
		print_overview(stderr);
		return HIPCONF_EXIT_USAGE;
	}
	name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
		return cmd_help(1, argv + 1);
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		printf("hipconf %s\n", PACKAGE_VERSION);
		return HIPCONF_EXIT_OK;
	}
	if (name[0] == '-')
		return hipconf_usage(NULL, "unknown option '%s'", name);
	if (strcmp(name, "help") == 0)
		return cmd_help(argc - 1, argv + 1);
	c = hipconf_find(name);
	if (c == NULL)
		return hipconf_usage(NULL, "unknown command '%s'", name);
	return c->fn(argc - 1, argv + 1);
}

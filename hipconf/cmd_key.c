/*
 * cmd_key.c - offline hipconf commands: keygen, hit, pubkey.  They work
 * on key files only and never talk to hipd.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/hit.h"
#include "hip/identity.h"
#include "hipconf/hipconf.h"

static int cmd_keygen(int argc, char **argv);
static int cmd_hit(int argc, char **argv);
static int cmd_pubkey(int argc, char **argv);

const struct hipconf_cmd hipconf_key_cmds[] = {
	{ "keygen", cmd_keygen, "[--type TYPE] [--force] --out FILE",
	  "generate a host identity key and print its HIT",
	  "  -t, --type TYPE  ecdsa-p256 (default), ecdsa-p384, rsa[:BITS]\n"
	  "                   (BITS 2048..16384, default 3072), ed25519,\n"
	  "                   ed448\n"
	  "  -o, --out FILE   where to write the PKCS#8 PEM private key\n"
	  "                   (mode 0600)\n"
	  "  -f, --force      replace FILE if it exists\n" },
	{ "hit", cmd_hit, "[--lsi] FILE",
	  "print the HIT (or LSI) of a private or public key file",
	  "  -l, --lsi        print the LSI (1.x.y.z) instead of the HIT\n" },
	{ "pubkey", cmd_pubkey, "FILE",
	  "print the public key of a key file in PEM format", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* getopt_long on a subcommand's argv (GNU getopt restarts when optind
 * is 0); shortopts start with ':' so that a missing argument gives ':'. */
static int next_opt(int argc, char **argv, const char *shortopts,
		    const struct option *longopts)
{
	opterr = 0;
	return getopt_long(argc, argv, shortopts, longopts, NULL);
}

static int bad_option(const struct hipconf_cmd *cmd, int c, char **argv)
{
	if (c == ':')
		return hipconf_usage(cmd, "option '%s' needs an argument",
				     argv[optind - 1]);
	if (optopt != 0)
		return hipconf_usage(cmd, "unknown option '-%c'", optopt);
	return hipconf_usage(cmd, "unknown option '%s'", argv[optind - 1]);
}

static int print_hit(const struct hip_identity *id, int lsi)
{
	uint8_t hit[HIP_HIT_LEN], addr[HIP_LSI_LEN];
	char buf[HIP_HIT_STRLEN];
	int ret;

	ret = hip_hit_from_identity(id, hit);
	if (ret == 0 && lsi) {
		hip_lsi_from_hit(hit, addr);
		ret = hip_lsi_to_str(addr, buf, sizeof(buf));
	} else if (ret == 0) {
		ret = hip_hit_to_str(hit, buf, sizeof(buf));
	}
	if (ret < 0) {
		hipconf_err("cannot compute the HIT: %s", hip_strerror(ret));
		return HIPCONF_EXIT_FAIL;
	}
	if (printf("%s\n", buf) < 0 || fflush(stdout) != 0) {
		hipconf_err("cannot write to standard output");
		return HIPCONF_EXIT_FAIL;
	}
	return HIPCONF_EXIT_OK;
}

static int cmd_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct hipconf_cmd *cmd = &hipconf_key_cmds[0];
	const char *type_name = "ecdsa-p256", *out = NULL;
	char err[HIP_ERRBUF_LEN];
	struct hip_identity *id = NULL;
	enum hip_key_type type;
	unsigned int bits, flags = 0;
	int c, ret;

	optind = 0;
	while ((c = next_opt(argc, argv, ":t:o:fh", opts)) != -1) {
		switch (c) {
		case 't':
			type_name = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'f':
			flags |= HIP_KEYFILE_FORCE;
			break;
		case 'h':
			return hipconf_print_help(cmd);
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (optind < argc)
		return hipconf_usage(cmd, "unexpected argument '%s'",
				     argv[optind]);
	if (out == NULL)
		return hipconf_usage(cmd, "--out FILE is required");
	if (hip_key_type_parse(type_name, &type, &bits) < 0) {
		hipconf_err("unknown key type '%s' (use ecdsa-p256, "
			    "ecdsa-p384, rsa[:BITS] with BITS 2048..16384 "
			    "in steps of 8, ed25519 or ed448)", type_name);
		return HIPCONF_EXIT_FAIL;
	}
	ret = hip_identity_generate(type, bits, &id);
	if (ret < 0) {
		hipconf_err("cannot generate a %s key: %s", type_name,
			    hip_strerror(ret));
		return HIPCONF_EXIT_FAIL;
	}
	err[0] = '\0';
	ret = hip_identity_save(id, out, flags, err, sizeof(err));
	if (ret < 0) {
		if (ret == HIP_EEXIST)
			hipconf_err("%s: file exists (use --force to replace "
				    "it)", out);
		else
			hipconf_err("%s", err[0] ? err : hip_strerror(ret));
		hip_identity_free(id);
		return HIPCONF_EXIT_FAIL;
	}
	ret = print_hit(id, 0);
	hip_identity_free(id);
	return ret;
}

/* Parse "[--lsi] FILE" style arguments (lsi == NULL: no --lsi) and load
 * FILE.  Returns the exit status; *id stays NULL when there is nothing
 * more to do (--help). */
static int load_arg(const struct hipconf_cmd *cmd, int argc, char **argv,
		    int *lsi, struct hip_identity **id)
{
	static const struct option opts[] = {
		{ "lsi", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[HIP_ERRBUF_LEN];
	int c, ret;

	optind = 0;
	while ((c = next_opt(argc, argv, lsi ? ":lh" : ":h",
			     lsi ? opts : opts + 1)) != -1) {
		if (c == 'l')
			*lsi = 1;
		else if (c == 'h')
			return hipconf_print_help(cmd);
		else
			return bad_option(cmd, c, argv);
	}
	if (optind >= argc)
		return hipconf_usage(cmd, "FILE is required");
	if (optind + 1 < argc)
		return hipconf_usage(cmd, "unexpected argument '%s'",
				     argv[optind + 1]);
	err[0] = '\0';
	ret = hip_identity_load(argv[optind], HIP_KEYFILE_PUBLIC_OK, id, err,
				sizeof(err));
	if (ret < 0) {
		hipconf_err("%s", err[0] ? err : hip_strerror(ret));
		return HIPCONF_EXIT_FAIL;
	}
	return HIPCONF_EXIT_OK;
}

static int cmd_hit(int argc, char **argv)
{
	struct hip_identity *id = NULL;
	int lsi = 0, ret;

	ret = load_arg(&hipconf_key_cmds[1], argc, argv, &lsi, &id);
	if (ret != HIPCONF_EXIT_OK || id == NULL)
		return ret;
	ret = print_hit(id, lsi);
	hip_identity_free(id);
	return ret;
}

static int cmd_pubkey(int argc, char **argv)
{
	struct hip_identity *id = NULL;
	char pem[HIP_SIG_MAX_LEN * 2 + 1024];
	size_t len;
	int ret;

	ret = load_arg(&hipconf_key_cmds[2], argc, argv, NULL, &id);
	if (ret != HIPCONF_EXIT_OK || id == NULL)
		return ret;
	ret = hip_identity_public_pem(id, pem, sizeof(pem), &len);
	hip_identity_free(id);
	if (ret < 0) {
		hipconf_err("cannot encode the public key: %s",
			    hip_strerror(ret));
		return HIPCONF_EXIT_FAIL;
	}
	if (fwrite(pem, 1, len, stdout) != len || fflush(stdout) != 0) {
		hipconf_err("cannot write to standard output");
		return HIPCONF_EXIT_FAIL;
	}
	return HIPCONF_EXIT_OK;
}

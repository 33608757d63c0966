/*
 * libpfkey: names of errors, message types and extension types.
 */
#include <string.h>

#include <pfkey/pfkey.h>

static const char *const msg_names[SADB_MAX + 1] = {
	[SADB_RESERVED] = "SADB_RESERVED",
	[SADB_GETSPI] = "SADB_GETSPI",
	[SADB_UPDATE] = "SADB_UPDATE",
	[SADB_ADD] = "SADB_ADD",
	[SADB_DELETE] = "SADB_DELETE",
	[SADB_GET] = "SADB_GET",
	[SADB_ACQUIRE] = "SADB_ACQUIRE",
	[SADB_REGISTER] = "SADB_REGISTER",
	[SADB_EXPIRE] = "SADB_EXPIRE",
	[SADB_FLUSH] = "SADB_FLUSH",
	[SADB_DUMP] = "SADB_DUMP",
	[SADB_X_PROMISC] = "SADB_X_PROMISC",
	[SADB_X_PCHANGE] = "SADB_X_PCHANGE",
	[SADB_X_SPDUPDATE] = "SADB_X_SPDUPDATE",
	[SADB_X_SPDADD] = "SADB_X_SPDADD",
	[SADB_X_SPDDELETE] = "SADB_X_SPDDELETE",
	[SADB_X_SPDGET] = "SADB_X_SPDGET",
	[SADB_X_SPDACQUIRE] = "SADB_X_SPDACQUIRE",
	[SADB_X_SPDDUMP] = "SADB_X_SPDDUMP",
	[SADB_X_SPDFLUSH] = "SADB_X_SPDFLUSH",
	[SADB_X_SPDSETIDX] = "SADB_X_SPDSETIDX",
	[SADB_X_SPDEXPIRE] = "SADB_X_SPDEXPIRE",
	[SADB_X_SPDDELETE2] = "SADB_X_SPDDELETE2",
	[SADB_X_NAT_T_NEW_MAPPING] = "SADB_X_NAT_T_NEW_MAPPING",
	[SADB_X_MIGRATE] = "SADB_X_MIGRATE",
};

static const char *const ext_names[PFKEY_EXT_TYPE_MAX + 1] = {
	[SADB_EXT_SA] = "SADB_EXT_SA",
	[SADB_EXT_LIFETIME_CURRENT] = "SADB_EXT_LIFETIME_CURRENT",
	[SADB_EXT_LIFETIME_HARD] = "SADB_EXT_LIFETIME_HARD",
	[SADB_EXT_LIFETIME_SOFT] = "SADB_EXT_LIFETIME_SOFT",
	[SADB_EXT_ADDRESS_SRC] = "SADB_EXT_ADDRESS_SRC",
	[SADB_EXT_ADDRESS_DST] = "SADB_EXT_ADDRESS_DST",
	[SADB_EXT_ADDRESS_PROXY] = "SADB_EXT_ADDRESS_PROXY",
	[SADB_EXT_KEY_AUTH] = "SADB_EXT_KEY_AUTH",
	[SADB_EXT_KEY_ENCRYPT] = "SADB_EXT_KEY_ENCRYPT",
	[SADB_EXT_IDENTITY_SRC] = "SADB_EXT_IDENTITY_SRC",
	[SADB_EXT_IDENTITY_DST] = "SADB_EXT_IDENTITY_DST",
	[SADB_EXT_SENSITIVITY] = "SADB_EXT_SENSITIVITY",
	[SADB_EXT_PROPOSAL] = "SADB_EXT_PROPOSAL",
	[SADB_EXT_SUPPORTED_AUTH] = "SADB_EXT_SUPPORTED_AUTH",
	[SADB_EXT_SUPPORTED_ENCRYPT] = "SADB_EXT_SUPPORTED_ENCRYPT",
	[SADB_EXT_SPIRANGE] = "SADB_EXT_SPIRANGE",
	[SADB_X_EXT_KMPRIVATE] = "SADB_X_EXT_KMPRIVATE",
	[SADB_X_EXT_POLICY] = "SADB_X_EXT_POLICY",
	[SADB_X_EXT_SA2] = "SADB_X_EXT_SA2",
	[SADB_X_EXT_NAT_T_TYPE] = "SADB_X_EXT_NAT_T_TYPE",
	[SADB_X_EXT_NAT_T_SPORT] = "SADB_X_EXT_NAT_T_SPORT",
	[SADB_X_EXT_NAT_T_DPORT] = "SADB_X_EXT_NAT_T_DPORT",
	[SADB_X_EXT_NAT_T_OA] = "SADB_X_EXT_NAT_T_OA",
	[SADB_X_EXT_SEC_CTX] = "SADB_X_EXT_SEC_CTX",
	[SADB_X_EXT_KMADDRESS] = "SADB_X_EXT_KMADDRESS",
	[SADB_X_EXT_FILTER] = "SADB_X_EXT_FILTER",
	[SADB_X_EXT_REF] = "SADB_X_EXT_REF",
};

const char *pfkey_msg_type_name(unsigned int type)
{
	if (type > SADB_MAX || !msg_names[type])
		return "unknown";
	return msg_names[type];
}

const char *pfkey_ext_type_name(unsigned int exttype)
{
	if (exttype > PFKEY_EXT_TYPE_MAX || !ext_names[exttype])
		return "unknown";
	return ext_names[exttype];
}

const char *pfkey_strerror(int err)
{
	switch (err) {
	case PFKEY_OK:
		return "success";
	case PFKEY_EINVAL:
		return "invalid argument";
	case PFKEY_ENOSPC:
		return "output buffer too small";
	case PFKEY_EVERSION:
		return "not a PF_KEY v2 message";
	case PFKEY_ELEN:
		return "message length does not match";
	case PFKEY_ETRUNC:
		return "message truncated or extension overruns it";
	case PFKEY_EZEROLEN:
		return "zero-length extension";
	case PFKEY_EUNKNOWN:
		return "unknown message or extension type";
	case PFKEY_EDUP:
		return "duplicated extension";
	case PFKEY_EEXT:
		return "malformed extension";
	case PFKEY_ENOTALLOWED:
		return "extension not allowed in this message type";
	case PFKEY_ENOENT:
		return "no such extension";
	case PFKEY_ETIMEDOUT:
		return "no reply from the kernel in time";
	case PFKEY_EREPLY:
		return "unexpected reply from the kernel";
	case PFKEY_ENOMEM:
		return "out of memory";
	default:
		break;
	}
	if (err < 0 && err > -4096) {
		/* strerror() may use a shared buffer; the description
		 * table is constant. */
		const char *s = strerrordesc_np(-err);

		if (s)
			return s;
	}
	return "unknown error";
}

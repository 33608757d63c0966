/*
 * identity_file.c - host identities in PEM files.
 *
 * Private keys are written as unencrypted PKCS#8 PEM, mode 0600, through
 * a temporary file in the target directory that is fsync'ed and then
 * linked (no overwrite) or renamed (overwrite) into place, followed by an
 * fsync of the directory.  Loading refuses private keys that group or
 * others can access, like ssh does.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "hip/error.h"
#include "hip/identity.h"
#include "hip/util.h"
#include "libhipcore/identity_priv.h"

/* Far above any PEM key we accept (RSA-16384 PKCS#8 is about 13 KiB). */
#define KEYFILE_MAX	(64 * 1024)

__attribute__((format(printf, 4, 5)))
static void set_err(char *buf, size_t cap, const char *name,
		    const char *fmt, ...)
{
	va_list ap;
	int n;

	if (buf == NULL || cap == 0)
		return;
	n = snprintf(buf, cap, "%s: ", name ? name : "key");
	if (n < 0 || (size_t)n >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, cap - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Never ask for a passphrase: encrypted keys are not supported. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static int contains(const uint8_t *hay, size_t len, const char *needle)
{
	return memmem(hay, len, needle, strlen(needle)) != NULL;
}

int hip_identity_load_mem(const uint8_t *pem, size_t len, unsigned int flags,
			  const char *name, struct hip_identity **out,
			  char *errbuf, size_t errcap)
{
	const char *what = (flags & HIP_KEYFILE_PUBLIC_OK) ? "key"
							   : "private key";
	EVP_PKEY *pkey = NULL;
	BIO *bio;
	int ret, public_only = 0;

	if ((pem == NULL && len > 0) || out == NULL)
		return HIP_EINVAL;
	if (len > KEYFILE_MAX) {
		set_err(errbuf, errcap, name, "too large to be a key file");
		return HIP_EFORMAT;
	}
	if (contains(pem, len, "ENCRYPTED")) {
		set_err(errbuf, errcap, name,
			"encrypted private keys are not supported");
		return HIP_EUNSUPPORTED;
	}
	bio = BIO_new_mem_buf(pem, (int)len);
	if (bio == NULL)
		return HIP_ENOMEM;
	pkey = PEM_read_bio_PrivateKey_ex(bio, NULL, no_passphrase, NULL,
					  NULL, NULL);
	BIO_free(bio);
	if (pkey == NULL && contains(pem, len, "PUBLIC KEY-----")) {
		bio = BIO_new_mem_buf(pem, (int)len);
		if (bio == NULL)
			return HIP_ENOMEM;
		pkey = PEM_read_bio_PUBKEY_ex(bio, NULL, no_passphrase, NULL,
					      NULL, NULL);
		BIO_free(bio);
		public_only = 1;
	}
	ERR_clear_error();
	if (pkey == NULL) {
		set_err(errbuf, errcap, name, "not a %s in PEM format", what);
		return HIP_EFORMAT;
	}
	if (public_only && !(flags & HIP_KEYFILE_PUBLIC_OK)) {
		EVP_PKEY_free(pkey);
		set_err(errbuf, errcap, name,
			"a public key, not a private key");
		return HIP_EFORMAT;
	}
	ret = hip_identity_wrap(pkey, out);
	if (ret < 0) {
		if (ret == HIP_EUNSUPPORTED)
			set_err(errbuf, errcap, name,
				"%s key type or size not supported by HIP "
				"(use RSA, ECDSA P-256/P-384, Ed25519, Ed448)",
				EVP_PKEY_get0_type_name(pkey) ?
				EVP_PKEY_get0_type_name(pkey) : "this");
		else if (ret == HIP_EFORMAT)
			set_err(errbuf, errcap, name,
				"invalid key (public key check failed)");
		else
			set_err(errbuf, errcap, name, "%s", hip_strerror(ret));
		EVP_PKEY_free(pkey);
		return ret;
	}
	return 0;
}

static int read_all(int fd, uint8_t *buf, size_t cap, size_t *len)
{
	size_t got = 0;
	ssize_t n;

	for (;;) {
		if (got == cap)
			return HIP_EFORMAT;	/* longer than it said */
		n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return HIP_EIO;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	*len = got;
	return 0;
}

int hip_identity_load(const char *path, unsigned int flags,
		      struct hip_identity **out, char *errbuf, size_t errcap)
{
	struct hip_identity *id = NULL;
	struct stat st;
	uint8_t *buf;
	size_t len = 0;
	int fd, ret;

	if (path == NULL || out == NULL)
		return HIP_EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		set_err(errbuf, errcap, path, "%s", strerror(errno));
		return errno == ENOENT ? HIP_ENOENT : HIP_EIO;
	}
	if (fstat(fd, &st) < 0) {
		set_err(errbuf, errcap, path, "%s", strerror(errno));
		close(fd);
		return HIP_EIO;
	}
	if (!S_ISREG(st.st_mode)) {
		set_err(errbuf, errcap, path, "not a regular file");
		close(fd);
		return HIP_EIO;
	}
	if (st.st_size > KEYFILE_MAX) {
		set_err(errbuf, errcap, path, "too large to be a key file");
		close(fd);
		return HIP_EFORMAT;
	}
	/* One spare octet detects a file that grew since fstat. */
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		return HIP_ENOMEM;
	}
	ret = read_all(fd, buf, (size_t)st.st_size + 1, &len);
	if (ret == HIP_EIO)
		set_err(errbuf, errcap, path, "%s", strerror(errno));
	else if (ret < 0)
		set_err(errbuf, errcap, path, "file changed while reading");
	close(fd);
	if (ret == 0)
		ret = hip_identity_load_mem(buf, len, flags, path, &id, errbuf,
					    errcap);
	hip_wipe(buf, (size_t)st.st_size + 1);
	free(buf);
	if (ret < 0)
		return ret;
	if (id->priv && (st.st_mode & 077) &&
	    !(flags & HIP_KEYFILE_ALLOW_INSECURE)) {
		hip_identity_free(id);
		set_err(errbuf, errcap, path,
			"private key readable or writable by group or others "
			"(mode %04o); run chmod 600 on it",
			(unsigned int)(st.st_mode & 07777));
		return HIP_EPERM;
	}
	*out = id;
	return 0;
}

/* The PKCS#8 PEM text, in a buffer that the caller wipes and frees. */
static int pkcs8_pem(const struct hip_identity *id, uint8_t **out,
		     size_t *len)
{
	BIO *bio = BIO_new(BIO_s_secmem());
	char *data;
	long n;
	int ret = HIP_ECRYPTO;

	if (bio == NULL)
		return HIP_ENOMEM;
	if (PEM_write_bio_PKCS8PrivateKey(bio, id->pkey, NULL, NULL, 0, NULL,
					  NULL) == 1) {
		n = BIO_get_mem_data(bio, &data);
		if (n > 0) {
			*out = malloc((size_t)n);
			if (*out == NULL) {
				ret = HIP_ENOMEM;
			} else {
				memcpy(*out, data, (size_t)n);
				*len = (size_t)n;
				ret = 0;
			}
		}
	}
	BIO_free(bio);
	ERR_clear_error();
	return ret;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

int hip_identity_save(const struct hip_identity *id, const char *path,
		      unsigned int flags, char *errbuf, size_t errcap)
{
	char dir[PATH_MAX], tmp[PATH_MAX];
	const char *slash, *base;
	uint8_t *pem = NULL;
	size_t len = 0;
	int fd, ret, saved;

	if (id == NULL || path == NULL || *path == '\0')
		return HIP_EINVAL;
	if (!id->priv) {
		set_err(errbuf, errcap, path, "no private key to save");
		return HIP_EINVAL;
	}
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	if (*base == '\0') {
		set_err(errbuf, errcap, path, "not a file name");
		return HIP_EINVAL;
	}
	if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	else
		snprintf(dir, sizeof(dir), ".");
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, base) >=
	    sizeof(tmp)) {
		set_err(errbuf, errcap, path, "path too long");
		return HIP_EINVAL;
	}
	if (!(flags & HIP_KEYFILE_FORCE) && access(path, F_OK) == 0) {
		set_err(errbuf, errcap, path, "file exists");
		return HIP_EEXIST;
	}
	ret = pkcs8_pem(id, &pem, &len);
	if (ret < 0) {
		set_err(errbuf, errcap, path, "cannot encode the key: %s",
			hip_strerror(ret));
		return ret;
	}
	/* mkostemp opens with O_CREAT | O_EXCL and mode 0600. */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		set_err(errbuf, errcap, path, "cannot create a file in %s: %s",
			dir, strerror(errno));
		ret = HIP_EIO;
		goto out;
	}
	if (fchmod(fd, 0600) < 0 || write_all(fd, pem, len) < 0 ||
	    fsync(fd) < 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		set_err(errbuf, errcap, path, "cannot write %s: %s", tmp,
			strerror(saved));
		ret = HIP_EIO;
		goto out;
	}
	if (close(fd) < 0) {
		saved = errno;
		unlink(tmp);
		set_err(errbuf, errcap, path, "cannot write %s: %s", tmp,
			strerror(saved));
		ret = HIP_EIO;
		goto out;
	}
	/* link() refuses to replace an existing file, closing the race
	 * between the access() check and here. */
	if (flags & HIP_KEYFILE_FORCE)
		ret = rename(tmp, path);
	else
		ret = link(tmp, path);
	saved = errno;
	if (ret < 0 || !(flags & HIP_KEYFILE_FORCE))
		unlink(tmp);
	if (ret < 0) {
		set_err(errbuf, errcap, path, "%s", strerror(saved));
		ret = saved == EEXIST ? HIP_EEXIST : HIP_EIO;
		goto out;
	}
	if (fsync_dir(dir) < 0) {
		set_err(errbuf, errcap, path, "cannot sync directory %s: %s",
			dir, strerror(errno));
		ret = HIP_EIO;
		goto out;
	}
	ret = 0;
out:
	hip_wipe(pem, len);
	free(pem);
	return ret;
}

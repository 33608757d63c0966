/*
 * state.c - hipd's state directory: identities, peers, R1 counter.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hip/error.h"
#include "hip/hit.h"
#include "hipd/log.h"
#include "hipd/state.h"

static void seterr(char *err, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || cap == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
}

static int path_in(const struct hipd_state *s, const char *name, char *out,
		   size_t cap)
{
	int n = snprintf(out, cap, "%s/%s", s->dir, name);

	return n < 0 || (size_t)n >= cap ? HIP_ENOSPC : 0;
}

int hipd_state_write_file(const char *path, const char *data, size_t len,
			  unsigned mode)
{
	char tmp[PATH_MAX], dir[PATH_MAX], *slash;
	int fd, dfd, e;
	size_t off = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return HIP_EINVAL;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  mode);
	if (fd < 0)
		return HIP_EIO;
	if (fchmod(fd, mode) < 0)
		goto fail;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash != NULL) {
		*slash = '\0';
		dfd = open(*dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	return 0;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
	return HIP_EIO;
}

/* --- identities ----------------------------------------------------- */

static int id_add(struct hipd_state *s, struct hip_identity *id, unsigned num,
		  const char *path, char *err, size_t errcap)
{
	uint8_t hit[HIP_HIT_LEN];
	size_t i;
	int r;

	r = hip_hit_from_identity(id, hit);
	if (r < 0) {
		seterr(err, errcap, "%s: cannot compute the HIT: %s", path,
		       hip_strerror(r));
		return r;
	}
	if (s->n_ids == HIPD_STATE_MAX_IDS) {
		seterr(err, errcap, "%s: more than %d identities", path,
		       HIPD_STATE_MAX_IDS);
		return HIP_ENOSPC;
	}
	for (i = 0; i < s->n_ids; i++)
		if (memcmp(s->hits[i], hit, HIP_HIT_LEN) == 0) {
			seterr(err, errcap, "%s: same identity as hi-%02u.pem",
			       path, s->id_num[i]);
			return HIP_EEXIST;
		}
	/* keep ids[] sorted by number: the lowest is the default */
	for (i = s->n_ids; i > 0 && s->id_num[i - 1] > num; i--) {
		s->ids[i] = s->ids[i - 1];
		s->id_num[i] = s->id_num[i - 1];
		memcpy(s->hits[i], s->hits[i - 1], HIP_HIT_LEN);
	}
	s->ids[i] = id;
	s->id_num[i] = num;
	memcpy(s->hits[i], hit, HIP_HIT_LEN);
	s->n_ids++;
	return 0;
}

static int parse_id_name(const char *name, unsigned *num)
{
	unsigned n;
	int used = 0;

	if (sscanf(name, "hi-%u.pem%n", &n, &used) != 1 ||
	    used == 0 || name[used] != '\0' || n > 9999)
		return 0;
	*num = n;
	return 1;
}

/* A user name for messages ("uid N" when it has none). */
static void uid_name(uid_t uid, char *buf, size_t cap)
{
	struct passwd pw, *res = NULL;
	char tmp[1024];

	if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) == 0 && res)
		snprintf(buf, cap, "%s", pw.pw_name);
	else
		snprintf(buf, cap, "%ld", (long)uid);
}

/* A key file must belong to root, to us or to the user we become:
 * anyone else could replace our identity. */
static int key_owner_ok(const struct hipd_state *s, const char *path,
			char *err, size_t errcap)
{
	struct stat st;
	char owner[64], me[64];

	if (stat(path, &st) < 0) {
		seterr(err, errcap, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? HIP_ENOENT : HIP_EIO;
	}
	if (st.st_uid == 0 || st.st_uid == geteuid() ||
	    (s->key_uid != (uid_t)-1 && st.st_uid == s->key_uid))
		return 0;
	uid_name(st.st_uid, owner, sizeof(owner));
	uid_name(s->key_uid != (uid_t)-1 ? s->key_uid : geteuid(), me,
		 sizeof(me));
	seterr(err, errcap, "%s: private key owned by %s (uid %ld, mode "
	       "%04o), not by root or %s; run chown %s %s", path, owner,
	       (long)st.st_uid, (unsigned)(st.st_mode & 07777), me, me, path);
	return HIP_EPERM;
}

static int load_key(struct hipd_state *s, const char *path, unsigned num,
		    char *err, size_t errcap)
{
	struct hip_identity *id;
	int r;

	r = key_owner_ok(s, path, err, errcap);
	if (r == 0)
		r = hip_identity_load(path, 0, &id, err, errcap);
	if (r < 0)
		return r;
	r = id_add(s, id, num, path, err, errcap);
	if (r < 0)
		hip_identity_free(id);
	return r;
}

static int load_identities(struct hipd_state *s, char *err, size_t errcap)
{
	DIR *d;
	struct dirent *de;
	char path[PATH_MAX];
	int r = 0;

	d = opendir(s->dir);
	if (d == NULL) {
		seterr(err, errcap, "%s: %s", s->dir, strerror(errno));
		return HIP_EIO;
	}
	while ((de = readdir(d)) != NULL) {
		unsigned num;

		if (!parse_id_name(de->d_name, &num))
			continue;
		if (path_in(s, de->d_name, path, sizeof(path)) < 0)
			continue;
		r = load_key(s, path, num, err, errcap);
		if (r < 0)
			break;
	}
	closedir(d);
	return r;
}

static int load_files(struct hipd_state *s, const struct hipd_state_opts *o,
		      char *err, size_t errcap)
{
	for (size_t i = 0; i < o->n_files; i++) {
		int r = load_key(s, o->files[i],
				 HIPD_STATE_FILE_NUM + (unsigned)i, err,
				 errcap);

		if (r < 0)
			return r;
	}
	s->configured_ids = true;
	return 0;
}

/* Keep the identities of the allowed HIT suites only. */
static int filter_suites(struct hipd_state *s,
			 const struct hipd_state_opts *o, char *err,
			 size_t errcap)
{
	size_t keep = 0;

	if (o->n_suites == 0)
		return 0;
	for (size_t i = 0; i < s->n_ids; i++) {
		int suite = hip_hit_suite_of(s->hits[i]);
		bool ok = false;

		for (size_t k = 0; k < o->n_suites; k++)
			ok |= suite == o->suites[k];
		if (!ok) {
			char h[HIP_HIT_STRLEN];

			hip_hit_to_str(s->hits[i], h, sizeof(h));
			log_info("state", "identity %s not used: HIT suite %d "
				 "is not in hit-suites", h, suite);
			hip_identity_free(s->ids[i]);
			continue;
		}
		s->ids[keep] = s->ids[i];
		s->id_num[keep] = s->id_num[i];
		memmove(s->hits[keep], s->hits[i], HIP_HIT_LEN);
		keep++;
	}
	s->n_ids = keep;
	if (keep == 0) {
		seterr(err, errcap, "no host identity of the HIT suites in "
		       "hit-suites");
		return HIP_ENOENT;
	}
	return 0;
}

int hipd_state_hi_find(const struct hipd_state *s,
		       const uint8_t hit[HIP_HIT_LEN])
{
	for (size_t i = 0; i < s->n_ids; i++)
		if (memcmp(s->hits[i], hit, HIP_HIT_LEN) == 0)
			return (int)i;
	return -1;
}

int hipd_state_hi_new(struct hipd_state *s, enum hip_key_type type,
		      unsigned rsa_bits, size_t *idx, char *err,
		      size_t errcap)
{
	struct hip_identity *id;
	char path[PATH_MAX], name[32];
	unsigned num = 0;
	int r;

	if (s->configured_ids) {
		seterr(err, errcap, "the host identities are the identity "
		       "files of the configuration; change them there");
		return HIP_ESTATE;
	}
	if (s->n_ids == HIPD_STATE_MAX_IDS) {
		seterr(err, errcap, "already %d host identities",
		       HIPD_STATE_MAX_IDS);
		return HIP_ENOSPC;
	}
	for (size_t i = 0; i < s->n_ids; i++)
		if (s->id_num[i] >= num)
			num = s->id_num[i] + 1;
	r = hip_identity_generate(type, rsa_bits, &id);
	if (r < 0) {
		seterr(err, errcap, "cannot generate a %s key: %s",
		       hip_key_type_name(type), hip_strerror(r));
		return r;
	}
	snprintf(name, sizeof(name), "hi-%02u.pem", num);
	r = path_in(s, name, path, sizeof(path));
	if (r == 0)
		r = hip_identity_save(id, path, 0, err, errcap);
	if (r == 0) {
		r = id_add(s, id, num, path, err, errcap);
		if (r < 0)
			unlink(path);
	}
	if (r < 0) {
		hip_identity_free(id);
		return r;
	}
	for (size_t i = 0; i < s->n_ids; i++)
		if (s->ids[i] == id)
			*idx = i;
	return 0;
}

int hipd_state_hi_del(struct hipd_state *s, const uint8_t hit[HIP_HIT_LEN],
		      struct hip_identity **removed, char *err,
		      size_t errcap)
{
	char path[PATH_MAX], name[32];
	int i = hipd_state_hi_find(s, hit);

	if (i < 0) {
		seterr(err, errcap, "no local host identity with that HIT");
		return HIP_ENOENT;
	}
	if (s->configured_ids || s->id_num[i] >= HIPD_STATE_FILE_NUM) {
		seterr(err, errcap, "the host identities are the identity "
		       "files of the configuration; change them there");
		return HIP_ESTATE;
	}
	if (s->n_ids == 1) {
		seterr(err, errcap, "cannot delete the only host identity");
		return HIP_ESTATE;
	}
	snprintf(name, sizeof(name), "hi-%02u.pem", s->id_num[i]);
	if (path_in(s, name, path, sizeof(path)) < 0 ||
	    (unlink(path) < 0 && errno != ENOENT)) {
		seterr(err, errcap, "%s: %s", path, strerror(errno));
		return HIP_EIO;
	}
	*removed = s->ids[i];
	for (size_t j = (size_t)i; j + 1 < s->n_ids; j++) {
		s->ids[j] = s->ids[j + 1];
		s->id_num[j] = s->id_num[j + 1];
		memcpy(s->hits[j], s->hits[j + 1], HIP_HIT_LEN);
	}
	s->n_ids--;
	return 0;
}

/* --- peers ------------------------------------------------------------ */

static int parse_locator(const char *s, struct in6_addr *out)
{
	struct in_addr v4;

	if (inet_pton(AF_INET6, s, out) == 1)
		return 0;
	if (inet_pton(AF_INET, s, &v4) == 1) {
		memset(out, 0, sizeof(*out));
		out->s6_addr[10] = 0xff;
		out->s6_addr[11] = 0xff;
		memcpy(&out->s6_addr[12], &v4, 4);
		return 0;
	}
	return HIP_EFORMAT;
}

int hipd_state_peer_parse(const char *line, struct hipd_peer *p,
			  char *why, size_t whycap)
{
	char buf[1024], *save = NULL, *tok;
	struct hipd_peer np;

	if (strlen(line) >= sizeof(buf)) {
		seterr(why, whycap, "line too long");
		return HIP_EFORMAT;
	}
	strcpy(buf, line);
	memset(&np, 0, sizeof(np));
	tok = strtok_r(buf, " \t\r", &save);
	if (tok == NULL || tok[0] == '#')
		return 0;
	if (hip_hit_from_str(tok, np.hit) < 0) {
		seterr(why, whycap, "'%s' is not a HIT", tok);
		return HIP_EFORMAT;
	}
	while ((tok = strtok_r(NULL, " \t\r", &save)) != NULL) {
		if (strncmp(tok, "name=", 5) == 0) {
			const char *n = tok + 5;

			if (*n == '\0' || strlen(n) >= HIPD_PEER_NAME_MAX) {
				seterr(why, whycap, "bad name '%s'", n);
				return HIP_EFORMAT;
			}
			strcpy(np.name, n);
			continue;
		}
		if (np.n_locators == HIP_ENGINE_MAX_LOCATORS) {
			seterr(why, whycap, "more than %d locators",
			       HIP_ENGINE_MAX_LOCATORS);
			return HIP_EFORMAT;
		}
		if (parse_locator(tok, &np.locators[np.n_locators]) < 0) {
			seterr(why, whycap, "'%s' is not an address", tok);
			return HIP_EFORMAT;
		}
		np.n_locators++;
	}
	if (np.n_locators == 0) {
		seterr(why, whycap, "no locator");
		return HIP_EFORMAT;
	}
	*p = np;
	return 1;
}

static void format_locator(const struct in6_addr *a, char *buf, size_t cap)
{
	static const uint8_t v4pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					   0xff, 0xff };

	if (memcmp(a->s6_addr, v4pfx, 12) == 0)
		inet_ntop(AF_INET, &a->s6_addr[12], buf, (socklen_t)cap);
	else
		inet_ntop(AF_INET6, a, buf, (socklen_t)cap);
}

static int save_peers(struct hipd_state *s, char *err, size_t errcap)
{
	char path[PATH_MAX], *text;
	size_t cap = 64 + s->n_peers * 256, len = 0;
	int r;

	text = malloc(cap);
	if (text == NULL)
		return HIP_ENOMEM;
	len += (size_t)snprintf(text, cap, "# hipd peers: HIT LOCATOR... "
				"[name=NAME]\n");
	for (size_t i = 0; i < s->n_peers; i++) {
		const struct hipd_peer *p = &s->peers[i];
		char a[INET6_ADDRSTRLEN];

		hip_hit_to_str(p->hit, a, sizeof(a));
		len += (size_t)snprintf(text + len, cap - len, "%s", a);
		for (size_t j = 0; j < p->n_locators; j++) {
			format_locator(&p->locators[j], a, sizeof(a));
			len += (size_t)snprintf(text + len, cap - len, " %s", a);
		}
		if (p->name[0])
			len += (size_t)snprintf(text + len, cap - len,
						" name=%s", p->name);
		len += (size_t)snprintf(text + len, cap - len, "\n");
	}
	r = path_in(s, "peers", path, sizeof(path));
	if (r == 0)
		r = hipd_state_write_file(path, text, len, 0600);
	if (r < 0)
		seterr(err, errcap, "%s: %s", path, strerror(errno));
	free(text);
	return r;
}

static int load_peers(struct hipd_state *s, char *err, size_t errcap)
{
	char path[PATH_MAX], line[1100], why[128];
	unsigned lineno = 0;
	FILE *f;
	int r = 0;

	if (path_in(s, "peers", path, sizeof(path)) < 0)
		return HIP_EINVAL;
	f = fopen(path, "re");
	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		seterr(err, errcap, "%s: %s", path, strerror(errno));
		return HIP_EIO;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		struct hipd_peer p;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		r = hipd_state_peer_parse(line, &p, why, sizeof(why));
		if (r == 0)
			continue;
		if (r < 0) {
			seterr(err, errcap, "%s:%u: %s", path, lineno, why);
			break;
		}
		if (s->n_peers == HIPD_STATE_MAX_PEERS) {
			seterr(err, errcap, "%s:%u: more than %d peers", path,
			       lineno, HIPD_STATE_MAX_PEERS);
			r = HIP_ENOSPC;
			break;
		}
		if (hipd_state_peer_find(s, p.hit) != NULL) {
			seterr(err, errcap, "%s:%u: duplicate peer", path,
			       lineno);
			r = HIP_EFORMAT;
			break;
		}
		s->peers[s->n_peers++] = p;
		r = 0;
	}
	fclose(f);
	return r;
}

const struct hipd_peer *hipd_state_peer_find(const struct hipd_state *s,
					     const uint8_t hit[HIP_HIT_LEN])
{
	for (size_t i = 0; i < s->n_peers; i++)
		if (memcmp(s->peers[i].hit, hit, HIP_HIT_LEN) == 0)
			return &s->peers[i];
	return NULL;
}

int hipd_state_peer_set(struct hipd_state *s, const struct hipd_peer *p,
			char *err, size_t errcap)
{
	const struct hipd_peer *old = hipd_state_peer_find(s, p->hit);
	struct hipd_peer keep;
	size_t i;
	int r;

	if (old != NULL) {
		i = (size_t)(old - s->peers);
		keep = s->peers[i];
		s->peers[i] = *p;
		r = save_peers(s, err, errcap);
		if (r < 0)
			s->peers[i] = keep;
		return r;
	}
	if (s->n_peers == HIPD_STATE_MAX_PEERS) {
		seterr(err, errcap, "already %d peers", HIPD_STATE_MAX_PEERS);
		return HIP_ENOSPC;
	}
	s->peers[s->n_peers++] = *p;
	r = save_peers(s, err, errcap);
	if (r < 0)
		s->n_peers--;
	return r;
}

int hipd_state_peer_del(struct hipd_state *s, const uint8_t hit[HIP_HIT_LEN],
			char *err, size_t errcap)
{
	const struct hipd_peer *old = hipd_state_peer_find(s, hit);
	struct hipd_peer keep;
	size_t i;
	int r;

	if (old == NULL) {
		seterr(err, errcap, "no such peer");
		return HIP_ENOENT;
	}
	i = (size_t)(old - s->peers);
	keep = s->peers[i];
	memmove(&s->peers[i], &s->peers[i + 1],
		(s->n_peers - i - 1) * sizeof(s->peers[0]));
	s->n_peers--;
	r = save_peers(s, err, errcap);
	if (r < 0) {
		memmove(&s->peers[i + 1], &s->peers[i],
			(s->n_peers - i) * sizeof(s->peers[0]));
		s->peers[i] = keep;
		s->n_peers++;
	}
	return r;
}

/* --- R1 counter ------------------------------------------------------ */

static int load_r1(struct hipd_state *s, char *err, size_t errcap)
{
	char path[PATH_MAX], buf[32], *end;
	FILE *f;
	unsigned long long v;

	if (path_in(s, "r1-counter", path, sizeof(path)) < 0)
		return HIP_EINVAL;
	f = fopen(path, "re");
	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		seterr(err, errcap, "%s: %s", path, strerror(errno));
		return HIP_EIO;
	}
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || end == buf || (*end != '\n' && *end != '\0') ||
	    v > UINT64_MAX / 2) {
		seterr(err, errcap, "%s:1: not a counter value", path);
		return HIP_EFORMAT;
	}
	s->r1_counter = v;
	return 0;
}

int hipd_state_r1_save(struct hipd_state *s, uint64_t value)
{
	char path[PATH_MAX], buf[32];
	int n;

	if (path_in(s, "r1-counter", path, sizeof(path)) < 0)
		return HIP_EINVAL;
	n = snprintf(buf, sizeof(buf), "%" PRIu64 "\n", value);
	return hipd_state_write_file(path, buf, (size_t)n, 0600);
}

/* --- open / close ----------------------------------------------------- */

/* The first start: one identity of the default type, said in the log
 * (the HIT is what peers configure for this host). */
static int create_default(struct hipd_state *s, enum hip_key_type type,
			  char *err, size_t errcap)
{
	char h[HIP_HIT_STRLEN];
	size_t idx = 0;
	int r;

	r = hipd_state_hi_new(s, type, 0, &idx, err, errcap);
	if (r < 0)
		return r;
	hip_hit_to_str(s->hits[idx], h, sizeof(h));
	log_info("state", "no host identity in %s: created %s/hi-%02u.pem "
		 "(%s), HIT %s", s->dir, s->dir, s->id_num[idx],
		 hip_key_type_name(type), h);
	return 0;
}

int hipd_state_open_opts(struct hipd_state *s,
			 const struct hipd_state_opts *o, char *err,
			 size_t errcap)
{
	struct stat st;
	int r;

	memset(s, 0, sizeof(*s));
	s->key_uid = o->key_uid;
	if (strlen(o->dir) >= sizeof(s->dir) - 32) {
		seterr(err, errcap, "%s: path too long", o->dir);
		return HIP_EINVAL;
	}
	strcpy(s->dir, o->dir);
	if (mkdir(o->dir, 0700) < 0 && errno != EEXIST) {
		seterr(err, errcap, "%s: cannot create: %s", o->dir,
		       strerror(errno));
		return HIP_EIO;
	}
	if (stat(o->dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		seterr(err, errcap, "%s: not a directory", o->dir);
		return HIP_EIO;
	}
	if (o->n_files > 0) {
		r = load_files(s, o, err, errcap);
	} else {
		r = load_identities(s, err, errcap);
		if (r == 0 && s->n_ids == 0)
			r = create_default(s, o->deftype, err, errcap);
	}
	if (r == 0)
		r = filter_suites(s, o, err, errcap);
	if (r == 0)
		r = load_peers(s, err, errcap);
	if (r == 0)
		r = load_r1(s, err, errcap);
	if (r < 0)
		hipd_state_close(s);
	return r;
}

int hipd_state_open(struct hipd_state *s, const char *dir,
		    enum hip_key_type deftype, char *err, size_t errcap)
{
	struct hipd_state_opts o = {
		.dir = dir, .deftype = deftype, .key_uid = (uid_t)-1,
	};

	return hipd_state_open_opts(s, &o, err, errcap);
}

void hipd_state_close(struct hipd_state *s)
{
	for (size_t i = 0; i < s->n_ids; i++)
		hip_identity_free(s->ids[i]);
	s->n_ids = 0;
	s->n_peers = 0;
}

/*
 * msrd-watch.c - an example MSRD watcher, written only against the
 * public MSRD API (<hip/msrd.h>, link -lhipcore) and libpfkey
 * (<pfkey/pfkey.h>, -lpfkey), as an IKE daemon would use them:
 *
 *   - it watches the MSRD and prints every change of a record;
 *   - for an extended SADB_ACQUIRE it parses the PF_KEY message, takes
 *     the MPI from SADB_X_REF, reads the record it names and prints
 *     the care-of address the SA should be built on.
 *
 *   cc -o msrd-watch msrd-watch.c $(pkg-config --cflags --libs \
 *	libhipcore libpfkey)
 *
 * usage: msrd-watch [-s SOCKET] [-n COUNT] [-t SECONDS]
 * Stops after COUNT events (0: never) or when none came for SECONDS.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hip/msrd.h>
#include <pfkey/pfkey.h>

static const char *addr_str(const struct in6_addr *a, char *buf, size_t cap)
{
	if (IN6_IS_ADDR_V4MAPPED(a))
		return inet_ntop(AF_INET, &a->s6_addr[12], buf, cap);
	return inet_ntop(AF_INET6, a, buf, cap);
}

static const char *sockaddr_str(const union pfkey_sockaddr *sa, char *buf,
				size_t cap)
{
	if (sa->sa.sa_family == AF_INET)
		return inet_ntop(AF_INET, &sa->sin.sin_addr, buf, cap);
	if (sa->sa.sa_family == AF_INET6)
		return inet_ntop(AF_INET6, &sa->sin6.sin6_addr, buf, cap);
	return "?";
}

static void print_locators(const struct hip_msrd_record *r)
{
	char buf[INET6_ADDRSTRLEN];

	for (size_t i = 0; i < r->n_coa; i++)
		printf(" coa %s", addr_str(&r->coa[i].addr, buf, sizeof(buf)));
	if (r->flags & HIP_MSRD_F_PEER)
		printf(" peer %s", addr_str(&r->peer, buf, sizeof(buf)));
}

/* The record an ACQUIRE names, read over a second connection (the
 * watching one takes no requests). */
static int print_named_record(const char *path, uint64_t mpi)
{
	struct hip_msrd_record rec;
	struct hip_msrd *h;
	int r;

	r = hip_msrd_open(path, &h);
	if (r == 0) {
		r = hip_msrd_get(h, mpi, &rec);
		if (r < 0)
			fprintf(stderr, "msrd-watch: record 0x%" PRIx64 ": %s\n",
				mpi, hip_msrd_errmsg(h));
		hip_msrd_close(h);
	}
	if (r < 0)
		return r;
	printf("record 0x%" PRIx64 " seq %" PRIu32, rec.mpi, rec.seq);
	print_locators(&rec);
	putchar('\n');
	return 0;
}

static int print_acquire(const char *path, const struct hip_msrd_event *ev)
{
	struct pfkey_msg m;
	struct pfkey_address src, dst;
	struct pfkey_policy pol;
	struct pfkey_ref ref;
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	size_t nreqs;
	int r;

	r = pfkey_parse(ev->pfkey, ev->pfkey_len, PFKEY_PARSE_STRICT, &m);
	if (r < 0 || m.type != SADB_ACQUIRE) {
		fprintf(stderr, "msrd-watch: bad ACQUIRE: %s\n",
			r < 0 ? pfkey_strerror(r) : "not SADB_ACQUIRE");
		return -1;
	}
	r = pfkey_get_ref(&m, &ref);
	if (r < 0) {
		fprintf(stderr, "msrd-watch: ACQUIRE without SADB_X_REF\n");
		return -1;
	}
	printf("ACQUIRE seq %" PRIu32, m.seq);
	if (pfkey_get_address(&m, SADB_EXT_ADDRESS_SRC, &src) == 0 &&
	    pfkey_get_address(&m, SADB_EXT_ADDRESS_DST, &dst) == 0)
		printf(" %s -> %s", sockaddr_str(&src.addr, s, sizeof(s)),
		       sockaddr_str(&dst.addr, d, sizeof(d)));
	if (pfkey_get_policy(&m, &pol, &nreqs) == 0)
		printf(" policy %" PRIu32, pol.id);
	printf(" ref mpi 0x%" PRIx64 "\n", ref.mpi);
	return print_named_record(path, ref.mpi);
}

int main(int argc, char **argv)
{
	static struct hip_msrd_event ev;
	const char *path = HIP_MSRD_DEFAULT_PATH;
	unsigned long count = 0, seen = 0, timeout_s = 0;
	struct hip_msrd *h;
	int opt, r;

	while ((opt = getopt(argc, argv, "s:n:t:h")) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 'n':
			count = strtoul(optarg, NULL, 10);
			break;
		case 't':
			timeout_s = strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: msrd-watch [-s SOCKET] "
				"[-n COUNT] [-t SECONDS]\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	r = hip_msrd_open(path, &h);
	if (r == 0) {
		r = hip_msrd_watch(h);
		if (r < 0)
			hip_msrd_close(h);
	}
	if (r < 0) {
		fprintf(stderr, "msrd-watch: %s: %s\n", path,
			r == HIP_EIO ? strerror(errno) : "cannot watch");
		return 1;
	}
	printf("watching %s\n", path);
	fflush(stdout);
	while (count == 0 || seen < count) {
		r = hip_msrd_next_event(h, &ev, timeout_s ?
					(int)(timeout_s * 1000) : -1);
		if (r < 0) {
			fprintf(stderr, "msrd-watch: %s\n", r == HIP_EIO ?
				strerror(errno) : "bad event");
			break;
		}
		seen++;
		if (ev.type == HIP_MSRD_EV_ACQUIRE) {
			print_acquire(path, &ev);
		} else {
			printf("%s mpi 0x%" PRIx64 " seq %" PRIu32,
			       hip_msrd_event_name(ev.type), ev.mpi,
			       ev.record.seq);
			print_locators(&ev.record);
			putchar('\n');
		}
		fflush(stdout);
	}
	hip_msrd_close(h);
	return count != 0 && seen == count ? 0 : 1;
}

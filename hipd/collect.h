/*
 * hipd/collect.h - a bounded, growing array of fixed-size items.  The
 * kernel backends collect the entries of a dump in it and delete them
 * afterwards: deleting while the kernel is still dumping would disturb
 * the dump.
 */
#ifndef HIPD_COLLECT_H
#define HIPD_COLLECT_H

#include <stdlib.h>
#include <string.h>

#include "hip/error.h"

#define HIPD_COLLECT_MAX 65536	/* entries at most */

struct hipd_collect {
	void *v;		/* n items of size bytes */
	size_t n, cap, size;
	int err;		/* first error of a callback, for the caller */
};

/* Append a copy of item; 0, HIP_ENOSPC (HIPD_COLLECT_MAX reached) or
 * HIP_ENOMEM, the array unchanged on failure.  free(c->v) when done. */
static inline int hipd_collect_add(struct hipd_collect *c, const void *item)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		void *v;

		if (cap > HIPD_COLLECT_MAX)
			return HIP_ENOSPC;
		v = realloc(c->v, cap * c->size);
		if (v == NULL)
			return HIP_ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	memcpy((char *)c->v + c->n * c->size, item, c->size);
	c->n++;
	return 0;
}

#endif

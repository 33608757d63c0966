/*
 * test/unit/tmpdir.h - a private temporary directory for a test case
 * (Check fixture) and text files in it; every step asserts.
 */
#ifndef TEST_TMPDIR_H
#define TEST_TMPDIR_H

#include <stddef.h>

/* Create /tmp/PREFIX.XXXXXX into dir (cap >= strlen(prefix) + 12). */
void tmpdir_make(char *dir, size_t cap, const char *prefix);
/* Remove dir and everything in it. */
void tmpdir_remove(const char *dir);
/* Write text to dir/name; path gets the file's path. */
void tmpdir_write(const char *dir, const char *name, const char *text,
		  char *path, size_t cap);

#endif

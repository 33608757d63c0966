/*
 * ctl_json.c - a small streaming JSON writer for tools that render
 * control replies (hipconf --json).  Output goes to a bounded buffer or
 * a FILE*; the first error sticks (see hip/ctl.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "hip/ctl.h"
#include "hip/error.h"

void hip_json_init_buf(struct hip_json *j, char *buf, size_t cap)
{
	memset(j, 0, sizeof(*j));
	j->buf = buf;
	j->cap = cap;
	if (!buf || cap == 0)
		j->err = HIP_EINVAL;
	else
		buf[0] = '\0';
}

void hip_json_init_file(struct hip_json *j, FILE *fp)
{
	memset(j, 0, sizeof(*j));
	j->fp = fp;
	if (!fp)
		j->err = HIP_EINVAL;
}

static void json_out(struct hip_json *j, const char *s, size_t n)
{
	if (j->err)
		return;
	if (j->fp) {
		if (n && fwrite(s, 1, n, j->fp) != n)
			j->err = HIP_EIO;
		return;
	}
	if (n >= j->cap - j->len) {
		j->err = HIP_ENOSPC;
		return;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void json_outs(struct hip_json *j, const char *s)
{
	json_out(j, s, strlen(s));
}

/* A failed call leaves the buffer as it was before the call. */
static int json_end_call(struct hip_json *j, size_t start)
{
	if (j->err && j->buf && !j->fp && start < j->cap) {
		j->len = start;
		j->buf[start] = '\0';
	}
	return j->err;
}

static bool json_level_is_object(const struct hip_json *j)
{
	return j->depth && (j->in_object >> (j->depth - 1)) & 1;
}

/* Before any value: check that one is allowed here, write a comma. */
static void json_pre_value(struct hip_json *j)
{
	uint32_t bit;

	if (j->err)
		return;
	if (j->depth == 0) {
		if (j->done)
			j->err = HIP_ESTATE;	/* one top-level value */
		j->done = true;
		return;
	}
	if (json_level_is_object(j)) {
		if (!j->have_key)
			j->err = HIP_ESTATE;
		j->have_key = false;
		return;
	}
	bit = (uint32_t)1 << (j->depth - 1);
	if (j->has_items & bit)
		json_out(j, ",", 1);
	j->has_items |= bit;
}

static int json_begin(struct hip_json *j, bool object)
{
	size_t start = j->len;
	uint32_t bit;

	json_pre_value(j);
	if (!j->err && j->depth >= HIP_JSON_DEPTH_MAX)
		j->err = HIP_ENOSPC;
	json_out(j, object ? "{" : "[", 1);
	if (!j->err) {
		j->depth++;
		bit = (uint32_t)1 << (j->depth - 1);
		if (object)
			j->in_object |= bit;
		else
			j->in_object &= ~bit;
		j->has_items &= ~bit;
	}
	return json_end_call(j, start);
}

static int json_end(struct hip_json *j, bool object)
{
	size_t start = j->len;

	if (!j->err && (j->depth == 0 || json_level_is_object(j) != object ||
			j->have_key))
		j->err = HIP_ESTATE;
	json_out(j, object ? "}" : "]", 1);
	if (!j->err)
		j->depth--;
	return json_end_call(j, start);
}

int hip_json_object_begin(struct hip_json *j)
{
	return json_begin(j, true);
}

int hip_json_object_end(struct hip_json *j)
{
	return json_end(j, true);
}

int hip_json_array_begin(struct hip_json *j)
{
	return json_begin(j, false);
}

int hip_json_array_end(struct hip_json *j)
{
	return json_end(j, false);
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if none. */
static size_t json_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;	/* no surrogates */
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;	/* nothing above U+10FFFF */
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

static void json_escaped(struct hip_json *j, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	json_out(j, "\"", 1);
	while (i < n && !j->err) {
		unsigned char c = s[i];
		size_t run = 0, l;
		char esc[8];

		/* copy runs of bytes that need no escaping in one go */
		while (i + run < n && s[i + run] >= 0x20 && s[i + run] < 0x80 &&
		       s[i + run] != '"' && s[i + run] != '\\')
			run++;
		if (run) {
			json_out(j, (const char *)s + i, run);
			i += run;
			continue;
		}
		switch (c) {
		case '"': json_out(j, "\\\"", 2); i++; continue;
		case '\\': json_out(j, "\\\\", 2); i++; continue;
		case '\n': json_out(j, "\\n", 2); i++; continue;
		case '\r': json_out(j, "\\r", 2); i++; continue;
		case '\t': json_out(j, "\\t", 2); i++; continue;
		case '\b': json_out(j, "\\b", 2); i++; continue;
		case '\f': json_out(j, "\\f", 2); i++; continue;
		default: break;
		}
		if (c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			json_out(j, esc, 6);
			i++;
			continue;
		}
		l = json_utf8_len(s + i, n - i);
		if (l == 0) {
			json_out(j, "\\ufffd", 6);
			i++;
		} else {
			json_out(j, (const char *)s + i, l);
			i += l;
		}
	}
	json_out(j, "\"", 1);
}

int hip_json_key(struct hip_json *j, const char *key)
{
	size_t start = j->len;
	uint32_t bit;

	if (j->err)
		return j->err;
	if (!key)
		j->err = HIP_EINVAL;
	else if (!json_level_is_object(j) || j->have_key)
		j->err = HIP_ESTATE;
	if (j->err)
		return j->err;
	bit = (uint32_t)1 << (j->depth - 1);
	if (j->has_items & bit)
		json_out(j, ",", 1);
	json_escaped(j, key, strlen(key));
	json_out(j, ":", 1);
	if (!j->err) {
		j->has_items |= bit;
		j->have_key = true;
	}
	return json_end_call(j, start);
}

int hip_json_string_n(struct hip_json *j, const char *s, size_t n)
{
	size_t start = j->len;

	if (!s && !j->err)
		j->err = HIP_EINVAL;
	json_pre_value(j);
	if (!j->err)
		json_escaped(j, s, n);
	return json_end_call(j, start);
}

int hip_json_string(struct hip_json *j, const char *s)
{
	return hip_json_string_n(j, s, s ? strlen(s) : 0);
}

static int json_raw_value(struct hip_json *j, const char *text)
{
	size_t start = j->len;

	json_pre_value(j);
	json_outs(j, text);
	return json_end_call(j, start);
}

int hip_json_uint(struct hip_json *j, uint64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	return json_raw_value(j, num);
}

int hip_json_int(struct hip_json *j, int64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRId64, v);
	return json_raw_value(j, num);
}

int hip_json_bool(struct hip_json *j, bool v)
{
	return json_raw_value(j, v ? "true" : "false");
}

int hip_json_null(struct hip_json *j)
{
	return json_raw_value(j, "null");
}

int hip_json_finish(struct hip_json *j)
{
	if (j->err)
		return j->err;
	if (j->depth || !j->done || j->have_key)
		return HIP_ESTATE;
	if (j->fp && fflush(j->fp) != 0)
		j->err = HIP_EIO;
	return j->err;
}

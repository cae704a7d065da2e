#ifndef DEPOT_CCURL_SHIM_H
#define DEPOT_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call.
// Each wrapper fixes the argument type for one kind of option.

static inline CURLcode depot_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode depot_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode depot_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode depot_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode depot_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }

typedef size_t (*depot_curl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*depot_curl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode depot_curl_setopt_write_function(CURL *h, depot_curl_data_callback f) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, f); }
static inline CURLcode depot_curl_setopt_header_function(CURL *h, depot_curl_data_callback f) { return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, f); }
static inline CURLcode depot_curl_setopt_xferinfo_function(CURL *h, depot_curl_xferinfo_callback f) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, f); }

static inline CURLcode depot_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode depot_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode depot_curl_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }

// Not curl: the one Linux file call DepotHub needs that Swift's Glibc module leaves out.
// Starts writeback of a written range without waiting, so a later fsync has little left to do.
#ifdef __linux__
extern int sync_file_range(int fd, long long offset, long long nbytes, unsigned int flags);
static inline int depot_start_writeback(int fd, long long offset, long long length) { return sync_file_range(fd, offset, length, 2 /* SYNC_FILE_RANGE_WRITE */); }
#else
static inline int depot_start_writeback(int fd, long long offset, long long length) { (void)fd; (void)offset; (void)length; return 0; }
#endif

#endif

#ifndef MEMOIR_CCURL_SHIM_H
#define MEMOIR_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt/getinfo are variadic and cannot be called from Swift; these typed
// wrappers fix each option's argument type at compile time.
typedef size_t (*memoir_curl_write_cb)(char *data, size_t size, size_t nmemb, void *userdata);

static inline CURLcode memoir_curl_set_long(CURL *h, CURLoption opt, long value) {
    return curl_easy_setopt(h, opt, value);
}
static inline CURLcode memoir_curl_set_string(CURL *h, CURLoption opt, const char *value) {
    return curl_easy_setopt(h, opt, value);
}
static inline CURLcode memoir_curl_set_pointer(CURL *h, CURLoption opt, void *value) {
    return curl_easy_setopt(h, opt, value);
}
static inline CURLcode memoir_curl_set_slist(CURL *h, CURLoption opt, struct curl_slist *value) {
    return curl_easy_setopt(h, opt, value);
}
static inline CURLcode memoir_curl_set_write_callback(CURL *h, memoir_curl_write_cb cb) {
    return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cb);
}
static inline CURLcode memoir_curl_set_post_body(CURL *h, const char *body, long length) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, length);
    if (rc != CURLE_OK) return rc;
    return curl_easy_setopt(h, CURLOPT_COPYPOSTFIELDS, body);
}
// `buffer` must hold CURL_ERROR_SIZE bytes and outlive the transfer; curl writes its detailed
// message there (e.g. which timeout fired), which curl_easy_strerror does not say.
static inline CURLcode memoir_curl_set_error_buffer(CURL *h, char *buffer) {
    return curl_easy_setopt(h, CURLOPT_ERRORBUFFER, buffer);
}
static inline CURLcode memoir_curl_get_response_code(CURL *h, long *code) {
    return curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, code);
}
// Bytes of response headers received so far.
static inline long memoir_curl_header_bytes(CURL *h) {
    long size = 0;
    return curl_easy_getinfo(h, CURLINFO_HEADER_SIZE, &size) == CURLE_OK ? size : 0;
}
static inline CURLcode memoir_curl_set_off_t(CURL *h, CURLoption opt, long long value) {
    return curl_easy_setopt(h, opt, (curl_off_t)value);
}
// The value of the last response's header `name` (e.g. "Retry-After"), or NULL. Valid until the
// handle is cleaned up or reused.
static inline const char *memoir_curl_header_value(CURL *h, const char *name) {
    struct curl_header *header = NULL;
    if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK || header == NULL) return NULL;
    return header->value;
}
#endif

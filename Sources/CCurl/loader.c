#include "shim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

/* The libcurl functions runbook uses, resolved once by ccurl_load. */
static struct {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *handle);
    void (*easy_reset)(CURL *handle);
    CURLcode (*easy_perform)(CURL *handle);
    const char *(*easy_strerror)(CURLcode code);
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *text);
    void (*slist_free_all)(struct curl_slist *list);
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static CURLcode load_result = CURLE_FAILED_INIT;
static char load_error[512];

static void *resolve(void *library, const char *name, int *missing) {
    void *symbol = dlsym(library, name);
    if (symbol == NULL && *missing == 0) {
        *missing = 1;
        snprintf(load_error, sizeof load_error, "libcurl has no %s: it is older than 7.73; install libcurl4", name);
    }
    return symbol;
}

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) library = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(load_error, sizeof load_error, "libcurl could not be loaded (%s); install libcurl4 (Debian: apt-get install libcurl4)",
                 reason ? reason : "not found");
        return;
    }
    int missing = 0;
    *(void **)&curl.global_init = resolve(library, "curl_global_init", &missing);
    *(void **)&curl.easy_init = resolve(library, "curl_easy_init", &missing);
    *(void **)&curl.easy_cleanup = resolve(library, "curl_easy_cleanup", &missing);
    *(void **)&curl.easy_reset = resolve(library, "curl_easy_reset", &missing);
    *(void **)&curl.easy_perform = resolve(library, "curl_easy_perform", &missing);
    *(void **)&curl.easy_strerror = resolve(library, "curl_easy_strerror", &missing);
    *(void **)&curl.easy_setopt = resolve(library, "curl_easy_setopt", &missing);
    *(void **)&curl.easy_getinfo = resolve(library, "curl_easy_getinfo", &missing);
    *(void **)&curl.slist_append = resolve(library, "curl_slist_append", &missing);
    *(void **)&curl.slist_free_all = resolve(library, "curl_slist_free_all", &missing);
    if (missing) return;
    load_result = curl.global_init(CURL_GLOBAL_DEFAULT);
    if (load_result != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "libcurl could not be initialised: %s", curl.easy_strerror(load_result));
    }
}

CURLcode ccurl_load(void) {
    pthread_once(&load_once, load);
    return load_result;
}

const char *ccurl_load_error(void) { return load_error; }

/* Every other wrapper is reached only through a handle, which exists only once ccurl_load succeeded. */
CURL *ccurl_easy_init(void) { return ccurl_load() == CURLE_OK ? curl.easy_init() : NULL; }
void ccurl_easy_cleanup(CURL *handle) { curl.easy_cleanup(handle); }
void ccurl_easy_reset(CURL *handle) { curl.easy_reset(handle); }
CURLcode ccurl_easy_perform(CURL *handle) { return curl.easy_perform(handle); }

const char *ccurl_easy_strerror(CURLcode code) {
    return ccurl_load() == CURLE_OK ? curl.easy_strerror(code) : load_error;
}

struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text) {
    return ccurl_load() == CURLE_OK ? curl.slist_append(list, text) : NULL;
}

void ccurl_slist_free_all(struct curl_slist *list) {
    if (list != NULL) curl.slist_free_all(list);
}

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) { return curl.easy_setopt(handle, option, value); }
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode ccurl_setopt_blob(CURL *handle, CURLoption option, struct curl_blob *value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode ccurl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode ccurl_setopt_write_function(CURL *handle, CURLoption option, ccurl_write_callback value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode ccurl_setopt_progress_function(CURL *handle, ccurl_progress_callback value) {
    return curl.easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}
CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) { return curl.easy_getinfo(handle, info, value); }
CURLcode ccurl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl.easy_getinfo(handle, info, value);
}
CURLcode ccurl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl.easy_getinfo(handle, info, value);
}

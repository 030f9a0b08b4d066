#include "libpq_loader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static cpq_functions functions;
static const cpq_functions *loaded = NULL;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[512];

static void load(void) {
    void *library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) library = dlopen("libpq.so", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(load_error, sizeof load_error,
                 "libpq could not be loaded (%s); install libpq5 (Debian: apt-get install libpq5)",
                 reason ? reason : "not found");
        return;
    }
    const char *missing = NULL;
#define RESOLVE(name) \
    if ((*(void **)&functions.name = dlsym(library, #name)) == NULL && missing == NULL) missing = #name;
    RESOLVE(PQcancel)
    RESOLVE(PQclear)
    RESOLVE(PQconnectPoll)
    RESOLVE(PQconnectStartParams)
    RESOLVE(PQconninfo)
    RESOLVE(PQconninfoFree)
    RESOLVE(PQconsumeInput)
    RESOLVE(PQdb)
    RESOLVE(PQerrorMessage)
    RESOLVE(PQfinish)
    RESOLVE(PQfname)
    RESOLVE(PQfreeCancel)
    RESOLVE(PQfreemem)
    RESOLVE(PQgetCancel)
    RESOLVE(PQgetResult)
    RESOLVE(PQgetisnull)
    RESOLVE(PQgetlength)
    RESOLVE(PQgetvalue)
    RESOLVE(PQhost)
    RESOLVE(PQisBusy)
    RESOLVE(PQnfields)
    RESOLVE(PQnotifies)
    RESOLVE(PQntuples)
    RESOLVE(PQport)
    RESOLVE(PQresultErrorField)
    RESOLVE(PQresultErrorMessage)
    RESOLVE(PQresultStatus)
    RESOLVE(PQsendQuery)
    RESOLVE(PQsendQueryParams)
    RESOLVE(PQsetNoticeProcessor)
    RESOLVE(PQsocket)
    RESOLVE(PQstatus)
    RESOLVE(PQuser)
#undef RESOLVE
#define OPTIONAL(name) *(void **)&functions.name = dlsym(library, #name);
    OPTIONAL(PQenterPipelineMode)
    OPTIONAL(PQexitPipelineMode)
    OPTIONAL(PQpipelineSync)
#undef OPTIONAL
    if (missing != NULL) {
        snprintf(load_error, sizeof load_error, "libpq has no %s: it is older than PostgreSQL 10's; install libpq5", missing);
        return;
    }
    loaded = &functions;
}

const cpq_functions *cpq_load(void) {
    pthread_once(&load_once, load);
    return loaded;
}

const char *cpq_load_error(void) { return load_error; }

#ifndef CLIBPQ_LOADER_H
#define CLIBPQ_LOADER_H

#if __has_include(<postgresql/libpq-fe.h>)
#include <postgresql/libpq-fe.h>
#else
#include <libpq-fe.h>
#endif

/*
 * libpq, loaded with dlopen the first time a pg.* step or the PostgreSQL store connects, so runbook does not map
 * libpq and its TLS, Kerberos and LDAP libraries at every start. The binary does not link libpq: call its functions through the table
 * cpq_load returns (`libpq.PQstatus(connection)`), never directly.
 */
typedef struct {
    __typeof__(PQcancel) *_Nonnull PQcancel;
    __typeof__(PQclear) *_Nonnull PQclear;
    __typeof__(PQconnectPoll) *_Nonnull PQconnectPoll;
    __typeof__(PQconnectStartParams) *_Nonnull PQconnectStartParams;
    __typeof__(PQconninfo) *_Nonnull PQconninfo;
    __typeof__(PQconninfoFree) *_Nonnull PQconninfoFree;
    __typeof__(PQconsumeInput) *_Nonnull PQconsumeInput;
    __typeof__(PQdb) *_Nonnull PQdb;
    __typeof__(PQerrorMessage) *_Nonnull PQerrorMessage;
    __typeof__(PQfinish) *_Nonnull PQfinish;
    __typeof__(PQfname) *_Nonnull PQfname;
    __typeof__(PQfreeCancel) *_Nonnull PQfreeCancel;
    __typeof__(PQfreemem) *_Nonnull PQfreemem;
    __typeof__(PQgetCancel) *_Nonnull PQgetCancel;
    __typeof__(PQgetResult) *_Nonnull PQgetResult;
    __typeof__(PQgetisnull) *_Nonnull PQgetisnull;
    __typeof__(PQgetlength) *_Nonnull PQgetlength;
    __typeof__(PQgetvalue) *_Nonnull PQgetvalue;
    __typeof__(PQhost) *_Nonnull PQhost;
    __typeof__(PQisBusy) *_Nonnull PQisBusy;
    __typeof__(PQnfields) *_Nonnull PQnfields;
    __typeof__(PQnotifies) *_Nonnull PQnotifies;
    __typeof__(PQntuples) *_Nonnull PQntuples;
    __typeof__(PQport) *_Nonnull PQport;
    __typeof__(PQresultErrorField) *_Nonnull PQresultErrorField;
    __typeof__(PQresultErrorMessage) *_Nonnull PQresultErrorMessage;
    __typeof__(PQresultStatus) *_Nonnull PQresultStatus;
    __typeof__(PQsendQuery) *_Nonnull PQsendQuery;
    __typeof__(PQsendQueryParams) *_Nonnull PQsendQueryParams;
    __typeof__(PQsetNoticeProcessor) *_Nonnull PQsetNoticeProcessor;
    __typeof__(PQsocket) *_Nonnull PQsocket;
    __typeof__(PQstatus) *_Nonnull PQstatus;
    __typeof__(PQuser) *_Nonnull PQuser;
    /* Pipeline mode, from libpq 14 on; NULL when the libpq loaded is older. */
    __typeof__(PQenterPipelineMode) *_Nullable PQenterPipelineMode;
    __typeof__(PQexitPipelineMode) *_Nullable PQexitPipelineMode;
    __typeof__(PQpipelineSync) *_Nullable PQpipelineSync;
} cpq_functions;

/* The libpq functions runbook uses, loaded once; NULL when libpq cannot be loaded, and cpq_load_error says why. */
const cpq_functions *_Nullable cpq_load(void);
/* Why libpq could not be loaded; empty when it was. */
const char *_Nonnull cpq_load_error(void);

#endif

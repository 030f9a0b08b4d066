#include <libpq-fe.h>

/* libpq is used as is; this header only brings its client API (libpq-fe.h) into Swift. */

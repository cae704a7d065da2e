#ifndef DEPOT_CDYNAMICLIBRARY_H
#define DEPOT_CDYNAMICLIBRARY_H

/* A shared library that depot opens on first use instead of linking it (COpenBLAS, CArchive), so
   processes that never call it neither map it nor need it installed. For the C targets only. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct depot_library {
    const char *title;              /* for messages: "OpenBLAS" */
    const char *const *sonames;     /* tried in order; the first one is the one messages name */
    size_t soname_count;
    const char *install;            /* what the user runs to install it */
    const char *const *symbols;     /* the functions depot calls */
    size_t symbol_count;
    void **addresses;               /* symbol_count slots, valid once `loaded` */
    atomic_bool loaded;
    pthread_mutex_t loading;
};

/* Opens the library (`soname` alone, or the usual sonames when it is NULL, which does nothing once
   loaded) and resolves every symbol. The first library that loads serves the process; a later
   explicit soname is only checked. Returns 0, or -1 with the dynamic loader's message. */
int depot_library_load(struct depot_library *library, const char *soname, char *message, size_t capacity);

/* Loads with the usual sonames or ends the process with a message naming the library and how to
   install it: the last resort of a call made without loading first. */
void depot_library_load_or_abort(struct depot_library *library);

static inline void *depot_library_address(struct depot_library *library, size_t slot) {
    if (__builtin_expect(!atomic_load_explicit(&library->loaded, memory_order_acquire), 0))
        depot_library_load_or_abort(library);
    return library->addresses[slot];
}

/* The sonames to try: `soname` on Linux; on macOS also the Homebrew formula's library `file` under
   both Homebrew prefixes (Apple silicon, Intel), where the dynamic loader does not look itself. */
#if defined(__APPLE__)
#define DEPOT_LIBRARY_SONAMES(soname, formula, file) \
    soname, "/opt/homebrew/opt/" formula "/lib/" file, "/usr/local/opt/" formula "/lib/" file
#else
#define DEPOT_LIBRARY_SONAMES(soname, formula, file) soname
#endif

/* Defines `static struct depot_library variable` for the functions of the X-macro list FUNCTIONS,
   looked up in the sonames that follow, and the slots (slot_<function>) DEPOT_LIBRARY_FUNCTION uses. */
#define DEPOT_LIBRARY_SLOT(name) slot_##name,
#define DEPOT_LIBRARY_SYMBOL(name) #name,
#define DEPOT_LIBRARY(variable, title, install, FUNCTIONS, ...)                                         \
    enum { FUNCTIONS(DEPOT_LIBRARY_SLOT) variable##_slot_count };                                       \
    static const char *const variable##_symbols[] = { FUNCTIONS(DEPOT_LIBRARY_SYMBOL) };                \
    static void *variable##_addresses[variable##_slot_count];                                           \
    static const char *const variable##_sonames[] = { __VA_ARGS__ };                                    \
    static struct depot_library variable = {                                                            \
        title, variable##_sonames, sizeof variable##_sonames / sizeof *variable##_sonames, install,     \
        variable##_symbols, variable##_slot_count, variable##_addresses, false, PTHREAD_MUTEX_INITIALIZER \
    }

/* The library's function `name`, typed by the library's own header declaration. */
#define DEPOT_LIBRARY_FUNCTION(variable, name) ((__typeof__(name) *)depot_library_address(&variable, slot_##name))

#endif

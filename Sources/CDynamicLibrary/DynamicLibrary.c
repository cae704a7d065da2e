#include "CDynamicLibrary.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

static int fail(char *message, size_t capacity, const char *fallback) {
    const char *reason = dlerror();
    if (message && capacity > 0) snprintf(message, capacity, "%s", reason ? reason : fallback);
    return -1;
}

/* Called with `loading` held. */
static int open_library(struct depot_library *library, const char *soname, char *message, size_t capacity) {
    void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) return fail(message, capacity, "the library was not found");
    bool installs = !atomic_load_explicit(&library->loaded, memory_order_relaxed);
    for (size_t index = 0; index < library->symbol_count; index++) {
        void *address = dlsym(handle, library->symbols[index]);
        if (!address) {
            fail(message, capacity, "a function is missing");
            dlclose(handle);
            return -1;
        }
        if (installs) library->addresses[index] = address;
    }
    if (installs) atomic_store_explicit(&library->loaded, true, memory_order_release);
    else dlclose(handle);
    return 0;
}

int depot_library_load(struct depot_library *library, const char *soname, char *message, size_t capacity) {
    if (!soname && atomic_load_explicit(&library->loaded, memory_order_acquire)) return 0;
    pthread_mutex_lock(&library->loading);
    int status = -1;
    if (soname) {
        status = open_library(library, soname, message, capacity);
    } else {
        /* The first soname's message is the one reported: the others are fallback locations. */
        for (size_t index = 0; status != 0 && index < library->soname_count; index++)
            status = open_library(library, library->sonames[index], index == 0 ? message : NULL, index == 0 ? capacity : 0);
    }
    pthread_mutex_unlock(&library->loading);
    return status;
}

void depot_library_load_or_abort(struct depot_library *library) {
    char message[512];
    if (depot_library_load(library, NULL, message, sizeof message) == 0) return;
    fprintf(stderr, "depot: cannot load %s (%s): %s; install it: %s\n",
            library->title, library->sonames[0], message, library->install);
    abort();
}

#ifndef DEPOT_CARCHIVE_SHIM_H
#define DEPOT_CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>

#if defined(__linux__)
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Atomically swaps two paths (renameat2 with RENAME_EXCHANGE): how a bundle folder replaces an
   existing one without a moment where neither exists. syscall() is variadic, so Swift needs this
   typed wrapper; glibc's own renameat2 declaration is hidden behind _GNU_SOURCE. Returns 0 or -1
   with errno set (EINVAL or ENOSYS where the file system or kernel cannot exchange). */
static inline int depot_rename_exchange(const char *from, const char *to) {
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, 2 /* RENAME_EXCHANGE */);
}
#endif

#endif

#ifndef DEPOT_CARCHIVE_H
#define DEPOT_CARCHIVE_H

/* depot does not link libarchive: it opens the library when an archive is first read, so the
   commands that never extract neither map it (with libxml2, ICU and the compression libraries)
   nor need it installed. archive.h is included for the types and constants only; call the
   depot_ functions below, never libarchive's own names (they are not linked). */
#include <archive.h>
#include <archive_entry.h>
#include <stddef.h>

#if defined(__APPLE__)
#define DEPOT_ARCHIVE_SONAME "libarchive.2.dylib"
#define DEPOT_ARCHIVE_INSTALL "brew install libarchive"
#else
#define DEPOT_ARCHIVE_SONAME "libarchive.so.13"
#define DEPOT_ARCHIVE_INSTALL "apt install libarchive13"
#endif

/* Opens libarchive and resolves the functions below: `soname` alone, or the usual places when it
   is NULL (then nothing happens once loaded). The first library that loads serves the process.
   Returns 0, or -1 with the dynamic loader's message in `message`. Thread-safe. */
int depot_archive_load(const char *soname, char *message, size_t capacity);

/* libarchive's functions. Each loads the library if nothing did yet, and aborts with a message
   naming it when it cannot: call depot_archive_load first to report that as an error. */
struct archive *depot_archive_read_new(void);
int depot_archive_read_support_format_zip(struct archive *archive);
int depot_archive_read_support_format_tar(struct archive *archive);
int depot_archive_read_support_filter_all(struct archive *archive);
int depot_archive_read_set_format_option(struct archive *archive, const char *module, const char *option, const char *value);
int depot_archive_read_open_memory(struct archive *archive, const void *bytes, size_t size);
int depot_archive_read_open_filename(struct archive *archive, const char *path, size_t blockSize);
int depot_archive_read_next_header(struct archive *archive, struct archive_entry **entry);
int depot_archive_read_data_block(struct archive *archive, const void **block, size_t *size, la_int64_t *offset);
const char *depot_archive_error_string(struct archive *archive);
int depot_archive_read_free(struct archive *archive);
const char *depot_archive_entry_pathname_utf8(struct archive_entry *entry);
const char *depot_archive_entry_pathname(struct archive_entry *entry);
const char *depot_archive_entry_hardlink(struct archive_entry *entry);
const char *depot_archive_entry_symlink(struct archive_entry *entry);
__LA_MODE_T depot_archive_entry_filetype(struct archive_entry *entry);
int depot_archive_entry_size_is_set(struct archive_entry *entry);
la_int64_t depot_archive_entry_size(struct archive_entry *entry);

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

#include "CArchive.h"

#include <CDynamicLibrary.h>

#define ARCHIVE_FUNCTIONS(X)                                                                          \
    X(archive_read_new) X(archive_read_support_format_zip) X(archive_read_support_format_tar)         \
    X(archive_read_support_filter_all) X(archive_read_set_format_option) X(archive_read_open_memory)  \
    X(archive_read_open_filename) X(archive_read_next_header) X(archive_read_data_block)              \
    X(archive_error_string) X(archive_read_free) X(archive_entry_pathname_utf8)                       \
    X(archive_entry_pathname) X(archive_entry_hardlink) X(archive_entry_symlink)                      \
    X(archive_entry_filetype) X(archive_entry_size_is_set) X(archive_entry_size)

DEPOT_LIBRARY(libarchive, "libarchive", DEPOT_ARCHIVE_INSTALL, ARCHIVE_FUNCTIONS,
              DEPOT_LIBRARY_SONAMES(DEPOT_ARCHIVE_SONAME, "libarchive", "libarchive.13.dylib"));

#define ARCHIVE(name) DEPOT_LIBRARY_FUNCTION(libarchive, name)

int depot_archive_load(const char *soname, char *message, size_t capacity) {
    return depot_library_load(&libarchive, soname, message, capacity);
}

struct archive *depot_archive_read_new(void) { return ARCHIVE(archive_read_new)(); }

int depot_archive_read_support_format_zip(struct archive *archive) { return ARCHIVE(archive_read_support_format_zip)(archive); }

int depot_archive_read_support_format_tar(struct archive *archive) { return ARCHIVE(archive_read_support_format_tar)(archive); }

int depot_archive_read_support_filter_all(struct archive *archive) { return ARCHIVE(archive_read_support_filter_all)(archive); }

int depot_archive_read_set_format_option(struct archive *archive, const char *module, const char *option, const char *value) {
    return ARCHIVE(archive_read_set_format_option)(archive, module, option, value);
}

int depot_archive_read_open_memory(struct archive *archive, const void *bytes, size_t size) {
    return ARCHIVE(archive_read_open_memory)(archive, bytes, size);
}

int depot_archive_read_open_filename(struct archive *archive, const char *path, size_t blockSize) {
    return ARCHIVE(archive_read_open_filename)(archive, path, blockSize);
}

int depot_archive_read_next_header(struct archive *archive, struct archive_entry **entry) {
    return ARCHIVE(archive_read_next_header)(archive, entry);
}

int depot_archive_read_data_block(struct archive *archive, const void **block, size_t *size, la_int64_t *offset) {
    return ARCHIVE(archive_read_data_block)(archive, block, size, offset);
}

const char *depot_archive_error_string(struct archive *archive) { return ARCHIVE(archive_error_string)(archive); }

int depot_archive_read_free(struct archive *archive) { return ARCHIVE(archive_read_free)(archive); }

const char *depot_archive_entry_pathname_utf8(struct archive_entry *entry) { return ARCHIVE(archive_entry_pathname_utf8)(entry); }

const char *depot_archive_entry_pathname(struct archive_entry *entry) { return ARCHIVE(archive_entry_pathname)(entry); }

const char *depot_archive_entry_hardlink(struct archive_entry *entry) { return ARCHIVE(archive_entry_hardlink)(entry); }

const char *depot_archive_entry_symlink(struct archive_entry *entry) { return ARCHIVE(archive_entry_symlink)(entry); }

__LA_MODE_T depot_archive_entry_filetype(struct archive_entry *entry) { return ARCHIVE(archive_entry_filetype)(entry); }

int depot_archive_entry_size_is_set(struct archive_entry *entry) { return ARCHIVE(archive_entry_size_is_set)(entry); }

la_int64_t depot_archive_entry_size(struct archive_entry *entry) { return ARCHIVE(archive_entry_size)(entry); }

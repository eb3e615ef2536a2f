#include "runtime/executor/data_loader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace ember {

ProgramData& ProgramData::operator=(ProgramData&& o) noexcept {
  if (this != &o) {
    release();
    data_ = o.data_;
    size_ = o.size_;
    kind_ = o.kind_;
    o.data_ = nullptr;
    o.size_ = 0;
    o.kind_ = Kind::Empty;
  }
  return *this;
}

void ProgramData::release() {
  if (kind_ == Kind::Owned) free(const_cast<uint8_t*>(data_));
  if (kind_ == Kind::Mapped && size_ > 0) munmap(const_cast<uint8_t*>(data_), size_);
  data_ = nullptr;
  size_ = 0;
  kind_ = Kind::Empty;
}

ProgramData ProgramData::borrow(const void* data, size_t size) {
  ProgramData d;
  d.data_ = static_cast<const uint8_t*>(data);
  d.size_ = size;
  d.kind_ = Kind::Borrowed;
  return d;
}

namespace {
Result<size_t> file_size(int fd, const char* path) {
  struct stat st;
  if (fstat(fd, &st) != 0)
    return EMBER_ERROR(AccessFailed, "cannot stat '%s': %s", path, strerror(errno));
  if (!S_ISREG(st.st_mode)) return EMBER_ERROR(AccessFailed, "'%s' is not a regular file", path);
  return static_cast<size_t>(st.st_size);
}
}  // namespace

Result<ProgramData> ProgramData::read_file(const char* path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return EMBER_ERROR(AccessFailed, "cannot open '%s': %s", path, strerror(errno));
  Result<size_t> size = file_size(fd, path);
  if (!size.ok()) {
    close(fd);
    return size.status();
  }
  // 64-byte alignment so tensors inside can be used in place.
  size_t alloc = (*size + 63) & ~size_t(63);
  void* buf = aligned_alloc(64, alloc == 0 ? 64 : alloc);
  if (buf == nullptr) {
    close(fd);
    return EMBER_ERROR(OutOfMemory, "cannot allocate %zu bytes for '%s'", *size, path);
  }
  size_t done = 0;
  while (done < *size) {
    ssize_t n = read(fd, static_cast<uint8_t*>(buf) + done, *size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      free(buf);
      close(fd);
      return EMBER_ERROR(AccessFailed, "short read on '%s'", path);
    }
    done += static_cast<size_t>(n);
  }
  close(fd);
  ProgramData d;
  d.data_ = static_cast<uint8_t*>(buf);
  d.size_ = *size;
  d.kind_ = Kind::Owned;
  return d;
}

Result<ProgramData> ProgramData::map_file(const char* path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return EMBER_ERROR(AccessFailed, "cannot open '%s': %s", path, strerror(errno));
  Result<size_t> size = file_size(fd, path);
  if (!size.ok()) {
    close(fd);
    return size.status();
  }
  if (*size == 0) {
    close(fd);
    return EMBER_ERROR(InvalidProgram, "'%s' is empty", path);
  }
  // Private and writable: weights are used in place and never copied, but a hostile program
  // that names a constant as a kernel output writes to a copy-on-write page of its own instead
  // of faulting on a read-only one. The file itself is never modified. MAP_NORESERVE: no
  // up-front commit charge for pages that are, in practice, never written.
  void* p = mmap(nullptr, *size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE, fd, 0);
  close(fd);
  if (p == MAP_FAILED) return EMBER_ERROR(AccessFailed, "cannot mmap '%s': %s", path, strerror(errno));
  ProgramData d;
  d.data_ = static_cast<uint8_t*>(p);
  d.size_ = *size;
  d.kind_ = Kind::Mapped;
  return d;
}

}  // namespace ember

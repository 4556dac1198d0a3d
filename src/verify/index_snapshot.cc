#include "verify/index_snapshot.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <array>
#include <cstring>
#include <span>
#include <vector>

#include "crypto/hash.h"

namespace dancu::verify {
namespace {

using Sha256 = crypto::Sha256Stream;

constexpr char kMagic[8] = {'D', 'A', 'N', 'C', 'U', 'V', 'I', 'X'};
// 3: the blocking index's tables follow the names.
// 2: fingerprints are XXH3 (verification_index.h Fingerprint); 1 was SipHash.
constexpr uint32_t kVersion = 3;
constexpr size_t kKinds = BlockingIndex::kKinds;
using Head = BlockingIndex::Head;
static_assert(sizeof(Head) == 8);
constexpr size_t kChunk = 4 << 20;  // bytes per read/write call

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t entry_size;
  int64_t seq;
  uint64_t count;
  uint64_t names_bytes;
  char event_at[40];
  unsigned char sha256[32];
  uint64_t key_scheme;      // BlockingIndex::KeyScheme() of the writer
  uint64_t heads[kKinds];   // head slots per blocking kind
  char reserved[256 - 8 - 4 - 4 - 8 - 8 - 8 - 40 - 32 - 8 - 8 * kKinds];
};
static_assert(sizeof(Header) == 256);

Error IoError(const std::string& what, const std::filesystem::path& path) {
  return Error{"snapshot.io", what + " " + path.string() + ": " + std::strerror(errno), ""};
}

std::unexpected<Error> Invalid(const std::filesystem::path& path, const std::string& why) {
  return Fail("snapshot.invalid", path.string() + ": " + why);
}

// The digest covers the data, then the header with its digest field zeroed.
void HashHeader(Sha256& sha, Header h) {
  std::memset(h.sha256, 0, sizeof h.sha256);
  sha.Update(&h, sizeof h);
}

bool WriteAll(int fd, const void* data, size_t n, Sha256* sha) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    size_t part = std::min(n, kChunk);
    if (sha != nullptr) sha->Update(p, part);
    size_t done = 0;
    while (done < part) {
      ssize_t w = ::write(fd, p + done, part - done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return false;
      done += static_cast<size_t>(w);
    }
    p += part;
    n -= part;
  }
  return true;
}

// Reads exactly n bytes; false on a short file or an error (errno 0 for EOF).
bool ReadAll(int fd, void* data, size_t n, Sha256* sha) {
  char* p = static_cast<char*>(data);
  while (n > 0) {
    size_t part = std::min(n, kChunk);
    size_t done = 0;
    while (done < part) {
      ssize_t r = ::read(fd, p + done, part - done);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) {
        if (r == 0) errno = 0;
        return false;
      }
      done += static_cast<size_t>(r);
    }
    if (sha != nullptr) sha->Update(p, part);
    p += part;
    n -= part;
  }
  return true;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Status CopyBlocking(std::span<const BlockingIndex::Head> from, size_t first,
                    std::span<BlockingIndex::Head> out, BlockingIndex::Head pad) {
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = first + i < from.size() ? from[first + i] : pad;
  }
  return {};
}

Status CopyBlocking(std::span<const uint32_t> from, size_t first, std::span<uint32_t> out,
                    uint32_t pad) {
  size_t have = first < from.size() ? std::min(out.size(), from.size() - first) : 0;
  if (have > 0) std::memcpy(out.data(), from.data() + first, have * sizeof(uint32_t));
  std::fill(out.begin() + static_cast<ptrdiff_t>(have), out.end(), pad);
  return {};
}

Result<LoadedSnapshot> LoadIndexSnapshot(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return Fail("snapshot.missing", "no snapshot at " + path.string());
    return std::unexpected(IoError("opening", path));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return std::unexpected(IoError("reading", path));
  uint64_t file_bytes = static_cast<uint64_t>(st.st_size);

  Header h{};
  if (file_bytes < sizeof h) return Invalid(path, "shorter than its header");
  if (!ReadAll(fd.get(), &h, sizeof h, nullptr)) return std::unexpected(IoError("reading", path));
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0)
    return Invalid(path, "not a dancu index snapshot");
  if (h.version != kVersion) {
    return Invalid(path, "version " + std::to_string(h.version) + ", this dancu reads " +
                             std::to_string(kVersion));
  }
  if (h.entry_size != sizeof(Entry)) {
    return Invalid(path, "entries of " + std::to_string(h.entry_size) + " bytes, expected " +
                             std::to_string(sizeof(Entry)));
  }
  if (h.event_at[sizeof h.event_at - 1] != '\0') return Invalid(path, "damaged header");
  // Lengths from the header are checked against the file before anything is
  // allocated, so a damaged count cannot ask for terabytes.
  uint64_t blocking_bytes = 0;
  for (uint64_t heads : h.heads) {
    if (heads > UINT32_MAX) return Invalid(path, "damaged header");
    blocking_bytes += heads * sizeof(Head) + h.count * sizeof(uint32_t);
  }
  if (h.count > UINT32_MAX || h.names_bytes > (uint64_t{1} << 40) ||
      file_bytes != sizeof h + h.count * sizeof(Entry) + h.names_bytes + blocking_bytes) {
    return Invalid(path, "its length does not match its header (truncated?)");
  }

  Sha256 sha;
  std::vector<Entry> entries;
  entries.reserve(h.count);
  AdviseHugePages(entries.data(), h.count * sizeof(Entry));
  entries.resize(h.count);
  std::string names;
  names.reserve(h.names_bytes);
  AdviseHugePages(names.data(), h.names_bytes);
  names.resize(h.names_bytes);
  std::array<std::vector<Head>, kKinds> heads;
  std::array<std::vector<uint32_t>, kKinds> next;
  bool read = ReadAll(fd.get(), entries.data(), entries.size() * sizeof(Entry), &sha) &&
              ReadAll(fd.get(), names.data(), names.size(), &sha);
  for (size_t k = 0; k < kKinds && read; ++k) {
    heads[k].reserve(h.heads[k]);
    AdviseHugePages(heads[k].data(), h.heads[k] * sizeof(Head));
    heads[k].resize(h.heads[k]);
    next[k].reserve(h.count);
    AdviseHugePages(next[k].data(), h.count * sizeof(uint32_t));
    next[k].resize(h.count);
    read = ReadAll(fd.get(), heads[k].data(), heads[k].size() * sizeof(Head), &sha) &&
           ReadAll(fd.get(), next[k].data(), next[k].size() * sizeof(uint32_t), &sha);
  }
  if (!read) {
    if (errno == 0) return Invalid(path, "truncated");
    return std::unexpected(IoError("reading", path));
  }
  HashHeader(sha, h);
  const crypto::Digest digest = sha.Finish();
  if (std::memcmp(digest.data(), h.sha256, digest.size()) != 0) {
    return Invalid(path, "checksum mismatch (damaged file)");
  }

  auto index = VerificationIndex::FromParts(std::move(entries), std::move(names));
  if (!index) return Invalid(path, index.error().message);
  LoadedSnapshot out;
  // Tables keyed by other key functions are dropped (the caller rebuilds
  // them from the entries); tables of these functions must be consistent.
  if (h.key_scheme == BlockingIndex::KeyScheme()) {
    auto blocking = BlockingIndex::FromParts(**index, std::move(heads), std::move(next));
    if (!blocking) return Invalid(path, blocking.error().message);
    out.blocking = std::make_unique<BlockingIndex>(std::move(*blocking));
  }
  out.index = std::move(*index);
  out.meta.seq = h.seq;
  out.meta.event_at = h.event_at;
  out.file_bytes = file_bytes;
  return out;
}

Result<PendingSnapshot> PendingSnapshot::Write(const std::filesystem::path& path,
                                               const SnapshotSource& source,
                                               const SnapshotMeta& meta) {
  if (meta.event_at.size() >= sizeof(Header::event_at)) {
    return Fail("snapshot.invalid", "event time too long for a snapshot header: " + meta.event_at);
  }
  // Per process: `serve` and `dancu reconcile` may write the same snapshot
  // at once; each renames its own complete file, the last one wins.
  std::filesystem::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return std::unexpected(IoError("creating", tmp));
  PendingSnapshot pending(path, tmp, fd);  // removes tmp on every early return

  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kVersion;
  h.entry_size = sizeof(Entry);
  h.seq = meta.seq;
  h.count = source.count;
  std::memcpy(h.event_at, meta.event_at.data(), meta.event_at.size());
  h.key_scheme = BlockingIndex::KeyScheme();

  Sha256 sha;
  // The header goes last (at offset 0) once the digest is known. Pieces
  // are copied into `buffer` by the source (under its lock), then hashed
  // and written without it.
  if (::lseek(fd, sizeof h, SEEK_SET) != static_cast<off_t>(sizeof h)) {
    return std::unexpected(IoError("writing", tmp));
  }
  constexpr size_t kPieceEntries = kChunk / sizeof(Entry);
  std::vector<Entry> entries(std::min<size_t>(kPieceEntries, source.count));
  for (size_t first = 0; first < source.count; first += kPieceEntries) {
    std::span<Entry> piece(entries.data(), std::min(kPieceEntries, source.count - first));
    if (auto s = source.read_entries(first, piece); !s) return std::unexpected(s.error());
    if (!WriteAll(fd, piece.data(), piece.size_bytes(), &sha)) {
      return std::unexpected(IoError("writing", tmp));
    }
  }
  entries = {};
  // After the entries: every name offset they hold is below this size (the
  // arena only grows while an index lives).
  auto names_size = source.names_size();
  if (!names_size) return std::unexpected(names_size.error());
  h.names_bytes = *names_size;
  std::string names(std::min<size_t>(kChunk, *names_size), '\0');
  for (size_t first = 0; first < *names_size; first += kChunk) {
    std::span<char> piece(names.data(), std::min(kChunk, *names_size - first));
    if (auto s = source.read_names(first, piece); !s) return std::unexpected(s.error());
    if (!WriteAll(fd, piece.data(), piece.size(), &sha)) {
      return std::unexpected(IoError("writing", tmp));
    }
  }
  names = {};
  // The blocking tables, per kind: the head slots, then the chains.
  uint64_t blocking_bytes = 0;
  for (size_t k = 0; k < kKinds; ++k) {
    auto heads_size = source.heads_size(k);
    if (!heads_size) return std::unexpected(heads_size.error());
    h.heads[k] = *heads_size;
    constexpr size_t kPieceHeads = kChunk / sizeof(Head);
    std::vector<Head> heads(std::min(kPieceHeads, *heads_size));
    for (size_t first = 0; first < *heads_size; first += kPieceHeads) {
      std::span<Head> piece(heads.data(), std::min(kPieceHeads, *heads_size - first));
      if (auto s = source.read_heads(k, first, piece); !s) return std::unexpected(s.error());
      if (!WriteAll(fd, piece.data(), piece.size_bytes(), &sha)) {
        return std::unexpected(IoError("writing", tmp));
      }
    }
    constexpr size_t kPieceNext = kChunk / sizeof(uint32_t);
    std::vector<uint32_t> next(std::min(kPieceNext, source.count));
    for (size_t first = 0; first < source.count; first += kPieceNext) {
      std::span<uint32_t> piece(next.data(), std::min(kPieceNext, source.count - first));
      if (auto s = source.read_next(k, first, piece); !s) return std::unexpected(s.error());
      if (!WriteAll(fd, piece.data(), piece.size_bytes(), &sha)) {
        return std::unexpected(IoError("writing", tmp));
      }
    }
    blocking_bytes += *heads_size * sizeof(Head) + source.count * sizeof(uint32_t);
  }
  HashHeader(sha, h);
  const crypto::Digest digest = sha.Finish();
  std::memcpy(h.sha256, digest.data(), digest.size());
  if (::lseek(fd, 0, SEEK_SET) != 0 || !WriteAll(fd, &h, sizeof h, nullptr)) {
    return std::unexpected(IoError("writing", tmp));
  }
  pending.bytes_ = sizeof h + source.count * sizeof(Entry) + *names_size + blocking_bytes;
  return pending;
}

Result<PendingSnapshot> PendingSnapshot::Write(const std::filesystem::path& path,
                                               const VerificationIndex& index,
                                               const BlockingIndex& blocking,
                                               const SnapshotMeta& meta) {
  SnapshotSource source;
  source.count = index.size();
  source.read_entries = [&index](size_t first, std::span<Entry> out) -> Status {
    std::memcpy(out.data(), index.entries().data() + first, out.size_bytes());
    return {};
  };
  source.names_size = [&index]() -> Result<size_t> { return index.names().size(); };
  source.read_names = [&index](size_t first, std::span<char> out) -> Status {
    std::memcpy(out.data(), index.names().data() + first, out.size());
    return {};
  };
  source.heads_size = [&blocking](size_t kind) -> Result<size_t> {
    return blocking.heads(kind).size();
  };
  source.read_heads = [&blocking](size_t kind, size_t first, std::span<Head> out) -> Status {
    return CopyBlocking(blocking.heads(kind), first, out, Head{});
  };
  source.read_next = [&blocking](size_t kind, size_t first, std::span<uint32_t> out) -> Status {
    return CopyBlocking(blocking.next(kind), first, out, BlockingIndex::kNone);
  };
  return Write(path, source, meta);
}

PendingSnapshot::PendingSnapshot(PendingSnapshot&& o) noexcept
    : path_(std::move(o.path_)), tmp_(std::move(o.tmp_)), fd_(o.fd_), bytes_(o.bytes_) {
  o.fd_ = -1;
}

PendingSnapshot::~PendingSnapshot() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink(tmp_.c_str());
}

Status PendingSnapshot::Commit() {
  const std::filesystem::path& tmp = tmp_;
  if (fd_ < 0) return Fail("snapshot.io", "snapshot already committed: " + path_.string());
  if (::fsync(fd_) != 0) return std::unexpected(IoError("syncing", tmp));
  if (::rename(tmp.c_str(), path_.c_str()) != 0) return std::unexpected(IoError("renaming", tmp));
  ::close(fd_);
  fd_ = -1;
  // The rename is durable once the directory is.
  std::filesystem::path dir = path_.parent_path().empty() ? "." : path_.parent_path();
  Fd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (d.get() < 0 || ::fsync(d.get()) != 0) return std::unexpected(IoError("syncing", dir));
  return {};
}

}  // namespace dancu::verify

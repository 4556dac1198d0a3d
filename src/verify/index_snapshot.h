// Index snapshot: the VerificationIndex on disk (DIR/verify-index.snap), so
// that start-up with a 10 M register reads one file and catches up on the
// feed instead of scanning the register (issue 3: at most 30 s).
//
// File format (version 3, the machine's byte order; a foreign one fails the
// magic/version checks):
//   header, 256 bytes: magic "DANCUVIX", version, sizeof(Entry), the feed seq
//     the index reflects, the entry count, the names arena's length, the `at`
//     text of the feed event at that seq, the blocking key scheme
//     (BlockingIndex::KeyScheme), the head-table size of each blocking kind,
//     and a SHA-256 over everything after the header and the header itself
//     (with the digest field zeroed);
//   the Entry array, as in memory;
//   the folded-names arena;
//   per blocking kind: its head slots, then its chain array (one uint32
//     per entry) -- the BlockingIndex for Verifier::Match, as in memory.
// The id and old-id hash tables are derived and cheap, so they are rebuilt
// on load; the blocking tables (5.6 s to build at 10 M) are loaded and
// checked (BlockingIndex::FromParts). A snapshot whose key scheme differs
// from this dancu's loads without them (LoadedSnapshot::blocking is null)
// and the caller rebuilds them from the entries.
//
// Writing is atomic: PendingSnapshot::Write fills PATH.tmp.<pid>, Commit
// fsyncs it, renames it over PATH and fsyncs the directory. A crash at any
// point leaves either the old snapshot or the new one, never a mix.
//
// A live index is written in 4 MiB pieces, each copied under the index's
// shared lock (SnapshotSource), so verification never waits more than a
// few milliseconds. The blocking chains must describe exactly the entries
// written (a replayed event removes an entry's old keys before adding the
// new ones), so the source must not change during the write: Verifier
// holds its catch-up lock (no event is applied) for the write's duration;
// the feed follower is the thread writing, so it loses nothing. Entries
// newer than `seq` would still be fine (loading replays every feed event
// after `seq` and replaying re-reads each subject from the register), as
// long as the blocking tables agree with them. A replaced index (a rebuild
// during the write) is reported by the source and the write fails.
//
// Loading checks everything it can on its own: magic, version, entry size,
// the file's length against the counts, the digest, every name inside the
// arena, no id twice, and the blocking tables' structure and agreement with
// the entries (BlockingIndex::FromParts). Any failure is snapshot.invalid and the caller
// rebuilds from the register. Whether the snapshot belongs to this register
// (the event at `seq` has the same `at`) is the caller's check (verifier.cc).
//
// Errors: snapshot.missing (no file), snapshot.invalid (see above),
// snapshot.io (reading or writing failed; the message has errno's text).
// Thread safety: none needed; free functions on caller-owned data.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "core/error.h"
#include "verify/blocking_index.h"
#include "verify/verification_index.h"

namespace dancu::verify {

inline std::filesystem::path IndexSnapshotPath(const std::filesystem::path& data_dir) {
  return data_dir / "verify-index.snap";
}

struct SnapshotMeta {
  int64_t seq = 0;       // every feed event <= seq is reflected in the index
  std::string event_at;  // FeedEvent::at of the event at seq (< 40 bytes)
};

struct LoadedSnapshot {
  std::unique_ptr<VerificationIndex> index;
  // Null when the snapshot's blocking keys were made by other key functions
  // (then build BlockingIndex(*index)).
  std::unique_ptr<BlockingIndex> blocking;
  SnapshotMeta meta;
  uint64_t file_bytes = 0;
};

Result<LoadedSnapshot> LoadIndexSnapshot(const std::filesystem::path& path);

// Where Write reads a live index from: each call copies one piece, taking
// the index's lock for itself, and fails if the index was replaced since
// the write began.
struct SnapshotSource {
  size_t count = 0;  // entries to write: the index's size when the write began
  std::function<Status(size_t first, std::span<Entry> out)> read_entries;
  std::function<Result<size_t>()> names_size;  // asked once, after the entries
  std::function<Status(size_t first, std::span<char> out)> read_names;
  // The blocking index of those same entries, per kind: its head-table
  // size (asked once per kind), then its head slots and chain array
  // (`count` positions) in pieces.
  std::function<Result<size_t>(size_t kind)> heads_size;
  std::function<Status(size_t kind, size_t first, std::span<BlockingIndex::Head> out)> read_heads;
  std::function<Status(size_t kind, size_t first, std::span<uint32_t> out)> read_next;
};

// Copies from[first, first + out.size()) into out, padding past the end of
// `from` with `pad` (a chain array may be shorter or longer than the index
// it describes: spare capacity). For SnapshotSource implementations.
Status CopyBlocking(std::span<const BlockingIndex::Head> from, size_t first,
                    std::span<BlockingIndex::Head> out, BlockingIndex::Head pad);
Status CopyBlocking(std::span<const uint32_t> from, size_t first, std::span<uint32_t> out,
                    uint32_t pad);

// A snapshot written to PATH.tmp.<pid>, not yet in place. Destroying it without
// Commit removes the temporary file.
class PendingSnapshot {
 public:
  static Result<PendingSnapshot> Write(const std::filesystem::path& path,
                                       const SnapshotSource& source, const SnapshotMeta& meta);
  // An index and its blocking index nobody changes meanwhile (tests, tools).
  static Result<PendingSnapshot> Write(const std::filesystem::path& path,
                                       const VerificationIndex& index,
                                       const BlockingIndex& blocking, const SnapshotMeta& meta);
  PendingSnapshot(PendingSnapshot&& o) noexcept;
  PendingSnapshot& operator=(PendingSnapshot&&) = delete;
  ~PendingSnapshot();

  // fsync, rename over the final path, fsync the directory.
  Status Commit();
  uint64_t bytes() const { return bytes_; }

 private:
  PendingSnapshot(std::filesystem::path path, std::filesystem::path tmp, int fd)
      : path_(std::move(path)), tmp_(std::move(tmp)), fd_(fd) {}
  std::filesystem::path path_;  // final path
  std::filesystem::path tmp_;   // PATH.tmp.<pid>
  int fd_ = -1;                 // of tmp_; -1 once committed or moved
  uint64_t bytes_ = 0;
};

}  // namespace dancu::verify

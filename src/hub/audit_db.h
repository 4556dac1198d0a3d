// audit_db: the access log's own database, DIR/audit.db, beside register.db
// and verify.db, so appending to the log never takes another service's write
// lock.
//
// Schema (numbered migrations, storage/migrations.h):
//  1 audit_entries(idx PRIMARY KEY, at, actor_kind, actor, subject,
//    operation, fields, purpose, outcome, h0..h3): the entries and their leaf
//    hashes (the tree's level 0);
//    audit_subjects(subject_key, idx; PRIMARY KEY both): a citizen's entries
//    (subject_key = the first 8 bytes of the subject HMAC, as an integer);
//    audit_nodes(id PRIMARY KEY, h0..h3): every complete subtree hash of
//    levels 1 and up, id = AuditNodeId(level, index);
//    audit_top_nodes(id PRIMARY KEY, h0..h3): the same hashes again for
//    levels >= kAuditTopLevel, id = AuditTopNodeId(level, index), so the
//    top of the tree (kept in memory) loads with one sequential scan;
//    audit_tree_heads(size PRIMARY KEY, timestamp, root_hash, signature),
//    the signed heads (base64 text).
//    Hashes are four big-endian 64-bit integers (INTEGER is the portable
//    type; no engine BLOBs needed).
//
// Errors: storage.open, storage.migration, storage.schema_too_new.
// Thread safety: as storage::Database.
#pragma once

#include <bit>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

#include "core/error.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace dancu::hub {

inline std::filesystem::path AuditDbPath(const std::filesystem::path& data_dir) {
  return data_dir / "audit.db";
}

// The key of the node at (level, index) in audit_nodes: its position in
// post-order, the order in which an append-only tree creates its nodes (a
// leaf, then the subtrees it completes). So every insert is an append at the
// end of the table's B-tree (full pages, SQLite's append fast path), and a
// proof's low levels, close together in post-order, share pages. The node
// covering leaves [i·2^h, L) with L = (i+1)·2^h is created by the append of
// leaf L-1, after the 2(L-1) - popcount(L-1) nodes of the first L-1 leaves,
// the leaf itself and h-1 merges.
inline int64_t AuditNodeId(unsigned level, uint64_t index) {
  uint64_t before = ((index + 1) << level) - 1;
  return static_cast<int64_t>(2 * before - static_cast<uint64_t>(std::popcount(before)) + level);
}

// Levels from this one up are also stored level by level (audit_top_nodes).
inline constexpr unsigned kAuditTopLevel = 8;
inline int64_t AuditTopNodeId(unsigned level, uint64_t index) {
  return static_cast<int64_t>((static_cast<uint64_t>(level) << 56) | index);
}

std::span<const storage::Migration> AuditMigrations();

// Opens (creating if needed) DIR/audit.db and applies the migrations.
Result<std::unique_ptr<storage::Database>> OpenAuditDb(const std::filesystem::path& data_dir);

}  // namespace dancu::hub

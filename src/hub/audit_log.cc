#include "hub/audit_log.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <bit>
#include <cstring>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "hub/audit_db.h"

namespace dancu::hub {
namespace {

constexpr uint64_t kEverything = UINT64_MAX;
constexpr unsigned kMaxLevel = 63;

int64_t NodeId(unsigned level, uint64_t index) { return AuditNodeId(level, index); }

void BindHash(storage::Statement& st, int first, const Hash& h) {
  for (int w = 0; w < 4; ++w) {
    uint64_t v = 0;
    for (int b = 0; b < 8; ++b) v = (v << 8) | h[static_cast<size_t>(w * 8 + b)];
    st.BindInt(first + w, static_cast<int64_t>(v));
  }
}

Hash ColumnHash(const storage::Statement& st, int first) {
  Hash h;
  for (int w = 0; w < 4; ++w) {
    auto v = static_cast<uint64_t>(st.Int(first + w));
    for (int b = 7; b >= 0; --b) {
      h[static_cast<size_t>(w * 8 + b)] = static_cast<uint8_t>(v);
      v >>= 8;
    }
  }
  return h;
}

int64_t Millis(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// FormatTimestamp's text, the calendar part formatted once per second
// (entries arrive many per second; snprintf per entry showed in profiles).
class TimeFormatter {
 public:
  void Format(Timestamp t, std::string& out) {
    auto second = std::chrono::floor<std::chrono::seconds>(t);
    if (second != second_ || prefix_.empty()) {
      std::string full = FormatTimestamp(t);
      prefix_ = full.substr(0, full.find('.') + 1);
      second_ = second;
    }
    auto micros = static_cast<unsigned>((t - second).count());
    out = prefix_;
    char digits[8];
    for (int i = 5; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + micros % 10);
      micros /= 10;
    }
    digits[6] = 'Z';
    out.append(digits, 7);
  }

 private:
  std::chrono::sys_seconds second_{};
  std::string prefix_;
};

std::unexpected<Error> Corrupt(std::string what) {
  return Fail("storage.corrupt", "audit.db: " + std::move(what));
}

Status InsertHead(storage::Connection& c, const TreeHead& head) {
  auto& ins = c.Cached(
      "INSERT INTO audit_tree_heads (size, timestamp, root_hash, signature) VALUES (?, ?, ?, ?)");
  std::string root = HashToBase64(head.root_hash);
  std::string sig = crypto::Base64Encode(head.signature);
  ins.BindInt(1, static_cast<int64_t>(head.size));
  ins.BindInt(2, head.timestamp);
  ins.BindText(3, root);
  ins.BindText(4, sig);
  auto s = ins.Run();
  ins.Reset();
  return s;
}

// One read transaction around all the point reads of a proof: a consistent
// snapshot, and SQLite takes its WAL read lock once instead of per statement
// (the lock and the file checks cost more than a cached point read).
class ReadSnapshot {
 public:
  explicit ReadSnapshot(storage::Connection& c) : c_(c) {
    ok_ = c_.Cached("BEGIN").Run().has_value();
  }
  ~ReadSnapshot() {
    if (ok_) (void)c_.Cached("COMMIT").Run();
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  storage::Connection& c_;
  bool ok_ = false;
};

}  // namespace

// Reads stored nodes for one proof: the cached levels from memory, the
// others by point reads on one pooled connection. A node that should exist
// but does not (a damaged database) is remembered and reported by the caller.
class AuditLog::Reader final : public NodeSource {
 public:
  Reader(const AuditLog& log, storage::Connection& conn) : log_(log), conn_(conn) {}

  Hash Node(unsigned level, uint64_t index) const override {
    if (level >= log_.options_.cached_level) {
      std::shared_lock lock(log_.state_mu_);
      const std::vector<Hash>& row = log_.top_[level - log_.options_.cached_level];
      if (index < row.size()) return row[index];
    }
    // Leaves live in their entry's row, the other levels in audit_nodes.
    auto& q = level == 0 ? conn_.Cached("SELECT h0, h1, h2, h3 FROM audit_entries WHERE idx = ?")
                         : conn_.Cached("SELECT h0, h1, h2, h3 FROM audit_nodes WHERE id = ?");
    q.BindInt(1, level == 0 ? static_cast<int64_t>(index) : NodeId(level, index));
    auto row = q.Step();
    Hash h{};
    if (!row) {
      if (!error_) error_ = row.error();
    } else if (!*row) {
      if (!error_) {
        error_ = Corrupt("node (" + std::to_string(level) + ", " + std::to_string(index) +
                         ") is missing")
                     .error();
      }
    } else {
      h = ColumnHash(q, 0);
    }
    q.Reset();
    return h;
  }

  const std::optional<Error>& error() const { return error_; }

 private:
  const AuditLog& log_;
  storage::Connection& conn_;
  mutable std::optional<Error> error_;
};

AuditLog::AuditLog(AuditKeys keys, const Clock& clock, storage::Database& db,
                   std::unique_ptr<storage::Connection> writer, AuditLogOptions options)
    : keys_(std::move(keys)),
      public_key_(keys_.signing.PublicOnly()),
      clock_(clock),
      db_(db),
      options_(options),
      writer_conn_(std::move(writer)) {
  crypto_auth_hmacsha256_init(&subject_mac_,
                              reinterpret_cast<const unsigned char*>(keys_.subject_key.data()),
                              keys_.subject_key.size());
  top_.resize(kMaxLevel + 1 - std::min(options_.cached_level, kMaxLevel));
}

AuditLog::~AuditLog() { Stop(); }

Result<std::unique_ptr<AuditLog>> AuditLog::Open(storage::Database& db, AuditKeys keys,
                                                 const Clock& clock, AuditLogOptions options) {
  options.queue_capacity = std::max<size_t>(options.queue_capacity, 1);
  options.batch_max = std::max<size_t>(options.batch_max, 1);
  options.cached_level = std::min(options.cached_level, kMaxLevel);
  if (sodium_init() < 0) std::abort();  // no usable libsodium: a broken install
  auto conn = db.Connect();
  if (!conn) return std::unexpected(conn.error());
  std::unique_ptr<AuditLog> log(
      new AuditLog(std::move(keys), clock, db, std::move(*conn), options));
  if (auto s = log->Restore(); !s) return std::unexpected(s.error());
  if (options.writer_thread) log->writer_ = std::thread([p = log.get()] { p->Run(); });
  return log;
}

Status AuditLog::Restore() {
  std::lock_guard w(write_mu_);
  storage::Connection& c = *writer_conn_;
  uint64_t size = 0;
  {
    auto& q = c.Cached("SELECT idx FROM audit_entries ORDER BY idx DESC LIMIT 1");
    auto s = q.ForEachRow([&] { size = static_cast<uint64_t>(q.Int(0)) + 1; });
    if (!s) return s;
  }
  size_ = size;
  // The cached levels: from kAuditTopLevel up with one scan of
  // audit_top_nodes (each level must be dense and complete), below it (only
  // when options ask for more) by point reads.
  const unsigned cached = options_.cached_level;
  const unsigned scanned = std::max(cached, kAuditTopLevel);
  {
    auto& q = c.Cached("SELECT id, h0, h1, h2, h3 FROM audit_top_nodes WHERE id >= ? ORDER BY id");
    q.BindInt(1, AuditTopNodeId(scanned, 0));
    bool dense = true;
    auto s = q.ForEachRow([&] {
      auto id = static_cast<uint64_t>(q.Int(0));
      auto level = static_cast<unsigned>(id >> 56);
      uint64_t index = id & ((uint64_t{1} << 56) - 1);
      std::vector<Hash>& row = top_[level - cached];
      if (index != row.size()) dense = false;
      row.push_back(ColumnHash(q, 1));
    });
    if (!s) return s;
    for (unsigned level = scanned; level <= kMaxLevel; ++level) {
      if (top_[level - cached].size() != (level >= 64 ? 0 : size >> level)) dense = false;
    }
    if (!dense) return Corrupt("the stored top of the tree has gaps");
  }
  Reader reader(*this, c);
  for (unsigned level = cached; level < scanned; ++level) {
    uint64_t count = size >> level;
    std::vector<Hash>& row = top_[level - cached];
    row.reserve(count);
    // Reader answers cached levels from top_, which is still being filled:
    // read past its end through the database.
    for (uint64_t i = 0; i < count; ++i) row.push_back(reader.Node(level, i));
  }
  if (reader.error()) return std::unexpected(*reader.error());
  // The frontier: the perfect subtrees making up `size`, largest first.
  uint64_t begin = 0;
  for (int level = 63; level >= 0; --level) {
    if ((size >> level) & 1) {
      frontier_.push_back(reader.Node(static_cast<unsigned>(level), begin >> level));
      begin += uint64_t{1} << level;
    }
  }
  if (reader.error()) return std::unexpected(*reader.error());
  auto latest = ReadLatestHead(c);
  if (!latest) return std::unexpected(latest.error());
  if (*latest) {
    head_ = std::move(**latest);
    last_head_at_ = Timestamp{std::chrono::milliseconds{head_.timestamp}};
    if (head_.size > size) return Corrupt("a signed head is larger than the stored log");
    if (head_.size == size && head_.root_hash != FrontierRoot(frontier_)) {
      return Corrupt("the stored tree does not match the latest signed head");
    }
    if (head_.size == size) return {};
  }
  return MaybeSignHead(true);
}

Result<std::optional<TreeHead>> ReadLatestHead(storage::Connection& c) {
  auto& q = c.Cached(
      "SELECT size, timestamp, root_hash, signature FROM audit_tree_heads "
      "ORDER BY size DESC LIMIT 1");
  std::optional<TreeHead> head;
  bool bad = false;
  auto s = q.ForEachRow([&] {
    TreeHead h;
    h.size = static_cast<uint64_t>(q.Int(0));
    h.timestamp = q.Int(1);
    auto root = crypto::Base64Decode(q.Text(2));
    auto sig = crypto::Base64Decode(q.Text(3));
    if (!root || root->size() != 32 || !sig) {
      bad = true;
      return;
    }
    std::memcpy(h.root_hash.data(), root->data(), 32);
    h.signature = std::move(*sig);
    head = std::move(h);
  });
  if (!s) return std::unexpected(s.error());
  if (bad) return Corrupt("the latest tree head cannot be read");
  return head;
}

void AuditLog::Append(AccessRecord record) {
  Timestamp at = clock_.Now();
  std::unique_lock lock(mu_);
  while (queue_.size() >= options_.queue_capacity && !stop_) not_full_cv_.wait(lock);
  queue_.push_back(Queued{at, std::move(record)});
  ++enqueued_;
  if (queue_.size() == options_.batch_max) work_cv_.notify_one();
}

Hash AuditLog::FrontierRoot(const std::vector<Hash>& frontier) const {
  if (frontier.empty()) return EmptyTreeHash();
  Hash r = frontier.back();
  for (size_t i = frontier.size() - 1; i-- > 0;) r = NodeHash(frontier[i], r);
  return r;
}

Hash AuditLog::SubjectMac(std::string_view citizen_id) const {
  // The keyed state is computed once (Open); each id costs a copy of it and
  // two SHA-256 blocks instead of a key schedule and an algorithm fetch.
  crypto_auth_hmacsha256_state st = subject_mac_;
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(citizen_id.data()),
                                citizen_id.size());
  Hash mac;
  crypto_auth_hmacsha256_final(&st, mac.data());
  return mac;
}

std::string AuditLog::Subject(std::string_view citizen_id) const {
  return crypto::Base64UrlEncode(AsBytes(SubjectMac(citizen_id)));
}

int64_t AuditLog::SubjectKey(const Hash& mac) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | mac[static_cast<size_t>(i)];
  // 0 means "no subject" in the index; a real key of 0 becomes 1.
  return v == 0 ? 1 : static_cast<int64_t>(v);
}

Status AuditLog::Write(std::vector<Queued>& batch, bool force_head) {
  // write_mu_ is held. Work on copies; publish only after the commit.
  storage::Connection& c = *writer_conn_;
  std::vector<Hash> frontier = frontier_;
  uint64_t n = size_;
  const unsigned cached = options_.cached_level;
  std::vector<std::pair<unsigned, Hash>> new_top;  // nodes of cached levels, in order
  std::optional<TreeHead> head;
  Timestamp now = clock_.Now();

  auto commit = [&]() -> Status {
    auto tx = storage::Transaction::Begin(c);
    if (!tx) return std::unexpected(tx.error());
    auto& ins_entry = c.Cached(
        "INSERT INTO audit_entries (idx, at, actor_kind, actor, subject, operation, fields, "
        "purpose, outcome, h0, h1, h2, h3) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto& ins_node =
        c.Cached("INSERT INTO audit_nodes (id, h0, h1, h2, h3) VALUES (?, ?, ?, ?, ?)");
    auto& ins_top =
        c.Cached("INSERT INTO audit_top_nodes (id, h0, h1, h2, h3) VALUES (?, ?, ?, ?, ?)");
    auto put_node = [&](unsigned level, uint64_t index, const Hash& h) -> Status {
      ins_node.BindInt(1, NodeId(level, index));
      BindHash(ins_node, 2, h);
      auto s = ins_node.Run();
      ins_node.Reset();
      if (s && level >= kAuditTopLevel) {
        ins_top.BindInt(1, AuditTopNodeId(level, index));
        BindHash(ins_top, 2, h);
        s = ins_top.Run();
        ins_top.Reset();
      }
      if (s && level >= cached) new_top.emplace_back(level, h);
      return s;
    };
    AuditEntry e;
    TimeFormatter times;
    std::vector<std::pair<int64_t, int64_t>> subjects;  // (subject_key, idx)
    subjects.reserve(batch.size());
    for (Queued& q : batch) {
      // The batch stays intact (it goes back to the queue if the commit
      // fails), so the strings are swapped in and out, not copied.
      AccessRecord& r = q.record;
      e.index = n;
      times.Format(q.at, e.time);
      e.actor_kind = r.actor_kind;
      if (r.citizen.empty()) {
        e.subject.clear();
      } else {
        Hash mac = SubjectMac(r.citizen);
        e.subject = crypto::Base64UrlEncode(AsBytes(mac));
        subjects.emplace_back(SubjectKey(mac), static_cast<int64_t>(n));
      }
      std::swap(e.actor, r.actor);
      std::swap(e.operation, r.operation);
      std::swap(e.fields, r.fields);
      std::swap(e.purpose, r.purpose);
      std::swap(e.outcome, r.outcome);
      struct SwapBack {
        AuditEntry& e;
        AccessRecord& r;
        ~SwapBack() {
          std::swap(e.actor, r.actor);
          std::swap(e.operation, r.operation);
          std::swap(e.fields, r.fields);
          std::swap(e.purpose, r.purpose);
          std::swap(e.outcome, r.outcome);
        }
      } swap_back{e, r};
      ins_entry.BindInt(1, static_cast<int64_t>(n));
      ins_entry.BindText(2, e.time);
      ins_entry.BindText(3, ToString(e.actor_kind));
      ins_entry.BindText(4, e.actor);
      ins_entry.BindText(5, e.subject);
      ins_entry.BindText(6, e.operation);
      ins_entry.BindText(7, e.fields);
      ins_entry.BindText(8, e.purpose);
      ins_entry.BindText(9, e.outcome);
      Hash h = LeafHash(LeafData(e));
      BindHash(ins_entry, 10, h);
      auto s = ins_entry.Run();
      ins_entry.Reset();
      if (!s) return s;
      if (cached == 0) new_top.emplace_back(0, h);
      // Each set low bit of n is a complete left sibling on the frontier.
      unsigned level = 0;
      uint64_t index = n;
      while (index & 1) {
        h = NodeHash(frontier.back(), h);
        frontier.pop_back();
        ++level;
        index >>= 1;
        if (auto st = put_node(level, index, h); !st) return st;
      }
      frontier.push_back(h);
      ++n;
    }
    // The citizen index, inserted in key order: neighbouring inserts touch
    // neighbouring B-tree pages instead of one random page each.
    std::sort(subjects.begin(), subjects.end());
    auto& ins_subject = c.Cached("INSERT INTO audit_subjects (subject_key, idx) VALUES (?, ?)");
    for (const auto& [key, idx] : subjects) {
      ins_subject.BindInt(1, key);
      ins_subject.BindInt(2, idx);
      auto s = ins_subject.Run();
      ins_subject.Reset();
      if (!s) return s;
    }
    if (n != head_.size && (force_head || now - last_head_at_ >= options_.head_interval)) {
      TreeHead th;
      th.size = n;
      th.root_hash = FrontierRoot(frontier);
      th.timestamp = Millis(now);
      SignTreeHead(th, keys_.signing);
      if (auto s = InsertHead(c, th); !s) return s;
      head = std::move(th);
    }
    return tx->Commit();
  };
  if (Status s = commit(); !s) {
    new_top.clear();
    return s;
  }
  frontier_ = std::move(frontier);
  if (head) last_head_at_ = now;
  std::unique_lock lock(state_mu_);
  size_ = n;
  for (const auto& [level, h] : new_top) top_[level - cached].push_back(h);
  if (head) head_ = std::move(*head);
  return {};
}

Status AuditLog::MaybeSignHead(bool force) {
  // write_mu_ is held.
  Timestamp now = clock_.Now();
  if (head_.signature.size() != 0 && head_.size == size_) return {};
  if (!force && now - last_head_at_ < options_.head_interval) return {};
  TreeHead th;
  th.size = size_;
  th.root_hash = FrontierRoot(frontier_);
  th.timestamp = Millis(now);
  SignTreeHead(th, keys_.signing);
  auto tx = storage::Transaction::Begin(*writer_conn_);
  if (!tx) return std::unexpected(tx.error());
  if (auto s = InsertHead(*writer_conn_, th); !s) return s;
  if (auto s = tx->Commit(); !s) return s;
  last_head_at_ = now;
  std::unique_lock lock(state_mu_);
  head_ = std::move(th);
  return {};
}

Status AuditLog::Drain(uint64_t target) {
  // Taking a batch and committing it both happen under write_mu_, so
  // batches commit in queue order whoever drains.
  std::lock_guard w(write_mu_);
  for (;;) {
    std::vector<Queued> batch;
    {
      std::lock_guard lock(mu_);
      if (committed_ >= target || queue_.empty()) return {};
      size_t take = std::min(queue_.size(), options_.batch_max);
      auto end = queue_.begin() + static_cast<std::ptrdiff_t>(take);
      batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(end));
      queue_.erase(queue_.begin(), end);  // a deque: O(take), not O(queue)
    }
    not_full_cv_.notify_all();
    Status s = Write(batch, false);
    std::lock_guard lock(mu_);
    if (s) {
      committed_ += batch.size();
    } else {
      // Back at the front, in order: nothing is lost while the disk recovers.
      queue_.insert(queue_.begin(), std::make_move_iterator(batch.begin()),
                    std::make_move_iterator(batch.end()));
      ++failures_;
      last_error_ = s.error();
    }
    done_cv_.notify_all();
    if (!s) return s;
  }
}

void AuditLog::Run() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      work_cv_.wait_for(lock, options_.flush_interval, [this] {
        return stop_ || flush_requested_ || queue_.size() >= options_.batch_max;
      });
      if (stop_) return;  // Stop drains the rest on its own thread
      flush_requested_ = false;
    }
    Status s = Drain(kEverything);
    if (s) {
      std::lock_guard w(write_mu_);
      s = MaybeSignHead(false);
    }
    if (!s) {
      spdlog::error("access log: commit failed, retrying in {} ms: {} ({})",
                    options_.flush_interval.count(), s.error().message, s.error().code);
      std::unique_lock lock(mu_);
      work_cv_.wait_for(lock, options_.flush_interval, [this] { return stop_; });
    }
  }
}

Status AuditLog::Flush() {
  std::unique_lock lock(mu_);
  uint64_t target = enqueued_;
  if (!options_.writer_thread || stop_ || !writer_.joinable()) {
    lock.unlock();
    return Drain(target);
  }
  uint64_t failures = failures_;
  flush_requested_ = true;
  work_cv_.notify_one();
  done_cv_.wait(lock, [&] { return committed_ >= target || failures_ != failures; });
  if (committed_ >= target) return {};
  return std::unexpected(last_error_);
}

Result<TreeHead> AuditLog::SignHead() {
  if (auto s = Flush(); !s) return std::unexpected(s.error());
  std::lock_guard w(write_mu_);
  if (auto s = MaybeSignHead(true); !s) return std::unexpected(s.error());
  return LatestHead();
}

void AuditLog::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  not_full_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  Status s = Drain(kEverything);
  if (s) {
    std::lock_guard w(write_mu_);
    s = MaybeSignHead(true);
  }
  if (!s) {
    spdlog::error("access log: {} entries could not be written at shutdown: {} ({})", pending(),
                  s.error().message, s.error().code);
  }
}

uint64_t AuditLog::size() const {
  std::shared_lock lock(state_mu_);
  return size_;
}

TreeHead AuditLog::LatestHead() const {
  std::shared_lock lock(state_mu_);
  return head_;
}

boost::json::object AuditLog::PublicJwk() const { return public_key_.PublicJwk(keys_.key_id); }

size_t AuditLog::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

Result<std::unique_ptr<storage::Connection>> AuditLog::AcquireReader() const {
  {
    std::lock_guard lock(pool_mu_);
    if (!pool_.empty()) {
      auto c = std::move(pool_.back());
      pool_.pop_back();
      return c;
    }
  }
  return db_.Connect();
}

void AuditLog::ReleaseReader(std::unique_ptr<storage::Connection> c) const {
  std::lock_guard lock(pool_mu_);
  if (pool_.size() < options_.read_connections) pool_.push_back(std::move(c));
}

Result<InclusionProofMessage> AuditLog::ProveInclusion(uint64_t index, uint64_t size) const {
  uint64_t current = this->size();
  if (size == 0 || size > current) {
    return Fail("audit.size_out_of_range",
                "size must be between 1 and the log's size " + std::to_string(current), "size");
  }
  if (index >= size) {
    return Fail("audit.index_out_of_range", "index must be below size", "index");
  }
  auto conn = AcquireReader();
  if (!conn) return std::unexpected(conn.error());
  Reader reader(*this, **conn);
  InclusionProofMessage p;
  p.leaf_index = index;
  p.tree_size = size;
  {
    ReadSnapshot snapshot(**conn);
    p.leaf_hash = reader.Node(0, index);
    p.audit_path = InclusionProof(reader, index, size);
  }
  ReleaseReader(std::move(*conn));
  if (reader.error()) return std::unexpected(*reader.error());
  return p;
}

Result<ConsistencyProofMessage> AuditLog::ProveConsistency(uint64_t first, uint64_t second) const {
  uint64_t current = size();
  if (second > current) {
    return Fail("audit.size_out_of_range",
                "second must be at most the log's size " + std::to_string(current), "second");
  }
  if (first == 0 || first > second) {
    return Fail("audit.bad_range", "first must be between 1 and second", "first");
  }
  auto conn = AcquireReader();
  if (!conn) return std::unexpected(conn.error());
  Reader reader(*this, **conn);
  ConsistencyProofMessage p;
  p.first = first;
  p.second = second;
  {
    ReadSnapshot snapshot(**conn);
    p.proof = ConsistencyProof(reader, first, second);
  }
  ReleaseReader(std::move(*conn));
  if (reader.error()) return std::unexpected(*reader.error());
  return p;
}

namespace {

constexpr std::string_view kEntryColumns =
    "idx, at, actor_kind, actor, subject, operation, fields, purpose, outcome";

AuditEntry EntryFromRow(const storage::Statement& q) {
  AuditEntry e;
  e.index = static_cast<uint64_t>(q.Int(0));
  e.time = std::string(q.Text(1));
  auto kind = ParseActorKind(q.Text(2));
  if (!kind) std::abort();  // written by Write: the table is corrupt
  e.actor_kind = *kind;
  e.actor = std::string(q.Text(3));
  e.subject = std::string(q.Text(4));
  e.operation = std::string(q.Text(5));
  e.fields = std::string(q.Text(6));
  e.purpose = std::string(q.Text(7));
  e.outcome = std::string(q.Text(8));
  return e;
}

}  // namespace

Result<AuditEntry> AuditLog::Entry(uint64_t index) const {
  if (index >= size()) {
    return Fail("audit.entry_not_found", "no entry " + std::to_string(index), "index");
  }
  auto conn = AcquireReader();
  if (!conn) return std::unexpected(conn.error());
  auto& q =
      (*conn)->Cached("SELECT " + std::string(kEntryColumns) + " FROM audit_entries WHERE idx = ?");
  q.BindInt(1, static_cast<int64_t>(index));
  std::optional<AuditEntry> e;
  auto s = q.ForEachRow([&] { e = EntryFromRow(q); });
  ReleaseReader(std::move(*conn));
  if (!s) return std::unexpected(s.error());
  if (!e) return Corrupt("entry " + std::to_string(index) + " is missing");
  return std::move(*e);
}

Result<std::vector<AuditEntry>> AuditLog::EntriesForCitizen(std::string_view citizen_id,
                                                            uint64_t before, size_t limit) const {
  Hash mac = SubjectMac(citizen_id);
  std::string subject = crypto::Base64UrlEncode(AsBytes(mac));
  auto conn = AcquireReader();
  if (!conn) return std::unexpected(conn.error());
  auto& q = (*conn)->Cached("SELECT " + std::string(kEntryColumns) +
                            " FROM audit_entries WHERE idx IN (SELECT idx FROM audit_subjects "
                            "WHERE subject_key = ? AND idx < ? ORDER BY idx DESC) AND subject = ? "
                            "ORDER BY idx DESC LIMIT ?");
  q.BindInt(1, SubjectKey(mac));
  q.BindInt(2, static_cast<int64_t>(std::min<uint64_t>(before, INT64_MAX)));
  q.BindText(3, subject);
  q.BindInt(4, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
  std::vector<AuditEntry> out;
  auto s = q.ForEachRow([&] { out.push_back(EntryFromRow(q)); });
  ReleaseReader(std::move(*conn));
  if (!s) return std::unexpected(s.error());
  return out;
}

}  // namespace dancu::hub

#include "registry/schema.h"

namespace dancu::registry {
namespace {

// Citizens: the CitizenId is a 12-digit number with a unique index. On
// SQLite the table keeps its implicit rowid as the physical key, so a bulk
// load appends rows in arrival order instead of seeking a random position in
// a 10 M-row B-tree for every id (about 5x faster); the id index is built
// afterwards by sorting. PostgreSQL's heap is append-only anyway, so there
// the id is the primary key.
// Household membership lives on the citizen row (household_id,
// relationship), which makes "at most one permanent household" a property of
// the schema rather than a rule to check. Dates are packed YYYYMMDD integers
// with 00 for an unknown month or day (core/partial_date.h). name_hash is
// FoldedKeyHash of the folded full name, the key for name search.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE citizens (
  id INTEGER NOT NULL,
  full_name TEXT NOT NULL,
  name_hash INTEGER NOT NULL,
  sex INTEGER NOT NULL,
  dob INTEGER NOT NULL,
  birth_commune TEXT NOT NULL,
  hometown_commune TEXT,
  ethnicity INTEGER NOT NULL,
  religion TEXT,
  nationality TEXT NOT NULL,
  perm_commune TEXT NOT NULL,
  perm_street TEXT NOT NULL,
  temp_commune TEXT,
  temp_street TEXT,
  temp_until INTEGER,
  cur_commune TEXT,
  cur_street TEXT,
  father_id INTEGER,
  mother_id INTEGER,
  spouse_id INTEGER,
  old_id TEXT,
  status INTEGER NOT NULL,
  dod INTEGER,
  household_id INTEGER,
  relationship TEXT,
  updated_seq INTEGER NOT NULL
);
CREATE TABLE households (
  id INTEGER PRIMARY KEY,
  head_id INTEGER NOT NULL,
  commune TEXT NOT NULL,
  street TEXT NOT NULL,
  updated_seq INTEGER NOT NULL
);
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  citizen_id INTEGER,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE TABLE event_subjects (
  citizen_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (citizen_id, seq)
);
CREATE TABLE idempotency_keys (
  actor TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  seq INTEGER NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (actor, key)
);
)sql";

// Secondary indexes are a separate migration so bulk loading can drop and
// rebuild exactly this set (bulk_loader.cc). The name index is on the hash
// alone: name search filters date of birth (a partial date: an overlap, not a
// key range) after reading the rows, and without dob the index builds about
// 20% faster.
constexpr std::string_view kV2 = R"sql(
CREATE UNIQUE INDEX IF NOT EXISTS citizens_id ON citizens (id);
CREATE INDEX IF NOT EXISTS citizens_old_id ON citizens (old_id) WHERE old_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS citizens_name ON citizens (name_hash);
CREATE INDEX IF NOT EXISTS citizens_household ON citizens (household_id) WHERE household_id IS NOT NULL;
)sql";

// PostgreSQL spells the 64-bit key BIGINT; everything else is shared.
constexpr std::string_view kV1Postgres = R"sql(
CREATE TABLE citizens (
  id BIGINT PRIMARY KEY, full_name TEXT NOT NULL, name_hash BIGINT NOT NULL,
  sex INTEGER NOT NULL, dob INTEGER NOT NULL, birth_commune TEXT NOT NULL,
  hometown_commune TEXT, ethnicity INTEGER NOT NULL, religion TEXT,
  nationality TEXT NOT NULL, perm_commune TEXT NOT NULL, perm_street TEXT NOT NULL,
  temp_commune TEXT, temp_street TEXT, temp_until INTEGER, cur_commune TEXT,
  cur_street TEXT, father_id BIGINT, mother_id BIGINT, spouse_id BIGINT,
  old_id TEXT, status INTEGER NOT NULL, dod INTEGER, household_id BIGINT,
  relationship TEXT, updated_seq BIGINT NOT NULL);
CREATE TABLE households (id BIGSERIAL PRIMARY KEY, head_id BIGINT NOT NULL,
  commune TEXT NOT NULL, street TEXT NOT NULL, updated_seq BIGINT NOT NULL);
CREATE TABLE events (seq BIGSERIAL PRIMARY KEY, type TEXT NOT NULL, citizen_id BIGINT,
  at TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE event_subjects (citizen_id BIGINT NOT NULL, seq BIGINT NOT NULL,
  PRIMARY KEY (citizen_id, seq));
CREATE TABLE idempotency_keys (actor TEXT NOT NULL, key TEXT NOT NULL,
  request_hash TEXT NOT NULL, seq BIGINT NOT NULL, result TEXT NOT NULL,
  PRIMARY KEY (actor, key));
)sql";

// On PostgreSQL the id is already the primary key.
constexpr std::string_view kV2Postgres = R"sql(
CREATE INDEX IF NOT EXISTS citizens_old_id ON citizens (old_id) WHERE old_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS citizens_name ON citizens (name_hash);
CREATE INDEX IF NOT EXISTS citizens_household ON citizens (household_id) WHERE household_id IS NOT NULL;
)sql";

constexpr storage::Migration kMigrations[] = {
    {1, "register tables", kV1, kV1Postgres},
    {2, "register indexes", kV2, kV2Postgres},
};

}  // namespace

std::string_view SecondaryIndexDdl() { return kV2; }

std::span<const storage::Migration> RegisterMigrations() { return kMigrations; }

}  // namespace dancu::registry

#include "registry/schema.h"

namespace dancu::registry {
namespace {

// Citizens: the CitizenId is the primary key as a 12-digit number (an
// INTEGER PRIMARY KEY is SQLite's rowid, the fastest key to load and probe).
// Household membership lives on the citizen row (household_id,
// relationship), which makes "at most one permanent household" a property of
// the schema rather than a rule to check. Dates are packed YYYYMMDD integers
// with 00 for an unknown month or day (core/partial_date.h). name_hash is
// FoldedKeyHash of the folded full name, the key for name search.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE citizens (
  id INTEGER PRIMARY KEY,
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
// rebuild exactly this set (bulk_loader.cc).
constexpr std::string_view kV2 = R"sql(
CREATE INDEX IF NOT EXISTS citizens_old_id ON citizens (old_id) WHERE old_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS citizens_name ON citizens (name_hash, dob);
CREATE INDEX IF NOT EXISTS citizens_household ON citizens (household_id) WHERE household_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS citizens_mother ON citizens (mother_id) WHERE mother_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS citizens_father ON citizens (father_id) WHERE father_id IS NOT NULL;
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

constexpr storage::Migration kMigrations[] = {
    {1, "register tables", kV1, kV1Postgres},
    {2, "register indexes", kV2, kV2},
};

}  // namespace

std::string_view SecondaryIndexDdl() { return kV2; }

std::span<const storage::Migration> RegisterMigrations() { return kMigrations; }

}  // namespace dancu::registry

// The citizen row codec: Citizen <-> the columns of the citizens table.
#include "registry/registry_impl.h"

namespace dancu::registry {
namespace {

CitizenId IdFromNumber(int64_t n) {
  auto id = CitizenId::FromNumber(n);
  // The register only stores ids that passed CitizenId::Parse.
  if (!id) std::abort();
  return *id;
}

std::optional<CitizenId> OptionalIdColumn(const storage::Statement& st, int col) {
  if (st.IsNull(col)) return std::nullopt;
  return IdFromNumber(st.Int(col));
}

std::string TextColumn(const storage::Statement& st, int col) {
  return std::string(st.Text(col));
}

}  // namespace

Citizen CitizenFromRow(const storage::Statement& st) {
  Citizen c;
  c.id = IdFromNumber(st.Int(0));
  c.full_name = PersonName::FromStored(st.Text(1));
  c.sex = st.Int(2) == 0 ? Sex::kMale : Sex::kFemale;
  c.date_of_birth = PartialDate::FromPacked(static_cast<int32_t>(st.Int(3)));
  c.birth_commune_code = TextColumn(st, 4);
  c.hometown_commune_code = TextColumn(st, 5);
  c.ethnicity = static_cast<int>(st.Int(6));
  c.religion = TextColumn(st, 7);
  c.nationality = TextColumn(st, 8);
  c.permanent_residence = Address{TextColumn(st, 9), TextColumn(st, 10)};
  if (!st.IsNull(11)) {
    c.temporary_residence = TemporaryResidence{
        Address{TextColumn(st, 11), TextColumn(st, 12)},
        PartialDate::FromPacked(static_cast<int32_t>(st.Int(13)))};
  }
  if (!st.IsNull(14)) c.current_residence = Address{TextColumn(st, 14), TextColumn(st, 15)};
  c.father_id = OptionalIdColumn(st, 16);
  c.mother_id = OptionalIdColumn(st, 17);
  c.spouse_id = OptionalIdColumn(st, 18);
  c.old_id = TextColumn(st, 19);
  c.status = st.Int(20) == 0 ? LifeStatus::kAlive : LifeStatus::kDeceased;
  if (!st.IsNull(21)) c.date_of_death = PartialDate::FromPacked(static_cast<int32_t>(st.Int(21)));
  c.household_id = st.OptionalInt(22);
  if (!st.IsNull(23)) c.relationship_to_head = ParseRelationship(st.Text(23));
  return c;
}

void BindCitizen(storage::Statement& st, const Citizen& c, int64_t seq) {
  BindCitizen(st, c, seq, FoldedKeyHash(c.full_name.folded()));
}

void BindCitizen(storage::Statement& st, const Citizen& c, int64_t seq, int64_t name_hash) {
  st.BindInt(1, c.id.number());
  st.BindText(2, c.full_name.text());
  st.BindInt(3, c.sex == Sex::kMale ? 0 : 1);
  st.BindInt(4, c.date_of_birth.Packed());
  st.BindText(5, c.birth_commune_code);
  st.BindTextOrNull(6, c.hometown_commune_code);
  st.BindInt(7, c.ethnicity);
  st.BindTextOrNull(8, c.religion);
  st.BindText(9, c.nationality);
  st.BindText(10, c.permanent_residence.commune_code);
  st.BindText(11, c.permanent_residence.street);
  if (c.temporary_residence) {
    st.BindText(12, c.temporary_residence->address.commune_code);
    st.BindText(13, c.temporary_residence->address.street);
    st.BindInt(14, c.temporary_residence->until.Packed());
  } else {
    st.BindNull(12);
    st.BindNull(13);
    st.BindNull(14);
  }
  if (c.current_residence) {
    st.BindText(15, c.current_residence->commune_code);
    st.BindText(16, c.current_residence->street);
  } else {
    st.BindNull(15);
    st.BindNull(16);
  }
  auto bind_id = [&](int i, const std::optional<CitizenId>& id) {
    id ? st.BindInt(i, id->number()) : st.BindNull(i);
  };
  bind_id(17, c.father_id);
  bind_id(18, c.mother_id);
  bind_id(19, c.spouse_id);
  st.BindTextOrNull(20, c.old_id);
  st.BindInt(21, c.status == LifeStatus::kAlive ? 0 : 1);
  if (c.date_of_death) {
    st.BindInt(22, c.date_of_death->Packed());
  } else {
    st.BindNull(22);
  }
  st.BindOptionalInt(23, c.household_id);
  if (c.relationship_to_head) {
    st.BindText(24, ToString(*c.relationship_to_head));
  } else {
    st.BindNull(24);
  }
  st.BindInt(25, name_hash);
  st.BindInt(26, seq);
}

}  // namespace dancu::registry

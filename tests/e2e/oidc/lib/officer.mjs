// The officer JSON API (web/officer_api.cc, docs/api.md): POST
// /v1/officer/sessions, then POST /v1/officer/upgrades: an officer signs in and
// upgrades a citizen's account to level 2 after the in-person check; the
// answer carries the TOTP enrolment (otpauth:// URI) for the citizen's
// authenticator app.
import { fx } from './fixture.mjs';
import { secretFromOtpauth } from './totp.mjs';

async function postJson(path, body, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(new URL(path, fx.issuer), { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = { raw: text }; }
  return { status: res.status, json };
}

export async function officerSignIn(officer = fx.officer) {
  const { status, json } = await postJson('/v1/officer/sessions', { username: officer.username, password: officer.password });
  if (status !== 201 && status !== 200) throw new Error(`officer sign-in: ${status} ${JSON.stringify(json)}`);
  return json.token;
}

// Upgrades the citizen to level 2; returns the TOTP key (Buffer) and the
// raw answer.
export async function upgradeToLevel2(token, citizen) {
  const body = {
    citizen_id: citizen.id,
    place: 'Công an phường Ba Đình, Hà Nội',
    face_template: Buffer.from(`face-template-${citizen.id}`).toString('base64'),
    fingerprint_template: Buffer.from(`fingerprint-template-${citizen.id}`).toString('base64'),
  };
  const { status, json } = await postJson('/v1/officer/upgrades', body, token);
  if (status !== 200) throw new Error(`level-2 upgrade: ${status} ${JSON.stringify(json)}`);
  const uri = json.totp?.otpauth_uri;
  if (!uri) throw new Error(`no otpauth URI in the upgrade answer ${JSON.stringify(json)}`);
  return { key: secretFromOtpauth(uri), answer: json };
}

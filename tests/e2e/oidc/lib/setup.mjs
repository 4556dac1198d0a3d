// Prepares a test data directory for the e2e suite (called by run.sh before
// the server starts): picks test citizens from the synthetic register,
// registers the relying parties with `dancu clients add` and an officer
// with `dancu officers add`, and prints the fixture JSON to stdout.
//   node lib/setup.mjs DANCU_BINARY DATA_DIR
import { execFileSync } from 'node:child_process';
import { resolve, join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

const [dancu, dataArg] = process.argv.slice(2);
const data = dataArg && resolve(dataArg);
if (!dancu || !data) {
  console.error('usage: node lib/setup.mjs DANCU_BINARY DATA_DIR');
  process.exit(2);
}

function run(args, opts = {}) {
  try {
    return execFileSync(dancu, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  } catch (e) {
    throw new Error(`dancu ${args.join(' ')} failed (exit ${e.status}):\n${e.stdout}\n${e.stderr}`);
  }
}

function sql(query) {
  return execFileSync('sqlite3', ['-readonly', `${data}/register.db`, query], { encoding: 'utf8' })
    .trim().split('\n').filter(Boolean);
}

// Living adults with a full date of birth (18 to 70 years old).
const year = new Date().getUTCFullYear();
const ids = sql(`SELECT printf('%012d', id) FROM citizens
  WHERE status = 0 AND dob % 100 <> 0 AND (dob / 100) % 100 <> 0
    AND dob BETWEEN ${year - 70}0101 AND ${year - 18}1231
  ORDER BY id LIMIT 40`);
if (ids.length < 20) throw new Error(`only ${ids.length} adult citizens in ${data}`);

const people = ids.map((id, n) => {
  const c = JSON.parse(run(['get', '--data', data, id]));
  return {
    id: c.id,
    full_name: c.full_name,
    date_of_birth: c.date_of_birth,
    province: c.permanent_residence?.province_code,
    // A distinct mobile number per citizen (+84 9x xxx xxxx).
    phone: `+8490${String(1000000 + n * 7919).slice(-7)}`,
    password: `e2e-Secret-${id.slice(-6)}-pw`,
  };
});

// Level-2 citizens share the officer's province (an officer upgrades only
// citizens of their area).
const province = people[0].province;
const sameProvince = people.filter((p) => p.province === province);
const others = people.filter((p) => p.province !== province);
const citizens = {
  level2: sameProvince.slice(0, 3),
  level1: [...sameProvince.slice(3), ...others].slice(0, 6),
};
const rest = [...sameProvince.slice(3), ...others].slice(6);
citizens.negative = rest.slice(0, 6);
citizens.bench = rest.slice(6);
if (citizens.level2.length < 2) throw new Error(`too few citizens in province ${province}`);

// `dancu clients add` prints client_id and client_secret; accept
// "client_id: X", "client_id=X", "client_id X" or JSON.
function parseCredentials(out) {
  try {
    const j = JSON.parse(out);
    if (j.client_id) return { client_id: j.client_id, client_secret: j.client_secret };
  } catch {}
  const id = out.match(/client_id["\s:=]+([A-Za-z0-9_.~-]+)/);
  const secret = out.match(/client_secret["\s:=]+([A-Za-z0-9_.~-]+)/);
  if (!id || !secret) throw new Error(`cannot read client_id/client_secret from:\n${out}`);
  return { client_id: id[1], client_secret: secret[1] };
}

const RP = 'http://127.0.0.1:9';
function addClient(key, { name, scopes, minLevel = 1, authMethod, jwksFile }) {
  const redirect_uri = `${RP}/cb/${key}`;
  const post_logout_redirect_uri = `${RP}/bye/${key}`;
  const args = ['clients', 'add', '--data', data, '--name', name, '--redirect-uri', redirect_uri,
    '--post-logout-redirect-uri', post_logout_redirect_uri, '--scopes', scopes];
  if (minLevel !== 1) args.push('--min-level', String(minLevel));
  if (authMethod) args.push('--auth-method', authMethod);
  if (jwksFile) args.push('--jwks-file', jwksFile);
  const out = run(args);
  const creds = authMethod === 'private_key_jwt'
    ? { client_id: out.match(/client_id=(\S+)/)[1], client_secret: '' }
    : parseCredentials(out);
  return { ...creds, redirect_uri, post_logout_redirect_uri, scopes, name, auth_method: authMethod ?? 'client_secret_basic' };
}

// The private_key_jwt client's key pair: the public JWKS is registered, the
// private JWK goes to the fixture for the tests' client assertions.
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'e2e-rp-key-1', alg: 'ES256' };
const { d, ...publicJwk } = privateJwk;
const jwksFile = join(data, 'e2e-client-jwks.json');
writeFileSync(jwksFile, JSON.stringify({ keys: [publicJwk] }));

const clients = {
  a: addClient('a', { name: 'Cổng dịch vụ A', scopes: 'openid profile address phone offline_access' }),
  b: addClient('b', { name: 'Ngân hàng B', scopes: 'openid profile citizen_id' }),
  l2: addClient('l2', { name: 'Thuế (mức 2)', scopes: 'openid profile', minLevel: 2 }),
  post: addClient('post', { name: 'Bảo hiểm (client_secret_post)', scopes: 'openid profile', authMethod: 'client_secret_post' }),
  jwt: addClient('jwt', { name: 'Kho bạc (private_key_jwt)', scopes: 'openid profile', authMethod: 'private_key_jwt', jwksFile }),
};
clients.jwt.private_jwk = privateJwk;

// The sample relying party (examples/relying-party), on a port free now.
const rpPort = await new Promise((resolvePort) => {
  const srv = createServer().listen(0, '127.0.0.1', () => {
    const { port } = srv.address();
    srv.close(() => resolvePort(port));
  });
});
{
  const out = run(['clients', 'add', '--data', data, '--name', 'Sample RP',
    '--redirect-uri', `http://127.0.0.1:${rpPort}/callback`,
    '--post-logout-redirect-uri', `http://127.0.0.1:${rpPort}/`,
    '--scopes', 'openid profile address phone']);
  clients.sample = { ...parseCredentials(out), port: rpPort };
}

const officer = { username: 'e2e.officer', name: 'Cán bộ Kiểm thử', role: 'police', area: province, password: 'e2e-Officer-pass-7319' };
run(['officers', 'add', '--data', data, '--username', officer.username, '--name', officer.name,
  '--role', officer.role, '--area', officer.area, '--password-stdin'], { input: `${officer.password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });

process.stdout.write(JSON.stringify({ data, clients, citizens, officer }, null, 2));

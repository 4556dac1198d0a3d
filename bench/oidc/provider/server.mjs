// The certified node oidc-provider (v9), set up like dancu's provider for
// the side-by-side flow benchmark (bench/oidc.sh): one static confidential
// client (client_secret_basic, exact redirect URI), PKCE S256 required,
// ES256 ID tokens, pairwise subjects (HMAC-SHA256 like dancu), a findAccount
// that returns one fixed account, the built-in in-memory adapter, and the
// development sign-in/consent pages that bench/oidc/prepare.mjs goes
// through once to establish the session. Listens on 127.0.0.1:0 and prints
// "listening on http://127.0.0.1:PORT".
//   node server.mjs --client-id ID --client-secret S --redirect-uri URI
import { createServer } from 'node:http';
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

const { values: opt } = parseArgs({
  options: {
    'client-id': { type: 'string', default: 'bench-client' },
    'client-secret': { type: 'string', default: 'bench-secret-0123456789abcdef0123456789' },
    'redirect-uri': { type: 'string', default: 'http://127.0.0.1:9/cb' },
  },
});

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
const pairwiseSecret = randomBytes(32);
const ACCOUNT_CLAIMS = { name: 'Nguyễn Văn An', gender: 'male', birthdate: '1985-04-12' };

const provider = new Provider(issuer, {
  // No adapter: oidc-provider's built-in in-memory adapter.
  clients: [{
    client_id: opt['client-id'],
    client_secret: opt['client-secret'],
    redirect_uris: [opt['redirect-uri']],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256',
    subject_type: 'pairwise',
  }],
  jwks: { keys: [{ ...jwk, kid: 'bench-es256', alg: 'ES256', use: 'sig' }] },
  pkce: { required: () => true },
  subjectTypes: ['public', 'pairwise'],
  pairwiseIdentifier: async (ctx, accountId, client) =>
    createHmac('sha256', pairwiseSecret).update(`${client.sectorIdentifier}\0${accountId}`).digest('base64url'),
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, ...ACCOUNT_CLAIMS }),
  }),
  claims: { openid: ['sub'], profile: ['name', 'gender', 'birthdate'] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  features: { devInteractions: { enabled: true } },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));
server.on('request', provider.callback());
console.log(`listening on ${issuer}`);

// RFC 6238 TOTP (SHA-1, 6 digits, 30 s) with node:crypto HMAC, for the test
// citizen's "authenticator app". Test code only.

import { createHmac } from 'node:crypto';

export function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = s.toUpperCase().replace(/=+$/, '').replace(/\s/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of clean) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`bad base32 character ${c}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// The secret of an otpauth:// URI (Key Uri Format).
export function secretFromOtpauth(uri) {
  const u = new URL(uri);
  if (u.protocol !== 'otpauth:') throw new Error(`not an otpauth URI: ${uri}`);
  const secret = u.searchParams.get('secret');
  if (!secret) throw new Error(`otpauth URI without a secret: ${uri}`);
  return base32Decode(secret);
}

export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 10 ** digits).padStart(digits, '0');
}

export function totpStep(timeMs = Date.now(), period = 30) {
  return Math.floor(timeMs / 1000 / period);
}

export function totp(key, step = totpStep()) {
  return hotp(key, step);
}

// Identifier formats of public-api.md §1.8.
import { randomBytes, randomInt } from 'node:crypto';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Workspaces, sources, destinations, subscriptions: 22 base58 characters from a crypto RNG. */
export function newResourceId(): string {
  return randomString(BASE58, 22);
}

export function newWriteKey(): string {
  return randomString(ALPHANUMERIC, 32);
}

/** Short public id of an API token, shown in audit actors; never enough to authenticate. */
export function newTokenPublicId(): string {
  return randomString(BASE58, 8);
}

export function newTokenSecret(publicId: string): string {
  return `sy_${publicId}_${randomBytes(24).toString('base64url')}`;
}

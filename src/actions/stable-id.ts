import { createHash } from 'node:crypto';

// Bitcoin-style base58: no 0, O, I or l, so ids survive being read aloud or retyped.
const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE = 58n;

export const STABLE_ID_LENGTH = 22;

/**
 * Derives a 22-char base58 id from SHA-256 of `input` (public-api.md §1.8).
 * Catalog action and field ids must be identical across restarts and machines, so they are
 * hashed from `<metadataId>/<actionKey>[/<fieldKey>]` rather than drawn at random.
 * 58^22 < 2^256, so the low 22 base58 digits of the digest are (near) uniform.
 */
export function stableBase58Id(input: string): string {
  let value = BigInt(`0x${createHash('sha256').update(input, 'utf8').digest('hex')}`);
  let id = '';
  for (let i = 0; i < STABLE_ID_LENGTH; i++) {
    id += BASE58_ALPHABET.charAt(Number(value % BASE));
    value /= BASE;
  }
  return id;
}

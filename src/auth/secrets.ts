import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** Bytes of randomness in every token, secret and key: 256 bits. */
const SECRET_BYTES = 32

/** Generates an opaque secret: 32 random bytes, base64url-encoded (43 characters). */
export function generateSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url')
}

/**
 * Hashes a generated secret for storage. One SHA-256 round is enough because
 * every secret hashed here carries 256 random bits and cannot be guessed from
 * its hash. Passwords chosen by people need a slow hash instead.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

/** Compares two hex hashes of equal length in constant time. */
export function hashesEqual(left: string, right: string): boolean {
  const a = Buffer.from(left, 'hex')
  const b = Buffer.from(right, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

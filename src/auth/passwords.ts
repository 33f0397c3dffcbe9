import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * scrypt cost parameters: N = 2^15, r = 8, p = 1 (the OWASP password storage
 * recommendation), which needs 32 MiB of memory per hash.
 */
const COST = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const
const KEY_BYTES = 32
const SALT_BYTES = 16

/** Shortest and longest accepted password, in characters. */
export const PASSWORD_LENGTH = { min: 10, max: 128 } as const

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => {
      if (error === null) {
        resolve(key)
      } else {
        reject(error)
      }
    })
  })
}

/** Hashes a password as `scrypt$N$r$p$salt$key`, with base64url salt and key. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, COST)
  return [
    'scrypt',
    COST.N,
    COST.r,
    COST.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$')
}

/** A stored hash to compare against when the user is unknown, so both cases take as long. */
let dummyHash: Promise<string> | undefined

/**
 * Checks a password against a stored hash in constant time. With a null
 * hash (unknown user, or no password set) it still derives a key, so the
 * response time does not reveal whether the account exists.
 */
export async function verifyPassword(
  password: string,
  storedHash: string | null,
): Promise<boolean> {
  dummyHash ??= hashPassword(randomBytes(SALT_BYTES).toString('hex'))
  const hash = storedHash ?? (await dummyHash)
  const [scheme, n, r, p, salt, key] = hash.split('$')
  if (scheme !== 'scrypt' || salt === undefined || key === undefined) {
    return false
  }
  const expected = Buffer.from(key, 'base64url')
  const actual = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: COST.maxmem,
  })
  return timingSafeEqual(actual, expected) && storedHash !== null
}

/** Returns why a new password is unacceptable, or null when it is fine. */
export function checkNewPassword(password: string): string | null {
  if (password.length < PASSWORD_LENGTH.min || password.length > PASSWORD_LENGTH.max) {
    return `the password must have ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters`
  }
  return null
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

import type {} from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'

/** Cookie that carries the signed-in user between the sign-in and consent pages. */
export const SESSION_COOKIE = 'phonechat_session'
/** Cookie that binds the sign-in form's CSRF token to the browser (double submit). */
export const SIGN_IN_COOKIE = 'phonechat_signin'
/** How long a sign-in lasts, in seconds: 30 minutes. */
export const SESSION_LIFETIME_SECONDS = 30 * 60

const COOKIE_PATH = '/OAuth'

interface SessionPayload {
  readonly userId: number
  readonly expiresAt: number
  readonly nonce: string
}

/**
 * Signs and checks the OAuth pages' cookies and CSRF tokens with HMAC-SHA256.
 * Cookies are `HttpOnly`, `SameSite=Lax` and, over TLS, `Secure`.
 */
export class SessionSigner {
  readonly #secret: Buffer

  constructor(secret: string) {
    this.#secret = Buffer.from(secret, 'utf8')
  }

  #mac(purpose: string, value: string): string {
    return createHmac('sha256', this.#secret).update(`${purpose}\n${value}`).digest('base64url')
  }

  #matches(purpose: string, value: string, mac: string): boolean {
    const expected = Buffer.from(this.#mac(purpose, value))
    const actual = Buffer.from(mac)
    return expected.length === actual.length && timingSafeEqual(expected, actual)
  }

  /** Starts a session for `userId` and sets its cookie. */
  startSession(request: FastifyRequest, reply: FastifyReply, userId: number, now: Date): void {
    const payload: SessionPayload = {
      userId,
      expiresAt: now.getTime() + SESSION_LIFETIME_SECONDS * 1000,
      nonce: randomBytes(16).toString('base64url'),
    }
    const value = Buffer.from(JSON.stringify(payload)).toString('base64url')
    reply.setCookie(SESSION_COOKIE, `${value}.${this.#mac('session', value)}`, {
      ...cookieOptions(request),
      maxAge: SESSION_LIFETIME_SECONDS,
    })
  }

  /** Returns the signed-in session, or null when the cookie is missing, forged or expired. */
  readSession(request: FastifyRequest, now: Date): SessionPayload | null {
    const cookie = request.cookies[SESSION_COOKIE]
    const [value, mac] = cookie?.split('.') ?? []
    if (value === undefined || mac === undefined || !this.#matches('session', value, mac)) {
      return null
    }
    const payload = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as SessionPayload
    return payload.expiresAt > now.getTime() ? payload : null
  }

  endSession(request: FastifyRequest, reply: FastifyReply): void {
    reply.clearCookie(SESSION_COOKIE, cookieOptions(request))
  }

  /**
   * Returns the consent form's CSRF token, bound to the session and to the
   * request it approves, so a token from one consent page cannot approve
   * another client or scope.
   */
  consentCsrfToken(session: SessionPayload, approved: Readonly<Record<string, string>>): string {
    return this.#mac('consent', consentBinding(session, approved))
  }

  checkConsentCsrfToken(
    session: SessionPayload,
    approved: Readonly<Record<string, string>>,
    token: string | undefined,
  ): boolean {
    return token !== undefined && this.#matches('consent', consentBinding(session, approved), token)
  }

  /**
   * Returns the sign-in form's CSRF token, setting the browser cookie it is
   * bound to when the request has none.
   */
  signInCsrfToken(request: FastifyRequest, reply: FastifyReply): string {
    let binding = request.cookies[SIGN_IN_COOKIE]
    if (binding === undefined || binding === '') {
      binding = randomBytes(16).toString('base64url')
      reply.setCookie(SIGN_IN_COOKIE, binding, cookieOptions(request))
    }
    return this.#mac('sign-in', binding)
  }

  checkSignInCsrfToken(request: FastifyRequest, token: string | undefined): boolean {
    const binding = request.cookies[SIGN_IN_COOKIE]
    return binding !== undefined && token !== undefined && this.#matches('sign-in', binding, token)
  }
}

function consentBinding(
  session: SessionPayload,
  approved: Readonly<Record<string, string>>,
): string {
  const fields = ['response_type', 'client_id', 'redirect_uri', 'scope', 'code_challenge']
  return [session.nonce, ...fields.map((name) => approved[name] ?? '')].join('\n')
}

function cookieOptions(request: FastifyRequest) {
  return {
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https',
  }
}

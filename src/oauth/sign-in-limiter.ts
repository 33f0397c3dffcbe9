import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'

/** Failed sign-ins allowed per account in a window. */
const FAILURES_PER_ACCOUNT = 5
/** Failed sign-ins allowed per client address in a window; many users may share one address. */
const FAILURES_PER_ADDRESS = 50
/** Window length, in seconds: 15 minutes. */
const WINDOW_SECONDS = 15 * 60

/**
 * Limits failed sign-ins with rate-limiter-flexible: per account (so
 * guessing one password is slow) and per address (so trying many accounts
 * is slow). Counters live in this process's memory.
 */
export class SignInLimiter {
  readonly #perAccount: RateLimiterAbstract
  readonly #perAddress: RateLimiterAbstract

  constructor() {
    this.#perAccount = new RateLimiterMemory({
      keyPrefix: 'signin-account',
      points: FAILURES_PER_ACCOUNT,
      duration: WINDOW_SECONDS,
    })
    this.#perAddress = new RateLimiterMemory({
      keyPrefix: 'signin-address',
      points: FAILURES_PER_ADDRESS,
      duration: WINDOW_SECONDS,
    })
  }

  /**
   * Returns the seconds to wait before `address` may try `nickname` again,
   * or null when the attempt may go on.
   */
  async admit(nickname: string, address: string): Promise<number | null> {
    for (const [limiter, key] of [
      [this.#perAccount, nickname.toLowerCase()],
      [this.#perAddress, address],
    ] as const) {
      const state = await limiter.get(key)
      if (state !== null && state.remainingPoints <= 0) {
        return Math.max(1, Math.ceil(state.msBeforeNext / 1000))
      }
    }
    return null
  }

  /** Records a failed sign-in against the account and the address. */
  async recordFailure(nickname: string, address: string): Promise<void> {
    for (const [limiter, key] of [
      [this.#perAccount, nickname.toLowerCase()],
      [this.#perAddress, address],
    ] as const) {
      try {
        await limiter.consume(key)
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) {
          throw error
        }
      }
    }
  }

  /** Clears an account's failures after a successful sign-in. */
  async recordSuccess(nickname: string): Promise<void> {
    await this.#perAccount.delete(nickname.toLowerCase())
  }
}

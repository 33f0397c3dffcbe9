import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'

/** Failed sign-ins allowed per account in a window. */
const FAILURES_PER_ACCOUNT = 5
/** Failed sign-ins allowed per client address in a window; many users may share one address. */
const FAILURES_PER_ADDRESS = 50
/** Window length, in seconds: 15 minutes. */
const WINDOW_SECONDS = 15 * 60

/** A sign-in attempt that has taken one point of each limit until it is settled. */
export interface SignInAttempt {
  /** Gives the points back and clears the account's failures, after a correct password. */
  succeeded(): Promise<void>
}

/**
 * Limits failed sign-ins with rate-limiter-flexible: per account (so
 * guessing one password is slow) and per address (so trying many accounts
 * is slow). Every attempt takes its points before the password is checked,
 * so parallel attempts cannot all pass a limit that only counts afterwards.
 * Counters live in this process's memory.
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
   * Takes a point from the account's and the address's limit. Returns the
   * seconds to wait when either is used up, or the attempt to settle.
   * `accountKey` must name one account exactly, such as its user ID.
   */
  async begin(
    accountKey: string,
    address: string,
  ): Promise<SignInAttempt | { retryAfter: number }> {
    const heldPoints: [RateLimiterAbstract, string][] = []
    for (const [limiter, key] of [
      [this.#perAccount, accountKey],
      [this.#perAddress, address],
    ] as const) {
      try {
        await limiter.consume(key)
        heldPoints.push([limiter, key])
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) {
          throw error
        }
        for (const [heldLimiter, heldKey] of heldPoints) {
          await heldLimiter.reward(heldKey)
        }
        return { retryAfter: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) }
      }
    }
    return {
      succeeded: async () => {
        await this.#perAccount.delete(accountKey)
        await this.#perAddress.reward(address)
      },
    }
  }
}

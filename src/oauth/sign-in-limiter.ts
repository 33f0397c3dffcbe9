import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'

/** Failed sign-ins allowed per account in a window. */
const FAILURES_PER_ACCOUNT = 5
/** Sign-in attempts allowed per client address in a window. */
const ATTEMPTS_PER_ADDRESS = 20
/** Window length, in seconds: 15 minutes. */
const WINDOW_SECONDS = 15 * 60

/**
 * Limits sign-in attempts with rate-limiter-flexible: failures per account
 * (so guessing one password is slow) and attempts per address (so trying
 * many accounts is slow). Counters live in this process's memory.
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
      points: ATTEMPTS_PER_ADDRESS,
      duration: WINDOW_SECONDS,
    })
  }

  /**
   * Counts an attempt from `address` for `nickname`. Returns the seconds to
   * wait when either limit is used up, or null when the attempt may go on.
   */
  async admit(nickname: string, address: string): Promise<number | null> {
    const account = await this.#perAccount.get(nickname.toLowerCase())
    if (account !== null && account.remainingPoints <= 0) {
      return Math.ceil(account.msBeforeNext / 1000)
    }
    try {
      await this.#perAddress.consume(address)
      return null
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        return Math.ceil(error.msBeforeNext / 1000)
      }
      throw error
    }
  }

  /** Records a failed sign-in for the account. */
  async recordFailure(nickname: string): Promise<void> {
    try {
      await this.#perAccount.consume(nickname.toLowerCase())
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) {
        throw error
      }
    }
  }

  /** Clears an account's failures after a successful sign-in. */
  async recordSuccess(nickname: string): Promise<void> {
    await this.#perAccount.delete(nickname.toLowerCase())
  }
}

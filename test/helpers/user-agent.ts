/**
 * A minimal browser stand-in for the sign-in and consent pages: it keeps
 * cookies, reads hidden form fields and submits forms over real HTTP, and
 * never follows redirects, so tests can inspect each one.
 */
export class UserAgent {
  readonly #cookies = new Map<string, string>()

  constructor(readonly baseUrl: string) {}

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.#cookies.size > 0) {
      headers.set(
        'cookie',
        [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      )
    }
    const response = await fetch(new URL(url, this.baseUrl), {
      ...init,
      headers,
      redirect: 'manual',
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const [name, ...rest] = (pair ?? '').split('=')
      const value = rest.join('=')
      if (name !== undefined && name !== '') {
        if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) {
          this.#cookies.delete(name)
        } else {
          this.#cookies.set(name, value)
        }
      }
    }
    return response
  }

  /** Submits the page's form (the first, or the one posting to `action`) with extra fields. */
  async submit(page: string, fields: Record<string, string>, action?: string): Promise<Response> {
    const forms = [
      ...page.matchAll(/<form\s+method="post"\s+action="([^"]+)"\s*>([\s\S]*?)<\/form>/g),
    ]
    const form = forms.find((match) => action === undefined || match[1] === action)
    if (form?.[1] === undefined || form[2] === undefined) {
      throw new Error(`no form${action === undefined ? '' : ` posting to ${action}`} on the page`)
    }
    const body = new URLSearchParams()
    for (const input of form[2].matchAll(
      /<input\s+type="hidden"\s+name="([^"]+)"\s+value="([^"]*)"\s*\/?>/g,
    )) {
      body.set(decodeEntities(input[1] ?? ''), decodeEntities(input[2] ?? ''))
    }
    for (const [name, value] of Object.entries(fields)) {
      body.set(name, value)
    }
    return this.request(form[1], {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    })
  }

  hasCookie(name: string): boolean {
    return this.#cookies.has(name)
  }

  forgetCookie(name: string): void {
    this.#cookies.delete(name)
  }
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/** Signs in and agrees on the pages, returning the final redirect's Location. */
export async function signInAndConsent(
  agent: UserAgent,
  authorizationUrl: string,
  nickname: string,
  password: string,
): Promise<string> {
  const signInPage = await agent.request(authorizationUrl)
  if (signInPage.status !== 200) {
    throw new Error(`authorization page answered ${signInPage.status}`)
  }
  const afterSignIn = await agent.submit(await signInPage.text(), { nickname, password })
  if (afterSignIn.status !== 303) {
    throw new Error(`sign-in answered ${afterSignIn.status}: ${await afterSignIn.text()}`)
  }
  const consentPage = await agent.request(afterSignIn.headers.get('location') ?? '')
  const decision = await agent.submit(await consentPage.text(), { decision: 'allow' })
  const location = decision.headers.get('location')
  if (decision.status !== 302 || location === null) {
    throw new Error(`consent answered ${decision.status}: ${await decision.text()}`)
  }
  return location
}

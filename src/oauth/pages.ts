import escapeHtml from 'escape-html'

/** HTML that is already escaped, so `html` inserts it as is. */
class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

/** Template tag that HTML-escapes every interpolated value except {@link SafeHtml}. */
function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? ''
  values.forEach((value, index) => {
    const items = Array.isArray(value) ? value : [value]
    for (const item of items) {
      out += item instanceof SafeHtml ? item.value : escapeHtml(String(item))
    }
    out += strings[index + 1] ?? ''
  })
  return new SafeHtml(out)
}

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f4f6; color: #1d1d24; }
  main { max-width: 26rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border-radius: 12px;
         box-shadow: 0 1px 4px rgba(0,0,0,.12); }
  h1 { font-size: 1.35rem; margin: 0 0 1rem; }
  label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
  input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .7rem;
         font-size: 1rem; border: 1px solid #b8b8c4; border-radius: 8px; }
  button { width: 100%; padding: .8rem; margin-top: 1.25rem; font-size: 1rem; border: 0;
           border-radius: 8px; background: #6a1b9a; color: #fff; cursor: pointer; }
  button.secondary { background: #e7e7ee; color: #1d1d24; margin-top: .6rem; }
  .error { background: #fdecea; color: #8a1c12; padding: .7rem; border-radius: 8px; }
  ul { padding-left: 1.2rem; } li { margin: .4rem 0; }
  .muted { color: #5d5d6b; font-size: .9rem; }
  @media (max-width: 30rem) { main { margin: 1rem; } }
`

/** Security headers for every page: no framing, no caching, no outside resources. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
}

function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <style>
          ${new SafeHtml(STYLE)}
        </style>
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`.value
}

function hiddenFields(params: Readonly<Record<string, string>>): SafeHtml[] {
  return Object.entries(params).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
  )
}

export interface SignInPage {
  readonly clientName: string
  readonly params: Readonly<Record<string, string>>
  readonly csrfToken: string
  readonly nickname?: string
  readonly error?: string
}

export function renderSignInPage(view: SignInPage): string {
  return page(
    'Sign in',
    html`<h1>Sign in to continue to ${view.clientName}</h1>
      ${view.error === undefined ? '' : html`<p class="error" role="alert">${view.error}</p>`}
      <form method="post" action="/OAuth/Authorize/SignIn">
        ${hiddenFields(view.params)}
        <input type="hidden" name="csrf_token" value="${view.csrfToken}" />
        <label for="nickname">Nickname</label>
        <input
          type="text"
          id="nickname"
          name="nickname"
          value="${view.nickname ?? ''}"
          autocomplete="username"
          required
          autofocus
        />
        <label for="password">Password</label>
        <input
          type="password"
          id="password"
          name="password"
          autocomplete="current-password"
          required
        />
        <button type="submit">Sign in</button>
      </form>`,
  )
}

export interface ConsentPage {
  readonly clientName: string
  readonly nickname: string
  readonly scopeDescriptions: readonly string[]
  readonly params: Readonly<Record<string, string>>
  readonly csrfToken: string
}

export function renderConsentPage(view: ConsentPage): string {
  return page(
    'Allow access',
    html`<h1>${view.clientName} wants to access your account</h1>
      <p>
        Signed in as <strong>${view.nickname}</strong>. If you allow it, ${view.clientName} can:
      </p>
      <ul>
        ${view.scopeDescriptions.map((text) => html`<li>${text}</li>`)}
      </ul>
      <form method="post" action="/OAuth/Authorize/Decision">
        ${hiddenFields(view.params)}
        <input type="hidden" name="csrf_token" value="${view.csrfToken}" />
        <button type="submit" name="decision" value="allow">Allow</button>
        <button type="submit" name="decision" value="cancel" class="secondary">Cancel</button>
      </form>
      <p class="muted">The platform's support team can withdraw this access for you later.</p>`,
  )
}

export function renderErrorPage(title: string, message: string): string {
  return page(
    title,
    html`<h1>${title}</h1>
      <p class="error" role="alert">${message}</p>`,
  )
}

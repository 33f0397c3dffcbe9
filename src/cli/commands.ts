import {
  addGroupMember,
  createClient,
  createGroup,
  createUser,
  DEFAULT_TOKEN_TTL_SECONDS,
  issueToken,
  listAudit,
  listConsents,
  OperationError,
  revokeConsent,
  setPassword,
  requireUser,
  revokeToken,
  setSettings,
} from '../admin/operations.js'
import { parseScopeList } from '../auth/scopes.js'
import { readSettings } from '../domain/settings-service.js'
import { parseJsonInput } from '../formats/json-input.js'
import { toSettingsWire } from '../schemas/settings.js'
import { requireId, requireOption, UsageError, type Command } from './command.js'

const migrate: Command = {
  usage: 'migrate',
  summary: 'Apply pending database migrations',
  options: {},
  async run(_values, _positional, context) {
    // context.store() applies the migrations; nothing else is left to do.
    const store = await context.store()
    await store.ping()
    return { json: { migrated: true }, text: 'The database schema is up to date.' }
  },
}

const userCreate: Command = {
  usage: 'user create --nickname N',
  summary: 'Create a user (performer or group manager)',
  options: { nickname: { type: 'string' } },
  async run(values, _positional, context) {
    const user = await createUser(await context.store(), requireOption(values, 'nickname'))
    return { json: { UserID: user.id }, text: `Created user ${user.id} (${user.nickname}).` }
  },
}

const groupCreate: Command = {
  usage: 'group create --name N --manager UserID',
  summary: 'Create a group managed by a user',
  options: { name: { type: 'string' }, manager: { type: 'string' } },
  async run(values, _positional, context) {
    const group = await createGroup(
      await context.store(),
      requireOption(values, 'name'),
      requireId(values, 'manager'),
    )
    return {
      json: { GroupID: group.id },
      text: `Created group ${group.id} (${group.name}), managed by user ${group.managerUserId}.`,
    }
  },
}

const groupAddMember: Command = {
  usage: 'group add-member --group GroupID --user UserID',
  summary: 'Add a user to a group',
  options: { group: { type: 'string' }, user: { type: 'string' } },
  async run(values, _positional, context) {
    const groupId = requireId(values, 'group')
    const userId = requireId(values, 'user')
    await addGroupMember(await context.store(), groupId, userId)
    return {
      json: { GroupID: groupId, UserID: userId },
      text: `Added user ${userId} to group ${groupId}.`,
    }
  },
}

const clientCreate: Command = {
  usage:
    'client create --name N [--redirect-uri URI]... [--scopes s1,s2] [--public | --allow-implicit]',
  summary: 'Register an API client; prints its secret and API key once',
  options: {
    name: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    scopes: { type: 'string' },
    public: { type: 'boolean' },
    'allow-implicit': { type: 'boolean' },
  },
  async run(values, _positional, context) {
    const allowedScopes =
      typeof values.scopes === 'string' ? parseScopesOrFail(values.scopes) : undefined
    const redirectUris = values['redirect-uri']
    const client = await createClient(await context.store(), {
      name: requireOption(values, 'name'),
      redirectUris: Array.isArray(redirectUris) ? redirectUris.map(String) : [],
      ...(allowedScopes === undefined ? {} : { allowedScopes }),
      isPublic: values.public === true,
      allowImplicit: values['allow-implicit'] === true,
    })
    return {
      json: { ...client },
      text: [
        `client_id:     ${client.client_id}`,
        client.client_secret === undefined
          ? 'client_secret: none (public client: use PKCE)'
          : `client_secret: ${client.client_secret}`,
        `api_key:       ${client.api_key}`,
        'Store the secret and the API key now: only their hashes are kept.',
      ].join('\n'),
    }
  },
}

const userSetPassword: Command = {
  usage: 'user set-password --user UserID  (reads the password from standard input)',
  summary: 'Set the password a user signs in with on the OAuth pages',
  options: { user: { type: 'string' } },
  async run(values, _positional, context) {
    const userId = requireId(values, 'user')
    const password = (await readStandardInput()).replace(/\r?\n$/, '')
    if (password === '') {
      throw new UsageError(
        'no password on standard input; pipe it in, such as: printf %s "$PASSWORD" | ...',
      )
    }
    await setPassword(await context.store(), userId, password)
    return {
      json: { UserID: userId, passwordSet: true },
      text: `Set the password of user ${userId}.`,
    }
  },
}

const consentList: Command = {
  usage: 'consent list --user UserID',
  summary: 'List the applications a user agreed to, with the scopes granted',
  options: { user: { type: 'string' } },
  async run(values, _positional, context) {
    const userId = requireId(values, 'user')
    const consents = await listConsents(await context.store(), userId)
    const entries = consents.map((consent) => ({
      clientId: consent.clientId,
      clientName: consent.clientName,
      scopes: consent.scopes,
      grantedAt: consent.grantedAt.toISOString(),
    }))
    const lines = entries.map(
      (entry) =>
        `${entry.clientId}  ${entry.clientName ?? ''}  ${entry.scopes.join(' ')}  since ${entry.grantedAt}`,
    )
    return {
      json: { UserID: userId, consents: entries },
      text: lines.length === 0 ? `User ${userId} has agreed to no application.` : lines.join('\n'),
    }
  },
}

const consentRevoke: Command = {
  usage: 'consent revoke --user UserID --client client_id [--scopes s1,s2]',
  summary: "Withdraw a user's consent (all of it, or some scopes) and revoke the client's tokens",
  options: { user: { type: 'string' }, client: { type: 'string' }, scopes: { type: 'string' } },
  async run(values, _positional, context) {
    const userId = requireId(values, 'user')
    const clientId = requireOption(values, 'client')
    const scopes = typeof values.scopes === 'string' ? parseScopesOrFail(values.scopes) : undefined
    const remaining = await revokeConsent(await context.store(), userId, clientId, scopes)
    return {
      json: { UserID: userId, clientId, remainingScopes: remaining },
      text:
        remaining.length === 0
          ? `Withdrew the consent of user ${userId} for ${clientId} and revoked its tokens.`
          : `Withdrew scopes; ${remaining.join(' ')} remain. Revoked the tokens of ${clientId}.`,
    }
  },
}

function parseScopesOrFail(text: string): readonly string[] {
  try {
    return parseScopeList(text)
  } catch (error) {
    throw new OperationError(`--scopes: ${(error as Error).message}`)
  }
}

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

const tokenIssue: Command = {
  usage: 'token issue --user UserID --client client_id --scopes s1,s2 [--ttl seconds]',
  summary: `Issue an access token (default lifetime ${DEFAULT_TOKEN_TTL_SECONDS} seconds)`,
  options: {
    user: { type: 'string' },
    client: { type: 'string' },
    scopes: { type: 'string' },
    ttl: { type: 'string' },
  },
  async run(values, _positional, context) {
    const ttlText = typeof values.ttl === 'string' ? values.ttl : String(DEFAULT_TOKEN_TTL_SECONDS)
    if (!/^[0-9]+$/.test(ttlText)) {
      throw new UsageError(
        `--ttl ${JSON.stringify(ttlText)} is invalid; give whole seconds, such as 1200`,
      )
    }
    const scopes = parseScopesOrFail(requireOption(values, 'scopes'))
    const token = await issueToken(await context.store(), {
      userId: requireId(values, 'user'),
      clientId: requireOption(values, 'client'),
      scopes,
      ttlSeconds: Number(ttlText),
    })
    return { json: { ...token }, text: token.access_token }
  },
}

const tokenRevoke: Command = {
  usage: 'token revoke TOKEN',
  summary: 'Revoke an access token',
  options: {},
  positional: 'TOKEN',
  async run(_values, positional, context) {
    if (positional === undefined || positional === '') {
      throw new UsageError('the access token to revoke is required')
    }
    await revokeToken(await context.store(), positional)
    return { json: { revoked: true }, text: 'Revoked the access token.' }
  },
}

const settingsSet: Command = {
  usage: "settings set --user UserID --data '<settings JSON>'",
  summary: "Save a user's settings, checked by the same rules as the API",
  options: { user: { type: 'string' }, data: { type: 'string' } },
  async run(values, _positional, context) {
    const userId = requireId(values, 'user')
    const text = requireOption(values, 'data')
    let document
    try {
      document = parseJsonInput(text)
    } catch (error) {
      throw new UsageError(`--data is not valid JSON: ${(error as Error).message}`)
    }
    const settings = await setSettings(
      await context.store(),
      userId,
      document,
      context.config.phoneNumberCheck,
    )
    const wire = toSettingsWire(settings)
    return { json: wire, text: JSON.stringify(wire, null, 2) }
  },
}

const settingsGet: Command = {
  usage: 'settings get --user UserID',
  summary: "Print a user's settings",
  options: { user: { type: 'string' } },
  async run(values, _positional, context) {
    const store = await context.store()
    const user = await requireUser(store, requireId(values, 'user'))
    const wire = toSettingsWire((await readSettings(store, user.id)).settings)
    return { json: wire, text: JSON.stringify(wire, null, 2) }
  },
}

/** Most audit entries that `audit list` prints. */
const AUDIT_LIST_LIMIT = 1000

const auditList: Command = {
  usage: 'audit list --user UserID',
  summary: `Print a user's settings changes, newest first (at most ${AUDIT_LIST_LIMIT})`,
  options: { user: { type: 'string' } },
  async run(values, _positional, context) {
    const userId = requireId(values, 'user')
    const entries = await listAudit(await context.store(), userId, AUDIT_LIST_LIMIT)
    const json = entries.map((entry) => ({
      at: entry.at.toISOString(),
      version: entry.version,
      userId: entry.userId,
      actor:
        entry.actor.kind === 'user'
          ? { userId: entry.actor.userId, clientId: entry.actor.clientId }
          : 'operator',
      onBehalfOfMember: entry.actor.kind === 'user' && entry.actor.userId !== entry.userId,
      changes: entry.changes,
    }))
    const lines = entries.map((entry) => {
      let actor = 'operator (CLI)'
      if (entry.actor.kind === 'user') {
        const onBehalf = entry.actor.userId === entry.userId ? '' : ', as manager of the member'
        actor = `user ${entry.actor.userId} via ${entry.actor.clientId}${onBehalf}`
      }
      const changes =
        entry.changes.length === 0
          ? '  no field changed'
          : entry.changes
              .map(
                (change) => `  ${change.field}: ${change.from ?? 'null'} -> ${change.to ?? 'null'}`,
              )
              .join('\n')
      return `${entry.at.toISOString()}  version ${entry.version}  by ${actor}\n${changes}`
    })
    return {
      json: { UserID: userId, entries: json },
      text: lines.length === 0 ? `User ${userId} has no saved settings.` : lines.join('\n'),
    }
  },
}

const serve: Command = {
  usage: 'serve',
  summary:
    'Run the HTTP server (reads HOST, PORT, DATABASE_URL, LOG_LEVEL, PHONE_NUMBER_CHECK, TRUST_PROXY)',
  options: {},
  async run(_values, _positional, context) {
    // Loaded here so that the other commands start without loading Fastify.
    const { closeOnSignals, startServer } = await import('../server.js')
    const server = await startServer(context.config)
    closeOnSignals(server)
    // Keeps the process alive until a signal closes the server.
    await new Promise<never>(() => undefined)
    return { json: {}, text: '' }
  },
}

/** Every command, keyed by its words. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  migrate,
  'user create': userCreate,
  'user set-password': userSetPassword,
  'group create': groupCreate,
  'group add-member': groupAddMember,
  'client create': clientCreate,
  'token issue': tokenIssue,
  'token revoke': tokenRevoke,
  'settings set': settingsSet,
  'settings get': settingsGet,
  'audit list': auditList,
  'consent list': consentList,
  'consent revoke': consentRevoke,
  serve,
}

// Node-only credential providers (Deno and Bun through the `node` condition): the environment, profile files,
// the CVM/Lighthouse instance role, and the default chain. Never imported by the web entries.
// Built-ins come from process.getBuiltinModule (as in the glue), which an ES-module bundle keeps working.
'use strict';

const shared = require('./shared.js');
const { credentialsError, memoize, fetchWithTimeout, parseJson, describeUrl } = shared;
const { checkOptions, optionalString, positiveInteger, invalidArgument } = require('./util.cjs');

const E = require('../sign/node/tc3_lighthouse_sign.js').errorClass();
const builtin = (name) => process.getBuiltinModule(name);

const DEFAULT_METADATA = 'http://metadata.tencentyun.com';
const ROLE_PATH = '/latest/meta-data/cam/security-credentials/';

/** A step that found nothing to use here: the chain goes on, and says why. */
class NotHere extends Error {}

/** Deno without --allow-env/--allow-read (NotCapable, PermissionDenied) means "not found here". */
function denied(e) {
  return e?.name === 'NotCapable' || e?.name === 'PermissionDenied' || e?.code === 'ERR_ACCESS_DENIED';
}

function env(name) {
  try {
    const v = process.env[name];
    return typeof v === 'string' && v !== '' ? v : undefined;
  } catch (e) {
    if (denied(e)) return undefined;
    throw e;
  }
}

// ---- environment --------------------------------------------------------------------------------------

function readEnv() {
  const secretId = env('TENCENTCLOUD_SECRET_ID');
  const secretKey = env('TENCENTCLOUD_SECRET_KEY');
  if (!secretId || !secretKey) {
    const missing = ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY'].filter((k) => !env(k));
    throw new NotHere(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`);
  }
  const c = { secretId, secretKey };
  const token = env('TENCENTCLOUD_SESSION_TOKEN') ?? env('TENCENTCLOUD_TOKEN');
  if (token) c.token = token;
  return c;
}

/** The environment, read at each call (it is cheap, and a program may set it late). */
function fromEnv(options) {
  checkOptions(E, options, 'fromEnv options', []);
  return async function fromEnvProvider() {
    try {
      return shared.checkCredentials(E, readEnv(), 'fromEnv');
    } catch (e) {
      if (e instanceof NotHere) throw credentialsError(E, `fromEnv: ${e.message}.`);
      throw e;
    }
  };
}

// ---- profile files ------------------------------------------------------------------------------------

/** INI as the official SDKs read it: [sections], `key = value` or `key: value`, # and ; comments, CRLF, a BOM. */
function parseIni(text) {
  const sections = new Map();
  let current = null;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n|\r/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*([^\]]*?)\s*\]$/.exec(line);
    if (section) {
      current = section[1];
      if (!sections.has(current)) sections.set(current, new Map());
      continue;
    }
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!m || current === null) continue;
    // An inline comment needs a space before it: keys and tokens never hold " #" or " ;".
    let value = m[2].replace(/\s+[#;].*$/, '').trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) value = value.slice(1, -1);
    sections.get(current).set(m[1].toLowerCase(), value);
  }
  return sections;
}

function profileFiles(file) {
  if (file) return { files: [file], explicit: true };
  const fromEnvFile = env('TENCENTCLOUD_CREDENTIALS_FILE');
  if (fromEnvFile) return { files: [fromEnvFile], explicit: true };
  const files = [];
  try {
    files.push(builtin('node:path').join(builtin('node:os').homedir(), '.tencentcloud', 'credentials'));
  } catch (e) {
    if (!denied(e)) throw e;
  }
  files.push('/etc/tencentcloud/credentials');
  return { files, explicit: false };
}

/** The first file that exists, read; NotHere when none does. */
function readProfileFile(files) {
  const fs = builtin('node:fs');
  for (const f of files) {
    try {
      return { file: f, text: fs.readFileSync(f, 'utf8') };
    } catch (e) {
      if (denied(e) || ['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM'].includes(e?.code)) continue;
      throw credentialsError(E, `the profile file ${f} could not be read (${e?.code ?? e?.name}).`);
    }
  }
  throw new NotHere(`${files.join(' and ')}: not found`);
}

/** Raw credentials from a profile; NotHere when no file exists (and neither file nor profile was asked for). */
function readProfile(profile, file, explicit = true) {
  const { files } = profileFiles(file);
  const found = readProfileFile(files);
  const sections = parseIni(found.text);
  const s = sections.get(profile);
  const where = `[${profile}] of ${found.file}`;
  if (!s && !explicit) throw new NotHere(`${found.file} has no [${profile}] section`);
  if (!s) {
    const names = [...sections.keys()];
    throw credentialsError(
      E,
      `the profile file ${found.file} has no [${profile}] section${names.length ? ` (it has ${names.map((n) => `[${n}]`).join(', ')})` : ''}.`,
    );
  }
  if (!s.get('secret_id') || !s.get('secret_key')) {
    const missing = ['secret_id', 'secret_key'].filter((k) => !s.get(k));
    throw credentialsError(E, `${where} has no ${missing.join(' and ')}.`);
  }
  const c = { secretId: s.get('secret_id'), secretKey: s.get('secret_key') };
  if (s.get('token')) c.token = s.get('token');
  return { creds: c, source: `profile ${where}` };
}

function profileName(options) {
  return optionalString(E, options.profile, 'fromProfile options.profile') ?? env('TENCENTCLOUD_PROFILE') ?? 'default';
}

function fromProfile(options) {
  const o = checkOptions(E, options, 'fromProfile options', ['profile', 'file']);
  const file = optionalString(E, o.file, 'fromProfile options.file');
  const profile = profileName(o);
  return memoize(
    E,
    async () => {
      try {
        return readProfile(profile, file).creds;
      } catch (e) {
        if (e instanceof NotHere) throw credentialsError(E, `fromProfile: ${e.message}.`);
        throw credentialsError(E, `fromProfile: ${e.message}`);
      }
    },
    'fromProfile',
  );
}

// ---- CVM / Lighthouse instance role --------------------------------------------------------------------

function metadataDisabled() {
  return ['1', 'true', 'yes'].includes((env('TENCENTCLOUD_METADATA_DISABLED') ?? '').toLowerCase());
}

/** The metadata endpoint: the option, else TENCENTCLOUD_METADATA_ENDPOINT, else the real one; null when switched off. */
function metadataEndpoint(given) {
  if (given) return given;
  if (metadataDisabled()) return null;
  return env('TENCENTCLOUD_METADATA_ENDPOINT') ?? DEFAULT_METADATA;
}

/** Raw credentials of the instance's role; NotHere when no metadata service answers (not a cloud machine). */
async function readCvmRole({ endpoint, roleName, timeoutMs, fetchFn }) {
  const base = endpoint.replace(/\/+$/, '');
  const what = `the metadata service (${describeUrl(base)})`;
  const get = async (path) => {
    let res;
    try {
      res = await fetchWithTimeout(E, fetchFn, `${base}${path}`, { method: 'GET' }, timeoutMs, what);
    } catch (e) {
      throw new NotHere(e.message.replace(/\.$/, ''));
    }
    return res;
  };
  let role = roleName;
  if (!role) {
    const res = await get(ROLE_PATH);
    if (res.status === 404) throw new NotHere(`${what}: this instance has no CAM role`);
    if (!res.ok) throw credentialsError(E, `${what}: HTTP ${res.status} for the role name.`);
    role = res.text.split(/\r?\n/)[0].trim();
    if (!role) throw new NotHere(`${what}: this instance has no CAM role`);
  }
  const res = await get(`${ROLE_PATH}${encodeURIComponent(role)}`);
  if (res.status === 404) throw credentialsError(E, `${what}: no role "${role}" on this instance.`);
  if (!res.ok) throw credentialsError(E, `${what}: HTTP ${res.status} for role "${role}".`);
  const body = parseJson(E, res.text, what);
  if (body?.Code !== 'Success') throw credentialsError(E, `${what}: role "${role}" answered Code ${JSON.stringify(String(body?.Code))}.`);
  return { creds: shared.fromAnyShape(body), source: `CVM role "${role}" (${describeUrl(base)})` };
}

function cvmOptions(o, label) {
  const endpoint = optionalString(E, o.endpoint, `${label}.endpoint`);
  if (endpoint && !/^https?:\/\//.test(endpoint)) throw invalidArgument(E, `\`${label}.endpoint\` must be an http(s) URL.`);
  return {
    roleName: optionalString(E, o.roleName, `${label}.roleName`),
    endpoint,
    timeoutMs: positiveInteger(E, o.timeoutMs, `${label}.timeoutMs`) ?? 1000,
  };
}

function fromCvmRole(options) {
  const o = checkOptions(E, options, 'fromCvmRole options', ['roleName', 'endpoint', 'timeoutMs']);
  const opts = cvmOptions(o, 'fromCvmRole options');
  return memoize(
    E,
    async () => {
      const endpoint = metadataEndpoint(opts.endpoint);
      if (!endpoint) throw credentialsError(E, 'fromCvmRole: the metadata service is switched off (TENCENTCLOUD_METADATA_DISABLED).');
      try {
        return (await readCvmRole({ ...opts, endpoint, fetchFn: globalThis.fetch })).creds;
      } catch (e) {
        if (e instanceof NotHere) throw credentialsError(E, `fromCvmRole: ${e.message}.`);
        throw credentialsError(E, `fromCvmRole: ${e.message}`);
      }
    },
    'fromCvmRole',
  );
}

// ---- the default chain ---------------------------------------------------------------------------------

const TKE_VARS = ['TKE_ROLE_ARN', 'TKE_PROVIDER_ID', 'TKE_WEB_IDENTITY_TOKEN_FILE'];

/**
 * env -> profile -> TKE OIDC (when its variables are set) -> CVM role; the first that yields wins. The
 * environment is read at each call; what the other steps found is cached as any provider's. `profile`
 * given: that profile, and the environment is skipped (an explicit choice beats the ambient one).
 */
function defaultCredentials(options) {
  const o = checkOptions(E, options, 'defaultCredentials options', ['profile', 'metadataEndpoint', 'stsEndpoint']);
  const profile = optionalString(E, o.profile, 'defaultCredentials options.profile');
  const metaGiven = optionalString(E, o.metadataEndpoint, 'defaultCredentials options.metadataEndpoint');
  const stsEndpoint = optionalString(E, o.stsEndpoint, 'defaultCredentials options.stsEndpoint');
  let source;
  const rest = memoize(
    E,
    async () => {
      const tried = [];
      if (!profile) {
        try {
          readEnv();
        } catch (e) {
          if (e instanceof NotHere) tried.push(`environment: ${e.message}`);
        }
      }
      const step = async (name, run) => {
        try {
          const r = await run();
          source = r.source;
          return r.creds;
        } catch (e) {
          if (!(e instanceof NotHere)) throw credentialsError(E, `defaultCredentials: the ${name} step failed: ${e.message}`, e.cause);
          tried.push(`${name}: ${e.message}`);
          return null;
        }
      };
      const named = profile ?? env('TENCENTCLOUD_PROFILE');
      let c = await step('profile file', async () => {
        try {
          return readProfile(named ?? 'default', undefined, named !== undefined);
        } catch (e) {
          // A profile asked for by name must exist: going on to another identity would surprise.
          if (e instanceof NotHere && named !== undefined) throw credentialsError(E, `profile [${named}]: ${e.message}.`);
          throw e;
        }
      });
      if (c) return c;
      c = await step('TKE OIDC', async () => {
        const missing = TKE_VARS.filter((k) => !env(k));
        if (missing.length) throw new NotHere(`${missing.join(', ')} not set`);
        const { readWebIdentity, webIdentityOptions } = require('./sts.cjs');
        const creds = await readWebIdentity(webIdentityOptions({ endpoint: stsEndpoint }, 'defaultCredentials'));
        return { creds, source: `TKE OIDC (${env('TKE_ROLE_ARN')})` };
      });
      if (c) return c;
      c = await step('CVM role', async () => {
        const endpoint = metadataEndpoint(metaGiven);
        if (!endpoint) throw new NotHere('switched off by TENCENTCLOUD_METADATA_DISABLED');
        return readCvmRole({ endpoint, timeoutMs: 1000, fetchFn: globalThis.fetch });
      });
      if (c) return c;
      throw credentialsError(
        E,
        `No credentials found. Tried: ${tried.join('; ')}. Set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, write ~/.tencentcloud/credentials, or pass \`credentials\`.`,
      );
    },
    'defaultCredentials',
  );
  const chain = async function defaultCredentialsProvider() {
    if (!profile) {
      let c = null;
      try {
        c = readEnv();
      } catch (e) {
        if (!(e instanceof NotHere)) throw e;
      }
      if (c) {
        source = 'environment (TENCENTCLOUD_SECRET_ID)';
        return shared.checkCredentials(E, c, 'defaultCredentials (environment)');
      }
    }
    return rest();
  };
  // Which step gave the last credentials (for `tc3-lighthouse whoami`); never a secret.
  Object.defineProperty(chain, 'source', { get: () => source, enumerable: false });
  return chain;
}

module.exports = { fromEnv, fromProfile, fromCvmRole, defaultCredentials, parseIni, NotHere, env, E };

// Encryption functions (dtl-functions-encryption.rst): encrypt/decrypt (Fernet), encrypt-pki/decrypt-pki (RSA) and
// encrypt-pgp/decrypt-pgp (OpenPGP through the `openpgp` package).
//
// Decisions the docs leave open (see the conformance report):
// - encrypt: the whole VALUES value is serialised as transit JSON (sorted keys) and becomes ONE Fernet token, kept
//   as a bytes value ("Returns an encrypted bytes object" for a list); decrypt restores the value, so
//   ["decrypt", k, ["encrypt", k, ["list", "a", "b", "c"]]] is ["a", "b", "c"]. The Fernet key is derived from the
//   KEY password as urlsafe-base64(SHA-256(UTF-8 password)); the docs name no derivation, so tokens made by a Sesam
//   node are not guaranteed to decrypt here.
// - encrypt-pki/decrypt-pki: RSA-OAEP with SHA-256 (and MGF1-SHA-256), one bytes value per string.
// - openpgp is promise-based while DTL functions are synchronous: PGP work runs in one worker thread and the caller
//   blocks on Atomics.wait until it answers.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  constants,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { parseJson, stringifyJson } from '../../format/json.js';
import { DtlRuntimeError } from '../errors.js';
import { Bytes, decodeTransit, encodeTransit, firstValue, type DtlValue } from '../values.js';
import { DROP, mapValues } from './helpers.js';
import { defineFunctions, valueArg, type DtlFunction } from './registry.js';

// ---------------------------------------------------------------------------------------------------------------
// Fernet (https://github.com/fernet/spec): 0x80 | timestamp(8) | IV(16) | AES-128-CBC ciphertext | HMAC-SHA256(32).

/** The 32-byte Fernet key for a password. */
export function fernetKeyFromPassword(password: string): Buffer {
  return createHash('sha256').update(password, 'utf8').digest();
}

export function fernetEncrypt(
  key: Buffer,
  plaintext: Buffer,
  nowSeconds = Math.floor(Date.now() / 1000),
  iv = randomBytes(16),
): string {
  const signingKey = key.subarray(0, 16);
  const encryptionKey = key.subarray(16, 32);
  const cipher = createCipheriv('aes-128-cbc', encryptionKey, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const header = Buffer.alloc(9);
  header[0] = 0x80;
  header.writeBigUInt64BE(BigInt(nowSeconds), 1);
  const body = Buffer.concat([header, iv, ciphertext]);
  const mac = createHmac('sha256', signingKey).update(body).digest();
  const token = Buffer.concat([body, mac]).toString('base64url');
  return token + '='.repeat((4 - (token.length % 4)) % 4); // Python's urlsafe_b64encode keeps the padding
}

/** The bytes of a Fernet token (version, timestamp, IV, ciphertext blocks, HMAC), or undefined for other text. */
function fernetTokenBytes(token: string): Buffer | undefined {
  const text = token.trim();
  if (!/^[A-Za-z0-9_-]*=*$/.test(text)) return undefined;
  const data = Buffer.from(text.replace(/=+$/, ''), 'base64url');
  if (data.length < 1 + 8 + 16 + 16 + 32 || data[0] !== 0x80 || (data.length - 57) % 16 !== 0) return undefined;
  return data;
}

function isFernetToken(token: string): boolean {
  return fernetTokenBytes(token) !== undefined;
}

/** Decrypt a Fernet token; undefined when the token is malformed or the key does not match. */
export function fernetDecrypt(key: Buffer, token: string): Buffer | undefined {
  const data = fernetTokenBytes(token);
  if (!data) return undefined;
  const body = data.subarray(0, data.length - 32);
  const mac = createHmac('sha256', key.subarray(0, 16)).update(body).digest();
  if (!timingSafeEqual(mac, data.subarray(data.length - 32))) return undefined;
  try {
    const decipher = createDecipheriv('aes-128-cbc', key.subarray(16, 32), body.subarray(9, 25));
    return Buffer.concat([decipher.update(body.subarray(25)), decipher.final()]);
  } catch {
    return undefined;
  }
}

function transitText(value: DtlValue): Buffer {
  return Buffer.from(stringifyJson(encodeTransit(value), { sortKeys: true }), 'utf8');
}

function keyString(fn: string, what: string, v: DtlValue): string {
  const k = firstValue(v);
  if (typeof k !== 'string') throw new DtlRuntimeError(`${fn}: ${what} must be a string`);
  return k;
}

function tokenText(v: DtlValue): string | undefined {
  if (v instanceof Bytes) return Buffer.from(v.value).toString('latin1');
  return typeof v === 'string' ? v : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// RSA.

function publicKey(fn: string, pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch (e) {
    throw new DtlRuntimeError(`${fn}: PUBLIC_KEY is not a valid PEM public key (${(e as Error).message})`);
  }
}

function privateKey(fn: string, pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (e) {
    throw new DtlRuntimeError(`${fn}: PRIVATE_KEY is not a valid PEM private key (${(e as Error).message})`);
  }
}

const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' } as const;

// ---------------------------------------------------------------------------------------------------------------
// OpenPGP in a worker thread, called synchronously.

type PgpJob =
  | { op: 'encrypt'; key: string; texts: string[] }
  | { op: 'decrypt'; key: string; passphrase: string; texts: string[] };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let openpgp;
let loadError;
try { openpgp = require(workerData.openpgpPath); } catch (e) { loadError = e; }
async function run(job) {
  if (loadError) throw new Error('the openpgp package cannot be loaded (' + loadError.message + ')');
  if (job.op === 'encrypt') {
    let key;
    try { key = await openpgp.readKey({ armoredKey: job.key }); }
    catch (e) { throw new Error('PUBLIC_KEY is not a valid OpenPGP public key (' + e.message + ')'); }
    const out = [];
    for (const text of job.texts) out.push(await openpgp.encrypt({ message: await openpgp.createMessage({ text }), encryptionKeys: key }));
    return out;
  }
  let key;
  try { key = await openpgp.readPrivateKey({ armoredKey: job.key }); }
  catch (e) { throw new Error('PRIVATE_KEY is not a valid OpenPGP private key (' + e.message + ')'); }
  if (!key.isDecrypted()) {
    try { key = await openpgp.decryptKey({ privateKey: key, passphrase: job.passphrase }); }
    catch (e) { throw new Error('PASSPHRASE does not unlock PRIVATE_KEY (' + e.message + ')'); }
  }
  const out = [];
  for (const armored of job.texts) {
    let message;
    try { message = await openpgp.readMessage({ armoredMessage: armored }); } catch { out.push(null); continue; }
    const { data } = await openpgp.decrypt({ message, decryptionKeys: key });
    out.push(data);
  }
  return out;
}
parentPort.on('message', ({ job, port, signal }) => {
  run(job).then((value) => ({ ok: true, value }), (e) => ({ ok: false, error: String((e && e.message) || e) })).then((reply) => {
    port.postMessage(reply);
    port.close();
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
});
`;

let pgpWorker: Worker | undefined;
const PGP_TIMEOUT_MS = 120_000;

function pgpCall(fn: string, job: PgpJob): (string | null)[] {
  if (!pgpWorker) {
    let openpgpPath: string;
    try {
      openpgpPath = createRequire(import.meta.url).resolve('openpgp');
    } catch {
      throw new DtlRuntimeError(`${fn}: OpenPGP is not available (the openpgp package is not installed)`);
    }
    pgpWorker = new Worker(WORKER_SOURCE, { eval: true, workerData: { openpgpPath } });
    pgpWorker.unref();
    pgpWorker.on('error', () => {
      pgpWorker = undefined;
    });
  }
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  pgpWorker.postMessage({ job, port: port2, signal }, [port2]);
  const waited = Atomics.wait(signal, 0, 0, PGP_TIMEOUT_MS);
  const reply = receiveMessageOnPort(port1)?.message as
    | { ok: true; value: (string | null)[] }
    | { ok: false; error: string }
    | undefined;
  port1.close();
  if (waited === 'timed-out' || !reply) throw new DtlRuntimeError(`${fn}: OpenPGP worker did not answer`);
  if (!reply.ok) throw new DtlRuntimeError(`${fn}: ${reply.error}`);
  return reply.value;
}

/** Apply a batch operation to the strings of a value-expression, keeping the map-style shape. */
function mapStringsBatch(
  values: DtlValue,
  run: (texts: string[]) => (string | null)[],
  wrap: (s: string) => DtlValue,
): DtlValue {
  const texts = (Array.isArray(values) ? values : [values]).filter((v): v is string => typeof v === 'string');
  if (texts.length === 0) return Array.isArray(values) ? [] : null;
  const results = run(texts);
  let i = 0;
  return mapValues(values, (v) => {
    if (typeof v !== 'string') return DROP;
    const r = results[i++];
    return r === null || r === undefined ? DROP : wrap(r);
  });
}

// ---------------------------------------------------------------------------------------------------------------

const encryptionFunctions: DtlFunction[] = [
  {
    name: 'encrypt',
    category: 'encryption',
    min: 2,
    max: 2,
    nondeterministic: true,
    call: (args) => {
      const key = fernetKeyFromPassword(keyString('encrypt', 'KEY', valueArg(args, 0)));
      const values = valueArg(args, 1);
      if (values === null) return null;
      return new Bytes(new Uint8Array(Buffer.from(fernetEncrypt(key, transitText(values)), 'latin1')));
    },
  },
  {
    name: 'decrypt',
    category: 'encryption',
    min: 2,
    max: 2,
    call: (args) => {
      const key = fernetKeyFromPassword(keyString('decrypt', 'KEY', valueArg(args, 0)));
      return mapValues(valueArg(args, 1), (v) => {
        const token = tokenText(v);
        if (token === undefined) return DROP;
        // A value that is not a token decrypts to null; a token made with another key is an error.
        if (!isFernetToken(token)) return null;
        const plain = fernetDecrypt(key, token);
        if (!plain) throw new DtlRuntimeError('decrypt: the value is not a token made by encrypt with this KEY');
        try {
          return decodeTransit(parseJson(plain.toString('utf8')));
        } catch {
          throw new DtlRuntimeError('decrypt: the decrypted data is not transit JSON');
        }
      });
    },
  },
  {
    name: 'encrypt-pki',
    category: 'encryption',
    min: 2,
    max: 2,
    nondeterministic: true,
    call: (args) => {
      const key = publicKey('encrypt-pki', keyString('encrypt-pki', 'PUBLIC_KEY', valueArg(args, 0)));
      return mapValues(valueArg(args, 1), (v) => {
        if (typeof v !== 'string') return DROP;
        try {
          return new Bytes(new Uint8Array(publicEncrypt({ key, ...OAEP }, Buffer.from(v, 'utf8'))));
        } catch (e) {
          throw new DtlRuntimeError(
            `encrypt-pki: cannot encrypt a ${Buffer.byteLength(v)}-byte string with this key (${(e as Error).message}); use encrypt-pgp for large data`,
          );
        }
      });
    },
  },
  {
    name: 'decrypt-pki',
    category: 'encryption',
    min: 2,
    max: 2,
    call: (args) => {
      const key = privateKey('decrypt-pki', keyString('decrypt-pki', 'PRIVATE_KEY', valueArg(args, 0)));
      return mapValues(valueArg(args, 1), (v) => {
        if (!(v instanceof Bytes)) return DROP;
        try {
          return privateDecrypt({ key, ...OAEP }, v.value).toString('utf8');
        } catch (e) {
          throw new DtlRuntimeError(`decrypt-pki: cannot decrypt the value with PRIVATE_KEY (${(e as Error).message})`);
        }
      });
    },
  },
  {
    name: 'encrypt-pgp',
    category: 'encryption',
    min: 2,
    max: 2,
    nondeterministic: true,
    call: (args) => {
      const key = keyString('encrypt-pgp', 'PUBLIC_KEY', valueArg(args, 0));
      return mapStringsBatch(
        valueArg(args, 1),
        (texts) => pgpCall('encrypt-pgp', { op: 'encrypt', key, texts }),
        (s) => s,
      );
    },
  },
  {
    name: 'decrypt-pgp',
    category: 'encryption',
    min: 3,
    max: 3,
    call: (args) => {
      const key = keyString('decrypt-pgp', 'PRIVATE_KEY', valueArg(args, 0));
      const passphrase = keyString('decrypt-pgp', 'PASSPHRASE', valueArg(args, 1));
      return mapStringsBatch(
        valueArg(args, 2),
        (texts) => pgpCall('decrypt-pgp', { op: 'decrypt', key, passphrase, texts }),
        (s) => s,
      );
    },
  },
];

defineFunctions(encryptionFunctions);

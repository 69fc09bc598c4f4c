import { generateKeyPairSync } from 'node:crypto';
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DtlRuntimeError } from '../../../src/dtl/errors.js';
import { fernetDecrypt, fernetEncrypt, fernetKeyFromPassword } from '../../../src/dtl/functions/encryption.js';
import { lookupFunction, type CallContext } from '../../../src/dtl/functions/registry.js';
import { Bytes, decodeTransit, encodeTransit, type DtlValue } from '../../../src/dtl/values.js';
import type { JsonValue } from '../../../src/format/json.js';

const ctx: CallContext = {
  now: () => 0n,
  pipeId: 'p',
  namespacedIdentifiers: false,
  identityNamespace: 'p',
  propertyNamespace: 'p',
};

function callTyped(name: string, ...args: DtlValue[]): DtlValue {
  const fn = lookupFunction(name);
  if (!fn) throw new Error(`${name} is not registered`);
  return fn.call(args, ctx);
}
const call = (name: string, ...args: JsonValue[]): JsonValue =>
  encodeTransit(callTyped(name, ...args.map(decodeTransit)));

describe('Fernet', () => {
  const key = fernetKeyFromPassword('secret');

  it('round-trips and is randomised', () => {
    const a = fernetEncrypt(key, Buffer.from('hello'));
    const b = fernetEncrypt(key, Buffer.from('hello'));
    expect(a).not.toBe(b);
    expect(fernetDecrypt(key, a)?.toString()).toBe('hello');
    expect(a.length % 4).toBe(0); // padded urlsafe base64, as Python's Fernet
    expect(a.startsWith('gAAAAA')).toBe(true); // version byte 0x80
  });

  it('matches the Fernet spec test vector', () => {
    // https://github.com/fernet/spec/blob/master/generate.json
    const specKey = Buffer.from('cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=', 'base64url');
    const iv = Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const token = fernetEncrypt(specKey, Buffer.from('hello'), 499162800, iv);
    expect(token).toBe(
      'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==',
    );
  });

  it('rejects a wrong key or a tampered token', () => {
    const token = fernetEncrypt(key, Buffer.from('hello'));
    expect(fernetDecrypt(fernetKeyFromPassword('other'), token)).toBeUndefined();
    expect(fernetDecrypt(key, token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21))).toBeUndefined();
    expect(fernetDecrypt(key, 'not a token')).toBeUndefined();
  });
});

describe('encrypt / decrypt', () => {
  it('encrypts a whole value into one bytes value and decrypts it back', () => {
    const token = callTyped('encrypt', 'secret', ['a', 'b', 'c']);
    expect(token).toBeInstanceOf(Bytes);
    expect(encodeTransit(callTyped('decrypt', 'secret', token))).toEqual(['a', 'b', 'c']);
  });

  it('keeps typed values through the transit round trip', () => {
    const value = decodeTransit({
      when: '~t2015-07-28T09:46:00.123456789Z',
      n: 12345678901234567890n,
      u: '~rhttp://x/',
    });
    expect(encodeTransit(callTyped('decrypt', 'k', callTyped('encrypt', 'k', value)))).toEqual({
      n: 12345678901234567890n,
      u: '~rhttp://x/',
      when: '~t2015-07-28T09:46:00.123456789Z',
    });
  });

  it('maps decrypt over lists of tokens and passes null', () => {
    const a = callTyped('encrypt', 'k', 'a');
    const b = callTyped('encrypt', 'k', 1);
    expect(encodeTransit(callTyped('decrypt', 'k', [a, 7, b]))).toEqual(['a', 1]);
    expect(call('encrypt', 'k', null)).toBeNull();
    expect(call('decrypt', 'k', null)).toBeNull();
  });

  it('fails loudly with the wrong key', () => {
    const token = callTyped('encrypt', 'right', 'a');
    expect(() => callTyped('decrypt', 'wrong', token)).toThrow(DtlRuntimeError);
  });
});

describe('encrypt-pki / decrypt-pki', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privPkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const privPkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  it('round-trips strings through bytes, with PKCS#1 and PKCS#8 private keys', () => {
    const encrypted = callTyped('encrypt-pki', pub, ['secret', 42, 'passphrase']);
    expect(Array.isArray(encrypted) && encrypted.length).toBe(2);
    expect((encrypted as DtlValue[]).every((b) => b instanceof Bytes && b.value.length === 256)).toBe(true);
    expect(callTyped('decrypt-pki', privPkcs1, encrypted)).toEqual(['secret', 'passphrase']);
    expect(callTyped('decrypt-pki', privPkcs8, (encrypted as DtlValue[])[0]!)).toBe('secret');
  });

  it('names the function and the key on bad keys and oversized input', () => {
    expect(() => callTyped('encrypt-pki', 'RSA_PEM_public_key', 'x')).toThrow(
      /encrypt-pki: PUBLIC_KEY is not a valid PEM public key/,
    );
    expect(() => callTyped('decrypt-pki', 'nope', new Bytes(new Uint8Array(4)))).toThrow(/decrypt-pki: PRIVATE_KEY/);
    expect(() => callTyped('encrypt-pki', pub, 'x'.repeat(400))).toThrow(/encrypt-pgp for large data/);
  });
});

describe('encrypt-pgp / decrypt-pgp (openpgp in a worker)', () => {
  let publicArmored = '';
  let privateArmored = '';
  beforeAll(async () => {
    const key = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Test', email: 'test@example.org' }],
      passphrase: 'valid-password',
      format: 'armored',
    });
    publicArmored = key.publicKey;
    privateArmored = key.privateKey;
  });

  it('encrypts strings into armored messages and decrypts them with the passphrase', () => {
    const messages = callTyped('encrypt-pgp', publicArmored, ['data', 1, 'data2']);
    expect(Array.isArray(messages) && messages.length).toBe(2);
    for (const m of messages as string[]) expect(m.startsWith('-----BEGIN PGP MESSAGE-----')).toBe(true);
    expect(callTyped('decrypt-pgp', privateArmored, 'valid-password', messages)).toEqual(['data', 'data2']);
    const single = callTyped('encrypt-pgp', publicArmored, 'secret message');
    expect(callTyped('decrypt-pgp', privateArmored, 'valid-password', single)).toBe('secret message');
  });

  it('fails loudly on a placeholder key or a wrong passphrase', () => {
    expect(() => callTyped('encrypt-pgp', 'OpenPGP_public_key', 'x')).toThrow(
      /encrypt-pgp: PUBLIC_KEY is not a valid OpenPGP public key/,
    );
    const m = callTyped('encrypt-pgp', publicArmored, 'x');
    expect(() => callTyped('decrypt-pgp', privateArmored, 'wrong', m)).toThrow(
      /decrypt-pgp: PASSPHRASE does not unlock/,
    );
    expect(callTyped('encrypt-pgp', publicArmored, null)).toBeNull();
  });
});

// Turning failed node calls into SesamErrors a person can act on: one line saying what failed, the node's own
// words or the network cause on the Reason line. The JWT never appears: messages are built from URLs and bodies.
import { nodeError, type SesamError } from '../errors.js';
import { isJsonObject, parseJson, type JsonValue } from '../format/json.js';

/** `GET /pipes/x`: the call as named in messages, relative to the API root. */
export type CallName = string;

/** The node's explanation from an error body: `message`/`detail`/`error`/`title`, else the start of the text. */
export function nodeMessage(body: string): string | undefined {
  const text = body.trim();
  if (!text) return undefined;
  try {
    const value = parseJson(text);
    if (isJsonObject(value)) {
      for (const key of ['message', 'detail', 'error', 'title', 'reason']) {
        const v = value[key];
        if (typeof v === 'string' && v.trim()) return v.trim();
      }
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

export function httpStatusError(
  call: CallName,
  status: number,
  statusText: string,
  body: string,
  attempts: number,
): SesamError {
  const reason = nodeMessage(body);
  const st = `${status}${statusText ? ` ${statusText}` : ''}`;
  switch (status) {
    case 401:
      return nodeError(`The node rejected the JWT (${st}) for ${call}.`, {
        status,
        reason,
        hint: 'check --jwt, env JWT or .syncconfig; the token may have expired or belong to another subscription',
      });
    case 403:
      return nodeError(`The node refused access (${st}) for ${call}.`, {
        status,
        reason: reason ?? 'the JWT lacks the permission this needs',
      });
    case 404:
      return nodeError(`Not found on the node (${st}): ${call}.`, { status, reason });
    case 409:
      return nodeError(`The node reported a conflict (${st}) for ${call}.`, { status, reason });
  }
  if (status >= 500) {
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    return nodeError(`The node failed (${st}) on ${call}${tries}.`, { status, reason });
  }
  return nodeError(`The node rejected ${call} (${st}).`, { status, reason });
}

/** Why a fetch threw before any response: refused, DNS, reset, TLS... */
export function networkReason(err: unknown, url: URL): string {
  const cause = (err as { cause?: unknown })?.cause as { code?: string; message?: string } | undefined;
  const code = cause?.code ?? (err as { code?: string })?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${url.host} (ECONNREFUSED)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DNS lookup failed for ${url.hostname} (${code})`;
    case 'ECONNRESET':
      return `the connection was reset (ECONNRESET)`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `the connection timed out (${code})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to ${url.hostname} (${code})`;
  }
  if (code && /CERT|SSL|TLS|SELF_SIGNED/i.test(code)) {
    return `TLS certificate problem (${code}); --skip-tls-verification skips the check`;
  }
  const message = cause?.message ?? (err instanceof Error ? err.message : String(err));
  return code ? `${message} (${code})` : message;
}

export function unreachableError(baseUrl: string, call: CallName, err: unknown, url: URL): SesamError {
  return nodeError(`Cannot reach the node at ${baseUrl} (${call}).`, { reason: networkReason(err, url), cause: err });
}

export function timeoutError(call: CallName, ms: number): SesamError {
  return nodeError(`The node sent no answer within ${seconds(ms)} s for ${call}.`, {
    reason: 'timed out; the node may be overloaded or hibernating',
  });
}

export function malformedError(call: CallName, reason: string): SesamError {
  return nodeError(`The node sent invalid JSON for ${call}.`, { reason });
}

/** One line per rejected component: `<_id>: <msg> (<elements>)`; errors first, everything when there are none. */
export function validationErrorLines(errors: JsonValue[]): string[] {
  const lines: string[] = [];
  for (const e of errors) {
    if (!isJsonObject(e)) {
      lines.push(String(e));
      continue;
    }
    const posted = e['posted-config'];
    const id = isJsonObject(posted) && typeof posted._id === 'string' ? posted._id : '(unknown component)';
    const configErrors = Array.isArray(e['config-errors']) ? e['config-errors'] : [];
    const serious = configErrors.filter((c) => isJsonObject(c) && c.level === 'error');
    const shown = serious.length ? serious : configErrors;
    if (!shown.length) lines.push(`${id}: rejected without details`);
    for (const c of shown) {
      if (!isJsonObject(c)) continue;
      const msg = typeof c.msg === 'string' ? c.msg : JSON.stringify(c.msg ?? c);
      const where =
        c.elements !== undefined && c.elements !== null
          ? ` (${typeof c.elements === 'string' ? c.elements : JSON.stringify(c.elements)})`
          : '';
      lines.push(`${id}: ${msg}${where}`);
    }
  }
  return lines;
}

export function configRejectedError(errors: JsonValue[]): SesamError {
  const lines = validationErrorLines(errors);
  return nodeError(`The node rejected the config (${lines.length} error${lines.length === 1 ? '' : 's'}).`, {
    status: 400,
    // main prints one `Reason:` line; further errors get their own `Reason:` prefix.
    reason: lines.join('\nReason: '),
    hint: 'fix the listed pipes/systems, or upload anyway with --force',
  });
}

function seconds(ms: number): string {
  return ms >= 1000 ? String(Math.round(ms / 1000)) : String(ms / 1000);
}

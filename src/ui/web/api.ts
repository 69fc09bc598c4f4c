// Talking to the `sesam ui` server: every request carries the token the page was served with.
const token = document.querySelector<HTMLMetaElement>('meta[name="sesam-token"]')?.content ?? '';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { 'x-sesam-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ApiError(`HTTP ${response.status}`, text);
  }
  if (!response.ok) {
    const err = doc as { error?: string; reason?: string; hint?: string };
    throw new ApiError(err.error ?? `HTTP ${response.status}`, [err.reason, err.hint].filter(Boolean).join(' '));
  }
  return doc as T;
}

export const getJson = <T>(path: string, params: Record<string, string> = {}): Promise<T> => {
  const query = new URLSearchParams(params).toString();
  return call<T>('GET', query ? `${path}?${query}` : path);
};

export const postJson = <T>(path: string, body: unknown): Promise<T> => call<T>('POST', path, body);

import type { BackendClient, BackendResponse } from './backend-client.ts';

/** The headers of an OData v4 write with decimals as strings. */
export const ODATA_V4_WRITE_HEADERS: Readonly<Record<string, string>> = {
  accept: 'application/json;odata.metadata=minimal;IEEE754Compatible=true',
  'content-type': 'application/json;IEEE754Compatible=true',
  'odata-version': '4.0',
  'odata-maxversion': '4.0',
};

/** The headers of an OData v2 write (JSON). */
export const ODATA_V2_WRITE_HEADERS: Readonly<Record<string, string>> = {
  accept: 'application/json',
  'content-type': 'application/json',
};

/** A CSRF token and the session cookie it belongs to, sent together on every modifying request. */
export type CsrfSession = { token: string; cookie: string };

export type CsrfWriter = {
  /**
   * POSTs `body` to `resource` under the service root with a CSRF token (fetched on first use
   * and once more when the server answers 403 `x-csrf-token: Required`). `idempotent` lets the
   * client retry on 5xx and timeouts: only for requests the server answers once (e.g. with a
   * Repeatability-Request-ID). Answers below 500 are returned as they are.
   */
  post(
    resource: string,
    body: unknown,
    options?: { headers?: Record<string, string>; idempotent?: boolean },
  ): Promise<BackendResponse>;
};

function cookieOf(response: BackendResponse): string {
  const raw = response.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.map((c) => c.split(';')[0]!.trim()).join('; ');
}

/** The session an answer to `x-csrf-token: fetch` issued; undefined when it issued none. */
export function csrfSessionOf(response: BackendResponse): CsrfSession | undefined {
  const token = response.headers['x-csrf-token'];
  if (response.status !== 200 || typeof token !== 'string' || token === '') return undefined;
  if (token.toLowerCase() === 'required') return undefined;
  return { token, cookie: cookieOf(response) };
}

/** The server refused a modifying request for its CSRF token (403 `x-csrf-token: Required`). */
export function csrfRefused(response: BackendResponse): boolean {
  const token = String(response.headers['x-csrf-token'] ?? '').toLowerCase();
  return response.status === 403 && token === 'required';
}

/**
 * Writes to an OData service (v2 or v4, `headers` say which) the way SAP Gateway wants them: a
 * CSRF token fetched with a GET of the service root (`x-csrf-token: fetch`) and sent back with
 * the session cookie issued with it, on every modifying request.
 */
export function createCsrfWriter(
  client: BackendClient,
  root: string,
  headers: Readonly<Record<string, string>>,
): CsrfWriter {
  const serviceRoot = root.replace(/\/$/, '');
  let session: Promise<CsrfSession> | undefined;

  async function fetchSession(): Promise<CsrfSession> {
    const res = await client.request({
      path: `${serviceRoot}/`,
      headers: { ...headers, 'x-csrf-token': 'fetch' },
    });
    const fetched = csrfSessionOf(res);
    if (!fetched) throw new Error(`no CSRF token from ${serviceRoot} (HTTP ${res.status})`);
    return fetched;
  }

  function currentSession(): Promise<CsrfSession> {
    session ??= fetchSession().catch((error: unknown) => {
      session = undefined;
      throw error;
    });
    return session;
  }

  return {
    async post(resource, body, options = {}) {
      const send = async (s: CsrfSession) =>
        client.request({
          method: 'POST',
          path: `${serviceRoot}/${resource}`,
          headers: {
            ...headers,
            ...options.headers,
            'x-csrf-token': s.token,
            ...(s.cookie ? { cookie: s.cookie } : {}),
          },
          body,
          ...(options.idempotent ? { idempotent: true } : {}),
        });
      const first = await currentSession();
      const res = await send(first);
      if (!csrfRefused(res)) return res;
      if (session && (await session) === first) session = undefined;
      return send(await currentSession());
    },
  };
}

/** Longest delay setTimeout takes (about 24.8 days); longer waits are re-armed. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * When the bearer token in an Authorization header expires (ms since the epoch), read from its
 * `exp` claim. Only for a header the authenticator has just ACCEPTED (the signature and claims are
 * verified there; this reads the payload again rather than widening the Principal type).
 * Undefined when there is no readable `exp`.
 */
export function tokenExpiry(authorization: string | undefined): number | undefined {
  const token = /^bearer +(\S+)$/i.exec(authorization ?? '')?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `fn` at `at` (ms since the epoch; at once when past); returns the cancel. */
export function runAt(at: number, fn: () => void): () => void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const wait = at - Date.now();
    timer = wait > MAX_DELAY_MS ? setTimeout(arm, MAX_DELAY_MS) : setTimeout(fn, Math.max(0, wait));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

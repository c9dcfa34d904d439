import type { RedemptionLine } from './sales-feed.ts';

/** Most lines `recordRedemptions` takes in one call. */
export const MAX_LINES_PER_CALL = 1000;

export const RECORD_REDEMPTIONS = `mutation Feed($channel: SalesChannel!, $lines: [RedemptionLineInput!]!) {
  recordRedemptions(channel: $channel, lines: $lines) {
    recorded duplicates rejected { index transactionId lineNumber code message }
  }
}`;

export type RejectedLine = {
  /** Index into the whole feed (the API's per-call index plus the lines of earlier calls). */
  index: number;
  transactionId: string;
  lineNumber: number;
  code: string;
  message: string;
};

export type FeedTarget = {
  url: string;
  token: string;
  /** GraphQL `SalesChannel` enum name, e.g. POS. */
  channel: string;
};

export type FeedOutcome =
  | {
      ok: true;
      sent: number;
      calls: number;
      recorded: number;
      duplicates: number;
      rejected: RejectedLine[];
    }
  | {
      ok: false;
      /** Calls answered successfully before the failing one, and their totals. */
      callsSucceeded: number;
      sent: number;
      recorded: number;
      duplicates: number;
      rejected: RejectedLine[];
      /** HTTP status of the failing call (0: no answer). */
      status: number;
      message: string;
      /** What the API answered: its JSON (or text), or the network error. */
      response: unknown;
    };

type Summary = { recorded: number; duplicates: number; rejected: RejectedLine[] };

/**
 * POSTs `lines` to the GraphQL `url` as `recordRedemptions` calls of at most 1000 lines, one after
 * the other, with `authorization: Bearer <token>`; stops at the first call answering an HTTP
 * error, GraphQL `errors` or no `recordRedemptions`.
 */
export async function sendSalesFeed(
  target: FeedTarget,
  lines: readonly RedemptionLine[],
): Promise<FeedOutcome> {
  const totals: Summary = { recorded: 0, duplicates: 0, rejected: [] };
  let calls = 0;
  for (let offset = 0; offset < lines.length; offset += MAX_LINES_PER_CALL) {
    const batch = lines.slice(offset, offset + MAX_LINES_PER_CALL);
    const answer = await call(target, batch);
    if (!answer.ok) {
      return { ok: false, callsSucceeded: calls, sent: offset, ...totals, ...answer.failure };
    }
    calls++;
    totals.recorded += answer.summary.recorded;
    totals.duplicates += answer.summary.duplicates;
    for (const r of answer.summary.rejected)
      totals.rejected.push({ ...r, index: r.index + offset });
  }
  return { ok: true, sent: lines.length, calls, ...totals };
}

type Failure = { status: number; message: string; response: unknown };

async function call(
  target: FeedTarget,
  lines: readonly RedemptionLine[],
): Promise<{ ok: true; summary: Summary } | { ok: false; failure: Failure }> {
  let res: Response;
  try {
    res = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${target.token}`,
      },
      body: JSON.stringify({
        query: RECORD_REDEMPTIONS,
        variables: { channel: target.channel, lines },
      }),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      failure: { status: 0, message: `No answer: ${message}`, response: message },
    };
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: reported as text
  }
  const fail = (message: string) => ({
    ok: false as const,
    failure: { status: res.status, message, response: body },
  });
  if (!res.ok) return fail(`HTTP ${res.status} from the API`);
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors) && errors.length > 0) return fail('GraphQL errors from the API');
  const summary = (body as { data?: { recordRedemptions?: Summary | null } } | null)?.data
    ?.recordRedemptions;
  if (!summary || typeof summary.recorded !== 'number') {
    return fail('The answer has no data.recordRedemptions');
  }
  return {
    ok: true,
    summary: {
      recorded: summary.recorded,
      duplicates: summary.duplicates ?? 0,
      rejected: Array.isArray(summary.rejected) ? summary.rejected : [],
    },
  };
}

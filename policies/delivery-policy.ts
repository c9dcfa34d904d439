import { fileURLToPath } from 'node:url';
import { SALES_CHANNELS, type SalesChannelName } from '../contracts/canonical/sales-channels.ts';
import { loadPolicy } from './load-policy.ts';
import { compilePolicySchema, fail, integer, type PolicyPath } from './policy-schema.ts';

/**
 * policies/delivery.yaml: how the promotion subgraph's channel dispatcher delivers to each sales
 * channel (subgraphs/promotion/delivery/). Every sales channel of the one declaration
 * (contracts/canonical/sales-channels.ts) needs an entry; each entry overrides `defaults` field by
 * field. Durations in the file are `<n>ms|s|m|h`; here they are milliseconds.
 */
export type ChannelDeliveryPolicy = {
  retry: {
    /** Wait after the first failed attempt, before jitter. */
    initialDelayMs: number;
    /** Largest wait between two attempts, before jitter. */
    maxDelayMs: number;
    /** From the first attempt: no attempt after this (nor after the promotion's end). */
    giveUpAfterMs: number;
    /** At most this many attempts (null: only the horizon bounds them). */
    maxAttempts: number | null;
  };
  /** Sends in flight to this channel per dispatcher instance. */
  concurrency: number;
  /** One webhook call's timeout. */
  requestTimeoutMs: number;
  circuit: {
    /** Consecutive failed attempts that open the circuit. */
    failureThreshold: number;
    /** How long an open circuit waits before one probe (half-open). */
    coolDownMs: number;
  };
  /** A delivery not acknowledged this long after its first attempt is overdue. */
  deliverySloMs: number;
};

/**
 * How ALL_OR_NONE promotions go live (subgraphs/promotion/activation/). From `lead` before its
 * start (and once it started), a promotion goes to its channels held first and is released
 * everywhere once all acknowledged, and a failing channel holds the others back; earlier, channels
 * get LIVE directly (their back-ends show nothing before the window anyway).
 */
export type ActivationPolicy = {
  /** How long before the start the two-phase (held, then released) activation begins. */
  leadMs: number;
  /** How long an activation may wait for acknowledgements before it is marked held. */
  holdAfterMs: number;
};

export const DEFAULT_ACTIVATION_POLICY: ActivationPolicy = { leadMs: 300_000, holdAfterMs: 30_000 };

export type DeliveryPolicy = {
  channels: Record<SalesChannelName, ChannelDeliveryPolicy>;
  activation: ActivationPolicy;
};

/** The policy file next to this module (independent of the working directory). */
export const DEFAULT_DELIVERY_POLICY_FILE = fileURLToPath(
  new URL('./delivery.yaml', import.meta.url),
);

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const DURATION_RE = /^(\d+)(ms|s|m|h)$/;

/** `500ms`, `30s`, `15m`, `6h` in milliseconds. */
export function parseDuration(text: string): number {
  const m = DURATION_RE.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

const DURATION = {
  type: 'string',
  pattern: DURATION_RE.source,
  messages: {
    type: 'expected a duration such as 500ms, 30s, 15m or 6h',
    pattern: 'expected a duration such as 500ms, 30s, 15m or 6h',
  },
} as const;

/** One lane's fields; `complete` for `defaults` (all required), partial for channel entries. */
const lane = (complete: boolean) => {
  const req = (fields: string[]) => (complete ? { required: fields } : {});
  return {
    type: 'object',
    properties: {
      retry: {
        type: 'object',
        properties: {
          initialDelay: DURATION,
          maxDelay: DURATION,
          giveUpAfter: DURATION,
          maxAttempts: {
            anyOf: [integer(1, 1000), { type: 'null' }],
            messages: { anyOf: 'expected an integer from 1 to 1000, or null (no limit)' },
          },
        },
        ...req(['initialDelay', 'maxDelay', 'giveUpAfter']),
        additionalProperties: false,
      },
      concurrency: integer(1, 256),
      requestTimeout: DURATION,
      circuit: {
        type: 'object',
        properties: { failureThreshold: integer(1, 1000), coolDown: DURATION },
        ...req(['failureThreshold', 'coolDown']),
        additionalProperties: false,
      },
      deliverySlo: DURATION,
    },
    ...req(['retry', 'concurrency', 'requestTimeout', 'circuit', 'deliverySlo']),
    additionalProperties: false,
  };
};

type LaneFile = {
  retry?: {
    initialDelay?: string;
    maxDelay?: string;
    giveUpAfter?: string;
    maxAttempts?: number | null;
  };
  concurrency?: number;
  requestTimeout?: string;
  circuit?: { failureThreshold?: number; coolDown?: string };
  deliverySlo?: string;
};
type DeliveryFile = {
  defaults: LaneFile;
  channels?: Partial<Record<SalesChannelName, LaneFile>>;
  activation?: { lead?: string; holdAfter?: string };
};

const matchesSchema = compilePolicySchema<DeliveryFile>({
  type: 'object',
  properties: {
    defaults: lane(true),
    channels: {
      type: 'object',
      properties: Object.fromEntries(SALES_CHANNELS.map((name) => [name, lane(false)])),
      additionalProperties: false,
    },
    activation: {
      type: 'object',
      properties: { lead: DURATION, holdAfter: DURATION },
      additionalProperties: false,
    },
  },
  required: ['defaults'],
  additionalProperties: false,
});

/** Bounds a schema cannot express, with the file's own field names. */
const LIMITS_MS = { requestTimeout: 60_000, giveUpAfter: 7 * 86_400_000, coolDown: 86_400_000 };

function resolveLane(defaults: LaneFile, own: LaneFile, path: PolicyPath): ChannelDeliveryPolicy {
  const retry = { ...defaults.retry, ...own.retry };
  const circuit = { ...defaults.circuit, ...own.circuit };
  const at = (field: string, inRetry = false): PolicyPath => {
    const inOwn = inRetry ? own.retry && field in own.retry : field in own;
    const group = inRetry ? ['retry'] : [];
    return inOwn ? [...path, ...group, field] : ['defaults', ...group, field];
  };
  const ms = (text: string | undefined) => parseDuration(text!);
  const policy: ChannelDeliveryPolicy = {
    retry: {
      initialDelayMs: ms(retry.initialDelay),
      maxDelayMs: ms(retry.maxDelay),
      giveUpAfterMs: ms(retry.giveUpAfter),
      maxAttempts: retry.maxAttempts ?? null,
    },
    concurrency: own.concurrency ?? defaults.concurrency!,
    requestTimeoutMs: ms(own.requestTimeout ?? defaults.requestTimeout),
    circuit: { failureThreshold: circuit.failureThreshold!, coolDownMs: ms(circuit.coolDown) },
    deliverySloMs: ms(own.deliverySlo ?? defaults.deliverySlo),
  };
  const { initialDelayMs, maxDelayMs, giveUpAfterMs } = policy.retry;
  if (initialDelayMs < 1) fail(at('initialDelay', true), 'expected at least 1ms');
  if (maxDelayMs < initialDelayMs) {
    fail(
      at('maxDelay', true),
      `expected at least initialDelay (${retry.initialDelay}), got ${retry.maxDelay}`,
    );
  }
  if (giveUpAfterMs < maxDelayMs) {
    fail(
      at('giveUpAfter', true),
      `expected at least maxDelay (${retry.maxDelay}), got ${retry.giveUpAfter}`,
    );
  }
  if (giveUpAfterMs > LIMITS_MS.giveUpAfter)
    fail(at('giveUpAfter', true), 'expected at most 168h (7 days)');
  if (policy.requestTimeoutMs < 1 || policy.requestTimeoutMs > LIMITS_MS.requestTimeout) {
    fail(at('requestTimeout'), 'expected from 1ms to 60s');
  }
  if (policy.circuit.coolDownMs < 1 || policy.circuit.coolDownMs > LIMITS_MS.coolDown) {
    const inOwn = own.circuit && 'coolDown' in own.circuit;
    fail([...(inOwn ? path : ['defaults']), 'circuit', 'coolDown'], 'expected from 1ms to 24h');
  }
  return policy;
}

/** Validates the parsed delivery.yaml; throws PolicyFieldError naming the fields. */
export function validateDeliveryPolicy(data: unknown): DeliveryPolicy {
  const file = matchesSchema(data);
  const channels = Object.fromEntries(
    SALES_CHANNELS.map((channel) => [
      channel,
      resolveLane(file.defaults, file.channels?.[channel] ?? {}, ['channels', channel]),
    ]),
  ) as DeliveryPolicy['channels'];
  const activation = {
    leadMs: file.activation?.lead
      ? parseDuration(file.activation.lead)
      : DEFAULT_ACTIVATION_POLICY.leadMs,
    holdAfterMs: file.activation?.holdAfter
      ? parseDuration(file.activation.holdAfter)
      : DEFAULT_ACTIVATION_POLICY.holdAfterMs,
  };
  return { channels, activation };
}

/** Loads and validates a delivery policy file (default policies/delivery.yaml). */
export function loadDeliveryPolicy(file = DEFAULT_DELIVERY_POLICY_FILE): DeliveryPolicy {
  return loadPolicy(file, validateDeliveryPolicy);
}

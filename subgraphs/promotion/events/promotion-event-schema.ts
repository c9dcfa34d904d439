import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';

const SCHEMA_URL = new URL(
  '../../../contracts/events/promotion-state-changed.v1.schema.json',
  import.meta.url,
);

const ajv = new Ajv2020({ allErrors: true, strict: true });
const check = ajv.compile(JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as object);

const problem = (e: ErrorObject): string => {
  const extra = 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : '';
  return `${e.instancePath || '$'}: ${e.message}${extra}`;
};

/** An event that does not conform to contracts/events/promotion-state-changed.v1.schema.json. */
export class InvalidEventError extends Error {
  constructor(
    readonly cursor: unknown,
    readonly problems: string[],
  ) {
    super(`event ${String(cursor)} does not match the v1 event schema: ${problems.join('; ')}`);
    this.name = 'InvalidEventError';
  }
}

/** Throws InvalidEventError unless `event` conforms to the v1 JSON Schema. */
export function assertPromotionEventV1(event: unknown): void {
  if (check(event)) return;
  const cursor = (event as { cursor?: unknown } | null)?.cursor;
  throw new InvalidEventError(cursor, (check.errors ?? []).map(problem));
}

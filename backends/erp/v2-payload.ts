import { HttpError } from '../http/types.ts';
import type { EdmType, Row } from '../odata/edm.ts';

/** Converts one v2 JSON payload value into the emulator's in-memory representation. */
export function fromV2Value(name: string, edm: EdmType, value: unknown): unknown {
  const bad = (): never => {
    throw new HttpError(400, 'BAD_PAYLOAD', `Invalid value for property '${name}' (Edm.${edm})`, {
      target: name,
    });
  };
  if (value === null) return null;
  switch (edm) {
    case 'DateTime':
    case 'DateTimeOffset': {
      if (typeof value !== 'string') return bad();
      const m = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value);
      if (m) return Number(m[1]);
      const ms = Date.parse(/[zZ]|[+-]\d{2}:\d{2}$/.test(value) ? value : `${value}Z`);
      return Number.isNaN(ms) ? bad() : ms;
    }
    case 'Decimal': {
      const text = typeof value === 'number' ? String(value) : value;
      return typeof text === 'string' && /^-?\d+(\.\d+)?$/.test(text) ? text : bad();
    }
    case 'Boolean':
      return typeof value === 'boolean' ? value : bad();
    case 'Int32':
      return Number.isInteger(value) ? value : bad();
    default:
      return typeof value === 'string' ? value : bad();
  }
}

/** Reads `properties` from a payload, refusing names the type does not have. */
export function readPayload(
  payload: Row,
  properties: Readonly<Record<string, EdmType>>,
  typeName: string,
  ignore: readonly string[] = [],
): Row {
  const out: Row = {};
  for (const [name, value] of Object.entries(payload)) {
    if (name === '__metadata' || ignore.includes(name)) continue;
    const edm = properties[name];
    if (!edm) {
      throw new HttpError(
        400,
        'BAD_PAYLOAD',
        `Property '${name}' is invalid for type '${typeName}'`,
        { target: name },
      );
    }
    out[name] = fromV2Value(name, edm, value);
  }
  return out;
}

export function parseJsonBody(body: Buffer): Row {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8') || 'null');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Row;
  } catch {
    // fall through
  }
  throw new HttpError(400, 'BAD_PAYLOAD', 'The request body is not a JSON object');
}

/** `sap-message` header value: an info message with optional warning details. */
export function sapMessage(
  code: string,
  message: string,
  warnings: { code: string; message: string }[],
): string {
  return JSON.stringify({
    code,
    message,
    severity: 'info',
    target: '',
    details: warnings.map((w) => ({ ...w, severity: 'warning', target: '' })),
  });
}

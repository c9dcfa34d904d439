/** Transaction ids and timestamps as SAP Gateway prints them in error bodies. */

let sequence = 0;

export function transactionId(): string {
  sequence = (sequence + 1) % 0xffffffff;
  return `${Date.now().toString(16).toUpperCase().padStart(16, '0')}${sequence
    .toString(16)
    .toUpperCase()
    .padStart(16, '0')}`;
}

/** `20210524082515.9921880` (UTC, 7 fractional digits). */
export function gatewayTimestamp(ms = Date.now()): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19).replace(/\D/g, '')}.${iso.slice(20, 23)}0000`;
}

export const SAP_NOTE =
  'See SAP Note 1797736 for error analysis (https://service.sap.com/sap/support/notes/1797736)';

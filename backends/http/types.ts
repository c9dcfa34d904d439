import type { IncomingHttpHeaders } from 'node:http';

export type HttpRequest = {
  method: string;
  /** Decoded-once path without the query, e.g. `/sap/opu/odata/sap/API_PRODUCT_SRV/A_Product`. */
  path: string;
  /** Raw query string after `?` (not decoded), '' when absent. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** `http://host:port` as the client addressed the server. */
  origin: string;
};

export type HttpResponse = {
  status: number;
  headers?: Record<string, string | string[]>;
  /** Objects are sent as JSON; strings/buffers as they are. */
  body?: unknown;
  /** Destroy the socket instead of answering (a channel that is "down"). */
  destroy?: boolean;
};

/** Thrown by handlers; rendered by the protocol's error formatter (v2, v4 or plain JSON). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: { target?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function header(req: HttpRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

import { HttpError, type HttpRequest, type HttpResponse } from '../http/types.ts';
import type { Row } from '../odata/edm.ts';
import { parseKey } from '../odata/key-predicate.ts';
import { dateTimeOffsetEtag, type EntitySet } from './entity-set.ts';
import { requireIfMatch } from './if-match.ts';
import type { ProductStore } from './product-store.ts';
import { parseJsonBody, readPayload, sapMessage } from './v2-payload.ts';

/** Properties of `A_Product` a PATCH/MERGE may change, with their maximum length (CHAR n). */
export const PRODUCT_UPDATABLE: Readonly<Record<string, number>> = {
  /** MATKL, CHAR 9. */
  ProductGroup: 9,
  /** CHAR 4 in S/4HANA (BRAND_ID); the seed uses brand names, so the emulator allows 30. */
  Brand: 30,
  /** PRODH, CHAR 18. */
  ProductHierarchy: 18,
};

/**
 * PATCH/MERGE of `A_Product('<Product>')` (CSRF already checked by the caller): needs `If-Match`
 * with the current ETag (or `*`), changes only {@link PRODUCT_UPDATABLE}, stamps
 * `LastChangeDateTime` and answers 204 with the new ETag.
 */
export function updateProduct(
  req: HttpRequest,
  products: ProductStore,
  set: EntitySet,
  predicate: string,
): HttpResponse {
  const key = parseKey(set, predicate);
  const current = products.get(String(key.Product));
  if (!current) {
    throw new HttpError(
      404,
      'NOT_FOUND',
      `Resource not found for segment '${set.name}(${predicate})'`,
    );
  }
  requireIfMatch(req, dateTimeOffsetEtag(current.LastChangeDateTime as number));
  const changes = readPayload(parseJsonBody(req.body), set.properties, set.typeName);
  for (const [name, value] of Object.entries(changes)) {
    const maxLength = PRODUCT_UPDATABLE[name];
    if (maxLength === undefined) {
      if (value !== current[name]) {
        throw new HttpError(400, 'READ_ONLY_PROPERTY', `Property '${name}' cannot be changed`, {
          target: name,
        });
      }
      continue;
    }
    if (typeof value !== 'string') {
      throw new HttpError(400, 'BAD_PAYLOAD', `Invalid value for property '${name}' (Edm.String)`, {
        target: name,
      });
    }
    if (value.length > maxLength) {
      throw new HttpError(
        400,
        'BAD_PAYLOAD',
        `Value for property '${name}' exceeds the maximum length of ${maxLength}`,
        { target: name },
      );
    }
  }
  const stamp = Math.max(Date.now(), (current.LastChangeDateTime as number) + 1);
  const next: Row = { ...current, ...changes, LastChangeDateTime: stamp };
  products.update(next);
  return {
    status: 204,
    headers: {
      etag: dateTimeOffsetEtag(stamp),
      'sap-message': sapMessage('M3/801', `Product ${String(current.Product)} changed`, []),
    },
  };
}

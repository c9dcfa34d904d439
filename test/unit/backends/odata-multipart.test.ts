import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from '../../../backends/http/types.ts';
import {
  formatBatchResponse,
  multipartBoundary,
  parseEmbeddedRequest,
  parseMultipart,
} from '../../../backends/odata/multipart.ts';

const status = (fn: () => unknown): number => {
  try {
    fn();
  } catch (error) {
    return error instanceof HttpError ? error.status : -1;
  }
  return 0;
};

test('boundary from the content type (quoted or not); missing or wrong type → 400', () => {
  assert.equal(multipartBoundary('multipart/mixed; boundary=batch_1'), 'batch_1');
  assert.equal(multipartBoundary('Multipart/Mixed;boundary="a b"'), 'a b');
  assert.equal(
    status(() => multipartBoundary('multipart/mixed')),
    400,
  );
  assert.equal(
    status(() => multipartBoundary('application/json; boundary=x')),
    400,
  );
  assert.equal(
    status(() => multipartBoundary(undefined)),
    400,
  );
});

test('parts split on delimiters with CRLF or LF, preamble/epilogue ignored, GET lines parsed', () => {
  for (const eol of ['\r\n', '\n']) {
    const body = [
      'preamble',
      '--b',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      "GET A_Product?$filter=Product%20eq%20'X' HTTP/1.1",
      'Accept: application/json',
      '',
      '',
      '--b',
      'content-type: application/http',
      '',
      'GET /sap/opu/odata/sap/API_PRODUCT_SRV/A_Plant HTTP/1.0',
      '--b--',
      'epilogue',
    ].join(eol);
    const parts = parseMultipart(body, 'b');
    assert.equal(parts.length, 2);
    assert.deepEqual(parseEmbeddedRequest(parts[0]!), {
      method: 'GET',
      target: "A_Product?$filter=Product%20eq%20'X'",
      headers: { accept: 'application/json' },
      body: '',
    });
    assert.equal(
      parseEmbeddedRequest(parts[1]!).target,
      '/sap/opu/odata/sap/API_PRODUCT_SRV/A_Plant',
    );
  }
  assert.equal(
    status(() => parseMultipart('--b\r\nContent-Type: application/http\r\n\r\n', 'b')),
    400,
  );
  assert.equal(
    status(() => parseMultipart('nothing here', 'b')),
    400,
  );
  assert.equal(
    status(() => parseMultipart('--b\r\nbad header\r\n\r\n--b--', 'b')),
    400,
  );
  const [bad] = parseMultipart('--b\r\nContent-Type: application/http\r\n\r\nGET\r\n--b--', 'b');
  assert.equal(
    status(() => parseEmbeddedRequest(bad!)),
    400,
  );
});

test('answer: one application/http part per response with status line and Content-Length', () => {
  const text = formatBatchResponse('r', [
    { status: 200, headers: { 'content-type': 'application/json' }, body: '{"d":{}}' },
    { status: 400, headers: {}, body: 'é' },
  ]);
  assert.equal(
    text,
    '--r\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n' +
      'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 8\r\n\r\n{"d":{}}\r\n' +
      '--r\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n' +
      'HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\né\r\n--r--\r\n',
  );
});

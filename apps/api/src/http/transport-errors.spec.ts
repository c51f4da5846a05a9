import { MAX_URL_LENGTH } from './input-limits';
import { clientErrorBody } from './transport-errors';

describe('transport errors', () => {
  it('answers what the HTTP parser refused in the contract body', () => {
    expect(clientErrorBody({ code: 'HPE_INVALID_CONTENT_LENGTH' })).toMatchObject({
      statusCode: 400,
      code: 'validation_failed',
    });
    expect(clientErrorBody({ code: 'ERR_HTTP_REQUEST_TIMEOUT' })).toEqual({
      statusCode: 408,
      error: 'Request Timeout',
      code: 'request_timeout',
      message: expect.any(String),
    });
    expect(
      clientErrorBody({
        code: 'HPE_HEADER_OVERFLOW',
        rawPacket: Buffer.from(`GET /${'a'.repeat(MAX_URL_LENGTH + 1)}`),
      }),
    ).toMatchObject({ statusCode: 414, code: 'uri_too_long' });
    expect(
      clientErrorBody({ code: 'HPE_HEADER_OVERFLOW', rawPacket: Buffer.from('GET / HTTP/1.1\r\nX-A: aaaa') }),
    ).toMatchObject({ statusCode: 431, code: 'header_fields_too_large' });
    expect(clientErrorBody({ code: 'HPE_HEADER_OVERFLOW', rawPacket: Buffer.from('aaaa\r\nX-B: b') })).toMatchObject({
      statusCode: 431,
    });
    expect(clientErrorBody({ code: 'HPE_INVALID_METHOD' })).toMatchObject({
      statusCode: 400,
      code: 'validation_failed',
    });
  });
});

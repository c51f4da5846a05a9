import { HttpException } from '@nestjs/common';
import { DomainError } from '@imprimatur/domain';
import { checkRequestTarget, MAX_URL_LENGTH, nestsDeeperThan, unstorableTextAt } from './input-limits';

describe('input limits', () => {
  it('measures nesting without parsing, skipping brackets inside strings', () => {
    expect(nestsDeeperThan('[[[]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":{"c":[1]}}}', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":"[[[[[[[["}', 1)).toBe(false);
    expect(nestsDeeperThan('{"a":"\\"[[[[[[[["}', 1)).toBe(false);
    expect(nestsDeeperThan('["\\\\",[[[]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('['.repeat(50_000), 64)).toBe(true);
  });

  it('finds the first key or string PostgreSQL could not store, by its path', () => {
    expect(unstorableTextAt({ title: 'ok', references: [{ title: 'fine 😀' }] })).toBeNull();
    expect(unstorableTextAt({ references: [{ title: 'ok' }, { doi: 'a\u0000' }] })).toBe('references.1.doi');
    expect(unstorableTextAt({ a: { 'bad\ud800key': 1 } })).toBe('a');
    expect(unstorableTextAt('\udc00')).toBe('(body)');
    expect(unstorableTextAt([1, true, null])).toBeNull();
  });

  const refusal = (url: string) => {
    try {
      checkRequestTarget(url);
      return null;
    } catch (error) {
      return error instanceof DomainError
        ? [error.code, error.details]
        : error instanceof HttpException
          ? [error.getStatus()]
          : error;
    }
  };

  it('refuses a request target that is too long, malformed, or holds NUL', () => {
    expect(refusal('/articles?q=caf%C3%A9&limit=5&flag')).toBeNull();
    expect(refusal(`/a?q=${'x'.repeat(MAX_URL_LENGTH)}`)).toEqual([414]);
    expect(refusal('/users/a%00b')).toEqual(['validation_failed', { fields: { path: [expect.any(String)] } }]);
    expect(refusal('/articles?q=a%00')).toEqual(['validation_failed', { fields: { q: [expect.any(String)] } }]);
    expect(refusal('/articles?q=%ED%A0%80')).toEqual(['validation_failed', { fields: { q: [expect.any(String)] } }]);
    expect(refusal('/articles?%00=1')).toEqual(['validation_failed', { fields: { query: [expect.any(String)] } }]);
    expect(refusal('/articles?q=%E0%A4%A')).toEqual(['validation_failed', { fields: { q: [expect.any(String)] } }]);
    expect(refusal('/articles?q=a+b%2Bc')).toBeNull();
  });
});

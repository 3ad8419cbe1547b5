import { describe, expect, it } from 'vitest';
import { InvalidRequestError, parseFormBody } from '../../src/index.js';

describe('parseFormBody', () => {
  it('decodes names and values (+ is a space, percent-encoding is UTF-8)', () => {
    const params = parseFormBody('grant_type=client_credentials&scope=a+b%20c&name=%C3%BC&flag');
    expect(Object.fromEntries(params)).toEqual({ grant_type: 'client_credentials', scope: 'a b c', name: 'ü' });
  });

  it('[KIT-RFC6749-3.2-NO-REPEAT] refuses a repeated parameter', () => {
    expect(() => parseFormBody('scope=a&scope=b')).toThrow(InvalidRequestError);
    // Repetition counts even when one occurrence is empty, and after decoding the name.
    expect(() => parseFormBody('scope=&scope=b')).toThrow(InvalidRequestError);
    expect(() => parseFormBody('scope=a&sc%6Fpe=b')).toThrow(InvalidRequestError);
  });

  it('[KIT-RFC6749-3.2-EMPTY-OMITTED] treats a parameter without a value as omitted', () => {
    const params = parseFormBody('grant_type=&scope=a&resource');
    expect(params.has('grant_type')).toBe(false);
    expect(params.has('resource')).toBe(false);
    expect(params.get('scope')).toBe('a');
  });

  it('ignores empty segments and accepts an empty body', () => {
    expect(parseFormBody('').size).toBe(0);
    expect(Object.fromEntries(parseFormBody('&a=1&&b=2&'))).toEqual({ a: '1', b: '2' });
  });

  it('refuses malformed percent-encoding', () => {
    expect(() => parseFormBody('a=%zz')).toThrow(InvalidRequestError);
    expect(() => parseFormBody('a=%C3')).toThrow(InvalidRequestError);
    expect(() => parseFormBody('%=1')).toThrow(InvalidRequestError);
  });

  it('refuses more parameters than allowed', () => {
    const body = Array.from({ length: 5 }, (_, i) => `p${i}=1`).join('&');
    expect(parseFormBody(body, { maxParameters: 5 }).size).toBe(5);
    expect(() => parseFormBody(body, { maxParameters: 4 })).toThrow(InvalidRequestError);
    expect(() => parseFormBody(Array.from({ length: 65 }, (_, i) => `p${i}=1`).join('&'))).toThrow(InvalidRequestError);
  });

  it('keeps dangerous-looking names as plain map keys', () => {
    const params = parseFormBody('__proto__=x&constructor=y');
    expect(params.get('__proto__')).toBe('x');
    expect(params.get('constructor')).toBe('y');
  });
});

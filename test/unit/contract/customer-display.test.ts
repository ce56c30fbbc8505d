/**
 * The messages between the operator's window and the customer display come from another page:
 * each is checked field by field, and only the regulation's three answers pass.
 */
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../src-main/contract/customer-display.js';

describe('the customer display channel', () => {
  it('passes well-formed messages as they are', () => {
    const offer = { id: 'r1-1', language: 'ru', serviceName: { kk: 'Рұқсат', ru: 'Разрешение' } };
    expect(parseMessage({ type: 'offer', offer })).toEqual({ type: 'offer', offer });
    expect(parseMessage({ type: 'answers', id: 'r1-1', answers: { quality: 3, information: 1 } })).toEqual({ type: 'answers', id: 'r1-1', answers: { quality: 3, information: 1 } });
    expect(parseMessage({ type: 'hello', extra: 1 })).toEqual({ type: 'hello' });
    expect(parseMessage({ type: 'stored', id: 'r1-1' })).toEqual({ type: 'stored', id: 'r1-1' });
  });

  it('refuses answers off the three-point scale, missing fields, unknown types and non-objects', () => {
    for (const bad of [
      { type: 'answers', id: 'r1', answers: { quality: 4, information: 1 } },
      { type: 'answers', id: 'r1', answers: { quality: '3', information: 1 } },
      { type: 'answers', id: 'r1', answers: { quality: 2 } },
      { type: 'answers', answers: { quality: 2, information: 2 } },
      { type: 'answers', id: 'x'.repeat(65), answers: { quality: 2, information: 2 } },
      { type: 'offer', offer: { id: 'r1', language: 'en', serviceName: { kk: 'a', ru: 'b' } } },
      { type: 'offer', offer: { id: 'r1', language: 'kk', serviceName: { kk: 'a' } } },
      { type: 'withdraw' },
      { type: 'eval', code: 'alert(1)' },
      'hello',
      null,
    ]) {
      expect(parseMessage(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});

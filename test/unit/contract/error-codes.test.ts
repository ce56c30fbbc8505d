/**
 * An operation's error codes are typed by its declaration: the renderer's `failedWith` and
 * `ApiError<N>` accept the codes the operation declares and the common ones, and nothing else.
 * (A type test: tsc runs over test/ in `npm test`; vitest also reports it.)
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { opError, type OpErrorCode } from '../../../src-main/contract/operations.js';

describe("an operation's error codes", () => {
  it('are its declared ones and the common ones', () => {
    expectTypeOf<'REGISTRY_UNAVAILABLE'>().toExtend<OpErrorCode<'applicant.lookup'>>();
    expectTypeOf<'VALIDATION'>().toExtend<OpErrorCode<'applicant.lookup'>>();
    expectTypeOf<'SIGN_WRONG_PASSWORD'>().toExtend<OpErrorCode<'request.sign'>>();
  });

  it('exclude codes another operation declares', () => {
    expectTypeOf<'SIGN_WRONG_PASSWORD'>().not.toExtend<OpErrorCode<'applicant.lookup'>>();
    expectTypeOf<'SETTINGS_LOCKED'>().not.toExtend<OpErrorCode<'catalog.services'>>();
  });

  it('type an AppError made for an operation, which keeps its code and params', () => {
    const e = opError('settings.setSigningProvider', 'SETTINGS_LOCKED', { source: 'environment' });
    expectTypeOf(e.code).toEqualTypeOf<OpErrorCode<'settings.setSigningProvider'>>();
    expectTypeOf(opError<'settings.setSigningProvider'>).parameter(1).not.toEqualTypeOf<string>();
    expect(e).toMatchObject({ name: 'AppError', code: 'SETTINGS_LOCKED', params: { source: 'environment' } });
  });
});

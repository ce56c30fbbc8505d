/** Sessions: sign in, lock, password, the first administrator; quitting the kiosk: the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { Account, AccountLogin, AccountName } from './accounts.js';
import { Operator } from '../model.js';
import { Empty, Ok, IdnNumber } from './shared.js';

const SessionState = z.strictObject({ operator: Operator.nullable(), locked: z.boolean(), mustChangePassword: z.boolean() });

export const authOps = {
  'auth.login': operation({
    access: 'public',
    summary: 'P1: the operator logs in to the workstation.',
    input: z.strictObject({ login: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
    output: z.strictObject({ operator: Operator, mustChangePassword: z.boolean() }),
    errors: ['AUTH_INVALID_CREDENTIALS'],
  }),
  'auth.logout': operation({ access: 'operator', whileRestricted: true, summary: 'Ends the session.', input: Empty, output: Ok }),
  'auth.session': operation({
    access: 'public',
    summary: 'The logged-in operator, if any, and whether the session is locked or must change its password first.',
    input: Empty,
    output: SessionState,
  }),
  'auth.activity': operation({
    access: 'public',
    summary: "The operator's own input in the window (keys, pointer): the only thing that keeps the session from locking.",
    input: Empty,
    output: SessionState,
  }),
  'auth.lock': operation({ access: 'operator', summary: 'The operator steps away: lock the session now.', input: Empty, output: Ok }),
  'auth.unlock': operation({
    access: 'public',
    summary: "Unlocks the locked session with its own operator's password, back to where they were.",
    input: z.strictObject({ password: z.string().min(1).max(256) }),
    output: SessionState,
    errors: ['AUTH_INVALID_CREDENTIALS'],
  }),
  'auth.changePassword': operation({
    access: 'operator',
    whileRestricted: true,
    summary: 'The logged-in operator changes their own password (required after a reset).',
    input: z.strictObject({ current: z.string().min(1).max(256), next: z.string().min(1).max(256) }),
    output: SessionState,
    errors: ['AUTH_INVALID_CREDENTIALS', 'AUTH_PASSWORD_POLICY'],
  }),
  'auth.bootstrap': operation({
    access: 'public',
    summary: 'First start of a real installation: creates the first administrator with the one-time token printed on the machine.',
    input: z.strictObject({ token: z.string().min(1).max(64), login: AccountLogin, fullName: AccountName, iin: IdnNumber.nullable(), password: z.string().min(1).max(256) }),
    output: z.strictObject({ account: Account }),
    errors: ['ACCOUNT_BOOTSTRAP_REFUSED', 'AUTH_PASSWORD_POLICY', 'ACCOUNT_LOGIN_INVALID', 'ACCOUNT_NAME_INVALID', 'ACCOUNT_IIN_INVALID'],
  }),
  'admin.quit': operation({
    access: 'public',
    summary: 'Closes the application; in kiosk mode only an administrator may.',
    input: z.strictObject({ login: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
    output: Ok,
    errors: ['AUTH_INVALID_CREDENTIALS'],
  }),

} as const;

/** Operator accounts (administrator): the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { Id, Role } from '../model.js';
import { Empty, IdnNumber } from './shared.js';

export const AccountLogin = z.string().regex(/^[A-Za-z0-9._-]{3,64}$/, 'letters, digits, ".", "_" and "-" (3 to 64)');
export const AccountName = z.string().trim().min(2).max(200);
export const Account = z.strictObject({
  id: z.string(),
  login: z.string(),
  fullName: z.string(),
  role: Role,
  iin: z.string().nullable(),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string().nullable(),
});

export const accountsOps = {
  'accounts.list': operation({
    access: 'admin',
    summary: "The workstation's accounts (operators, supervisors, administrators), for the administrator's settings screen.",
    input: Empty,
    output: z.strictObject({ accounts: z.array(Account) }),
  }),
  'accounts.create': operation({
    access: 'admin',
    summary: 'An administrator creates an account with an initial password the owner must change.',
    input: z.strictObject({ login: AccountLogin, fullName: AccountName, role: Role, iin: IdnNumber.nullable(), password: z.string().min(1).max(256) }),
    output: z.strictObject({ account: Account }),
    errors: ['ACCOUNT_LOGIN_TAKEN', 'ACCOUNT_LOGIN_INVALID', 'ACCOUNT_NAME_INVALID', 'ACCOUNT_IIN_REQUIRED', 'ACCOUNT_IIN_INVALID', 'AUTH_PASSWORD_POLICY'],
  }),
  'accounts.update': operation({
    access: 'admin',
    summary: "An administrator changes an account's name, role or IIN.",
    input: z.strictObject({ id: Id, fullName: AccountName, role: Role, iin: IdnNumber.nullable() }),
    output: z.strictObject({ account: Account }),
    errors: ['NOT_FOUND', 'ACCOUNT_NAME_INVALID', 'ACCOUNT_IIN_REQUIRED', 'ACCOUNT_IIN_INVALID', 'ACCOUNT_LAST_ADMINISTRATOR'],
  }),
  'accounts.setDisabled': operation({
    access: 'admin',
    summary: 'An administrator disables an account (it can no longer log in) or enables it again.',
    input: z.strictObject({ id: Id, disabled: z.boolean() }),
    output: z.strictObject({ account: Account }),
    errors: ['NOT_FOUND', 'ACCOUNT_LAST_ADMINISTRATOR', 'ACCOUNT_SELF'],
  }),
  'accounts.resetPassword': operation({
    access: 'admin',
    summary: 'An administrator sets a temporary password (and lifts a lockout); the owner must change it at the next log-in.',
    input: z.strictObject({ id: Id, password: z.string().min(1).max(256) }),
    output: z.strictObject({ account: Account }),
    errors: ['NOT_FOUND', 'AUTH_PASSWORD_POLICY'],
  }),

} as const;

/** Accounts, managed by an administrator from the settings screen (AccountService holds the rules). */
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const accountsHandlers = ({ accounts }: HostServices) =>
  ({
    'accounts.list': () => ({ accounts: accounts.list() }),
    'accounts.create': async (input, ctx) => ({ account: await accounts.create(operatorOf(ctx).id, input) }),
    'accounts.update': ({ id, ...edit }, ctx) => ({ account: accounts.update(operatorOf(ctx).id, id, edit) }),
    'accounts.setDisabled': ({ id, disabled }, ctx) => ({ account: accounts.setDisabled(operatorOf(ctx).id, id, disabled) }),
    'accounts.resetPassword': async ({ id, password }, ctx) => ({ account: await accounts.resetPassword(operatorOf(ctx).id, id, password) }),
  }) satisfies DomainHandlers;

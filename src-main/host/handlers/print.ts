/** Printing a stored PDF where the shell can print (Electron); the browser host opens it instead. */
import { AppError } from '../../contract/errors.js';
import type { DomainHandlers, HostServices } from './services.js';

export const printHandlers = ({ files, opts }: HostServices) =>
  ({
    'print.printers': async () => ({ printers: opts.printer ? await opts.printer.list() : [] }),
    'print.pdf': async ({ sha256, printer }) => {
      if (!(await files.has(sha256))) throw new AppError('NOT_FOUND');
      if (!opts.printer) return { method: 'open' as const };
      await opts.printer.print(await files.read(sha256), { deviceName: printer });
      return { method: 'printed' as const };
    },
  }) satisfies DomainHandlers;

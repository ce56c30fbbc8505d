/** Printing: the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { Sha256 } from '../model.js';
import { Empty } from './shared.js';

export const printOps = {
  'print.printers': operation({
    access: 'operator',
    summary: 'The printers this workstation can print to (Electron); none under the browser host.',
    input: Empty,
    output: z.strictObject({ printers: z.array(z.strictObject({ name: z.string(), displayName: z.string() })) }),
  }),
  'print.pdf': operation({
    access: 'operator',
    summary: 'Prints a PDF the workstation made: silently to the default printer in kiosk mode; under the browser host the renderer opens it instead.',
    input: z.strictObject({ sha256: Sha256, printer: z.string().min(1).max(256).nullable() }),
    output: z.strictObject({ method: z.enum(['printed', 'open']) }),
    errors: ['NOT_FOUND', 'DOCS_PRINTER_NOT_FOUND', 'DOCS_PRINT_FAILED', 'DOCS_PRINT_CANCELLED'],
  }),

} as const;

/** Schemas several domains' operations share. */
import { z } from 'zod';

export const Empty = z.strictObject({});
/** A PDF made by the workstation (receipt, notice): stored by content, sent to be shown or printed. */
export const PdfFile = z.strictObject({ sha256: z.string(), size: z.number().int(), dataBase64: z.string() });
export const Ok = z.strictObject({ ok: z.literal(true) });
export const IdnNumber = z.string().regex(/^\d{12}$/, 'twelve digits');

/**
 * The calendar data file (assets/calendar/kz.json): its shape, checked with zod when loaded.
 */
import { z } from 'zod';
import { AppError } from '../contract/errors.js';
import kzCalendarJson from '../../assets/calendar/kz.json' with { type: 'json' };

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const names = z.object({ kk: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) });
const holidayKind = z.enum(['state', 'national', 'religious']);

export const calendarDataSchema = z.object({
  country: z.literal('KZ'),
  timeZone: z.literal('Asia/Almaty'),
  workWeek: z.literal('monday-friday'),
  firstYear: z.number().int(),
  lastYear: z.number().int(),
  rules: z.array(z.string()),
  holidays: z.array(
    z.object({
      id: z.string(),
      month: z.number().int().min(1).max(12),
      day: z.number().int().min(1).max(31),
      kind: holidayKind,
      fromYear: z.number().int().optional(),
      untilYear: z.number().int().optional(),
      name: names,
    }),
  ),
  years: z.record(
    z.string().regex(/^\d{4}$/),
    z.object({
      /** final: complete for that year; no_transfer_order_found: searched, none found;
       *  provisional: the year's data is incomplete or estimated. */
      status: z.enum(['final', 'no_transfer_order_found', 'provisional']),
      note: z.string(),
      movable: z.array(
        z.object({
          id: z.string(),
          date: localDate,
          kind: holidayKind,
          estimated: z.boolean().optional(),
          name: names,
          source: z.string(),
        }),
      ),
      transfers: z.array(z.object({ dayOff: localDate, workingDay: localDate, source: z.string() })),
      sources: z.array(z.string()),
    }),
  ),
});

export type CalendarData = z.infer<typeof calendarDataSchema>;
export type YearStatus = CalendarData['years'][string]['status'];
export type HolidayNames = z.infer<typeof names>;

export function parseCalendarData(raw: unknown): CalendarData {
  const r = calendarDataSchema.safeParse(raw);
  if (!r.success) {
    throw new AppError('CALENDAR_DATA_INVALID', { path: r.error.issues[0]?.path.join('.') ?? '' });
  }
  return r.data;
}

/** The calendar shipped with the app. */
export function shippedCalendarData(): CalendarData {
  return parseCalendarData(kzCalendarJson);
}

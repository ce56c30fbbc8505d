/** Public API of the working-day calendar. See README.md beside this file. */
export {
  type LocalDate,
  localDateOf,
  localTimeOf,
  almatyOffsetMinutes,
  plusDays,
  isoWeekday,
  formatDmy,
  parseLocalDate,
} from './local-date.js';
export {
  WorkingCalendar,
  kzCalendar,
  type DeadlineRule,
  type DeadlineUnit,
  type DueDate,
  type NonWorkingReason,
} from './working-calendar.js';
export { type CalendarData, type YearStatus, parseCalendarData, shippedCalendarData, calendarDataSchema } from './data.js';

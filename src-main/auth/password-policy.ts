/**
 * The password rules of a state body's workstation (NIST SP 800-63B style, no composition rules):
 * - at least MIN_PASSWORD_LENGTH characters (12: a counter operator types it at every log-in and
 *   unlock; on-line guessing is capped by the lockout and the hashes stay on the workstation), at
 *   most 256;
 * - not the login, and not containing it;
 * - not a common password: the 49,000 most common passwords of the public breach corpora, from
 *   @zxcvbn-ts/language-common (a maintained package whose job is exactly this list; shipping
 *   our own copy would go stale), plus a few words every Centre's staff would try (LOCAL_WORDS),
 *   compared without case and without the digits and symbols people add at the end
 *   ("Password2026!" is "password").
 * The check runs in the main process only (the list never reaches the renderer bundle).
 */
import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../contract/errors.js';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** Words of this place and this app that the breach lists do not weigh enough. */
const LOCAL_WORDS = [
  'qabyldau', 'кабылдау', 'қабылдау', 'astana', 'астана', 'almaty', 'алматы', 'kazakhstan', 'qazaqstan', 'казахстан',
  'қазақстан', 'shymkent', 'шымкент', 'parol', 'пароль', 'құпиясөз', 'operator', 'оператор', 'admin', 'administrator',
  'администратор', 'supervisor', 'con', 'цон', 'хқко', 'egov', 'qwerty', 'йцукен', 'qwertyuiop', 'йцукенгшщз',
  '1qaz2wsx3edc', 'zaq12wsx', 'password', 'welcome', 'changeme',
];

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  if (!common) {
    const list = (dictionary as Record<string, string[]>)['passwords-common'] ?? [];
    if (list.length < 10_000) throw new Error('the common-password list did not load');
    common = new Set([...list, ...LOCAL_WORDS].map((w) => w.toLowerCase()));
  }
  return common;
}

export type PasswordRule = 'length' | 'login' | 'common';

/** Which rule a password breaks, or null. */
export function passwordProblem(password: string, login: string): PasswordRule | null {
  const chars = [...password.normalize('NFC')].length;
  if (chars < MIN_PASSWORD_LENGTH || chars > MAX_PASSWORD_LENGTH) return 'length';
  const lower = password.toLowerCase();
  const l = login.trim().toLowerCase();
  if (l && (lower === l || (l.length >= 3 && lower.includes(l)))) return 'login';
  const list = commonPasswords();
  const stripped = lower.replace(/[\p{N}\p{P}\p{S}\s]+$/u, '');
  const core = stripped.replace(/^[\p{N}\p{P}\p{S}\s]+/u, '');
  if (list.has(lower) || list.has(stripped) || list.has(core) || /^(.)\1+$/u.test(lower) || /^\d+$/.test(lower)) return 'common';
  return null;
}

/** Throws AUTH_PASSWORD_POLICY { rule, min } when the password breaks a rule. */
export function assertPasswordPolicy(password: string, login: string): void {
  const rule = passwordProblem(password, login);
  if (rule) throw new AppError('AUTH_PASSWORD_POLICY', { rule, min: MIN_PASSWORD_LENGTH });
}

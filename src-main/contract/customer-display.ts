/**
 * The protocol between the operator's window and the customer display (plain data and one check,
 * importable by the renderer). They talk over a BroadcastChannel (same origin, same browser
 * profile: Electron's second window or the browser host's second tab). The customer display
 * therefore needs no access to the contract at all (in Electron it has no preload): it shows what
 * the operator's window offers and hands the answers back; the operator's window stores them.
 *
 *   operator → customer: offer {id, serviceName, language}, withdraw {id}, stored {id}
 *   customer → operator: hello (asks for the current offer), answers {id, answers}
 */
import { CUSTOMER_DISPLAY_HASH } from './wire.js';

export type SurveyLanguage = 'kk' | 'ru';
/** 1 not satisfied, 2 partially satisfied, 3 satisfied (Appendix 3's own order and numbers). */
export type SurveyScore = 1 | 2 | 3;
export type SurveyAnswers = Record<'quality' | 'information', SurveyScore>;

export const CHANNEL_NAME = 'qabyldau.customer-display';
export const CUSTOMER_HASH = CUSTOMER_DISPLAY_HASH;

export type Offer = { id: string; serviceName: Record<SurveyLanguage, string>; language: SurveyLanguage };
export type DisplayMessage =
  | { type: 'offer'; offer: Offer }
  | { type: 'withdraw'; id: string }
  | { type: 'stored'; id: string }
  | { type: 'hello' }
  | { type: 'answers'; id: string; answers: SurveyAnswers };

const SCORE = new Set([1, 2, 3]);

/** Checks a message from the other window (it is data from another page: never trusted as typed). */
export function parseMessage(data: unknown): DisplayMessage | null {
  if (!data || typeof data !== 'object') return null;
  const m = data as Record<string, unknown>;
  const id = typeof m.id === 'string' && m.id.length <= 64 ? m.id : null;
  switch (m.type) {
    case 'hello':
      return { type: 'hello' };
    case 'withdraw':
    case 'stored':
      return id ? { type: m.type, id } : null;
    case 'answers': {
      const a = m.answers as Record<string, unknown> | undefined;
      if (!id || !a || !SCORE.has(a.quality as number) || !SCORE.has(a.information as number)) return null;
      return { type: 'answers', id, answers: { quality: a.quality as 1 | 2 | 3, information: a.information as 1 | 2 | 3 } };
    }
    case 'offer': {
      const o = m.offer as Record<string, unknown> | undefined;
      const name = o?.serviceName as Record<string, unknown> | undefined;
      if (!o || typeof o.id !== 'string' || (o.language !== 'kk' && o.language !== 'ru') || typeof name?.kk !== 'string' || typeof name.ru !== 'string') return null;
      return { type: 'offer', offer: { id: o.id, language: o.language, serviceName: { kk: name.kk, ru: name.ru } } };
    }
    default:
      return null;
  }
}

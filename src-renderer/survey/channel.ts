/**
 * The operator's window and the customer display talk over a BroadcastChannel (same origin, same
 * browser profile: Electron's second window or the browser host's second tab). The customer display
 * therefore needs no access to the contract at all (in Electron it has no preload): it shows what
 * the operator's window offers and hands the answers back; the operator's window stores them.
 *
 *   operator → customer: offer {id, serviceName, language}, withdraw {id}, stored {id}
 *   customer → operator: hello (asks for the current offer), answers {id, answers}
 */
import { CUSTOMER_DISPLAY_HASH } from '../../src-main/contract/wire';
import type { SurveyAnswers, SurveyLanguage } from './appendix3';

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

export function openChannel(onMessage: (m: DisplayMessage) => void): { post: (m: DisplayMessage) => void; close: () => void } {
  const channel = new BroadcastChannel(CHANNEL_NAME);
  channel.onmessage = (e: MessageEvent) => {
    const m = parseMessage(e.data);
    if (m) onMessage(m);
  };
  return { post: (m) => channel.postMessage(m), close: () => channel.close() };
}

/** Opens (or brings forward) the customer display: Electron's main process makes its own hardened window for this URL. */
export function openCustomerDisplay(): void {
  const url = `${location.origin}${location.pathname.endsWith('/') ? `${location.pathname}index.html` : location.pathname}${CUSTOMER_HASH}`;
  window.open(url, 'qabyldau-customer-display', 'popup,width=900,height=700');
}

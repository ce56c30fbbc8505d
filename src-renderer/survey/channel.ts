/** The customer display's channel (protocol and checks: src-main/contract/customer-display.ts). */
import { CHANNEL_NAME, CUSTOMER_HASH, parseMessage, type DisplayMessage } from '../../src-main/contract/customer-display';

export { CUSTOMER_HASH, type DisplayMessage, type Offer } from '../../src-main/contract/customer-display';

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

/**
 * The preload script (sandboxed, bundled to CommonJS): exposes the contract's client, and nothing
 * else, on window.qabyldau. Operation names outside the contract are refused here already; the main
 * process validates everything again.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { OP_NAMES } from './contract/operations.js';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type Envelope, type QabyldauBridge } from './contract/wire.js';

const known = new Set<string>(OP_NAMES);

const bridge: QabyldauBridge = {
  invoke(op: string, input: unknown): Promise<Envelope> {
    if (!known.has(op)) return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_OPERATION', params: {}, retryable: false } });
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, op, input) as Promise<Envelope>;
  },
  onEvent(listener) {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('qabyldau', bridge);

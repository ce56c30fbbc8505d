/**
 * NCALayer's TLS certificate, pinned on first use by an administrator. NCALayer serves a
 * self-signed certificate on 127.0.0.1; until an administrator has accepted the one it presents
 * (Settings, or the contract's settings.trustNcalayerCertificate), signing through it is refused
 * (SIGN_NCALAYER_NOT_PINNED), and a different certificate afterwards is refused
 * (SIGN_NCALAYER_CERT_CHANGED) until an administrator accepts the new one. The accepted
 * certificate is kept in the encrypted database (`meta`), not in a file an operator could edit,
 * and each acceptance is written to the audit trail. A CA file in the machine configuration
 * (signing.ncalayer.certFile) replaces all this with full TLS validation.
 */
import { AppError } from '../contract/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import { readMeta, writeMeta } from '../db/keys.js';
import type { SqliteDb } from '../db/cipher.js';
import type { NcaLayerPeer, NcaLayerPin } from '../sign/index.js';

const META_KEY = 'ncalayer.pin';

export interface NcaLayerPinRecord extends NcaLayerPeer {
  pinnedAt: string;
  /** The administrator's login. */
  pinnedBy: string;
}

export type NcaLayerTrustState = 'pinned' | 'not_pinned' | 'changed' | 'not_running' | 'configured';

export class NcaLayerTrust implements NcaLayerPin {
  constructor(
    private readonly db: SqliteDb,
    private readonly audit: AuditLog,
    private readonly now: () => Date,
    /** What NCALayer presents now (NcaLayerClient.peerCertificate). */
    private readonly peer: () => Promise<NcaLayerPeer>,
  ) {}

  get(): string | null {
    return this.pinned()?.sha256 ?? null;
  }

  pinned(): NcaLayerPinRecord | null {
    return readMeta<NcaLayerPinRecord>(this.db, META_KEY);
  }

  async status(configuredCa: boolean): Promise<{ state: NcaLayerTrustState; presented: NcaLayerPeer | null; pinned: NcaLayerPinRecord | null }> {
    const pinned = this.pinned();
    let presented: NcaLayerPeer | null = null;
    try {
      presented = await this.peer();
    } catch (e) {
      if (!(e instanceof AppError && e.code.startsWith('SIGN_NCALAYER_'))) throw e;
    }
    const state: NcaLayerTrustState = configuredCa
      ? 'configured'
      : !presented
        ? 'not_running'
        : !pinned
          ? 'not_pinned'
          : pinned.sha256 === presented.sha256
            ? 'pinned'
            : 'changed';
    return { state, presented, pinned };
  }

  /**
   * Accepts the certificate NCALayer presents, provided it is the one the administrator was shown
   * (`sha256`): what is pinned is what was seen, never whatever answers at that moment.
   */
  async trust(sha256: string, admin: { id: string; login: string }): Promise<void> {
    const presented = await this.peer();
    if (presented.sha256 !== sha256) throw new AppError('SIGN_NCALAYER_CERT_CHANGED');
    const previous = this.pinned();
    const record: NcaLayerPinRecord = { ...presented, pinnedAt: this.now().toISOString(), pinnedBy: admin.login };
    this.db.transaction(() => {
      writeMeta(this.db, META_KEY, record);
      this.audit.append({ actor: admin.id, action: 'settings.ncalayer_pinned', data: { sha256, previous: previous?.sha256 ?? null } });
    })();
  }
}

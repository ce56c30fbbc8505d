/**
 * Public API of the signing module. Everything else in this folder is internal.
 * See README.md beside this file and docs/signing.md.
 */
export { SIGN_ERROR_CODES, type SignErrorCode } from './errors.js';
export { canonicalManifest, hashFile, MANIFEST_FORMAT, type ManifestInput, type ManifestDocument, type JsonValue } from './manifest.js';
export { openPkcs12, Keystore, type KeyAlgorithm } from './pkcs12.js';
export { Cert, loadCerts, type SignerSummary } from './certs.js';
export { checkSignerCertificate, type CheckContext, type CheckResult } from './check.js';
export { storeCrl, type RevocationPolicy, type RevocationResult, type RevocationSource } from './revocation.js';
export { signDetached, verifyDetached, type VerifyOptions, type VerifyResult } from './cms.js';
export { verifyProviderResult, providerOf, checkProvider, type ResultProvider, type ResultSignerExpectation, type ResultVerification } from './result-trust.js';
export { NcaLayerClient, NCALAYER_DEFAULT_URL, type NcaLayerOptions, type NcaLayerSignRequest, type NcaLayerPin, type NcaLayerPeer } from './ncalayer.js';
export {
  SignService,
  type SignConfig,
  type SignServiceDeps,
  type SignProvider,
  type SignedRequest,
  type SignerInfo,
  type ManifestToSign,
  type KeystoreSecret,
} from './service.js';

/**
 * One cached access token of an outside system, shared by every plugin process. The `_id` names the
 * credential owner: `fx:corp:<tenantId>` (CRM corp token), `fx:app:<appId>` (CRM app token for SSO),
 * `jdy:<accountId>` (Jingdouyun app-token). The lease fields make a refresh single-flight across
 * processes: only the holder of an unexpired lease calls the token endpoint.
 */
export type TokenKind = 'fx-corp' | 'fx-app' | 'jdy';

export interface TokenEntity {
  _id: string;
  kind: TokenKind;
  /** The token, sealed with the SecretBox; null while none is cached. */
  token: string | null;
  /** sha256 of the token: "drop it only if it is still the one that failed" without decrypting. */
  tokenFp: string | null;
  fetchedAt: Date | null;
  /** When to fetch a new one (for the CRM: fetchedAt + expiresIn − 300 s). */
  refreshAt: Date | null;
  expiresAt: Date | null;
  leaseHolder: string | null;
  leaseUntil: Date | null;
  /** Set when the credentials themselves failed (20016 twice, deauthorised…): no call until reinstall. */
  authFailedCode: string | null;
  authFailedAt: Date | null;
}

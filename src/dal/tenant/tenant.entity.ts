/** One CRM enterprise (corpId) that installed the plugin from the app center. */
export type TenantStatus = 'active' | 'uninstalled';

export interface TenantEntity {
  /** Our tenant id ("t_" + 16 hex), used in URLs and on every tenant-owned document. */
  _id: string;
  corpId: string;
  name: string;
  status: TenantStatus;
  /** The permanent code (永久授权码), sealed with the SecretBox. */
  permanentCode: string;
  /** sha256 of the permanent code: how a cancel push finds its tenant without decrypting all. */
  permanentCodeFp: string;
  /** HMAC secret of the change-event hook, sealed. */
  hookSecret: string;
  installedAt: Date;
  uninstalledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

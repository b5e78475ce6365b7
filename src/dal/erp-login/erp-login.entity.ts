/**
 * A Jingdouyun login waiting for the admin to pick an account set (plugin API: held 10 minutes).
 * The password is never stored; `state` is the ERP plugin's short-lived login state, sealed.
 */
export interface ErpLoginEntity {
  /** The loginId given to the page (random). */
  _id: string;
  tenantId: string;
  /** Sealed ErpLogin JSON (account sets and the ERP's own login state). */
  state: string;
  expiresAt: Date;
}

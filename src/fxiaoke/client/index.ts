import type { TenantEntity } from '../../dal/tenant/tenant.entity.js';
import { TenantRepository } from '../../dal/tenant/tenant.repository.js';
import { DescribeCache } from './describe.js';
import { FxData } from './data.js';
import { FxDirectory } from './directory.js';
import { FxFiles } from './files.js';
import { FxMetadata } from './metadata.js';
import type { FxTenantAuth, FxTransport } from './transport.js';

/** Everything the plugin does in one CRM tenant, acting as one CRM user (`currentOpenUserId`). */
export class FxClient {
  readonly directory: FxDirectory;
  readonly data: FxData;
  readonly metadata: FxMetadata;
  readonly files: FxFiles;

  constructor(
    readonly transport: FxTransport,
    describes: DescribeCache,
    readonly auth: FxTenantAuth,
    readonly userId: string,
  ) {
    this.directory = new FxDirectory(transport, auth);
    this.data = new FxData(transport, describes, auth, userId);
    this.metadata = new FxMetadata(transport, describes, auth, userId);
    this.files = new FxFiles(transport, auth);
  }
}

/** The process-wide CRM access: one transport (tokens, rate limits) and one describe cache. */
export class FxCrm {
  readonly describes: DescribeCache;

  constructor(
    readonly transport: FxTransport,
    private readonly tenants: TenantRepository,
  ) {
    this.describes = new DescribeCache(transport.clock);
  }

  authOf(tenant: TenantEntity): FxTenantAuth {
    return {
      tenantId: TenantRepository.idOf(tenant),
      corpId: tenant.corpId,
      permanentCode: () => this.tenants.permanentCodeOf(tenant),
    };
  }

  /** A client of `tenant` acting as `userId` (directory calls ignore the user). */
  client(tenant: TenantEntity, userId: string): FxClient {
    return new FxClient(this.transport, this.describes, this.authOf(tenant), userId);
  }
}

export { FxTransport } from './transport.js';
export type { FxAppConfig, FxTenantAuth, FxTransportOptions, Json, Download } from './transport.js';
export { FxQuery, where } from './filters.js';
export type { FxFilter, FxOrder, FxOperator, SearchQueryInfo, FilterValue } from './filters.js';
export { FxDescribe, DescribeCache } from './describe.js';
export type { FxField, FxOption, FxDescribeJson } from './describe.js';
export type {
  FxRecord,
  FxPage,
  CreateOptions,
  UpdateOptions,
  CreateResult,
  BusinessKey,
  RepeatableOutcome,
} from './data.js';
export type { FxUser, FxDepartment } from './directory.js';
export type { FxFieldDefinition, FxObjectDefinition, MetadataResult, FxCategory } from './metadata.js';
export type { FxFileEntry, FxUploaded } from './files.js';
export { FX, retryClassOf, type RetryClass } from './errors.js';

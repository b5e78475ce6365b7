import { IntegrationError } from '../../lib/errors.js';
import type { DescribeCache, FxDescribeJson, FxField, FxOption } from './describe.js';
import { FX, isFxCode } from './errors.js';
import type { FxTenantAuth, FxTransport, Json } from './transport.js';

/** A field definition of §8 (unknown keys are refused by the CRM with 32010). */
export interface FxFieldDefinition {
  api_name: string;
  label: string;
  type:
    | 'text'
    | 'long_text'
    | 'number'
    | 'currency'
    | 'date'
    | 'date_time'
    | 'select_one'
    | 'object_reference'
    | 'file_attachment'
    | 'true_or_false';
  is_required?: boolean;
  options?: FxOption[];
  target_api_name?: string;
  decimal_places?: number;
  max_length?: number;
  help_text?: string;
}

export interface FxObjectDefinition {
  api_name: string;
  display_name: string;
  fields: FxFieldDefinition[];
}

/**
 * The outcome of a metadata write. Without the ISV metadata permission (20014) the admin creates
 * the field by hand and the plugin finds it by label and type afterwards (§8, §12 item 16).
 */
export type MetadataResult<T> =
  { status: 'created'; value: T } | { status: 'exists' } | { status: 'permission_missing'; message: string };

export interface FxCategory {
  id: string;
  name: string;
  pid: string | null;
  code: string;
  orderField: number;
}

/** Metadata writes (§8) and product categories (§5.10). */
export class FxMetadata {
  constructor(
    private readonly transport: FxTransport,
    private readonly describes: DescribeCache,
    private readonly auth: FxTenantAuth,
    private readonly userId: string,
  ) {}

  private call(path: string, data: Json, write: boolean): Promise<Json> {
    return this.transport.crm(this.auth, path, this.userId, { data }, write);
  }

  async createField(objectApiName: string, field: FxFieldDefinition): Promise<MetadataResult<FxField>> {
    const result = await this.metadataWrite(async () => {
      const res = await this.call('/cgi/crm/v2/object/field/create', { apiName: objectApiName, field }, true);
      return (res.data as { field: FxField }).field;
    });
    // Created, existing or not: the describe we hold may lack it.
    this.describes.invalidate(this.auth.tenantId, objectApiName);
    return result;
  }

  async createObject(definition: FxObjectDefinition): Promise<MetadataResult<FxDescribeJson>> {
    const result = await this.metadataWrite(async () => {
      const res = await this.call('/cgi/crm/v2/object/create', { ...definition }, true);
      return (res.data as { describe: FxDescribeJson }).describe;
    });
    this.describes.invalidate(this.auth.tenantId, definition.api_name);
    return result;
  }

  private async metadataWrite<T>(write: () => Promise<T>): Promise<MetadataResult<T>> {
    try {
      return { status: 'created', value: await write() };
    } catch (error) {
      if (isFxCode(error, FX.METADATA_EXISTS)) return { status: 'exists' };
      if (isFxCode(error, FX.NO_PERMISSION)) {
        return {
          status: 'permission_missing',
          message:
            '插件没有修改对象定义的权限（未开通 ISV 元数据权限，或当前用户不是 CRM 管理员）。请 CRM 管理员在“对象管理”中手工创建所需字段后重新检查。',
        };
      }
      throw error;
    }
  }

  // ---- product categories (§5.10) ----

  async categories(): Promise<FxCategory[]> {
    const res = await this.call('/cgi/crm/data/queryProductCategory', {}, false);
    return ((res.data as { categories?: FxCategory[] } | undefined)?.categories ?? []) as FxCategory[];
  }

  async createCategory(input: {
    name: string;
    code: string;
    pid?: string | null;
    orderField?: number;
  }): Promise<string> {
    const res = await this.editCategory({ editFlag: 1, ...input });
    return String((res.data as { id: string }).id);
  }

  async updateCategory(
    id: string,
    change: { name?: string; pid?: string | null; orderField?: number },
  ): Promise<void> {
    await this.editCategory({ editFlag: 2, id, ...change });
  }

  /** A repeated delete answered 32004 (already gone) is done. */
  async deleteCategory(id: string): Promise<void> {
    try {
      await this.editCategory({ editFlag: 3, id });
    } catch (error) {
      if (!(error instanceof IntegrationError && isFxCode(error, FX.NOT_FOUND))) throw error;
    }
  }

  private async editCategory(data: Json): Promise<Json> {
    const res = await this.call('/cgi/crm/data/editProductCategory', data, true);
    // The category options of ProductObj mirror the categories (§5.10).
    this.describes.invalidate(this.auth.tenantId, 'ProductObj');
    return res;
  }
}
